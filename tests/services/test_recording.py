"""Recording verdicts: the evidence column holds the current record format with its
explanation; verdicts stored in the earlier v1 format (floats, the ``"exhausted"`` string)
are compared by what they say, so an upgrade appends nothing."""

from __future__ import annotations

import json

from sqlalchemy import select

from accord.core.records import FORMAT
from accord.services.ingestion import PushBatch
from accord.services.recording import stored_record
from accord.services.verdicts import RunEvaluation, VerdictQuery
from accord.store.tables import VerdictRow
from tests.services.world import CONSOLE, World, events

OCTOBER = RunEvaluation(agreement="acme-bravo", period="2026-10")


def _evaluated(world: World) -> World:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    world.services.verdicts.evaluate(CONSOLE, OCTOBER)
    return world


def _rows(world: World) -> list[VerdictRow]:
    with world.services.context.uow(CONSOLE) as uow:
        return list(uow.session.scalars(select(VerdictRow).order_by(VerdictRow.id)))


def _as_v1(evidence: dict[str, object]) -> dict[str, object]:
    """What the v1 code stored: numbers as floats, no format, the budget's state in one field."""
    v1 = dict(evidence)
    del v1["format"]
    for name in ("value", "target", "tolerance"):
        v1[name] = None if v1[name] is None else float(str(v1[name]))
    v1["coverage"] = {**v1["coverage"], "ratio": float(v1["coverage"]["ratio"])}  # type: ignore[dict-item]
    budget = dict(v1["budget"])  # type: ignore[call-overload]
    exhausted = budget.pop("exhausted")
    for name in ("allowed_ratio", "allowed_events", "remaining_events", "consumed_ratio"):
        budget[name] = float(budget[name])
    budget["projected_exhaustion_at"] = "exhausted" if exhausted else None
    v1["budget"] = budget
    return v1


def test_the_evidence_column_holds_the_record_its_format_and_explanation(world: World) -> None:
    [row] = _rows(_evaluated(world))
    evidence = json.loads(row.evidence)

    assert evidence["format"] == FORMAT
    assert evidence["value"] == "0.98"
    assert evidence["explanation"].startswith("Availability (availability)")
    assert stored_record(row).value_display == "98%"


def test_a_verdict_stored_in_v1_is_not_recorded_again_when_nothing_changed(world: World) -> None:
    [row] = _rows(_evaluated(world))
    v1 = _as_v1(json.loads(row.evidence))
    with world.services.context.uow(CONSOLE, write=True) as uow:
        stored = uow.session.get(VerdictRow, row.id)
        assert stored is not None
        stored.evidence = json.dumps(v1, sort_keys=True)
        stored.digest = "0" * 64  # the v1 digest hashed floats
        uow.commit()

    run = world.services.verdicts.evaluate(CONSOLE, OCTOBER)

    assert (run.verdicts_recorded, run.verdicts_unchanged) == (0, 1)


def test_a_v1_verdict_reads_in_the_current_format(world: World) -> None:
    [row] = _rows(_evaluated(world))
    v1 = _as_v1(json.loads(row.evidence))
    with world.services.context.uow(CONSOLE, write=True) as uow:
        stored = uow.session.get(VerdictRow, row.id)
        assert stored is not None
        stored.evidence = json.dumps(v1, sort_keys=True)
        uow.commit()

    detail = world.services.verdicts.verdict(CONSOLE, "acme-bravo", row.id)
    [budget] = world.services.verdicts.budgets(CONSOLE, "acme-bravo", VerdictQuery())

    assert detail.evidence["format"] == FORMAT
    assert detail.evidence["value"] == "0.98"
    assert detail.explanation.startswith("Availability")
    assert budget.budget["exhausted"] is True  # 2% failing of a 1% budget
    assert budget.budget["projected_exhaustion_at"] is None
    assert isinstance(budget.budget["allowed_ratio"], str)
