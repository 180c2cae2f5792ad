"""axe-core on every page of the web app (and the documents it serves): no serious or
critical violation. axe-core comes from the npm registry (``tests/server/web/axe``, installed
by ``.ci/run`` with ``npm ci``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from accord.reports.period import render_files
from accord.services.reports import ReportQuery
from accord.services.verdicts import VerdictQuery
from tests.server.web.conftest import screenshot, sign_in
from tests.services.world import CONSOLE, World

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
_SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = f"no {AXE}: run npm ci --prefix {AXE.parents[2]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def audited(browser: Browser, live_url: str) -> Iterator[Page]:
    """A page whose content security policy lets the test inject axe (the app's own pages
    run no inline script; axe is the test's, not the app's)."""
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    opened = context.new_page()
    yield opened
    context.close()


def _violations(page: Page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in found
        if v["impact"] in _SERIOUS
    ]


def _verdict_path(world: World) -> str:
    page = world.services.verdicts.verdicts(
        CONSOLE,
        "acme-bravo",
        VerdictQuery(outcome="breach"),
    )
    return f"/agreements/acme-bravo/verdicts/{page.items[0].id}"


def test_no_page_has_a_serious_accessibility_violation(
    evaluated_world: World, audited: Page, axe_source: str
) -> None:
    for partner in ("bravo", None):
        content = evaluated_world.services.reports.content(
            CONSOLE, ReportQuery(period="2026-10", partner=partner)
        )
        evaluated_world.services.reports.store(CONSOLE, content, render_files(content))
    pages = {
        "sign-in": "/sign-in",
        "portfolio": "/",
        "agreement": "/agreements/acme-bravo",
        "verdict": _verdict_path(evaluated_world),
        "reports": "/reports",
        "not-found": "/agreements/nowhere",
        "document": "/agreements/acme-bravo/document.html",
        "report": "/reports/bravo/2026-10/report.html",
    }
    found = {}
    audited.goto("/sign-in")
    found["sign-in"] = _violations(audited, axe_source)
    sign_in(audited, "manager@acme.example")
    for name, path in pages.items():
        if name == "sign-in":
            continue
        audited.goto(path)
        found[name] = _violations(audited, axe_source)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_partner_pages_have_no_serious_accessibility_violation(
    audited: Page, axe_source: str, tmp_path: Path
) -> None:
    sign_in(audited, "partner@bravo.example")
    audited.goto("/agreements/acme-bravo")
    upload = tmp_path / "batch.csv"
    upload.write_text("ts,request_id,http_status\nnot a time,x1,200\n")
    assert _violations(audited, axe_source) == []
    audited.get_by_label("File").set_input_files(upload)
    audited.get_by_role("button", name="Send the batch").click()
    assert _violations(audited, axe_source) == []
    screenshot(audited, "partner-upload-refused-rows")


def test_the_check_finds_a_serious_violation(audited: Page, axe_source: str) -> None:
    """The check can fail: a form field without a label is a critical violation."""
    audited.set_content('<html lang="en"><title>t</title><main><input type="text"></main>')
    assert any(v.startswith("label (critical)") for v in _violations(audited, axe_source))
