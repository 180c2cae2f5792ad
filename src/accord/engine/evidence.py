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

import fnmatch
import glob
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

import duckdb
from sqlglot import exp

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
from accord.engine import sql
from accord.engine.rows import source_table
from accord.engine.sources import (
    BadRowPolicy,
    DataError,
    SourceReader,
    as_seconds,
    from_seconds,
    sql_type,
)

__all__ = [
    "Judged",
    "PlacementError",
    "SourceRows",
    "copy_evidence_rows",
]

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
    """The rows of one source that the verdicts need, as conditions over its table."""

    source: Source
    window_rows: list[exp.Expr] = field(default_factory=list)
    scope_rows: list[tuple[tuple[str, ...], exp.Expr]] = field(default_factory=list)
    periods: list[exp.Expr] = field(default_factory=list)
    #: Ticket sources whose rows' keys select this source's rows (status changes).
    tickets_of: list[Source] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def add_role(self, role: str) -> None:
        if role not in self.roles:
            self.roles.append(role)


_NeedOf = Callable[[str], _Needs]


_NOT_FILES = (SourceFormat.PUSH, SourceFormat.RECORDED)


def copy_evidence_rows(
    agreement: Agreement,
    judged: Sequence[Judged],
    reader: SourceReader,
    data_dir: Path,
    out_dir: Path,
) -> list[SourceRows]:
    """Copy the rows the judged objectives need from ``data_dir`` (read by ``reader``, as
    the evaluation read them) to ``out_dir``.

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
            found = reader.find(source, data_dir)
            reader.load(con, source, found, BadRowPolicy.QUARANTINE, None)
            selection = _selection(need, agreement.timezone)
            con.execute(sql.render(sql.create_temp(_selected(source.id), selection)))
            copied.append(_write_selected(con, need, data_dir, out_dir))
    _check_paths(files, copied, reader, out_dir)
    order = {s.id: index for index, s in enumerate(agreement.sources)}
    return sorted(copied, key=lambda item: order[item.source])


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
        ts = sql.column(rows.source.timestamp)
        rows.window_rows += [
            exp.and_(
                exp.GTE(this=ts.copy(), expression=sql.instant(s.start_at)),
                exp.LT(this=ts.copy(), expression=sql.instant(s.end_at)),
                selects.copy(),
            )
            for s in item.spans
        ]
        if objective.scope:
            rows.scope_rows.append((tuple(objective.scope), selects))
        rows.add_role(f"rows of objective {objective.id} in its window")
        _plan_pauses(indicator, sources, need)
        for exclusion, ends in _period_exclusions(agreement, objective, sources):
            periods = need(exclusion.source or "")
            start = sql.column(periods.source.timestamp)
            periods.periods += [
                exp.and_(
                    exp.LT(this=start.copy(), expression=sql.instant(s.end_at)),
                    exp.GT(this=sql.column(ends), expression=sql.instant(s.start_at)),
                )
                for s in item.spans
            ]
            periods.add_role(f"periods of exclusion {exclusion.id}")
    return needs


def _selects(indicator: Indicator, objective: Objective) -> exp.Expr:
    """True for the rows the indicator's and the objective's conditions select."""
    conditions = [
        sql.holds(condition)
        for condition in (indicator.where, objective.where)
        if condition is not None
    ]
    return sql.all_of(*conditions) or exp.true()


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


def _selection(need: _Needs, timezone: str) -> exp.Select:
    """The needed rows of one source, under their logical names."""
    table = source_table(need.source.id)
    ts = sql.column(need.source.timestamp)
    wanted = list(need.window_rows)
    overlapping = sql.any_of(need.periods)
    if overlapping is not None:
        local = exp.Anonymous(this="timezone", expressions=[sql.text(timezone), ts.copy()])
        month = exp.Anonymous(this="date_trunc", expressions=[sql.text("month"), local])
        months = exp.select(month.copy()).from_(table.copy()).where(overlapping.copy())
        wanted += [overlapping, month.isin(query=months)]
    wanted += [_same_tickets(need.source, tickets) for tickets in need.tickets_of]
    main = sql.any_of(sql.holds(condition) for condition in wanted) or exp.false()
    if not need.scope_rows:
        return exp.select("*").from_(table).where(main)
    others = [name for name in need.source.columns if name != need.source.timestamp]
    order = [exp.Ordered(this=column) for column in sql.columns_of([ts.name, *others])]
    samples = [
        exp.Paren(
            this=exp.and_(
                selects.copy(),
                exp.EQ(
                    this=exp.Window(
                        this=exp.RowNumber(),
                        partition_by=[*sql.columns_of(scope), exp.Paren(this=selects.copy())],
                        order=exp.Order(
                            expressions=[
                                exp.Ordered(this=exp.Paren(this=main.copy()), desc=True),
                                *(o.copy() for o in order),
                            ]
                        ),
                    ),
                    expression=sql.number(1),
                ),
            )
        )
        for scope, selects in need.scope_rows
    ]
    return exp.select("*").from_(table).qualify(exp.or_(main, *samples))


def _same_tickets(source: Source, tickets: Source) -> exp.Expr:
    """Rows whose key is the key of a ticket taken (all rows when a side has no key; none
    when the tickets are pushed, which the command line evaluates as no data)."""
    if tickets.format is SourceFormat.PUSH:
        return exp.false()
    if source.key is None or tickets.key is None:
        return exp.true()
    taken = exp.select(sql.column(tickets.key)).from_(sql.table(_selected(tickets.id)))
    return sql.column(source.key).isin(query=taken)


def _selected(source_id: str) -> str:
    return f"evidence_{source_id}"


# -- writing ------------------------------------------------------------------------------


def _physical(source: Source) -> list[exp.Expr]:
    """Each physical column once, from its first logical column, in the column's unit."""
    select: list[exp.Expr] = []
    seen: set[str] = set()
    for name, column in source.columns.items():
        if column.column in seen:
            continue
        seen.add(column.column)
        value: exp.Expr = sql.column(name)
        if column.type is ColumnType.DURATION:
            assert column.unit is not None
            # A short decimal where it reads back as the very same seconds, else exact.
            raw = from_seconds(sql.column(name), column.unit)
            short = sql.call("round", raw.copy(), sql.number(6))
            back = as_seconds(short.copy(), column.unit)
            value = exp.Case(
                ifs=[exp.If(this=exp.EQ(this=back, expression=sql.column(name)), true=short)],
                default=raw,
            )
        select.append(exp.alias_(value, column.column, quoted=True))
    return select


