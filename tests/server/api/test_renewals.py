"""Renewal decisions over the API: a party with the governance permission records one, and
the term shows it with the last day; a reader may not decide; another partner sees nothing."""

from __future__ import annotations

from tests.server.conftest import Api

BRAVO = "/api/v1/agreements/acme-bravo"


def test_a_partner_gives_notice_and_the_term_shows_the_decision(api: Api) -> None:
    decided = api.post(
        f"{BRAVO}/renewal-decisions",
        "partner@bravo.example",
        json={"decision": "terminate", "note": "costs"},
    )
    assert decided.status_code == 201, decided.text
    body = decided.json()
    assert (body["decision"], body["party"], body["term_end"]) == (
        "terminate",
        "bravo",
        "2027-12-31",
    )
    term = api.get(f"{BRAVO}/term", "auditor@acme.example").json()
    assert (term["last_day"], term["ended"]) == ("2027-12-31", False)
    assert [(d["decision"], d["decided_by"]) for d in term["decisions"]] == [
        ("terminate", "partner@bravo.example")
    ]


def test_readers_may_not_decide_and_other_partners_see_nothing(api: Api) -> None:
    body = {"decision": "renew"}
    assert (
        api.post(f"{BRAVO}/renewal-decisions", "viewer@acme.example", json=body).status_code == 403
    )
    assert (
        api.post(f"{BRAVO}/renewal-decisions", "partner@charlie.example", json=body).status_code
        == 404
    )
    assert api.get(f"{BRAVO}/term", "partner@charlie.example").status_code == 404
    wrong = api.post(f"{BRAVO}/renewal-decisions", "manager@acme.example", json={"decision": "x"})
    assert wrong.status_code == 422
