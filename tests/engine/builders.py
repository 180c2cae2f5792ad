"""Building agreements and data files for engine tests: plain dictionaries and rows in,
checked agreements and files out."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from accord.connectors.files import FileReader
from accord.core.evaluation import Evaluation
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.periods import WindowSpan, parse_period, windows_in_period
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.kinds import Setting, plan_of
from accord.engine.measure import Target
from accord.engine.planner import Member
from accord.engine.rows import Interval, Restrictions, Rows
from accord.engine.sources import BadRowPolicy

BERLIN = ZoneInfo("Europe/Berlin")


def document(sections: dict[str, Any], *, sparse: bool = True) -> dict[str, Any]:
    """A minimal agreement document (Europe/Berlin) around the given sections.

    ``sparse``: test data is sparse on purpose (a few events on one day stand for a month),
    so each source that declares no ``min_coverage`` accepts any coverage; pass False to
    keep the language's default minimum.
    """
    if sparse and "sources" in sections:
        sources = [{"min_coverage": "0%", **source} for source in sections["sources"]]
        sections = {**sections, "sources": sources}
    return {
        "apiVersion": "accord/v1",
        "kind": "Agreement",
        "metadata": {"id": "test-agreement", "title": "Test agreement", "version": "1"},
        "timezone": "Europe/Berlin",
        "parties": [
            {"id": "buyer", "name": "Buyer GmbH", "role": "consumer"},
            {"id": "seller", "name": "Seller AG", "role": "provider"},
        ],
        "term": {
            "effective": "2026-01-01",
            "duration": "24 months",
            "renewal": {"mode": "auto", "period": "12 months", "notice": "3 months"},
            "termination_notice": "3 months",
        },
        **sections,
    }


def agreement_of(sections: dict[str, Any], *, sparse: bool = True) -> Agreement:
    """The agreement, checked like a file would be (JSON is YAML)."""
    loaded = load_agreement(json.dumps(document(sections, sparse=sparse)), "test.yaml")
    assert loaded.ok, [str(problem) for problem in loaded.problems]
    assert loaded.agreement is not None
    return loaded.agreement


def show_instant(at: dt.datetime, style: int = 0) -> str:
    """One instant in one of several zoned forms (all equal in time)."""
    if style == 0:
        return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return at.astimezone(dt.UTC).isoformat()
    return at.astimezone(BERLIN).isoformat()


def write_rows(
    folder: Path, name: str, fmt: str, rows: list[dict[str, Any]], schema: pa.Schema | None = None
) -> str:
    """Rows as ``<name>.<fmt>`` (csv, jsonl or parquet); datetimes zoned, None empty/null."""
    path = folder / f"{name}.{fmt}"
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
        return path.name
    shown = [
        {k: show_instant(v, i % 3) if isinstance(v, dt.datetime) else v for k, v in row.items()}
        for i, row in enumerate(rows)
    ]
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in shown), encoding="utf-8")
        return path.name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in shown)
    return path.name


def write_csv(folder: Path, name: str, header: list[str], rows: list[list[Any]]) -> str:
    """A CSV file written exactly as given (datetimes in UTC with Z)."""
    path = folder / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(
            [show_instant(v) if isinstance(v, dt.datetime) else v for v in row] for row in rows
        )
    return path.name


def evaluate_period(
    agreement: Agreement,
    folder: Path,
    period: str = "2026-10",
    as_of: dt.datetime | None = None,
    policy: BadRowPolicy = BadRowPolicy.QUARANTINE,
    *,
    items: bool = False,
) -> Evaluation:
    """Evaluate over a period, as of its end unless said otherwise."""
    parsed = parse_period(period, agreement.timezone)
    request = EvaluationRequest(
        reader=FileReader(),
        data_dir=folder,
        period=parsed,
        as_of=as_of or parsed.end_at,
        policy=policy,
        quarantine_dir=folder / "quarantine",
        items=items,
    )
    return evaluate(agreement, request)


def utc(*parts: int) -> dt.datetime:
    """``utc(2026, 10, 5, 12)`` → 2026-10-05T12:00Z."""
    return dt.datetime(*parts, tzinfo=dt.UTC)


#: A CSV source of announced maintenance periods, as several tests declare it.
MAINTENANCE_SOURCE = {
    "id": "maintenance",
    "kind": "maintenance",
    "format": "csv",
    "path": "maintenance.csv",
    "timestamp": "starts_at",
    "columns": {
        "starts_at": {"column": "starts_at", "type": "timestamp"},
        "ends_at": {"column": "ends_at", "type": "timestamp"},
        "announced_at": {"column": "announced_at", "type": "timestamp"},
    },
}


#: A CSV source of tickets with the instant each was opened and answered.
TICKETS_SOURCE = {
    "id": "tickets",
    "kind": "tickets",
    "format": "csv",
    "path": "tickets.csv",
    "timestamp": "opened",
    "key": "ticket",
    "columns": {
        "ticket": {"column": "ticket_id", "type": "string"},
        "opened": {"column": "opened_at", "type": "timestamp"},
        "answered": {"column": "answered_at", "type": "timestamp"},
    },
}


#: Probes with an answer flag and a latency: one source many kinds of objective can share.
PROBES_SOURCE = {
    "id": "probes",
    "kind": "probes",
    "format": "csv",
    "path": "probes.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "ok": {"column": "ok", "type": "boolean"},
        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
    },
}
_SLICES = {"kind": "timeslice", "good": "ok = true", "slice_target": "95%", "no_traffic": "good"}
PROBE_INDICATORS = {
    "answered": {"kind": "ratio", "good": "ok = true"},
    "fast": {"kind": "threshold", "measure": "latency", "threshold": "300ms"},
    "p90": {"kind": "percentile", "measure": "latency", "percentile": 90},
    "uptime": {**_SLICES, "slice": "1m"},
    "uptime-7m": {**_SLICES, "slice": "7m"},
    "uptime-1h": {**_SLICES, "slice": "1h"},
}
_TARGETS = {"p90": ("800ms", "1500ms")}


def probes_agreement(
    objectives: list[str], timezone: str = "Europe/Berlin", **extra: Any
) -> Agreement:
    """One objective per name, on the indicator of that name ('answered#2' is a second
    objective on 'answered'), all per region over a month."""
    indicators = list(dict.fromkeys(name.split("#")[0] for name in objectives))
    sections: dict[str, Any] = {
        "timezone": timezone,
        "sources": [PROBES_SOURCE],
        "indicators": [
            {"id": name, "name": name, "source": "probes", **PROBE_INDICATORS[name]}
            for name in indicators
        ],
        "objectives": [
            {
                "id": name.replace("#", "-"),
                "name": name,
                "indicator": name.split("#")[0],
                "target": _TARGETS.get(name, ("99%", "95%"))[0],
                "tolerance": _TARGETS.get(name, ("99%", "95%"))[1],
                "window": "month",
                "scope": ["region"],
                **extra,
            }
            for name in objectives
        ],
    }
    if "during" in extra:
        sections["peak_periods"] = [
            {"id": "office", "timezone": timezone, "hours": {"weekdays": ["09:00-17:00"]}}
        ]
    return agreement_of(sections)


def batch_members(
    model: Agreement, intervals: tuple[Interval, ...] = ()
) -> tuple[WindowSpan, list[Member]]:
    """October 2026 (the first window of the objectives) and their rows and plans, as a
    batch (every objective reads the agreement's first source)."""
    window = model.objectives[0].window
    span = windows_in_period(window, parse_period("2026-10", model.timezone))[0]
    peaks = {peak.id: peak for peak in model.peak_periods}
    source = model.sources[0]
    members = []
    for objective in model.objectives:
        indicator = next(i for i in model.indicators if i.id == objective.indicator)
        peak = peaks.get(objective.during or "")
        restrictions = Restrictions(model.timezone, peak, (), intervals)
        rows = Rows(objective, indicator, source, restrictions)
        members.append(Member(rows, plan_of(indicator, Setting(model, source))))
    return span, members


def load_sources(con: duckdb.DuckDBPyConnection, agreement: Agreement, folder: Path) -> None:
    """Every source of the agreement read from ``folder`` into DuckDB, as evaluation does."""
    reader = FileReader()
    for source in agreement.sources:
        found = reader.find(source, folder)
        reader.load(con, source, found, BadRowPolicy.QUARANTINE, folder / "quarantine")


def target_of(agreement: Agreement, as_of: dt.datetime, index: int = 0) -> Target:
    """One objective of the agreement to measure (with its peak period, no exclusions)."""
    objective = agreement.objectives[index]
    indicator = next(i for i in agreement.indicators if i.id == objective.indicator)
    source = next(s for s in agreement.sources if s.id == indicator.source)
    peak = next((p for p in agreement.peak_periods if p.id == objective.during), None)
    rows = Rows(objective, indicator, source, Restrictions(agreement.timezone, peak))
    plan = plan_of(indicator, Setting(agreement, source))
    return Target(agreement, objective, indicator, source, rows, plan, as_of)