def _options(source: Source) -> dict[str, exp.Expr | None]:
    if source.format is SourceFormat.CSV:
        return {"format": exp.var("CSV"), "header": None}
    if source.format is SourceFormat.JSONL:
        return {"format": exp.var("JSON"), "file_extension": sql.text("jsonl")}
    return {"format": exp.var("PARQUET")}


def _in_order(source: Source, rows: exp.Expr) -> exp.Select:
    """The rows in the source's physical form, sorted by every column (``ORDER BY ALL``):
    the same rows make the same file."""
    return exp.select(*_physical(source)).from_(rows).order_by(exp.Ordered(this=exp.var("ALL")))


def _write_selected(
    con: duckdb.DuckDBPyConnection, need: _Needs, data_dir: Path, out_dir: Path
) -> SourceRows:
    source = need.source
    selected = sql.table(_selected(source.id))
    counted = exp.select(sql.call("count", exp.Star())).from_(selected.copy())
    row = con.execute(sql.render(counted)).fetchone()
    rows = int(row[0]) if row else 0
    placement = _placement(source, data_dir)
    if rows == 0 or not placement.partitions:
        _copy(con, source, selected, out_dir / placement.file)
        return SourceRows(source.id, (placement.file.as_posix(),), rows, tuple(need.roles))
    folder = out_dir / placement.folder
    folder.mkdir(parents=True, exist_ok=True)
    partitions = exp.Tuple(expressions=sql.columns_of(placement.partitions))
    statement = sql.copy_to(
        _in_order(source, selected),
        folder,
        **_options(source),
        partition_by=partitions,
        filename_pattern=sql.text(f"{_STEM}{{i}}"),
    )
    con.execute(sql.render(statement))
    written = sorted(
        Path(found).relative_to(out_dir).as_posix()
        for found in glob.glob(str(folder / "**" / f"{_STEM}*"), recursive=True)
        if Path(found).is_file()
    )
    return SourceRows(source.id, tuple(written), rows, tuple(need.roles))


def _copy(con: duckdb.DuckDBPyConnection, source: Source, rows: exp.Expr, target: Path) -> None:
    """The ``rows`` (logical columns) as one file in the source's own form."""
    target.parent.mkdir(parents=True, exist_ok=True)
    statement = sql.copy_to(_in_order(source, rows), target, **_options(source))
    con.execute(sql.render(statement))


def _write_empty(
    con: duckdb.DuckDBPyConnection, source: Source, data_dir: Path, out_dir: Path
) -> SourceRows:
    """A file with the source's columns and no rows."""
    typed = [
        exp.alias_(sql.typed(exp.Null(), sql_type(column.type)), name, quoted=True)
        for name, column in source.columns.items()
    ]
    file = _placement(source, data_dir).file
    nothing = exp.select(*typed).where(exp.false()).subquery()
    _copy(con, source, nothing, out_dir / file)
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


def _check_paths(
    sources: Sequence[Source], copied: Sequence[SourceRows], reader: SourceReader, out_dir: Path
) -> None:
    """Every source's path matches its own files and no other's, as ``reader`` finds them."""
    own = {item.source: set(item.files) for item in copied}
    written = [file for item in copied for file in item.files]
    shared = sorted({file for file in written if written.count(file) > 1})
    if shared:
        raise PlacementError(
            f"several sources read {', '.join(shared)}; sources sharing files cannot be bundled"
        )
    for source in sources:
        try:
            matched = reader.find(source, out_dir)
        except DataError:
            matched = []
        found = {str(Path(path).relative_to(out_dir)) for path in matched if Path(path).is_file()}
        if found != own[source.id]:
            others = sorted(found - own[source.id]) or sorted(own[source.id] - found)
            raise PlacementError(
                f"source {source.id!r}: its path {source.path!r} would read "
                f"{', '.join(others)} in the bundle; sources with overlapping paths cannot be "
                "bundled"
            )
