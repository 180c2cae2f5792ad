"""A party's own data in a dispute: bravo disputes October's availability breach with its
own probe data, which says it met; the comparison judges the window both ways, side by side,
and changes nothing recorded."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.services.disputes import EvidenceData, EvidenceFile, RaiseDispute, Submission
from accord.services.errors import Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.test_disputes import AFTER_CLOSE, DISPUTES
from tests.services.world import CONSOLE, World, agreement_document, events

PARTNER = "partner@bravo.example"


def breached_october(world: World) -> int:
    """October under version 2 (with the dispute ladder): one request in five failed by our
    data (80% against 99%, tolerance 90%: a breach, 100 EUR of credit). Returns the breach's
    verdict id."""
    world.clock.at = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    manager = world.principal("manager@acme.example")
    document = agreement_document("bravo", version="2")
    document["disputes"] = DISPUTES
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    world.services.ingestion.push(
        world.principal(PARTNER),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=5),
        ),
    )
    world.clock.at = AFTER_CLOSE
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    (verdict,) = _october(world)
    assert verdict.outcome == "breach"
    return int(verdict.id)


def _october(world: World) -> list[Any]:
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    return [v for v in page.items if v.window == "2026-10"]


def probe_csv(rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _their_data(name: str = "probes.csv", content: bytes | None = None) -> Submission:
    return Submission(
        text="Our probes saw every request succeed in October.",
        data=(
            EvidenceData(
                "requests",
                EvidenceFile(name, probe_csv(events(1000)) if content is None else content),
            ),
        ),
    )


@pytest.fixture
def disputed(world: World) -> World:
    verdict = breached_october(world)
    world.services.disputes.raise_(
        world.principal(PARTNER),
        RaiseDispute(agreement="acme-bravo", submission=_their_data(), verdict=verdict),
    )
    return world


def test_their_data_is_kept_as_evidence_with_its_hash_not_as_a_batch(
    disputed: World, tmp_path: Path
) -> None:
    view = disputed.services.disputes.show(disputed.principal(PARTNER), "acme-bravo", 1)
    (data,) = view.evidence
    content = probe_csv(events(1000))
    assert (data.kind, data.source, data.reference) == ("data", "requests", "probes.csv")
    assert (data.sha256, data.size) == (hashlib.sha256(content).hexdigest(), len(content))
    assert (data.rows_received, data.rows_accepted, data.rows_rejected) == (1000, 1000, 0)
    batches = disputed.services.ingestion.batches(CONSOLE, "acme-bravo", "requests")
    assert [b.batch_id for b in batches] == ["october"]  # ours alone
    kept = list((tmp_path / "data" / "disputes").rglob(f"{data.sha256}-probes.csv"))
    assert [path.read_bytes() for path in kept] == [content]
    entries = disputed.services.audit.entries(CONSOLE, limit=1000)
    (logged,) = [e["after"] for e in entries if e["action"] == "dispute.evidence"]
    assert (logged["kind"], logged["source"], logged["sha256"]) == ("data", "requests", data.sha256)
    assert json.loads(logged["checks"])["accepted"] == 1000
    assert disputed.services.audit.verify(CONSOLE).ok


def test_the_comparison_shows_our_breach_beside_their_met_and_records_nothing(
    disputed: World,
) -> None:
    before = _october(disputed)
    ledger = disputed.services.verdicts.credits(CONSOLE, "acme-bravo", None)
    runs = disputed.services.verdicts.runs(CONSOLE, "acme-bravo")

    compared = disputed.services.disputes.compare(disputed.principal(PARTNER), "acme-bravo", 1)

    assert (compared.objective, compared.window, compared.recorded) == (
        "availability",
        "2026-10",
        False,
    )
    (data,) = compared.data
    assert (data.source, data.party, data.accepted) == ("requests", "bravo", 1000)
    (row,) = data.objectives
    assert (row.ours.outcome, row.ours.value, row.ours.shown) == ("breach", Decimal("0.8"), "80%")
    assert (row.theirs.outcome, row.theirs.value, row.theirs.shown) == ("met", Decimal(1), "100%")
    assert (row.ours.counts["good"], row.theirs.counts["good"]) == (800, 1000)
    assert (row.difference, row.shown_difference) == (Decimal("0.2"), "+20%")
    assert (row.ours.credit, row.theirs.credit, row.credit_difference) == (
        Decimal(100),
        None,
        Decimal(-100),
    )
    (credit,) = data.credits
    assert (credit.scheme, credit.ours, credit.theirs, credit.currency) == (
        "availability-credits",
        Decimal(100),
        Decimal(0),
        "EUR",
    )
    assert _october(disputed) == before
    assert disputed.services.verdicts.credits(CONSOLE, "acme-bravo", None) == ledger
    assert disputed.services.verdicts.runs(CONSOLE, "acme-bravo") == runs


def test_both_parties_see_the_comparison_and_another_partner_gets_not_found(
    disputed: World,
) -> None:
    ours = disputed.services.disputes.compare(
        disputed.principal("manager@acme.example"), "acme-bravo", 1
    )
    theirs = disputed.services.disputes.compare(disputed.principal(PARTNER), "acme-bravo", 1)
    assert ours == theirs
    with pytest.raises(NotFound):
        disputed.services.disputes.compare(
            disputed.principal("partner@charlie.example"), "acme-bravo", 1
        )
    with pytest.raises(NotFound, match="no dispute 2"):
        disputed.services.disputes.compare(CONSOLE, "acme-bravo", 2)


def test_the_other_side_answers_with_its_data_and_each_is_compared(disputed: World) -> None:
    ours = probe_csv(events(1000, failing_every=5, prefix="probe"))
    disputed.services.disputes.respond(
        disputed.principal("manager@acme.example"),
        "acme-bravo",
        1,
        Submission(
            text="Our own probes agree with our verdict.",
            data=(EvidenceData("requests", EvidenceFile("acme.csv", ours)),),
        ),
    )
    compared = disputed.services.disputes.compare(CONSOLE, "acme-bravo", 1)
    assert [(d.party, d.objectives[0].theirs.outcome) for d in compared.data] == [
        ("bravo", "met"),
        ("acme", "breach"),
    ]


def test_bad_rows_are_counted_and_kept_not_dropped(disputed: World, tmp_path: Path) -> None:
    rows = events(10)
    rows[3]["ts"] = "yesterday"
    disputed.services.disputes.respond(
        disputed.principal(PARTNER),
        "acme-bravo",
        1,
        _their_data("more.csv", probe_csv(rows)),
    )
    view = disputed.services.disputes.show(CONSOLE, "acme-bravo", 1)
    more = view.evidence[-1]
    assert (more.rows_received, more.rows_accepted, more.rows_rejected) == (10, 9, 1)
    (kept,) = (tmp_path / "data" / "disputes").rglob("rejected/requests/*/requests.csv")
    assert "yesterday" in kept.read_text()


@pytest.mark.parametrize(
    ("source", "name", "content", "message"),
    [
        ("pings", "probes.csv", b"ts\n", "source 'pings'.*has no such source.*requests, surveys"),
        ("requests", "probes.txt", b"ts\n", "read as CSV .*JSON lines.*Parquet"),
        (
            "requests",
            "probes.csv",
            b"ts,request_id\n2026-10-02T00:00:00Z,r1\n",
            "source 'requests'.*http_status",
        ),
        (
            "requests",
            "probes.csv",
            b"ts,request_id,http_status\nlater,r1,200\n2026-10-02T00:00:00Z,r2,ok\n",
            "no usable row among 2: column 'ts' \\(at\\): timestamp without time zone: 1 row"
            ".*probes.csv, later, r1, 200; column 'http_status' \\(status\\): not integer: 1 row"
            ".*probes.csv, 2026-10-02T00:00:00Z, r2, ok",
        ),
    ],
)
def test_data_the_source_cannot_take_is_refused_naming_why(
    disputed: World, tmp_path: Path, source: str, name: str, content: bytes, message: str
) -> None:
    submission = Submission(
        text="More of our data.", data=(EvidenceData(source, EvidenceFile(name, content)),)
    )
    kept = sorted((tmp_path / "data" / "disputes").rglob("*"))
    with pytest.raises(Invalid, match=message):
        disputed.services.disputes.respond(disputed.principal(PARTNER), "acme-bravo", 1, submission)
    assert len(disputed.services.disputes.show(CONSOLE, "acme-bravo", 1).evidence) == 1
    assert sorted((tmp_path / "data" / "disputes").rglob("*")) == kept  # nothing half-kept


def test_a_dispute_without_data_compares_nothing(world: World) -> None:
    verdict = breached_october(world)
    world.services.disputes.raise_(
        world.principal(PARTNER),
        RaiseDispute(agreement="acme-bravo", submission=Submission(text="wrong"), verdict=verdict),
    )
    compared = world.services.disputes.compare(CONSOLE, "acme-bravo", 1)
    assert (compared.verdict, compared.data) == (verdict, [])


def test_a_file_source_is_compared_with_their_rows_in_its_place(
    world: World, tmp_path: Path
) -> None:
    """The same story with ``requests`` read from a CSV file under the data folder: their
    rows take the file's place for the comparison, and the file is left as it was."""
    world.clock.at = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    document = agreement_document("bravo", version="2")
    document["disputes"] = DISPUTES
    requests = document["sources"][0]
    requests.update({"format": "csv", "path": "bravo/requests.csv"})
    ours = tmp_path / "data" / "files" / "bravo" / "requests.csv"
    ours.parent.mkdir(parents=True)
    ours.write_bytes(probe_csv(events(1000, failing_every=5)))
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    world.clock.at = AFTER_CLOSE
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    (verdict,) = _october(world)
    world.services.disputes.raise_(
        world.principal(PARTNER),
        RaiseDispute(agreement="acme-bravo", submission=_their_data(), verdict=verdict.id),
    )
    (data,) = world.services.disputes.compare(CONSOLE, "acme-bravo", 1).data
    ((row),) = data.objectives
    assert (row.ours.outcome, row.ours.shown, row.theirs.outcome, row.theirs.shown) == (
        "breach",
        "80%",
        "met",
        "100%",
    )
    assert ours.read_bytes() == probe_csv(events(1000, failing_every=5))


def test_a_credit_dispute_compares_the_credit_s_verdict(world: World) -> None:
    breached_october(world)
    world.services.disputes.raise_(
        world.principal(PARTNER),
        RaiseDispute(
            agreement="acme-bravo",
            submission=_their_data(),
            scheme="availability-credits",
            window="2026-10",
            amount=Decimal(0),
        ),
    )
    compared = world.services.disputes.compare(CONSOLE, "acme-bravo", 1)
    assert (compared.objective, compared.window) == ("availability", "2026-10")
    ((credit),) = compared.data[0].credits
    assert (credit.ours, credit.theirs, credit.difference) == (
        Decimal(100),
        Decimal(0),
        Decimal(-100),
    )
