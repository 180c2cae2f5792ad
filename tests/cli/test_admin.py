"""accord admin: the operator creates the company, partners, users and tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.bootstrap import build
from accord.cli.main import app
from accord.services.errors import Unauthenticated
from accord.settings import Settings

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACCORD_CONFIG", raising=False)
    return folder


def admin(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["admin", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_the_operator_sets_up_a_company_a_partner_a_user_and_a_token(data_dir: Path) -> None:
    assert admin("create-organisation", "acme", "Acme Retail", "--company")[0] == 0
    code, out, _ = admin("create-organisation", "bravo", "Bravo Payments")
    assert (code, out.strip()) == (0, "created partner organisation bravo")
    code, out, _ = admin(
        "create-user",
        "--organisation",
        "bravo",
        "--email",
        "ops@bravo.example",
        "--name",
        "Bravo Ops",
        "--role",
        "partner",
        "--with-password",
        input="a long enough password\na long enough password\n",
    )
    assert code == 0, out
    assert "created user ops@bravo.example in bravo (partner)" in out
    code, out, _ = admin("create-token", "--user", "ops@bravo.example", "--name", "pusher")
    assert code == 0
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("acc_")
    services = build(Settings.for_data_dir(data_dir))
    try:
        principal = services.credentials.authenticate_token(secret)
        assert principal.name == "ops@bravo.example"
        assert services.credentials.login("ops@bravo.example", "a long enough password").secret
    finally:
        services.close()


def test_a_refusal_is_an_error_with_exit_code_1(data_dir: Path) -> None:
    admin("create-organisation", "acme", "Acme", "--company")
    code, _, err = admin("create-organisation", "other", "Other", "--company")
    assert code == 1
    assert "there can be only one" in err


def test_an_unknown_role_is_a_usage_error(data_dir: Path) -> None:
    code, _, _ = admin(
        "create-user", "--organisation", "acme", "--email", "a@b.c", "--name", "A", "--role", "boss"
    )
    assert code == 2


def test_a_token_for_an_unknown_user_is_refused(data_dir: Path) -> None:
    code, _, err = admin("create-token", "--user", "nobody@acme.example")
    assert code == 1
    assert "no user 'nobody@acme.example'" in err


def test_bad_settings_are_named(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_PORT", "eighty")
    code, _, err = admin("create-organisation", "acme", "Acme")
    assert code == 1
    assert "ACCORD_PORT must be a whole number" in err


def test_the_operator_disables_and_enables_a_user_revokes_a_role_and_resets_a_password(
    data_dir: Path,
) -> None:
    admin("create-organisation", "acme", "Acme Retail", "--company")
    user = ["--organisation", "acme", "--email", "ops@acme.example", "--name", "Ops"]
    assert admin("create-user", *user, "--role", "viewer", "--role", "auditor")[0] == 0
    secret = admin("create-token", "--user", "ops@acme.example")[1].strip().splitlines()[-1]
    assert admin("disable-user", "ops@acme.example")[0] == 0
    services = build(Settings.for_data_dir(data_dir))
    try:
        with pytest.raises(Unauthenticated):
            services.credentials.authenticate_token(secret)
    finally:
        services.close()
    assert admin("enable-user", "ops@acme.example")[0] == 0
    code, out, _ = admin("revoke-role", "ops@acme.example", "viewer")
    assert (code, out.strip()) == (0, "ops@acme.example now holds auditor")
    code, out, _ = admin(
        "reset-password", "ops@acme.example", input="a fresh passphrase\na fresh passphrase\n"
    )
    assert code == 0, out
    services = build(Settings.for_data_dir(data_dir))
    try:
        assert services.credentials.authenticate_token(secret).name == "ops@acme.example"
        assert services.credentials.login("ops@acme.example", "a fresh passphrase").secret
    finally:
        services.close()
