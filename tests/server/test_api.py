"""The HTTP API end to end: agreements, pushes, evaluations, verdicts, tokens, sessions,
problem+json errors, health and the OpenAPI description."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from tests.server.conftest import Api
from tests.services.test_findings import regional_world
from tests.services.world import PASSWORD, agreement_text, events

BRAVO = "/api/v1/agreements/acme-bravo"
BATCHES = f"{BRAVO}/sources/requests/batches"
PROBLEM = "application/problem+json"


def test_health_answers_when_the_database_does(api: Api) -> None:
    response = api.get("/healthz", None)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_openapi_description_covers_every_resource(api: Api) -> None:
    paths = api.get("/openapi.json", None).json()["paths"]
    for path in (
        "/api/v1/organisations",
        "/api/v1/users",
        "/api/v1/tokens",
        "/api/v1/sessions",
        "/api/v1/agreements/{slug}/versions/{number}",
        "/api/v1/agreements/{slug}/diff",
        "/api/v1/agreements/{slug}/document",
        "/api/v1/agreements/{slug}/sources/{source}/batches/{batch_id}",
        "/api/v1/agreements/{slug}/verdicts/{verdict_id}",
        "/api/v1/agreements/{slug}/budgets",
        "/api/v1/agreements/{slug}/credits",
        "/api/v1/audit",
    ):
        assert path in paths


def test_a_request_without_credentials_is_a_401_problem(api: Api) -> None:
    response = api.get("/api/v1/agreements", None)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_wrong_token_is_a_401_problem(api: Api) -> None:
    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer acc_wrong"})
    assert response.status_code == 401


def test_an_unknown_route_is_a_404_problem(api: Api) -> None:
    response = api.get("/api/v1/nothing-here", "viewer@acme.example")
    assert (response.status_code, response.headers["content-type"]) == (404, PROBLEM)


def test_an_invalid_agreement_is_refused_with_every_problem_placed(api: Api) -> None:
    text = agreement_text("bravo").replace('"Europe/Berlin"', '"Mars/Olympus"')
    response = api.post("/api/v1/agreements", "manager@acme.example", json={"text": text})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    body = response.json()
    assert body["detail"].startswith("agreement.yaml: the agreement is not valid")
    [zone] = [p for p in body["problems"] if p["path"] == "timezone"]
    assert (zone["line"], zone["column"]) == (9, 15)
    assert "Mars/Olympus" in zone["message"]


def test_a_malformed_request_body_is_a_422_problem_naming_the_field(api: Api) -> None:
    response = api.post("/api/v1/agreements", "manager@acme.example", json={"txt": "x"})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert "body.text" in response.json()["detail"]


def test_versions_are_uploaded_listed_diffed_and_rendered(api: Api) -> None:
    manager = "manager@acme.example"
    text = agreement_text("bravo", target="99.5%", version="2")
    created = api.post(f"{BRAVO}/versions", manager, json={"text": text})
    assert (created.status_code, created.json()["number"]) == (201, 2)
    again = api.post(f"{BRAVO}/versions", manager, json={"text": text})
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert [v["number"] for v in api.get(f"{BRAVO}/versions", manager).json()] == [1, 2]
    assert api.get(f"{BRAVO}/versions/1", manager).json()["text"] == agreement_text("bravo")
    diff = api.get(f"{BRAVO}/diff", manager, params={"from": 1, "to": 2}).json()
    assert diff["summary"]["total"] >= 1
    document = api.get(f"{BRAVO}/document", manager, params={"format": "markdown"})
    assert document.headers["content-type"].startswith("text/markdown")
    assert "acme-bravo-v2.md" in document.headers["content-disposition"]


def test_a_version_for_another_agreement_is_refused(api: Api) -> None:
    response = api.post(
        f"{BRAVO}/versions", "manager@acme.example", json={"text": agreement_text("charlie")}
    )
    assert response.status_code == 422


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


def test_pushed_data_is_evaluated_and_its_verdicts_read(api: Api) -> None:
    partner = "partner@bravo.example"
    api.put(f"{BATCHES}/october", partner, json={"events": events(1000, failing_every=50)})
    run = api.post(f"{BRAVO}/evaluations", "manager@acme.example", json={"period": "2026-10"})
    assert (run.status_code, run.json()["verdicts_recorded"]) == (201, 1)
    page = api.get(f"{BRAVO}/verdicts", partner, params={"objective": "availability"}).json()
    [verdict] = page["items"]
    assert (verdict["outcome"], verdict["window"], verdict["value"]) == (
        "deviation",
        "2026-10",
        "0.98",
    )
    detail = api.get(f"{BRAVO}/verdicts/{verdict['id']}", partner).json()
    assert "Outcome: DEVIATION" in detail["explanation"]
    assert len(detail["history"]) == 1
    [budget] = api.get(f"{BRAVO}/budgets", partner).json()
    assert budget["budget"]["spent_events"] == 20
    ledger = api.get(f"{BRAVO}/credits", partner).json()
    assert ledger["balances"] == [
        {
            "scheme": "availability-credits",
            "window": "2026-10",
            "amount": "100.00",
            "currency": "EUR",
        }
    ]
    assert len(api.get(f"{BRAVO}/evaluations", partner).json()) == 1


def test_a_partner_previews_with_an_old_version_but_changes_nothing(api: Api) -> None:
    """Issue 10 §1: a partner asking for a superseded version must not lower what it owes."""
    partner, manager = "partner@bravo.example", "manager@acme.example"
    api.put(f"{BATCHES}/october", partner, json={"events": events(1000, failing_every=50)})
    assert api.post(f"{BRAVO}/evaluations", manager, json={"period": "2026-10"}).status_code == 201
    before = api.get(f"{BRAVO}/credits", partner).json()
    old = {"period": "2026-10", "version": 1, "reason": "use the old version"}
    refused = api.post(f"{BRAVO}/evaluations", partner, json=old)
    assert refused.status_code == 403
    assert "preview" in refused.json()["detail"]
    preview = api.post(f"{BRAVO}/previews", partner, json=old)
    assert preview.status_code == 200
    assert preview.json()["preview"]["recorded"] is False
    assert api.get(f"{BRAVO}/credits", partner).json() == before
    assert len(api.get(f"{BRAVO}/evaluations", partner).json()) == 1
    with_version = api.post(f"{BRAVO}/evaluations", manager, json=old)
    assert with_version.status_code == 422


def test_credits_are_claimed_answered_and_exported_through_the_api(api: Api) -> None:
    partner, manager = "partner@bravo.example", "manager@acme.example"
    api.put(f"{BATCHES}/october", partner, json={"events": events(1000, failing_every=50)})
    api.world.clock.at = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)  # October closed
    assert api.post(f"{BRAVO}/evaluations", manager, json={"period": "2026-10"}).status_code == 201
    [period] = api.get(f"{BRAVO}/periods", partner).json()
    assert (period["window"], period["state"]) == ("2026-10", "closed")
    credit = {"scheme": "availability-credits", "window": "2026-10"}
    assert api.post(f"{BRAVO}/ledger/claim", partner, json=credit).status_code == 403
    claimed = api.post(f"{BRAVO}/ledger/claim", manager, json=credit)
    assert (claimed.status_code, claimed.json()["state"]) == (200, "claimed")
    accepted = api.post(f"{BRAVO}/ledger/accept", partner, json=credit)
    assert accepted.json()["state"] == "accepted"
    exported = api.get("/api/v1/ledger", "viewer@acme.example", params={"format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "acme-bravo,bravo,availability-credits,2026-10,100.00,EUR,accepted" in exported.text
    totals = api.get("/api/v1/ledger", "viewer@acme.example").json()["totals"]
    assert totals == [{"currency": "EUR", "state": "accepted", "amount": "100.00", "credits": 1}]


def test_a_ledger_adjustment_is_approved_by_a_second_user(api: Api) -> None:
    manager, admin = "manager@acme.example", "admin@acme.example"
    body = {
        "scheme": "availability-credits",
        "window": "2026-10",
        "amount": "25.50",
        "currency": "EUR",
        "reason": "goodwill",
        "link": "dispute 12",
    }
    asked = api.post(f"{BRAVO}/adjustments", manager, json=body)
    assert (asked.status_code, asked.json()["state"]) == (201, "requested")
    number = asked.json()["id"]
    own = api.post(f"{BRAVO}/adjustments/{number}/approve", manager, json={})
    assert own.status_code == 403
    assert "four-eyes" in own.json()["detail"]
    approved = api.post(f"{BRAVO}/adjustments/{number}/approve", admin, json={"note": "ok"})
    assert (approved.status_code, approved.json()["state"]) == (200, "applied")
    [line] = api.get("/api/v1/ledger", "viewer@acme.example").json()["lines"]
    assert (line["owed"], line["adjusted"]) == ("25.50", "25.50")
    wrong = api.post(f"{BRAVO}/adjustments", manager, json={**body, "currency": "USD"})
    assert wrong.status_code == 422
    assert api.get(f"{BRAVO}/adjustments", "partner@bravo.example").json()[0]["link"] == (
        "dispute 12"
    )


def test_chronic_and_consistency_findings_are_served(api: Api) -> None:
    regional_world(api.world)
    regional = "/api/v1/agreements/acme-regional"
    manager = "manager@acme.example"
    assert (
        api.post(f"{regional}/evaluations", manager, json={"period": "2026-10"}).status_code == 201
    )
    found = api.get(f"{regional}/findings", "partner@bravo.example").json()
    assert [(f["kind"], f["subject"], f["window"], f["outcome"]) for f in found] == [
        ("chronic", "chronic-availability", "2026-10", "triggered"),
        ("consistency", "availability", "2026-10", "breach"),
    ]
    chronic = api.get(f"{regional}/findings", manager, params={"kind": "chronic"}).json()
    assert [f["finding"]["consequence"] for f in chronic] == ["Acme may terminate."]
    assert api.get(f"{regional}/findings", manager, params={"kind": "x"}).status_code == 422
    assert api.get(f"{regional}/findings", "partner@charlie.example").status_code == 404


def test_the_version_in_force_is_a_query(api: Api) -> None:
    found = api.get(f"{BRAVO}/in-force", "viewer@acme.example", params={"at": "2026-10-01T00:00Z"})
    assert (found.status_code, found.json()["number"]) == (200, 1)
    naive = api.get(f"{BRAVO}/in-force", "viewer@acme.example", params={"at": "2026-10-01T00:00"})
    assert naive.status_code == 422


def test_verdict_filters_are_checked(api: Api) -> None:
    for params in ({"outcome": "great"}, {"limit": 0}, {"limit": 501}, {"offset": -1}, {"x": 1}):
        response = api.get(f"{BRAVO}/verdicts", "viewer@acme.example", params=params)
        assert response.status_code == 422, params
    response = api.get(f"{BRAVO}/verdicts", "viewer@acme.example", params={"scope": "eu"})
    assert response.status_code == 422
    assert "name=value" in response.json()["detail"]


def test_an_unknown_period_is_a_422_problem(api: Api) -> None:
    response = api.post(f"{BRAVO}/evaluations", "manager@acme.example", json={"period": "soon"})
    assert response.status_code == 422


def test_a_token_is_created_shown_once_and_revoked(api: Api) -> None:
    made = api.post("/api/v1/tokens", "viewer@acme.example", json={"name": "laptop"})
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["token"]["id"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/v1/me", headers=headers).json()["email"] == "viewer@acme.example"
    listed = api.get("/api/v1/tokens", "viewer@acme.example").text
    assert secret not in listed
    assert api.delete(f"/api/v1/tokens/{token_id}", "viewer@acme.example").status_code == 200
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_password_login_sets_a_session_cookie(api: Api) -> None:
    response = api.client.post(
        "/api/v1/sessions", json={"email": "auditor@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert "httponly" in response.headers["set-cookie"].lower()
    assert api.client.get("/api/v1/me").json()["email"] == "auditor@acme.example"
    assert api.client.get("/api/v1/audit/verification").json()["findings"] == []
    assert api.client.delete("/api/v1/sessions/current").status_code == 204
    assert api.client.get("/api/v1/me").status_code == 401


def test_a_wrong_password_is_a_401_problem(api: Api) -> None:
    response = api.client.post(
        "/api/v1/sessions", json={"email": "auditor@acme.example", "password": "nope nope nope"}
    )
    assert (response.status_code, response.headers["content-type"]) == (401, PROBLEM)


def test_the_company_admin_creates_a_partner_and_its_user(api: Api) -> None:
    admin = "admin@acme.example"
    created = api.post("/api/v1/organisations", admin, json={"slug": "delta", "name": "Delta"})
    assert created.status_code == 201
    user = api.post(
        "/api/v1/users",
        admin,
        json={
            "organisation": "delta",
            "email": "ops@delta.example",
            "name": "Ops",
            "roles": ["partner"],
        },
    )
    assert (user.status_code, user.json()["roles"]) == (201, ["partner"])
    granted = api.post("/api/v1/users/ops@delta.example/roles", admin, json={"role": "viewer"})
    assert granted.json()["roles"] == ["partner", "viewer"]
    duplicate = api.post("/api/v1/organisations", admin, json={"slug": "delta", "name": "D"})
    assert (duplicate.status_code, duplicate.headers["content-type"]) == (409, PROBLEM)


def test_the_audit_trail_is_read_after_a_sequence_number(api: Api) -> None:
    entries = api.get("/api/v1/audit", "auditor@acme.example", params={"after": 2, "limit": 3})
    assert [e["seq"] for e in entries.json()] == [3, 4, 5]
    assert all(len(e["hash"]) == 64 for e in entries.json())


def test_numbers_beyond_what_the_database_stores_are_a_422_problem(api: Api) -> None:
    for path in (
        "/api/v1/audit?after=171383650895490088960",
        f"{BRAVO}/versions/99999999999",
        f"{BRAVO}/verdicts/99999999999",
        f"{BRAVO}/diff?from=1&to=99999999999",
    ):
        response = api.get(path, "admin@acme.example")
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), path


def test_names_longer_than_the_database_stores_are_a_422_problem(api: Api) -> None:
    response = api.post(
        "/api/v1/organisations", "admin@acme.example", json={"slug": "long", "name": "x" * 201}
    )
    assert response.status_code == 422
    assert "more than 200 characters" in response.json()["detail"]
    response = api.post(
        "/api/v1/users",
        "admin@acme.example",
        json={"organisation": "acme", "email": "a" * 400 + "@acme.example", "name": "A"},
    )
    assert response.status_code == 422


def test_periods_and_instants_outside_the_supported_years_are_422_problems(api: Api) -> None:
    manager = "manager@acme.example"
    for body in (
        {"period": "9999-12-31"},
        {"period": "0001-01"},
        {"period": "2026-10", "as_of": "9999-12-31T00:00:00Z"},
    ):
        response = api.post(f"{BRAVO}/evaluations", manager, json=body)
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), body
        assert "outside the supported years 1970–2999" in response.json()["detail"]


def test_an_agreement_with_a_python_tag_is_a_located_422(api: Api) -> None:
    text = "apiVersion: accord/v1\nkind: !!python/object/apply:os.system ['true']\n"
    response = api.post("/api/v1/agreements", "manager@acme.example", json={"text": text})
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert (problem["line"], problem["column"]) == (2, 7)


def test_repeated_wrong_passwords_are_a_429_with_retry_after(api: Api) -> None:
    wrong = {"email": "viewer@acme.example", "password": "not the password"}
    statuses = [api.post("/api/v1/sessions", None, json=wrong).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    right = {"email": "viewer@acme.example", "password": PASSWORD}
    refused = api.post("/api/v1/sessions", None, json=right)
    assert (refused.status_code, refused.headers["content-type"]) == (429, PROBLEM)
    assert refused.headers["retry-after"] == str(refused.json()["retry_after"]) == "1"


def test_guessed_tokens_are_throttled_with_a_429(api: Api) -> None:
    guesses = [
        api.client.get("/api/v1/me", headers={"Authorization": f"Bearer acc_{n}"}).status_code
        for n in range(21)
    ]
    assert guesses == [401] * 20 + [429]


def test_after_its_tokens_are_revoked_a_partner_s_session_cannot_push(api: Api) -> None:
    partner = "partner@bravo.example"
    signed_in = api.post("/api/v1/sessions", None, json={"email": partner, "password": PASSWORD})
    assert signed_in.status_code == 201
    for token in api.get("/api/v1/tokens", partner).json():
        assert api.delete(f"/api/v1/tokens/{token['id']}", partner).status_code == 200
    pushed = api.client.put(f"{BATCHES}/after-revoke", json={"events": events(3)})
    assert pushed.status_code == 401


def test_an_admin_disables_and_enables_a_user_over_the_api(api: Api) -> None:
    admin, partner = "admin@bravo.example", "partner@bravo.example"
    disabled = api.post(f"/api/v1/users/{partner}/disable", admin)
    assert (disabled.status_code, disabled.json()["disabled"]) == (200, True)
    assert api.get("/api/v1/me", partner).status_code == 401
    assert api.post(f"/api/v1/users/{partner}/enable", admin).json()["disabled"] is False
    assert api.get("/api/v1/me", partner).status_code == 200
    other_tenant = api.post("/api/v1/users/partner@charlie.example/disable", admin)
    assert other_tenant.status_code == 404


def test_the_company_admin_cannot_mint_a_token_for_a_partner_s_user(api: Api) -> None:
    response = api.post(
        "/api/v1/tokens", "admin@acme.example", json={"name": "x", "user": "partner@bravo.example"}
    )
    assert (response.status_code, response.headers["content-type"]) == (403, PROBLEM)


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


def test_each_user_sets_only_its_own_notification_preferences(api: Api) -> None:
    path = "/api/v1/me/notification-preferences"
    assert api.get(path, "partner@bravo.example").json() == {"email": True, "muted": []}
    mine = api.put(path, "partner@bravo.example", json={"muted": ["reminder", "review"]})
    assert mine.status_code == 200, mine.text
    assert api.get(path, "partner@bravo.example").json()["muted"] == ["reminder", "review"]
    assert api.get(path, "partner@charlie.example").json()["muted"] == []
    refused = api.put(path, "partner@bravo.example", json={"muted": ["escalation"]})
    assert refused.status_code == 422
