"""The rows behind verdicts: which rows of each source they need, copied in the source's form.

An evidence bundle holds the rows a verdict needs, so that evaluating the bundle gives the
same verdict. The rule, per source, with the windows of the verdicts to reproduce:

- the indicator's source: every row placed in one of the windows (by the source's
  timestamp, ``[start, end)``) that the indicator's and the objective's conditions select;
  plus, for every scope value the objective has seen at any time, one row of that scope
  (one in the window where there is one), so that a scope silent in the window is still
  reported; such a row lies outside the window and counts for nothing;
- a pause source (status changes): every change of every ticket taken, whenever it
  happened, because a pause lasts from one change to the next;
- a source listing excluded periods (maintenance, declared incidents): every period that
  overlaps one of the windows, and every period that starts in the same calendar month (in
  the agreement's time zone) as one of those, because a monthly cap is used up by the
  periods starting in a month, earliest first;
- every other file source of the agreement: no rows, but a file with its columns, so that
  an evaluation finds every source it reads.

Rows are written under their physical column names, in the source's format: durations in
the column's unit, timestamps in UTC with an explicit zone. All work on rows is DuckDB.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

import duckdb

from accord.core.exclusions.spec import Exclusion
from accord.core.model import Agreement
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    ColumnType,
    Indicator,
    Source,
    SourceFormat,
)
from accord.core.model.objectives import Objective
from accord.core.periods import WindowSpan
from accord.engine.sources import (
    _TO_SECONDS,
    SQL_TYPES,
    BadRowPolicy,
    load_source,
    quote,
    source_table,
)
from accord.engine.sql import instant, render

__all__ = [
    "Judged",
    "PlacementError",
    "SourceRows",
    "copy_evidence_rows",
]

#: Seconds back to a duration column's unit: the inverse of how the engine reads them.
_FROM_SECONDS: Final = {"ms": "* 1000.0", "s": "* 1.0", "m": "/ 60.0", "h": "/ 3600.0"}
_GLOB: Final = re.compile(r"\*\*|\*|\?|\[[^\]]*\]")
_PARTITION: Final = re.compile(r"^([^=*?\[\]]+)=\*$")
_STEM: Final = "evidence"


class PlacementError(ValueError):
    """A source whose path cannot be reproduced inside a bundle."""


@dataclass(frozen=True)
class Judged:
    """An objective and the windows whose verdicts the copied rows must reproduce."""

    objective: Objective
    spans: tuple[WindowSpan, ...]


@dataclass(frozen=True)
class SourceRows:
    """What was copied of one source: its files (relative to the output folder) and rows."""

    source: str
    files: tuple[str, ...]
    rows: int
    #: Why the rows are there, in plain words; empty for a source the verdicts do not read.
    roles: tuple[str, ...]


@dataclass
class _Needs:
    """The rows of one source that the verdicts need, as SQL conditions over its table."""

    source: Source
    window_rows: list[str] = field(default_factory=list)
    scope_rows: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    #: Ticket sources whose rows' keys select this source's rows (status changes).
    tickets_of: list[Source] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def add_role(self, role: str) -> None:
        if role not in self.roles:
            self.roles.append(role)


_NeedOf = Callable[[str], _Needs]


_NOT_FILES = (SourceFormat.PUSH, SourceFormat.RECORDED)


def copy_evidence_rows(
    agreement: Agreement, judged: Sequence[Judged], data_dir: Path, out_dir: Path
) -> list[SourceRows]:
    """Copy the rows the judged objectives need from ``data_dir`` to ``out_dir``.

    Raises ``DataError`` (unreadable data) or ``PlacementError`` (a path no bundle can hold).
    """
    needs = _plan(agreement, judged)
    # Pushed batches and the service's records are not in the data folder.
    files = [s for s in agreement.sources if s.format not in _NOT_FILES]
    copied: list[SourceRows] = []
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        # Sources that select by the keys of another source's rows come last.
        for source in sorted(files, key=lambda s: s.id in needs and bool(needs[s.id].tickets_of)):
            need = needs.get(source.id)
            if need is None:
                copied.append(_write_empty(con, source, data_dir, out_dir))
                continue
            load_source(con, source, data_dir, BadRowPolicy.QUARANTINE, None)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {_selected(source.id)} AS "
                f"{_selection_sql(need, agreement.timezone)}"
            )
            copied.append(_write_selected(con, need, data_dir, out_dir))
    _check_paths(files, copied, out_dir)
    order = {s.id: index for index, s in enumerate(agreement.sources)}
    return sorted(copied, key=lambda item: order[item.source])


def literal_ts(at: dt.datetime) -> str:
    return render(instant(at))


# -- which rows ---------------------------------------------------------------------------


def _plan(agreement: Agreement, judged: Sequence[Judged]) -> dict[str, _Needs]:
    sources = {s.id: s for s in agreement.sources}
    indicators = {i.id: i for i in agreement.indicators}
    needs: dict[str, _Needs] = {}

    def need(source_id: str) -> _Needs:
        return needs.setdefault(source_id, _Needs(sources[source_id]))

    for item in judged:
        objective = item.objective
        indicator = indicators[objective.indicator]
        rows = need(indicator.source)
        selects = _selects(indicator, objective)
        ts = quote(rows.source.timestamp)
        rows.window_rows += [
            f"({ts} >= {literal_ts(s.start_at)} AND {ts} < {literal_ts(s.end_at)} AND {selects})"
            for s in item.spans
        ]
        if objective.scope:
            rows.scope_rows.append((tuple(objective.scope), selects))
        rows.add_role(f"rows of objective {objective.id} in its window")
        _plan_pauses(indicator, sources, need)
        for exclusion, ends in _period_exclusions(agreement, objective, sources):
            periods = need(exclusion.source or "")
            start = quote(periods.source.timestamp)
            periods.periods += [
                f"({start} < {literal_ts(s.end_at)} AND {quote(ends)} > {literal_ts(s.start_at)})"
                for s in item.spans
            ]
            periods.add_role(f"periods of exclusion {exclusion.id}")
    return needs


def _selects(indicator: Indicator, objective: Objective) -> str:
    """SQL true for the rows the indicator's and the objective's conditions select."""
    conditions = [
        f"coalesce(({condition.sql()}), false)"
        for condition in (indicator.where, objective.where)
        if condition is not None
    ]
    return " AND ".join(conditions) or "true"


def _plan_pauses(indicator: Indicator, sources: dict[str, Source], need: _NeedOf) -> None:
    if not isinstance(indicator, BusinessDurationIndicator) or indicator.pauses is None:
        return
    changes = need(indicator.pauses.source)
    tickets = sources[indicator.source]
    if tickets not in changes.tickets_of:
        changes.tickets_of.append(tickets)
    changes.add_role(f"status changes of the tickets of {indicator.source} (pauses)")


def _period_exclusions(
    agreement: Agreement, objective: Objective, sources: dict[str, Source]
) -> Iterable[tuple[Exclusion, str]]:
    """The objective's exclusions that list periods, with the column where each ends (as the
    engine decides: the exclusion's ``ends``, else the source's ``ends_at``)."""
    for exclusion in agreement.exclusions:
        if objective.exclusions is not None and exclusion.id not in objective.exclusions:
            continue
        source = sources.get(exclusion.source or "")
        if source is None or source.format in _NOT_FILES:
            continue
        ends = exclusion.ends or ("ends_at" if "ends_at" in source.columns else None)
        if ends is not None:
            yield exclusion, ends


def _selection_sql(need: _Needs, timezone: str) -> str:
    """The needed rows of one source, under their logical names."""
    table = source_table(need.source.id)
    ts = quote(need.source.timestamp)
    wanted = list(need.window_rows)
    if need.periods:
        overlapping = " OR ".join(need.periods)
        zone = timezone.replace("'", "''")
        month = f"date_trunc('month', timezone('{zone}', {ts}))"
        wanted += [
            overlapping,
            f"{month} IN (SELECT {month} FROM {table} WHERE {overlapping})",
        ]
    wanted += [_same_tickets(need.source, tickets) for tickets in need.tickets_of]
    main = " OR ".join(f"coalesce({condition}, false)" for condition in wanted) or "false"
    if not need.scope_rows:
        return f"SELECT * FROM {table} WHERE {main}"
    order = ", ".join(
        [ts, *(quote(name) for name in need.source.columns if name != need.source.timestamp)]
    )
    samples = [
        f"({selects} AND row_number() OVER (PARTITION BY {', '.join(map(quote, scope))}, "
        f"({selects}) ORDER BY ({main}) DESC, {order}) = 1)"
        for scope, selects in need.scope_rows
    ]
    return f"SELECT * FROM {table} QUALIFY {main} OR {' OR '.join(samples)}"


def _same_tickets(source: Source, tickets: Source) -> str:
    """Rows whose key is the key of a ticket taken (all rows when a side has no key; none
    when the tickets are pushed, which the command line evaluates as no data)."""
    if tickets.format is SourceFormat.PUSH:
        return "false"
    if source.key is None or tickets.key is None:
        return "true"
    return f"{quote(source.key)} IN (SELECT {quote(tickets.key)} FROM {_selected(tickets.id)})"


def _selected(source_id: str) -> str:
    return quote(f"evidence_{source_id}")


# -- writing ------------------------------------------------------------------------------


def _physical(source: Source) -> list[str]:
    """Each physical column once, from its first logical column, in the column's unit."""
    select: list[str] = []
    seen: set[str] = set()
    for name, column in source.columns.items():
        if column.column in seen:
            continue
        seen.add(column.column)
        value = quote(name)
        if column.type is ColumnType.DURATION:
            assert column.unit is not None
            # A short decimal where it reads back as the very same seconds, else exact.
            raw = f"({value} {_FROM_SECONDS[column.unit]})"
            short = f"round({raw}, 6)"
            back = f"{short} {_TO_SECONDS[column.unit]}"
            value = f"CASE WHEN {back} = {value} THEN {short} ELSE {raw} END"
        select.append(f"{value} AS {quote(column.column)}")
    return select


