"""Pushing batches: once per batch id, as JSON or streamed JSON lines, within the byte
limit, of a known media type; the receipt is signed and checked with the public key alone."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from tests.server.conftest import Api
from tests.services.world import events

BRAVO = "/api/v1/agreements/acme-bravo"
BATCHES = f"{BRAVO}/sources/requests/batches"
PROBLEM = "application/problem+json"


def test_a_batch_is_pushed_once_and_a_retry_changes_nothing(api: Api) -> None:
    partner = "partner@bravo.example"
    first = api.put(f"{BATCHES}/b1", partner, json={"events": events(50)})
    assert (first.status_code, first.json()["accepted"]) == (201, 50)
    retry = api.put(f"{BATCHES}/b1", partner, json={"events": events(80)})
    assert (retry.status_code, retry.json()["status"]) == (200, "already_received")
    assert [b["batch_id"] for b in api.get(BATCHES, partner).json()] == ["b1"]


def test_a_batch_of_json_lines_is_streamed(api: Api) -> None:
    lines = "".join(json.dumps(event) + "\n" for event in events(30))
    response = api.put(
        f"{BATCHES}/lines",
        "partner@bravo.example",
        content=lines.encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert (response.status_code, response.json()["accepted"]) == (201, 30)
    assert list(api.world.services.ingestion.spool_dir.iterdir()) == []


def test_a_batch_over_the_byte_limit_is_a_413_problem(api: Api) -> None:
    limit = api.world.services.limits.max_batch_bytes
    response = api.put(
        f"{BATCHES}/big",
        "partner@bravo.example",
        content=b"x" * (limit + 1),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert (response.status_code, response.headers["content-type"]) == (413, PROBLEM)


def test_a_batch_that_is_not_json_is_a_422_problem(api: Api) -> None:
    response = api.put(
        f"{BATCHES}/bad",
        "partner@bravo.example",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "not JSON" in response.json()["detail"]


def test_a_batch_of_another_media_type_is_refused(api: Api) -> None:
    response = api.put(
        f"{BATCHES}/csv",
        "partner@bravo.example",
        content=b"a,b\n",
        headers={"Content-Type": "text/csv"},
    )
    assert (response.status_code, response.headers["content-type"]) == (415, PROBLEM)
    assert "application/x-ndjson" in response.json()["detail"]


def test_a_push_receipt_is_signed_and_checked_with_the_public_key_alone(
    api: Api, tmp_path: Path
) -> None:
    partner = "partner@bravo.example"
    receipt = api.put(f"{BATCHES}/signed", partner, json={"events": events(5)}).json()
    retry = api.put(f"{BATCHES}/signed", partner, json={"events": events(5)}).json()
    assert receipt["signature"] == retry["signature"]  # the same batch, the same proof
    key = api.get("/api/v1/audit/signing-key", partner).json()
    assert receipt["key_id"] == key["key_id"]
    (tmp_path / "key.pem").write_text(key["public_key"])
    (tmp_path / "receipt.json").write_text(json.dumps(receipt))
    arguments = ["audit", "verify-receipt", str(tmp_path / "receipt.json")]
    checked = CliRunner().invoke(app, [*arguments, "--public-key", str(tmp_path / "key.pem")])
    assert checked.exit_code == 0, checked.output
    assert "5 accepted" in checked.stdout
    (tmp_path / "receipt.json").write_text(json.dumps({**receipt, "accepted": 50}))
    forged = CliRunner().invoke(app, [*arguments, "--public-key", str(tmp_path / "key.pem")])
    assert forged.exit_code == 1
    assert "altered" in forged.stderr
