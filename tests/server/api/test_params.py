"""Ids and version numbers in paths are bounded to what the database stores (1 to 2³¹−1):
outside that range the request is a 422 problem before any query; inside it, an id that
does not exist is a 404."""

from __future__ import annotations

from accord.server.api.params import MAX_ID
from tests.server.conftest import Api

BRAVO = "/api/v1/agreements/acme-bravo"
PROBLEM = "application/problem+json"


def test_ids_outside_the_stored_range_are_422_and_inside_404(api: Api) -> None:
    viewer = "viewer@acme.example"
    for path in ("versions", "verdicts", "amendments", "disputes"):
        for number in (0, -1, MAX_ID + 1):
            response = api.get(f"{BRAVO}/{path}/{number}", viewer)
            assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), (
                path,
                number,
            )
        largest = api.get(f"{BRAVO}/{path}/{MAX_ID}", viewer)
        assert (largest.status_code, largest.headers["content-type"]) == (404, PROBLEM), path
