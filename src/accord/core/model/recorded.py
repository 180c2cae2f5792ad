"""What Accord records, measured: the incidents and obligations the service keeps, read as a
source (``format: recorded``), and the two indicator kinds made for them.

A recorded source is not a file: the service reads the agreement's own records from its
store when it evaluates (``accord.services.recorded``). Its columns are those below, under
their own names unless the source maps them otherwise. In a file evaluation (``accord
evaluate``) a recorded source has no rows, unless it is given them as exported files
(``accord records``, then ``--records SOURCE=FILE``).

- ``incident_metric``: MTTA, MTTD, MTTM or MTTR, the mean (or median) time from an
  incident's impact start (unless the agreement says otherwise) to its acknowledgement,
  detection, mitigation or resolution. Every incident source that names the lifecycle
  instants can be measured so, a CSV file as well as the records.
- ``obligations_on_time``: the share of dated duties of some kinds (status updates,
  post-incident reviews, preventive actions …) met by their due instant.
"""

from __future__ import annotations

from typing import ClassVar, Final, Literal

from pydantic import Field, model_validator

from accord.core.model.indicator_base import Direction, IndicatorBase, ValueKind
from accord.core.spec import problem

__all__ = [
    "INCIDENT_INSTANTS",
    "METRICS",
    "RECORDED_COLUMNS",
    "RECORDED_TIMESTAMP",
    "IncidentMetricIndicator",
    "Metric",
    "ObligationsOnTimeIndicator",
]

#: The columns of each kind of recorded source, with their types (a source's ``kind``).
#: Incidents: ``origin`` says who opened it (api, cli, alertmanager:<source> …); the
#: instants are as recorded, empty until set. Obligations: ``state`` is the duty's state as
#: of the evaluated instant (an open duty whose due instant has passed reads ``missed``:
#: it lapsed then, whether or not the worker has marked it yet); ``kind`` is the duty's
#: kind (acknowledge, update, resolve, review, action …).
RECORDED_COLUMNS: Final[dict[str, dict[str, str]]] = {
    "incidents": {
        "id": "integer",
        "title": "string",
        "severity": "string",
        "state": "string",
        "security": "boolean",
        "party": "string",
        "origin": "string",
        "impact_started_at": "timestamp",
        "detected_at": "timestamp",
        "reported_at": "timestamp",
        "acknowledged_at": "timestamp",
        "mitigated_at": "timestamp",
        "resolved_at": "timestamp",
        "closed_at": "timestamp",
    },
    "obligations": {
        "id": "integer",
        "kind": "string",
        "party": "string",
        "subject": "string",
        "incident_id": "integer",
        "trigger_at": "timestamp",
        "due_at": "timestamp",
        "calendar": "string",
        "state": "string",
        "state_at": "timestamp",
        "done_at": "timestamp",
    },
}

#: Where each kind of recorded source places its rows in time by default: an incident in
#: the window it was reported in, a duty in the window it fell due in.
RECORDED_TIMESTAMP: Final = {"incidents": "reported_at", "obligations": "due_at"}

Metric = Literal["mtta", "mttd", "mttm", "mttr"]

#: Each metric: its name, and the instants it ends at (the first one recorded).
METRICS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "mtta": ("time to acknowledge", ("acknowledged_at",)),
    "mttd": ("time to detect", ("detected_at",)),
    # Resolving an incident also ends its impact: one resolved without a recorded mitigation
    # was mitigated when it was resolved.
    "mttm": ("time to mitigate", ("mitigated_at", "resolved_at")),
    "mttr": ("time to resolve", ("resolved_at",)),
}

#: The instants a metric may be counted from, each with those that stand in for it when it
#: was not recorded (an impact start not recorded is taken as the detection, then the
#: report: the impact began no later than either).
INCIDENT_INSTANTS: Final[dict[str, tuple[str, ...]]] = {
    "impact_started": ("impact_started_at", "detected_at", "reported_at"),
    "detected": ("detected_at", "reported_at"),
    "reported": ("reported_at",),
}


class IncidentMetricIndicator(IndicatorBase):
    """MTTA, MTTD, MTTM or MTTR: the mean or median wall-clock time from an instant of each
    incident to another, computed from the lifecycle instants (the service's own records,
    or an incident file that names them)."""

    kind: Literal["incident_metric"] = Field(description="incident_metric")
    metric: Metric = Field(
        description="mtta (to acknowledgement), mttd (to detection), mttm (to mitigation; "
        "resolution where no mitigation was recorded) or mttr (to resolution)."
    )
    since: Literal["impact_started", "detected", "reported"] = Field(
        default="impact_started",
        description="The instant the time is counted from: impact_started (the default: "
        "when customers were first affected, taken as the detection, then the report, where "
        "it was not recorded), detected, or reported (when the incident was declared).",
    )
    statistic: Literal["mean", "median"] = Field(default="mean", description="mean or median.")

    value_kind: ClassVar[ValueKind] = ValueKind.DURATION
    counts: ClassVar[str] = "incidents"

    @model_validator(mode="after")
    def _detection_from_impact(self) -> IncidentMetricIndicator:
        if self.metric == "mttd" and self.since != "impact_started":
            raise problem(
                "since",
                "time to detect is counted from the impact start",
                "remove 'since', or measure another metric",
                ("since",),
            )
        return self

    def direction(self) -> Direction:
        return Direction.LOWER_IS_BETTER

    def start_columns(self) -> tuple[str, ...]:
        """The columns the time is counted from, the first recorded one of them."""
        return INCIDENT_INSTANTS[self.since]

    def end_columns(self) -> tuple[str, ...]:
        """The columns the time runs to, the first recorded one of them."""
        return METRICS[self.metric][1]

    def columns_used(self) -> set[str]:
        """The instants the metric needs (those standing in for them are read when the
        source has them)."""
        return super().columns_used() | {self.start_columns()[0], self.end_columns()[0]}

    def formula(self) -> str:
        name = METRICS[self.metric][0]
        start = self.since.replace("_", " ")
        return (
            f"{self.statistic} {name} ({self.metric.upper()}): {self.statistic} of "
            f"({' or '.join(self.end_columns())} − {' or '.join(self.start_columns())}) "
            f"over incidents with both, counted from {start}"
        )

    def in_words(self) -> str:
        name = METRICS[self.metric][0]
        start = {
            "impact_started": "customers were first affected",
            "detected": "the incident was detected",
            "reported": "the incident was reported",
        }[self.since]
        return f"the {self.statistic} {name}, counted from when {start}"


class ObligationsOnTimeIndicator(IndicatorBase):
    """The share of dated duties of some kinds met by their due instant: status updates
    on time, reviews filed on time, preventive actions completed by their due date."""

    kind: Literal["obligations_on_time"] = Field(description="obligations_on_time")
    obligations: list[str] = Field(
        min_length=1,
        description="The kinds of duty counted, e.g. [update] or [review, action] (see "
        "'accord obligations' for the kinds).",
    )
    counts: ClassVar[str] = "obligations"

    def columns_used(self) -> set[str]:
        return super().columns_used() | {"kind", "state"}

    def formula(self) -> str:
        kinds = ", ".join(self.obligations)
        return (
            f"count of obligations of kind {kinds} met by their due instant / count of those "
            "met or missed (an open one past its due instant is missed; waived ones and "
            "those not yet due do not count)"
        )

    def in_words(self) -> str:
        kinds = ", ".join(self.obligations)
        return f"the share of duties of kind {kinds} done by their due instant"