def _options(source: Source) -> str:
    if source.format is SourceFormat.CSV:
        return "FORMAT CSV, HEADER"
    if source.format is SourceFormat.JSONL:
        return "FORMAT JSON, FILE_EXTENSION 'jsonl'"
    return "FORMAT PARQUET"


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _write_selected(
    con: duckdb.DuckDBPyConnection, need: _Needs, data_dir: Path, out_dir: Path
) -> SourceRows:
    source = need.source
    row = con.execute(f"SELECT count(*) FROM {_selected(source.id)}").fetchone()
    rows = int(row[0]) if row else 0
    placement = _placement(source, data_dir)
    if rows == 0 or not placement.partitions:
        _copy(con, source, _selected(source.id), out_dir / placement.file)
        return SourceRows(source.id, (placement.file.as_posix(),), rows, tuple(need.roles))
    folder = out_dir / placement.folder
    folder.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(quote(name) for name in placement.partitions)
    con.execute(
        f"COPY (SELECT {', '.join(_physical(source))} FROM {_selected(source.id)} "
        f"ORDER BY ALL) TO {_literal(folder)} "
        f"({_options(source)}, PARTITION_BY ({columns}), FILENAME_PATTERN '{_STEM}{{i}}')"
    )
    written = sorted(
        Path(found).relative_to(out_dir).as_posix()
        for found in glob.glob(str(folder / "**" / f"{_STEM}*"), recursive=True)
        if Path(found).is_file()
    )
    return SourceRows(source.id, tuple(written), rows, tuple(need.roles))


