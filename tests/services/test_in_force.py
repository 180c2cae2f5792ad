"""Versions in force: version 2 of bravo's agreement takes effect on 1 November. October stays
judged by version 1 after the upload, November by version 2; a window that straddles the
change follows the stated rule; backdating is an explicit, recorded correction."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from accord.core.versions import STRADDLE_RULE
from accord.services.errors import Invalid
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, NOW, World, agreement_document, events

BERLIN = ZoneInfo("Europe/Berlin")
NOVEMBER_1 = dt.datetime(2026, 11, 1, tzinfo=BERLIN)


def _version_2(effective: str | None = "2026-11-01", window: str = "month") -> str:
    """Version 2 is lenient: a 97% target (version 1 asks 99%)."""
    document = agreement_document("bravo", target="97%", version="2")
    if effective is not None:
        document["metadata"]["effective"] = effective
    document["objectives"][0]["window"] = window
    return json.dumps(document)


def _push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


def _november(count: int) -> list[dict[str, object]]:
    """Requests on 1 and 2 November, one in 50 failing (98%)."""
    return [
        {
            **event,
            "ts": (dt.datetime.fromisoformat(str(event["ts"])) + dt.timedelta(days=30)).isoformat(),
        }
        for event in events(count, failing_every=50, prefix="n", step_minutes=2)
    ]


def _evaluate(world: World, period: str) -> None:
    manager = world.principal("manager@acme.example")
    world.services.verdicts.evaluate(manager, RunEvaluation(agreement="acme-bravo", period=period))


def _current(world: World) -> dict[str, tuple[str, int]]:
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    return {v.window: (v.outcome, v.version) for v in page.items}


@pytest.fixture
def october_judged(world: World) -> World:
    """October judged under version 1 (98% against 99%: a deviation, 100 EUR), then version 2
    uploaded on 20 October to take effect on 1 November."""
    _push(world, "october", events(1000, failing_every=50))
    _push(world, "november", _november(1000))
    world.clock.at = dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC)
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=_version_2()))
    world.clock.at = NOW
    return world


def test_the_version_in_force_is_a_query(october_judged: World) -> None:
    portfolio = october_judged.services.portfolio
    before = NOVEMBER_1 - dt.timedelta(microseconds=1)
    assert portfolio.in_force(CONSOLE, "acme-bravo", before).number == 1
    assert portfolio.in_force(CONSOLE, "acme-bravo", NOVEMBER_1).number == 2
    assert portfolio.in_force(CONSOLE, "acme-bravo").number == 2  # now: 3 November
    version = portfolio.agreement(CONSOLE, "acme-bravo").versions[1]
    assert (version.effective_at, version.backdated) == (NOVEMBER_1, None)


def test_october_stays_judged_by_version_1_and_november_by_version_2(
    october_judged: World,
) -> None:
    _evaluate(october_judged, "2026-10")
    _evaluate(october_judged, "2026-11")
    assert _current(october_judged) == {
        "2026-10": ("deviation", 1),
        "2026-11": ("met", 2),
    }
    ledger = october_judged.services.verdicts.credits(CONSOLE, "acme-bravo", None)
    assert [(b.window, b.amount) for b in ledger.balances] == [("2026-10", 100)]


def test_a_new_version_does_not_rewrite_october(world: World) -> None:
    _push(world, "october", events(1000, failing_every=50))
    _evaluate(world, "2026-10")
    manager = world.principal("manager@acme.example")
    world.clock.at = dt.datetime(2026, 10, 31, 9, tzinfo=dt.UTC)
    world.services.portfolio.upload(manager, UploadVersion(text=_version_2()))
    world.clock.at = NOW
    run = world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    assert (run.verdicts_recorded, run.verdicts_unchanged) == (0, 1)
    assert _current(world) == {"2026-10": ("deviation", 1)}


def test_each_verdict_states_its_version_and_the_straddle_rule(october_judged: World) -> None:
    _evaluate(october_judged, "2026-Q4")
    page = october_judged.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    stated = {}
    for item in page.items:
        detail = october_judged.services.verdicts.verdict(CONSOLE, "acme-bravo", item.id)
        stated[item.window] = detail.evidence["version_in_force"]
    assert {window: s["number"] for window, s in stated.items()} == {
        "2026-10": 1,
        "2026-11": 2,
        "2026-12": 2,
    }
    assert stated["2026-10"]["rule"] == STRADDLE_RULE


def test_a_window_that_straddles_the_change_is_judged_by_the_version_at_its_start(
    world: World,
) -> None:
    """Version 2 takes effect on 15 October: October began under version 1 and stays its."""
    _push(world, "october", events(1000, failing_every=50))
    world.clock.at = dt.datetime(2026, 10, 10, tzinfo=dt.UTC)
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=_version_2("2026-10-15")))
    world.clock.at = NOW
    _evaluate(world, "2026-10")
    assert _current(world) == {"2026-10": ("deviation", 1)}


def test_a_quarter_window_straddling_two_versions_follows_the_rule(world: World) -> None:
    """Version 2 judges per quarter from 1 November. Q4 began on 1 October, under version 1,
    whose windows are months: Q4 is not judged by version 2, and version 1 judges October
    only (November and December begin under version 2, whose first quarter is 2027-Q1)."""
    world.clock.at = dt.datetime(2026, 10, 20, tzinfo=dt.UTC)
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=_version_2(window="quarter")))
    world.clock.at = dt.datetime(2027, 1, 2, tzinfo=dt.UTC)
    _push(world, "october", events(1000, failing_every=50))
    _evaluate(world, "2026-Q4")
    assert _current(world) == {"2026-10": ("deviation", 1)}


def test_backdating_is_an_explicit_recorded_correction(world: World) -> None:
    manager = world.principal("manager@acme.example")
    with pytest.raises(Invalid, match="backdated correction must say why"):
        world.services.portfolio.upload(manager, UploadVersion(text=_version_2()))
    corrected = world.services.portfolio.upload(
        manager, UploadVersion(text=_version_2(), backdated="signed on 30 October")
    )
    assert (corrected.effective_at, corrected.backdated) == (NOVEMBER_1, "signed on 30 October")
    last = world.services.audit.entries(CONSOLE, limit=1000)[-1]
    assert last["action"] == "agreement_version.uploaded"
    assert last["after"]["backdated"] == "signed on 30 October"


def test_an_upload_may_say_when_the_version_takes_effect(world: World) -> None:
    manager = world.principal("manager@acme.example")
    later = dt.datetime(2026, 12, 1, tzinfo=BERLIN)
    uploaded = world.services.portfolio.upload(
        manager, UploadVersion(text=_version_2(effective=None), effective_at=later)
    )
    assert uploaded.effective_at == later
    with pytest.raises(Invalid, match="give one of them"):
        world.services.portfolio.upload(
            manager, UploadVersion(text=_version_2("2026-12-02"), effective_at=later)
        )


def test_without_a_declared_instant_a_version_takes_effect_on_upload(world: World) -> None:
    manager = world.principal("manager@acme.example")
    uploaded = world.services.portfolio.upload(manager, UploadVersion(text=_version_2(None)))
    assert uploaded.effective_at == NOW
    first = world.services.portfolio.agreement(CONSOLE, "acme-bravo").versions[0]
    assert first.effective_at == dt.datetime(2026, 1, 1, tzinfo=BERLIN)  # its term's start
