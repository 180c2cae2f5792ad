"""Partner status feeds: incidents and maintenance a partner declares, read as rows.

Each read polls the feed (Statuspage: ``/api/v2/incidents.json`` and ``/api/v2/summary.json``;
generic: the document at ``url``) and merges what it finds into what earlier polls found, kept
under the work folder: a status page lists only its latest incidents, so an incident that has
dropped off the page is still known to Accord if a poll (the worker's scheduled evaluation,
or any evaluation) saw it. A record seen again replaces the earlier copy (its resolution
arrives later than its start). Rows are checked like a file's: a time that does not parse
is set aside with its reason. The incidents come back as ``DeclaredIncident`` too, to be
compared with the downtime measured.

**What the work folder keeps** per source: the merged polls of each feed (``…-polled-…json``,
the history a page no longer lists), the latest poll's checked rows, and the checked rows
that views of the kept polls share (``…-kept-<hash of the merged polls>…``). Each poll
removes the views' files of earlier merged polls and half-written files of interrupted
writes, once they are older than ``STALE_AFTER`` (a view that began reading them just
before the poll finishes first), and logs what it removed: the folder holds one generation
per feed, not one per poll.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import httpx
from sqlglot import exp

from accord.connectors.checked import Fetched, read_report, write_checked
from accord.core.declared import DeclaredIncident
from accord.core.model.sources import Source, SourceKind
from accord.core.model.status_feeds import FEED_COLUMNS, StatusFeed
from accord.engine.sources import DataError
from accord.engine.sql import reading, shape, text, typed

__all__ = ["STALE_AFTER", "StatusFeedConnector", "feed_rows", "prune_polls"]

_log = logging.getLogger(__name__)

#: How old a cached file of earlier polls must be before a poll removes it.
STALE_AFTER: Final = dt.timedelta(minutes=10)

_TYPES = {SourceKind.INCIDENTS: "incident", SourceKind.MAINTENANCE: "maintenance"}
Record = dict[str, Any]
Row = dict[str, str | None]


def _at(record: Record, path: str) -> object:
    value: object = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list):
        names = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(n for n in names if n) or None
    return str(value)


def _statuspage_row(record: Record, fields: Mapping[str, str]) -> Row:
    """A Statuspage incident or scheduled maintenance as a feed row."""
    maintenance = record.get("scheduled_for") is not None or record.get("impact") == "maintenance"
    row: Row = {
        "id": _text(record.get("id")),
        "name": _text(record.get("name")),
        "type": "maintenance" if maintenance else "incident",
        "impact": _text(record.get("impact")),
        "status": _text(record.get("status")),
        "announced_at": _text(record.get("created_at")),
        "started_at": _text(
            record.get("scheduled_for")
            if maintenance
            else record.get("started_at") or record.get("created_at")
        ),
        "ended_at": _text(
            record.get("scheduled_until") if maintenance else record.get("resolved_at")
        ),
        "components": _text(record.get("components")),
    }
    for column, path in fields.items():
        row[column] = _text(_at(record, path))
    return row


def _generic_row(record: Record, fields: Mapping[str, str]) -> Row:
    row: Row = {column: _text(_at(record, path)) for column, path in fields.items()}
    kind = (row.get("type") or "incident").lower()
    row["type"] = "maintenance" if "maint" in kind else "incident"
    return {column: row.get(column) for column in FEED_COLUMNS}


def feed_rows(feed: StatusFeed, documents: Iterable[object]) -> list[Row]:
    """The rows of the documents a poll fetched, one per incident or maintenance (by id)."""
    rows: dict[str, Row] = {}
    for document in documents:
        for record in _records(feed, document):
            row = (
                _statuspage_row(record, feed.fields)
                if feed.layout == "statuspage"
                else _generic_row(record, feed.fields)
            )
            if row.get("id"):
                rows[str(row["id"])] = row
    return list(rows.values())


def _records(feed: StatusFeed, document: object) -> list[Record]:
    if feed.layout == "statuspage":
        if not isinstance(document, dict):
            return []
        found: list[Record] = []
        for key in ("incidents", "scheduled_maintenances"):
            items = document.get(key)
            if isinstance(items, list):
                found.extend(item for item in items if isinstance(item, dict))
        return found
    listed = _at({"_": document}, f"_.{feed.records}") if feed.records else document
    if not isinstance(listed, list):
        raise DataError(f"the feed at {feed.url} has no list at {feed.records or 'its top'}")
    return [item for item in listed if isinstance(item, dict)]


def _declared(rows: Iterable[Row]) -> list[DeclaredIncident]:
    found = []
    for row in rows:
        if row.get("type") != "incident":
            continue
        try:
            started = _instant(row.get("started_at"))
            ended = _instant(row.get("ended_at")) if row.get("ended_at") else None
        except ValueError:
            continue  # the checked rows set it aside, with the reason
        if started is not None:
            found.append(
                DeclaredIncident(
                    str(row["id"]), row.get("name") or "", row.get("impact") or "", started, ended
                )
            )
    return found


def _instant(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return parsed.astimezone(dt.UTC)


@dataclass
class StatusFeedConnector:
    """Reads status-feed sources; what polls found is kept under ``work_dir``."""

    work_dir: Path
    progress: Callable[[int, int, str], None] | None = None
    transport: httpx.BaseTransport | None = None
    timeout: dt.timedelta = field(default=dt.timedelta(seconds=20))

    def _documents(self, feed: StatusFeed) -> list[object]:
        base = feed.url.rstrip("/")
        urls = (
            [f"{base}/api/v2/incidents.json", f"{base}/api/v2/summary.json"]
            if feed.layout == "statuspage"
            else [feed.url]
        )
        documents = []
        with httpx.Client(timeout=self.timeout.total_seconds(), transport=self.transport) as client:
            for done, url in enumerate(urls):
                if self.progress is not None:
                    self.progress(done, len(urls), f"status feed {url}")
                try:
                    answer = client.get(url, headers={"Accept": "application/json"})
                except httpx.HTTPError as exc:
                    raise DataError(f"cannot reach the status feed at {url}: {exc}") from None
                if answer.status_code != 200:
                    raise DataError(f"the status feed at {url} answered {answer.status_code}")
                try:
                    documents.append(answer.json())
                except ValueError:
                    raise DataError(f"the status feed at {url} is not JSON") from None
        return documents

    def _kept_path(self, feed: StatusFeed, source: Source) -> Path:
        name = hashlib.sha256(feed.model_dump_json().encode()).hexdigest()[:16]
        return self.work_dir / f"{source.id}-polled-{name}.json"

    def _polled(self, source: Source) -> list[Row]:
        """This poll's rows merged into those of earlier polls (kept on disk)."""
        feed = source.status_feed
        assert feed is not None
        fresh = feed_rows(feed, self._documents(feed))
        kept = self._kept_path(feed, source)
        rows: dict[str, Row] = {}
        if kept.exists():
            rows = {str(r["id"]): r for r in json.loads(kept.read_text(encoding="utf-8"))}
        rows.update({str(r["id"]): r for r in fresh})
        self.work_dir.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".tmp")
        content = json.dumps(list(rows.values()))
        partial.write_text(content, encoding="utf-8")
        partial.replace(kept)
        prune_polls(self.work_dir, source.id, _content_hash(content.encode()))
        return list(rows.values())

    def check(self, source: Source) -> str:
        feed = source.status_feed
        assert feed is not None
        rows = feed_rows(feed, self._documents(feed))
        incidents = sum(1 for r in rows if r["type"] == "incident")
        return (
            f"{incidents} incident(s) and {len(rows) - incidents} maintenance from the "
            f"{feed.layout} feed at {feed.url}"
        )

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> Fetched:
        del start_at, end_at, now  # a feed is read whole: it is short
        return self._fetched(source, self._polled(source), self.work_dir / source.id)

    def kept(self, source: Source) -> Fetched | None:
        """What earlier polls of the source's feed found, checked as a poll's rows are,
        without polling (a public page must not make Accord call a partner on each view);
        ``None`` before the first poll."""
        feed = source.status_feed
        assert feed is not None
        kept = self._kept_path(feed, source)
        if not kept.exists():
            return None
        content = kept.read_bytes()
        # Named by what was kept: views of the same polls share one checked file, written
        # whole, and never touch the files a poll is writing.
        stem = self.work_dir / f"{source.id}-kept-{_content_hash(content)}"
        checked = stem.with_name(f"{stem.name}-checked")
        report = read_report(checked)
        if report is not None:  # checked by an earlier view of the same polls
            rows = [r for r in json.loads(content) if r["type"] == _TYPES.get(source.kind)]
            return Fetched([checked.with_suffix(".parquet")], report, _declared(rows))
        return self._fetched(source, json.loads(content), stem)

    def _fetched(self, source: Source, polled: list[Row], stem: Path) -> Fetched:
        rows = [r for r in polled if r["type"] == _TYPES.get(source.kind)]
        lines = stem.with_name(f"{stem.name}-rows.jsonl")
        partial = lines.with_name(f"{lines.name}.{os.getpid()}-{threading.get_ident()}")
        partial.write_text(
            "".join(json.dumps({**r, "filename": f"feed {r['id']}"}) + "\n" for r in rows),
            encoding="utf-8",
        )
        os.replace(partial, lines)
        names = (*FEED_COLUMNS, "filename")
        columns = shape(dict.fromkeys(names, "VARCHAR"))
        reader = reading(
            "read_json", text(str(lines)), format=text("newline_delimited"), columns=columns
        )
        query = exp.select("*").from_(reader)
        if not rows:
            typed_nulls = [exp.alias_(typed(exp.Null(), "VARCHAR"), c) for c in names]
            query = exp.select(*typed_nulls).where(exp.false())
        target, report = write_checked(source, query, stem.with_name(f"{stem.name}-checked"))
        report.files = [source.status_feed.url if source.status_feed else source.id]
        return Fetched(files=[target], report=report, declared=_declared(rows))


