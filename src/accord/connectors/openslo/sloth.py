"""Sloth ``prometheus/v1`` specs → an Accord agreement skeleton.

Each SLO of a spec (``objective`` in percent, ``sli.events`` with ``error_query`` and
``total_query``) becomes a ratio of Prometheus counters: the counters inside the queries'
``sum(rate(…[{{.window}}]))``, with the errors as the bad ones. Sloth judges every SLO over a
rolling 30 days (its default period), and so does the import; its alerts are left to
Accord's own burn-rate alerts. A raw error ratio or a plugin SLI has no counter reading and
is reported instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from accord.connectors.openslo.documents import (
    Document,
    InterchangeError,
    Notes,
    identifier,
    read_documents,
)
from accord.connectors.openslo.indicators import PLACEHOLDER_URL, Measure
from accord.connectors.openslo.promql import counter_selector
from accord.connectors.openslo.skeleton import Skeleton

__all__ = ["import_sloth"]

VERSION: Final = "prometheus/v1"
#: The period Sloth judges SLOs over unless told otherwise.
PERIOD: Final = "rolling 30 days"


def import_sloth(paths: list[Path], *, today: dt.date, url: str | None = None) -> tuple[str, Notes]:
    """The agreement skeleton (YAML text) of the Sloth specs, and the notes. Sloth specs
    name no Prometheus server: ``url`` is the one to read (else a placeholder)."""
    notes = Notes()
    skeleton = Skeleton(today=today)
    for spec in read_documents(paths):
        if spec.data.get("version") != VERSION:
            raise InterchangeError(
                f"{spec.where}: version {spec.data.get('version')!r} is not {VERSION!r}; "
                "Accord reads Sloth's prometheus/v1 specs"
            )
        service = str(spec.data.get("service") or "service")
        stage = skeleton.stage(identifier(service), service)
        for slo in spec.data.get("slos") or []:
            _import_slo(spec, slo, (stage, url or PLACEHOLDER_URL), skeleton, notes)
    if url is None:
        notes.add("sloth", f"Sloth names no Prometheus server; fill in {PLACEHOLDER_URL}")
    return skeleton.text(notes), notes


def _import_slo(
    spec: Document,
    slo: dict[str, Any],
    where_read: tuple[str, str],
    skeleton: Skeleton,
    notes: Notes,
) -> None:
    """One SLO; ``where_read`` is its journey stage and the Prometheus URL."""
    stage, url = where_read
    name = identifier(str(slo.get("name", "slo")))
    where = f"{spec.where} (SLO {slo.get('name')})"
    events = (slo.get("sli") or {}).get("events")
    if not isinstance(events, dict):
        notes.add(where, "a raw error ratio or plugin SLI cannot be counted in events; left out")
        return
    bad = counter_selector(str(events.get("error_query", "")))
    total = counter_selector(str(events.get("total_query", "")))
    if bad is None or total is None:
        notes.add(where, "its queries are not counters Accord can read one by one; left out")
        return
    source = {
        "id": name,
        "kind": "events",
        "format": "prometheus",
        "prometheus": {"url": url, "events": total, "bad": bad},
        "timestamp": "at",
        "columns": {
            "at": {"column": "__time__", "type": "timestamp"},
            "good": {"column": "__good__", "type": "boolean"},
        },
    }
    indicator = {"kind": "ratio", "source": name, "good": "good = true"}
    skeleton.measure(
        name, str(slo.get("description") or slo.get("name")), Measure(source, indicator)
    )
    target = f"{Decimal(str(slo.get('objective'))).normalize():f}%"
    skeleton.objectives.append(
        {
            "id": name,
            "name": str(slo.get("name")),
            "indicator": name,
            "target": target,
            "tolerance": target,
            "window": PERIOD,
            "stage": stage,
        }
    )
    notes.add(
        where,
        f"read as the counters {total} (all) and {bad} (errors), over Sloth's {PERIOD}; "
        f"no tolerance band in Sloth, so the tolerance is the target {target}",
    )
    if slo.get("alerting"):
        notes.add(where, "its alerts are not carried; Accord applies its own burn-rate alerts")
