"""Connections kept in settings, secrets encrypted at rest: a real Prometheus that demands
basic authentication is read once its connection is added, the connections file holds no
secret in clear, and a wrong or missing key is a clear error, never a traceback."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.connectors.credentials import Connection, ConnectionError_, ConnectionStore, new_key
from tests.cli.test_connectors import _agreement
from tests.connectors.prometheus.server import _binaries, _free_port

runner = CliRunner()
PASSWORD = "s3cret-for-tests"
#: bcrypt of PASSWORD (cost 10), as Prometheus's web configuration wants it.
HASH = "$2b$10$/vpUKZ4cBXJyRPHpc1nJg.yDKaSfTMPWZ4mGpDpQijO1haUnlL6Fq"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prometheus server that answers only user ``accord`` with PASSWORD."""
    prometheus, _ = _binaries()
    folder = tmp_path_factory.mktemp("guarded")
    (folder / "prometheus.yml").write_text("global:\n  scrape_interval: 15s\n")
    (folder / "web.yml").write_text(f"basic_auth_users:\n  accord: {HASH}\n")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (folder / "log").open("wb") as log:
        process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={folder / 'prometheus.yml'}",
                f"--web.config.file={folder / 'web.yml'}",
                f"--storage.tsdb.path={folder / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/-/ready", auth=("accord", PASSWORD), timeout=1).is_success:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (folder / "log").read_text()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)  # a pause that ends early if it exits
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _with_prometheus(tmp_path: Path, url: str) -> Path:
    source = f"""
  - id: requests
    kind: events
    format: prometheus
    prometheus: {{url: '{url}', events: http_requests_total}}
    timestamp: at
    columns:
      at: {{column: __time__, type: timestamp}}
"""
    path = _agreement(tmp_path)
    text = path.read_text(encoding="utf-8").replace("\nindicators:", source + "indicators:", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_server_behind_basic_authentication_is_read_with_its_kept_connection(
    tmp_path: Path, guarded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreement = _with_prometheus(tmp_path, guarded)
    monkeypatch.setenv("ACCORD_CONNECTIONS", str(tmp_path / "connections.json"))
    monkeypatch.setenv("ACCORD_SECRET_KEY", new_key())
    refused = runner.invoke(app, ["connectors", "check", str(agreement)])
    assert refused.exit_code == 1
    assert "failed requests" in refused.output
    assert "401" in refused.output

    monkeypatch.setenv("PROMETHEUS_PASSWORD", PASSWORD)
    added = runner.invoke(
        app,
        ["connectors", "add", "metrics", "--url", guarded, "--user", "accord",
         "--secret-env", "PROMETHEUS_PASSWORD"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert f"metrics: {guarded} with basic authentication as accord" in added.output
    assert PASSWORD not in (tmp_path / "connections.json").read_text()

    checked = runner.invoke(app, ["connectors", "check", str(agreement)])
    assert checked.exit_code == 0, checked.output
    assert "ok requests: Prometheus" in checked.output

    monkeypatch.setenv("ACCORD_SECRET_KEY", new_key())
    wrong = runner.invoke(app, ["connectors", "check", str(agreement)])
    assert wrong.exit_code == 1
    assert "connection 'metrics' cannot be decrypted with this key" in wrong.output
    assert "Traceback" not in wrong.output


def test_secrets_are_stored_encrypted_and_need_the_key(tmp_path: Path) -> None:
    key = new_key()
    store = ConnectionStore(tmp_path / "connections.json", key)
    store.add(Connection("metrics", "https://prom.example/", "token-123"))
    store.add(Connection("tickets", "https://jira.example", "pw", user="bot"))

    assert "token-123" not in store.path.read_text()
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"
    again = ConnectionStore(store.path, key).connections()
    assert [(c.name, c.url, c.secret, c.user) for c in again] == [
        ("metrics", "https://prom.example", "token-123", None),
        ("tickets", "https://jira.example", "pw", "bot"),
    ]
    assert again[0].headers() == {"Authorization": "Bearer token-123"}
    with pytest.raises(ConnectionError_, match="set ACCORD_SECRET_KEY"):
        ConnectionStore(store.path, None).connections()
    with pytest.raises(ConnectionError_, match="not a key"):
        ConnectionStore(store.path, "short").connections()
    store.path.write_text(store.path.read_text().replace('"secret": "g', '"secret": "h'))
    with pytest.raises(ConnectionError_, match="cannot be decrypted"):
        ConnectionStore(store.path, key).connections()


def test_connections_are_listed_without_secrets_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_CONNECTIONS", str(tmp_path / "c.json"))
    key_file = tmp_path / "key"
    key_file.write_text(runner.invoke(app, ["connectors", "key"]).stdout)
    monkeypatch.setenv("ACCORD_SECRET_KEY_FILE", str(key_file))
    monkeypatch.setenv("TOKEN", "abc-token")
    runner.invoke(
        app, ["connectors", "add", "m", "--url", "http://p:9090", "--secret-env", "TOKEN"]
    )
    listed = runner.invoke(app, ["connectors", "list"])
    assert listed.exit_code == 0, listed.output
    assert "m: http://p:9090 with a bearer token" in listed.output
    assert "abc-token" not in listed.output
    assert runner.invoke(app, ["connectors", "remove", "m"]).exit_code == 0
    assert "no connections" in runner.invoke(app, ["connectors", "list"]).output
    missing = runner.invoke(app, ["connectors", "remove", "m"])
    assert (missing.exit_code, "no connection named 'm'" in missing.output) == (1, True)
