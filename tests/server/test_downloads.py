"""Files handed out for download: saved by the browser under a name that says what they are;
a verdict's items as CSV named after the agreement, the verdict and the list."""

from __future__ import annotations

import csv
import io

from accord.server.downloads import attachment
from tests.server.conftest import Api
from tests.services.world import events

BRAVO = "/api/v1/agreements/acme-bravo"


def test_an_attachment_is_saved_under_its_name() -> None:
    response = attachment(b"a,b\n1,2\n", "text/csv", "numbers.csv")
    assert response.body == b"a,b\n1,2\n"
    assert response.headers["content-disposition"] == 'attachment; filename="numbers.csv"'
    assert response.media_type == "text/csv"


def test_a_verdict_s_items_download_is_named_after_the_verdict_and_its_list(api: Api) -> None:
    partner = "partner@bravo.example"
    batch = {"events": events(1000, failing_every=50)}
    assert api.put(f"{BRAVO}/sources/requests/batches/october", partner, json=batch).is_success
    run = api.post(f"{BRAVO}/evaluations", "manager@acme.example", json={"period": "2026-10"})
    assert run.status_code == 201
    [verdict] = api.get(f"{BRAVO}/verdicts", partner).json()["items"]
    response = api.get(f"{BRAVO}/verdicts/{verdict['id']}/items", partner, params={"format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    name = f"acme-bravo-verdict-{verdict['id']}-worst_hours.csv"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows
    assert "hour" in rows[0]