def _content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def _stale_pattern(source_id: str, current: str) -> re.Pattern[str]:
    """The names of a source's cached files that no view or poll reads any more: the views'
    files of merged polls other than ``current`` (rows, checked rows, report, rows set
    aside) and any half-written file (``…tmp``, ``….<pid>-<thread>``)."""
    name = re.escape(source_id)
    hexes = "[0-9a-f]{16}"
    partial = r"(?:\.tmp|\.\d+-\d+)"
    return re.compile(
        rf"^{name}-(?:"
        rf"kept-(?!{current}-){hexes}-(?:rows\.jsonl|checked(?:\.parquet|\.json|-quarantine))"
        rf"|kept-{hexes}-(?:rows\.jsonl{partial}|checked\.parquet\.tmp)"
        rf"|polled-{hexes}\.tmp"
        rf"|rows\.jsonl{partial}"
        rf"|checked\.parquet\.tmp"
        rf")$"
    )


def prune_polls(
    work_dir: Path, source_id: str, current: str, *, older_than: dt.timedelta = STALE_AFTER
) -> list[Path]:
    """Remove the source's cached files of earlier polls (``_stale_pattern``; ``current``
    is the hash of the merged polls now kept) last written more than ``older_than`` ago,
    and log them; the merged polls of each feed and the latest poll's rows stay. Returns
    what was removed, by name order."""
    if not work_dir.is_dir():
        return []
    stale = _stale_pattern(source_id, current)
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for path in sorted(work_dir.iterdir()):
        if not stale.match(path.name):
            continue
        try:
            if path.stat().st_mtime > cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:  # removed by a poll running beside this one
            continue
        removed.append(path)
    if removed:
        _log.info(
            "status feed %s: removed %d cached file(s) of earlier polls from %s: %s",
            source_id,
            len(removed),
            work_dir,
            ", ".join(path.name for path in removed),
        )
    return removed
