"""Fetching a Prometheus source's rows for a span of time: paged, cached, checked.

The span is cut into pages from its start: a week of counter or histogram steps (fewer
when the step is small enough that a week would exceed Prometheus's 11,000 points per
series), a day of raw samples (whose number the scrape interval decides). Each page is one
range query per counter selector (or one instant query of a range vector for raw samples),
turned into rows in DuckDB (``accord.connectors.prometheus.series``), checked like the rows
of any file (``accord.engine.sources.load_rows``: bad values set aside with their reason)
and written as one Parquet file in the shape pushed batches are kept in, which the engine
reads. A page that ended well before now is complete: it is kept in the cache folder under
a name made of the server, the selectors, the step and the page's bounds, and read from
there next time; the page still filling up is fetched again each time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlglot import exp

from accord.connectors.checked import Fetched, read_report, write_checked
from accord.connectors.prometheus.client import PrometheusClient
from accord.connectors.prometheus.series import Subset, counter_rows, histogram_rows, sample_rows
from accord.core.evaluation import SourceIssue, SourceReport
from accord.core.model.prometheus import PrometheusQuery, parse_selector
from accord.core.model.sources import Source

__all__ = [
    "SETTLED",
    "Cache",
    "Fetched",
    "Page",
    "Progress",
    "fetch_source",
    "page_length",
    "pages",
]

#: Most points Prometheus returns per series from one range query.
_MAX_POINTS: Final = 11_000
_DAY: Final = dt.timedelta(days=1)
_WEEK: Final = dt.timedelta(days=7)
#: A page whose end lies this long before now has all its samples (scrapes, rule
#: evaluations and remote writes have landed); later pages are fetched again.
SETTLED: Final = dt.timedelta(minutes=10)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Page:
    """One stretch [start_at, end_at) of a span, fetched with one query per selector."""

    start_at: dt.datetime
    end_at: dt.datetime

    def label(self) -> str:
        return f"{self.start_at:%Y-%m-%dT%H:%MZ}"


def page_length(query: PrometheusQuery) -> dt.timedelta:
    """How much time one query of the source reads (see the module's docstring)."""
    step = query.step.to_timedelta()
    if query.samples is not None:
        return _DAY
    return step * (min(_WEEK, step * (_MAX_POINTS - 1)) // step)


def pages(start_at: dt.datetime, end_at: dt.datetime, length: dt.timedelta) -> list[Page]:
    """The pages of the given length covering [start, end), cut from the start."""
    found: list[Page] = []
    at = start_at
    while at < end_at:
        found.append(Page(at, min(at + length, end_at)))
        at += length
    return found


@dataclass(frozen=True)
class Cache:
    """Where complete pages are kept, and the instant that decides which pages are."""

    folder: Path
    now: dt.datetime


def fetch_source(
    client: PrometheusClient,
    source: Source,
    span: tuple[dt.datetime, dt.datetime],
    cache: Cache,
    progress: Progress | None = None,
) -> Fetched:
    """The source's rows in [start, end), page by page, from the cache where it can."""
    query = source.prometheus
    assert query is not None
    start_at, end_at = (_utc(instant) for instant in span)
    step = query.step.to_timedelta()
    start_at = _floor(start_at, step)
    folder = cache.folder / source.id / _fingerprint(source)
    folder.mkdir(parents=True, exist_ok=True)
    fetched = Fetched(report=SourceReport(source=source.id, files=[]))
    todo = pages(start_at, _ceil(end_at, step), page_length(query))
    for done, page in enumerate(todo):
        if progress is not None:
            progress(done, len(todo), f"{source.id} {page.label()}")
        settled = page.end_at <= cache.now - SETTLED
        path, report = _cached(folder, page) if settled else (None, None)
        if path is None or report is None:
            # A page still filling up is kept under another name, so that it never passes
            # for a complete one.
            name = _page_name(page) if settled else f"open-{_page_name(page)}"
            path, report = _fetch_page(client, source, page, folder / name)
        fetched.files.append(path)
        _merge(fetched, report)
    if progress is not None:
        progress(len(todo), len(todo), f"{source.id} fetched")
    return fetched


def _utc(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("span instants must carry a time zone")
    return instant.astimezone(dt.UTC)


def _floor(instant: dt.datetime, step: dt.timedelta) -> dt.datetime:
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return epoch + step * ((instant - epoch) // step)


def _ceil(instant: dt.datetime, step: dt.timedelta) -> dt.datetime:
    floor = _floor(instant, step)
    return floor if floor == instant else floor + step


def _fingerprint(source: Source) -> str:
    """What the rows of a page depend on: the server, the selectors, the step, the mapped
    columns. A change to any of them reads new pages, never stale ones."""
    query = source.prometheus
    assert query is not None
    described = {
        "query": query.model_dump(mode="json"),
        "columns": {name: c.model_dump(mode="json") for name, c in source.columns.items()},
        "timestamp": source.timestamp,
        "key": source.key,
    }
    text = json.dumps(described, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _page_name(page: Page) -> str:
    return f"{int(page.start_at.timestamp())}-{int(page.end_at.timestamp())}"


def _cached(folder: Path, page: Page) -> tuple[Path | None, SourceReport | None]:
    stem = folder / _page_name(page)
    report = read_report(stem)
    return (stem.with_suffix(".parquet"), report) if report is not None else (None, None)


def _fetch_page(
    client: PrometheusClient, source: Source, page: Page, stem: Path
) -> tuple[Path, SourceReport]:
    """Fetch, check and write one page as ``stem.parquet`` (its report ``stem.json``)."""
    query = source.prometheus
    assert query is not None
    work = stem.with_name(f".{stem.name}")
    work.mkdir(exist_ok=True)
    origin = f"{client.server.url} {query.selected()} page {page.label()}"
    rows = _rows_sql(client, source, page, work, origin)
    try:
        return write_checked(source, rows, stem)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _rows_sql(
    client: PrometheusClient, source: Source, page: Page, work: Path, origin: str
) -> exp.Select:
    query = source.prometheus
    assert query is not None
    step = query.step.to_timedelta()
    seconds = int(step.total_seconds())

    def matrix(name: str, selector: str) -> Path:
        answer = work / f"{name}.json"
        answer.write_bytes(client.query_range(selector, page.start_at, page.end_at, step))
        return answer

    if query.events is not None:
        subset = query.good or query.bad
        return counter_rows(
            source,
            matrix("events", query.events),
            Subset(matrix("subset", subset), bad=query.bad is not None) if subset else None,
            step_seconds=seconds,
            origin=origin,
        )
    if query.histogram is not None:
        selector = parse_selector(query.histogram)
        assert selector is not None
        buckets = matrix("buckets", selector.renamed("_bucket"))
        return histogram_rows(source, buckets, step_seconds=seconds, origin=origin)
    return _sample_sql(client, source, page, work, origin)


def _sample_sql(
    client: PrometheusClient, source: Source, page: Page, work: Path, origin: str
) -> exp.Select:
    query = source.prometheus
    assert query is not None
    assert query.samples is not None
    seconds = int((page.end_at - page.start_at).total_seconds())
    answer = work / "samples.json"
    answer.write_bytes(client.query(f"{query.samples}[{seconds}s]", page.end_at))
    return sample_rows(
        source,
        answer,
        start_seconds=page.start_at.timestamp(),
        end_seconds=page.end_at.timestamp(),
        origin=origin,
    )


def _merge(fetched: Fetched, report: SourceReport) -> None:
    total = fetched.report
    assert total is not None
    total.rows_read += report.rows_read
    total.rows_accepted += report.rows_accepted
    known = {issue.reason: issue for issue in total.issues}
    for issue in report.issues:
        before = known.get(issue.reason)
        merged = (
            issue
            if before is None
            else SourceIssue(
                issue.reason, before.count + issue.count, (before.samples + issue.samples)[:5]
            )
        )
        known[issue.reason] = merged
    total.issues = list(known.values())
    for instant in (report.first_at, report.last_at):
        if instant is None:
            continue
        total.first_at = min(total.first_at or instant, instant)
        total.last_at = max(total.last_at or instant, instant)
