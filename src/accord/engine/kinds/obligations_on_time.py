"""Obligations on time: the share of dated duties of some kinds (status updates, reviews,
preventive actions …) met by their due instant, among those met or missed. The rows' state
is as of the evaluated instant (a recorded source reads an open duty past its due instant as
missed), so the plan needs no clock of its own; waived duties and those not yet due are not
counted."""

from __future__ import annotations

from accord.core.model.measurement import ObligationsOnTimeIndicator
from accord.core.obligations.model import ObligationState
from accord.engine.kinds.base import Burn, Count, Plan, Reading, Setting, Values
from accord.engine.sql import column, text

__all__ = ["KIND", "ObligationsOnTime"]


def _read(values: Values) -> Reading:
    met, due = values.count("good"), values.count("valid")
    counts = {"good": met, "valid": due}
    if due == 0:
        return Reading(None, counts, "no obligations met or missed")
    return Reading(
        values.number("good") / values.number("valid"),
        counts,
        f"{met:,} met on time / {due:,} met or missed",
    )


class ObligationsOnTime:
    def plan(self, indicator: ObligationsOnTimeIndicator, setting: Setting) -> Plan:
        del setting
        kinds = column("kind").isin(*(text(name) for name in indicator.obligations))
        state = column("state")
        settled = state.isin(text(ObligationState.MET.value), text(ObligationState.MISSED.value))
        met = state.copy().eq(text(ObligationState.MET.value))
        counts = Burn(good=Count(kinds.copy().and_(met)), valid=Count(kinds.and_(settled)))
        return Plan(
            aggregates={"valid": counts.valid, "good": counts.good}, read=_read, burn=counts
        )


KIND = ObligationsOnTime()
