"""Period reports as use cases: which windows a month or a quarter covers and the period
before it, the content read from the stored verdicts and credits (per partner or for the
portfolio, the previous period beside it), and the reports kept with their manifest: a
partner reads, keeps and fetches only its own organisation's."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal

import pytest

from accord.core.period_report import PeriodReport
from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.permissions import Principal
from accord.services.reports import ReportQuery, StoredReport, period_labels
from tests.services.months import NOW, two_months
from tests.services.world import CONSOLE, World

BRAVO = "partner@bravo.example"


@pytest.fixture
def months(world: World) -> World:
    return two_months(world)


def _content(
    world: World, period: str, partner: str | None, who: Principal = CONSOLE
) -> PeriodReport:
    return world.services.reports.content(who, ReportQuery(period=period, partner=partner))


def _files(report: PeriodReport) -> dict[str, bytes]:
    """What the interfaces hand over, without the renderers: the JSON export and a page."""
    lines = [(a.id, v.window, v.outcome, v.value) for a in report.agreements for v in a.verdicts]
    exported = {"scope": report.scope, "period": report.period, "verdicts": lines}
    return {
        "report.json": json.dumps(exported, sort_keys=True).encode(),
        "report.html": f"<h1>{report.subject}</h1>".encode(),
    }


def _keep(world: World, period: str, partner: str | None) -> StoredReport:
    content = _content(world, period, partner)
    return world.services.reports.store(CONSOLE, content, _files(content))


@pytest.mark.parametrize(
    ("period", "labels", "before"),
    [
        ("2026-10", {"2026-10"}, "2026-09"),
        ("2026-01", {"2026-01"}, "2025-12"),
        ("2026-Q4", {"2026-Q4", "2026-10", "2026-11", "2026-12"}, "2026-Q3"),
        ("2026-Q1", {"2026-Q1", "2026-01", "2026-02", "2026-03"}, "2025-Q4"),
        ("2026-q4", {"2026-Q4", "2026-10", "2026-11", "2026-12"}, "2026-Q3"),
        (" 2026-q1 ", {"2026-Q1", "2026-01", "2026-02", "2026-03"}, "2025-Q4"),
    ],
)
def test_a_period_covers_its_windows_and_follows_the_one_before(
    period: str, labels: set[str], before: str
) -> None:
    assert period_labels(period) == (labels, before)


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ("2026-13", "period '2026-13': there is no month 13"),
        ("2026-00", "there is no month 0"),
        ("2026-Q5", "reports are monthly (2026-10) or quarterly (2026-Q4)"),
        ("October", "period 'October': reports are monthly"),
    ],
)
def test_a_period_that_is_neither_a_month_nor_a_quarter_is_refused(period: str, words: str) -> None:
    with pytest.raises(Invalid) as refused:
        period_labels(period)
    assert words in str(refused.value)


def test_a_partner_s_month_reads_its_verdicts_credits_and_the_month_before(months: World) -> None:
    report = _content(months, "2026-10", "bravo")

    assert (report.scope, report.subject, report.previous_period) == ("bravo", "Bravo", "2026-09")
    [bravo] = report.agreements
    assert [(v.objective, v.window, v.outcome, v.value, v.target) for v in bravo.verdicts] == [
        ("availability", "2026-10", "breach", "80%", "99%")
    ]
    assert (bravo.outcomes, bravo.previous_outcomes) == ({"breach": 1}, {"met": 1})
    assert bravo.credits == {"EUR": Decimal("100.00")}


def test_the_portfolio_s_quarter_holds_every_agreement_s_months(months: World) -> None:
    report = _content(months, "2026-Q4", None, months.principal("viewer@acme.example"))

    assert (report.scope, report.subject) == ("portfolio", "Acme Retail")
    assert {a.id: a.outcomes for a in report.agreements} == {
        "acme-bravo": {"breach": 1},
        "acme-charlie": {"deviation": 1},
    }
    assert report.totals(previous=True)["met"] == 1


def test_a_lowercase_quarter_is_the_same_report_labelled_as_windows_are(months: World) -> None:
    viewer = months.principal("viewer@acme.example")

    lower, upper = (_content(months, p, None, viewer) for p in ("2026-q4", "2026-Q4"))

    assert (lower.period, lower.previous_period) == ("2026-Q4", "2026-Q3")
    assert lower == upper


def test_a_partner_s_report_is_its_own_whatever_it_asks_and_never_another_s(
    months: World,
) -> None:
    bravo = months.principal(BRAVO)

    assert _content(months, "2026-10", None, bravo).scope == "bravo"
    assert [a.id for a in _content(months, "2026-10", "bravo", bravo).agreements] == ["acme-bravo"]
    with pytest.raises(NotFound, match="no organisation 'charlie'"):
        _content(months, "2026-10", "charlie", bravo)
    with pytest.raises(NotFound):
        _content(months, "2026-10", "portfolio", bravo)


def test_the_company_is_not_a_partner_its_report_is_the_portfolio_s(months: World) -> None:
    """Asked for the company as if it were a partner, a report would hold every agreement
    under a partner's scope: a second portfolio report filed under the wrong name."""
    with pytest.raises(Invalid, match="'acme' is the company, not a partner"):
        _content(months, "2026-10", "acme")


