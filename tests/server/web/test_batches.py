"""The partner portal: a partner's users see their own organisation's agreements only, and
send measurements from the page with the same checks and quarantine report as the API."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from playwright.sync_api import Page, expect

from tests.server.web.conftest import screenshot, sign_in

_CSV = (
    "ts,request_id,http_status\n"
    "2026-11-01T10:00:00Z,n1,200\n"
    "2026-11-01T10:05:00Z,n2,503\n"
    "not a time,n3,200\n"
    "2026-11-01T10:15:00Z,n4,two hundred\n"
)


def test_a_partner_uploads_a_csv_batch_and_reads_its_quarantine_report(
    page: Page, tmp_path: Path
) -> None:
    upload = tmp_path / "november-first.csv"
    upload.write_text(_CSV)
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo")
    expect(page.get_by_label("Source")).to_have_value("requests")
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Send the batch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batch november-first for requests")
    expect(page.get_by_role("status")).to_contain_text("2 of 4 events accepted")
    report = page.locator("#quarantine tbody tr")
    expect(report).to_have_count(2)
    expect(page.locator("#quarantine")).to_contain_text("not a time")
    expect(page.locator("#quarantine")).to_contain_text("two hundred")
    screenshot(page, "partner-upload")
    page.go_back()
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Send the batch").click()
    expect(page.get_by_role("status")).to_contain_text("received before")


def test_a_partner_uploads_a_parquet_batch(page: Page, tmp_path: Path) -> None:
    upload = tmp_path / "late.parquet"
    table = pa.table(
        {
            "ts": ["2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z"],
            "request_id": ["p1", "p2"],
            "http_status": [200, 200],
        }
    )
    pq.write_table(table, upload)
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo")
    page.get_by_label("Batch id (optional)").fill("parquet-1")
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Send the batch").click()
    expect(page.get_by_role("status")).to_contain_text("2 of 2 events accepted")


def test_a_file_of_another_kind_is_refused_with_a_reason(page: Page, tmp_path: Path) -> None:
    upload = tmp_path / "notes.txt"
    upload.write_text("hello")
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo")
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Send the batch").click()
    expect(page.locator("main")).to_contain_text("'notes.txt' is not a CSV, Parquet")


def test_a_reader_has_no_upload_form(page: Page) -> None:
    sign_in(page, "viewer@acme.example")
    page.goto("/agreements/acme-bravo")
    expect(page.get_by_role("heading", name="Acme and bravo")).to_be_visible()
    expect(page.get_by_role("button", name="Send the batch")).to_have_count(0)
