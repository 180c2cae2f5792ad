"""Governance reviews over the API: the quarter's pack as HTML (or PDF), both parties rate a
commitment, a decision with a due date becomes an obligation, minutes say the review was
held; a rating outside 1–5 is a 422, another partner gets a 404."""

from __future__ import annotations

from tests.server.conftest import Api
from tests.services.test_reviews import governed

BRAVO = "/api/v1/agreements/acme-bravo"
PARTNER, MANAGER = "partner@bravo.example", "manager@acme.example"
Q4 = f"{BRAVO}/reviews/2026-Q4"


def test_the_parties_rate_decide_and_record_the_review(api: Api) -> None:
    governed(api.world)
    rating = {"commitment": "early-warning", "rating": 4}
    assert api.post(f"{Q4}/ratings", PARTNER, json=rating).status_code == 201
    assert api.post(f"{Q4}/ratings", MANAGER, json={**rating, "rating": 2}).status_code == 201
    decision = {
        "text": "Share a capacity forecast monthly",
        "owner": "bravo",
        "due_on": "2027-01-31",
    }
    assert api.post(f"{Q4}/decisions", MANAGER, json=decision).status_code == 201
    minutes = api.post(f"{Q4}/minutes", MANAGER, json={"text": "Capacity discussed."})
    assert minutes.status_code == 201, minutes.text
    record = api.get(Q4, PARTNER).json()
    assert [(r["party"], r["rating"]) for r in record["ratings"]] == [("bravo", 4), ("acme", 2)]
    assert [d["text"] for d in record["decisions"]] == ["Share a capacity forecast monthly"]
    duties = api.get(f"{BRAVO}/obligations", PARTNER).json()
    assert any(d["kind"] == "review_action" and d["party"] == "bravo" for d in duties)
    pack = api.get(f"{Q4}/pack", PARTNER)
    assert pack.headers["content-type"] == "text/html; charset=utf-8"
    assert 'filename="acme-bravo-review-2026-Q4.html"' in pack.headers["content-disposition"]
    assert "Share a capacity forecast monthly" in pack.text
    schedule = api.get(f"{BRAVO}/reviews", PARTNER)
    assert schedule.status_code == 200


def test_a_rating_outside_one_to_five_and_another_partner_are_refused(api: Api) -> None:
    governed(api.world)
    bad = api.post(f"{Q4}/ratings", PARTNER, json={"commitment": "early-warning", "rating": 6})
    assert bad.status_code == 422
    assert "rating" in bad.json()["detail"]
    assert api.get(f"{Q4}/pack", "partner@charlie.example").status_code == 404
    assert api.get(f"{BRAVO}/reviews/2026-W44/pack", MANAGER).status_code == 422