def test_an_agreement_s_partners_are_its_parties_but_the_company_whoever_asks(
    world: World,
) -> None:
    """The same report, made by the console, the company or the partner itself, names the
    partner and never the company: its files, and so its hash, do not depend on who made it."""
    askers = (CONSOLE, world.principal("manager@acme.example"), world.principal(BRAVO))
    for asker in askers:
        content = _content(world, "2026-10", "bravo", asker)
        assert [a.partners for a in content.agreements] == [["Bravo"]]


def test_a_kept_report_has_a_manifest_of_its_files_and_the_same_verdicts_give_the_same_hash(
    months: World,
) -> None:
    first = _keep(months, "2026-10", "bravo")
    again = _keep(months, "2026-10", "bravo")

    folder = months.services.context.data_dir / "reports" / "bravo" / "2026-10"
    manifest = json.loads((folder / "manifest.json").read_text())
    json_digest = hashlib.sha256((folder / "report.json").read_bytes()).hexdigest()
    assert first.report_hash == again.report_hash == manifest["report_hash"] == json_digest
    assert set(manifest["files"]) == {"report.json", "report.html"}
    assert (manifest["generated_at"], manifest["generated_by"]) == (NOW.isoformat(), "console")


def test_a_report_is_kept_only_with_its_json_and_the_portfolio_only_by_the_company(
    months: World,
) -> None:
    reports = months.services.reports
    content = _content(months, "2026-10", "bravo")
    with pytest.raises(Invalid, match=r"needs its JSON export, report\.json"):
        reports.store(CONSOLE, content, {"report.html": b"<h1>x</h1>"})
    portfolio = _content(months, "2026-10", None)
    with pytest.raises(Forbidden, match="only the company keeps portfolio reports"):
        reports.store(months.principal(BRAVO), portfolio, _files(portfolio))
    assert not (months.services.context.data_dir / "reports" / "portfolio").exists()


def test_a_partner_keeps_only_its_own_organisation_s_report(months: World) -> None:
    reports, bravo = months.services.reports, months.principal(BRAVO)
    _keep(months, "2026-10", "charlie")
    charlie = _content(months, "2026-10", "charlie")
    forged = dataclasses.replace(charlie, agreements=[])

    with pytest.raises(NotFound, match="no organisation 'charlie'"):
        reports.store(bravo, forged, _files(forged))
    kept = reports.file(CONSOLE, "charlie", "2026-10", "report.json")
    assert kept == _files(charlie)["report.json"]
    own = reports.store(bravo, _content(months, "2026-10", "bravo"), {"report.json": b"{}"})
    assert (own.scope, own.generated_by) == ("bravo", BRAVO)


def test_a_partner_lists_and_fetches_only_its_own_kept_reports(months: World) -> None:
    for partner in ("bravo", "charlie", None):
        _keep(months, "2026-10", partner)
    _keep(months, "2026-09", "bravo")
    reports, bravo = months.services.reports, months.principal(BRAVO)

    assert [(r.scope, r.period) for r in reports.stored(bravo)] == [
        ("bravo", "2026-10"),
        ("bravo", "2026-09"),
    ]
    assert {r.scope for r in reports.stored(CONSOLE)} == {"bravo", "charlie", "portfolio"}
    assert reports.file(bravo, "bravo", "2026-10", "report.html") == b"<h1>Bravo</h1>"
    for scope, name in (("charlie", "report.html"), ("portfolio", "report.json")):
        with pytest.raises(NotFound, match=f"no report file {scope}/2026-10/{name}"):
            reports.file(bravo, scope, "2026-10", name)


@pytest.mark.parametrize("name", ["manifest.json", "../charlie/2026-10/report.html", "x.pdf"])
def test_only_the_files_in_the_manifest_are_fetched(months: World, name: str) -> None:
    _keep(months, "2026-10", "bravo")
    _keep(months, "2026-10", "charlie")

    with pytest.raises(NotFound):
        months.services.reports.file(months.principal(BRAVO), "bravo", "2026-10", name)