def _copy(con: duckdb.DuckDBPyConnection, source: Source, table: str, target: Path) -> None:
    """The rows of ``table`` (logical columns) as one file in the source's own form."""
    target.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT {', '.join(_physical(source))} FROM {table} ORDER BY ALL) "
        f"TO {_literal(target)} ({_options(source)})"
    )


def _write_empty(
    con: duckdb.DuckDBPyConnection, source: Source, data_dir: Path, out_dir: Path
) -> SourceRows:
    """A file with the source's columns and no rows."""
    typed = ", ".join(
        f"CAST(NULL AS {SQL_TYPES[column.type]}) AS {quote(name)}"
        for name, column in source.columns.items()
    )
    file = _placement(source, data_dir).file
    _copy(con, source, f"(SELECT {typed} WHERE false)", out_dir / file)
    return SourceRows(source.id, (file.as_posix(),), 0, ())


# -- where the files go -------------------------------------------------------------------


@dataclass(frozen=True)
class _Placement:
    """Where a source's rows go: one file, or partitioned folders under ``folder``."""

    file: PurePosixPath
    folder: PurePosixPath
    partitions: tuple[str, ...] = ()


def _placement(source: Source, data_dir: Path) -> _Placement:
    """A path the source's ``path`` matches, as the engine finds files: a glob gets
    ``evidence`` for each wildcard; a folder gets ``evidence.<format>``; folders named
    ``column=*`` for a column of the source become one folder per value of that column
    (the engine takes such a column's value from the folder name)."""
    assert source.path is not None
    path = PurePosixPath(source.path)
    if path.is_absolute() or ".." in path.parts or "\\" in source.path:
        raise PlacementError(
            f"source {source.id!r}: path {source.path!r} leads outside the data folder, "
            "so it cannot be placed in a bundle"
        )
    extension = source.format.value
    if not _GLOB.search(source.path):
        if (data_dir / source.path).is_dir():
            path = path / f"{_STEM}.{extension}"
        return _Placement(path, path.parent)
    physical = {column.column for column in source.columns.values()}
    parts = list(path.parts)
    partitioned = {
        index: match.group(1)
        for index, part in enumerate(parts[:-1])
        if (match := _PARTITION.match(part)) and match.group(1) in physical
    }
    file = PurePosixPath(*(_fill(part) for part in parts))
    if not partitioned:
        return _Placement(file, file.parent)
    first = min(partitioned)
    if list(partitioned) != list(range(first, len(parts) - 1)) or not fnmatch.fnmatchcase(
        f"{_STEM}0.{extension}", parts[-1]
    ):
        raise PlacementError(
            f"source {source.id!r}: cannot place rows at a path that {source.path!r} matches; "
            "partition folders (column=*) must come right before the file name"
        )
    folder = PurePosixPath(*(_fill(part) for part in parts[:first]))
    return _Placement(file, folder, tuple(partitioned.values()))


