"""One indicator, one objective over October 2026 in Berlin, and hand-written rows: the
verdict the engine gives, for the tests of each indicator kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from accord.core.verdicts import Verdict
from tests.engine.builders import agreement_of, evaluate_period, utc, write_csv

#: A time inside October 2026, where the rows are.
OCTOBER_6 = utc(2026, 10, 6, 10)


def judge(
    folder: Path,
    indicator: dict[str, Any],
    columns: dict[str, str],
    rows: list[list[Any]],
    *,
    target: str | int,
    tolerance: str | int,
) -> Verdict:
    """The October verdict of one objective on the indicator, over rows of the named
    columns (each ``name: type``; a row is its values, the timestamp ``at`` first)."""
    source = {
        "id": "data",
        "kind": "events",
        "format": "csv",
        "path": "data.csv",
        "timestamp": "at",
        "columns": {
            "at": {"column": "at", "type": "timestamp"},
            **{name: _column(name, kind) for name, kind in columns.items()},
        },
    }
    objective = {
        "id": "objective",
        "name": "The objective",
        "indicator": indicator["id"],
        "target": target,
        "tolerance": tolerance,
        "window": "month",
    }
    agreement = agreement_of(
        {
            "sources": [source],
            "indicators": [{"name": "The indicator", "source": "data", **indicator}],
            "objectives": [objective],
        }
    )
    header = ["at", *columns]
    written = [[OCTOBER_6 + dt.timedelta(minutes=i), *row] for i, row in enumerate(rows)]
    write_csv(folder, "data", header, written)
    [verdict] = evaluate_period(agreement, folder).verdicts
    return verdict


def _column(name: str, kind: str) -> dict[str, str]:
    if kind.startswith("duration"):
        return {"column": name, "type": "duration", "unit": kind.split(":")[1]}
    return {"column": name, "type": kind}
