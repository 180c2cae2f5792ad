"""The agreements API: agreements and versions uploaded, listed, diffed and rendered; an
invalid agreement is refused with every problem placed; the version in force is a query."""

from __future__ import annotations

from tests.server.conftest import Api
from tests.services.world import agreement_text

BRAVO = "/api/v1/agreements/acme-bravo"
PROBLEM = "application/problem+json"


def test_an_invalid_agreement_is_refused_with_every_problem_placed(api: Api) -> None:
    text = agreement_text("bravo").replace('"Europe/Berlin"', '"Mars/Olympus"')
    response = api.post("/api/v1/agreements", "manager@acme.example", json={"text": text})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    body = response.json()
    assert body["detail"].startswith("agreement.yaml: the agreement is not valid")
    [zone] = [p for p in body["problems"] if p["path"] == "timezone"]
    assert (zone["line"], zone["column"]) == (9, 15)
    assert "Mars/Olympus" in zone["message"]


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


def test_the_version_in_force_is_a_query(api: Api) -> None:
    found = api.get(f"{BRAVO}/in-force", "viewer@acme.example", params={"at": "2026-10-01T00:00Z"})
    assert (found.status_code, found.json()["number"]) == (200, 1)
    naive = api.get(f"{BRAVO}/in-force", "viewer@acme.example", params={"at": "2026-10-01T00:00"})
    assert naive.status_code == 422


def test_an_agreement_with_a_python_tag_is_a_located_422(api: Api) -> None:
    text = "apiVersion: accord/v1\nkind: !!python/object/apply:os.system ['true']\n"
    response = api.post("/api/v1/agreements", "manager@acme.example", json={"text": text})
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert (problem["line"], problem["column"]) == (2, 7)