def _fill(part: str) -> str:
    """One path segment with each wildcard replaced by a name it matches."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("*", "**"):
            return _STEM
        if token == "?":
            return "e"
        inside = token[1:-1]
        if not inside or inside[0] in "!^":
            raise PlacementError(f"cannot fill the wildcard {token!r} of a source path")
        return inside[0]

    return _GLOB.sub(one, part)


def _check_paths(sources: Sequence[Source], copied: Sequence[SourceRows], out_dir: Path) -> None:
    """Every source's path matches its own files and no other's."""
    own = {item.source: set(item.files) for item in copied}
    written = [file for item in copied for file in item.files]
    shared = sorted({file for file in written if written.count(file) > 1})
    if shared:
        raise PlacementError(
            f"several sources read {', '.join(shared)}; sources sharing files cannot be bundled"
        )
    for source in sources:
        assert source.path is not None
        pattern = out_dir / source.path
        if pattern.is_dir():
            pattern = pattern / "**" / f"*.{source.format.value}"
        found = {
            str(Path(path).relative_to(out_dir))
            for path in glob.glob(str(pattern), recursive=True)
            if Path(path).is_file()
        }
        if found != own[source.id]:
            others = sorted(found - own[source.id]) or sorted(own[source.id] - found)
            raise PlacementError(
                f"source {source.id!r}: its path {source.path!r} would read "
                f"{', '.join(others)} in the bundle; sources with overlapping paths cannot be "
                "bundled"
            )
