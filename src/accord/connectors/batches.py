"""Pushed measurement batches: checked like files, deduplicated by event id, stored durably.

A batch is a list of events keyed by the source's physical column names, exactly as a row of
one of its files would be (or a JSON-lines, CSV or Parquet file of them), read as a file
(``accord.connectors.files``). It goes through the engine's own checks
(``accord.engine.sources``: same reasons, samples, quarantine and reject policy), and its
good rows become one Parquet file in the shape the engine reads pushed sources from
(``stored_source``: logical names, typed, durations in seconds).

Events are identified by the source's row identity (its ``key``, the event id; for status
changes the key and the instant). An event that repeats inside the batch, or whose identity a
recorded batch of the source already holds, is dropped and counted as a duplicate, so a
retried batch stores nothing twice. Within a batch the first occurrence wins. The identities
already held are not found by reading earlier batch files (that cost grew with every batch)
but by asking ``known``, an index the caller keeps: each accepted event's identity key
(``identity_key``: the SHA-256 of its typed identity values, 128 bits) comes back in
``BatchResult.keys`` for the caller to record with the batch, in the same transaction.
``stored_keys`` reads the keys of a batch file already written, to index batches stored
before there was an index (or under an identity the source no longer has). All of this is
set-based in DuckDB; the only Python per event is writing a list of events as JSON lines and
handing the keys over.

The file is written under a temporary name in the batch folder, flushed to disk, renamed
into place and the folder synced, so that it is either wholly there or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeAlias

import duckdb
from sqlglot import exp

from accord.connectors.files import read_files
from accord.core.evaluation import SourceIssue
from accord.core.model.measurement import Source, SourceFormat
from accord.engine import sql
from accord.engine.rows import source_table
from accord.engine.sources import BadRowPolicy, DataError, load_rows, row_identity

__all__ = [
    "BATCH_ID_PATTERN",
    "BatchResult",
    "InvalidBatchId",
    "KnownKeys",
    "check_batch_id",
    "stored_keys",
    "write_batch",
]

#: Of the identity keys given, those a recorded batch of the source already holds.
KnownKeys: TypeAlias = Callable[[Sequence[str]], Collection[str]]

#: A batch id is used as a file name: letters, digits, dot, dash and underscore, not
#: starting with a dot (no hidden files, no ``.`` or ``..``).
BATCH_ID_PATTERN: Final = re.compile(r"(?!\.)[A-Za-z0-9._-]{1,100}")
_CHUNK: Final = 1 << 20
_INCOMING: Final = "batch_incoming"
_UNIQUE: Final = "batch_unique"
_ACCEPTED: Final = "batch_accepted"
_KEYED: Final = "batch_keyed"
_KNOWN: Final = "batch_known"
_KEY: Final = "__identity_key"
#: A batch handed over as a file is read by its suffix: CSV or Parquet (as uploaded through
#: the web app), JSON lines otherwise.
_FORMATS: Final = {".csv": SourceFormat.CSV, ".parquet": SourceFormat.PARQUET}


class InvalidBatchId(ValueError):
    """A batch id that cannot safely name a file."""


@dataclass(frozen=True)
class BatchResult:
    """What became of one pushed batch. ``received = accepted + duplicates + rejected``."""

    batch_id: str
    path: Path | None
    """The Parquet file written, or None when no event was accepted."""
    received: int
    accepted: int
    duplicates: int
    rejected: int
    issues: tuple[SourceIssue, ...]
    """Why events were rejected: the engine's reasons, with counts and samples."""
    quarantine_path: Path | None
    digest: str | None
    """SHA-256 (hex) of the written file, or None when none was written."""
    first_at: dt.datetime | None = None
    """The earliest instant among the accepted events (UTC), None when none was accepted;
    with ``last_at``, the windows that (late) data touches."""
    last_at: dt.datetime | None = None
    keys: tuple[str, ...] = ()
    """The identity key of each accepted event (none for a source without a key): what the
    caller records so that a later batch finds them through ``known``."""


def check_batch_id(batch_id: str) -> None:
    """Raise InvalidBatchId unless the batch id is a safe file name."""
    if not BATCH_ID_PATTERN.fullmatch(batch_id):
        raise InvalidBatchId(
            f"batch id {batch_id[:120]!r} is not allowed: use 1 to 100 letters, digits, "
            "'.', '-' or '_', not starting with '.'"
        )


def write_batch(  # noqa: PLR0913 (keyword-only; every argument is required and distinct)
    *,
    source: Source,
    events: list[dict[str, object]] | Path,
    batch_dir: Path,
    batch_id: str,
    known: KnownKeys,
    policy: BadRowPolicy,
    quarantine_dir: Path | None,
) -> BatchResult:
    """Check a batch against its source, drop duplicates (repeats inside the batch, and
    events whose identity key ``known`` already holds) and store the rest as
    ``batch_dir/<batch_id>.parquet``.

    Raises InvalidBatchId for an unsafe batch id; DataError when the events cannot be read
    or lack a column of the source, and (``RejectedRows``, with the report) when policy
    ``reject`` meets a bad event; OSError when the file cannot be written. Bad events under
    policy ``quarantine`` are written to ``quarantine_dir/<batch_id>/<source>.csv``.
    """
    check_batch_id(batch_id)
    with tempfile.TemporaryDirectory(prefix="accord-batch-") as scratch, duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        if isinstance(events, Path):
            lines = events
        else:
            lines = Path(scratch) / f"{batch_id}.jsonl"
            _write_lines(events, lines)
        quarantine = quarantine_dir / batch_id if quarantine_dir is not None else None
        counts = _check(con, _Batch(source, batch_id, lines, policy, quarantine), known)
        path, digest = None, None
        if counts.accepted:
            path, digest = _publish(con, _stored_query(source), batch_dir, batch_id)
    return BatchResult(
        batch_id=batch_id,
        path=path,
        received=counts.received,
        accepted=counts.accepted,
        duplicates=counts.received - counts.accepted - counts.rejected,
        rejected=counts.rejected,
        issues=counts.issues,
        quarantine_path=counts.quarantine_path,
        digest=digest,
        first_at=counts.first_at,
        last_at=counts.last_at,
        keys=counts.keys,
    )


def identity_key(source: Source) -> exp.Expr | None:
    """A row's identity key over typed, logical columns: the first 32 hex digits of the
    SHA-256 of its identity values as JSON text (unambiguous, whatever the values hold);
    NULL when part of the identity is missing, or None when the source has no key."""
    identity = [sql.typed(sql.column(name), "VARCHAR") for name in row_identity(source)]
    if not identity:
        return None
    missing = sql.any_of(exp.Is(this=value.copy(), expression=exp.Null()) for value in identity)
    as_json = sql.typed(_function("to_json", exp.Array(expressions=identity)), "VARCHAR")
    digest = _function("left", _function("sha256", as_json), sql.number(32))
    return exp.Case(ifs=[exp.If(this=missing, true=exp.Null())], default=digest)


def _function(name: str, *arguments: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(arguments))


def stored_keys(source: Source, path: Path) -> tuple[str, ...]:
    """The identity keys of the events in a batch file this module wrote (the stored shape),
    under the source's current identity. Raises DataError when the file cannot be read."""
    key = identity_key(source)
    if key is None:
        return ()
    k = exp.column("k")
    keys = (
        exp.select(exp.alias_(key, "k"))
        .distinct()
        .from_(sql.reading("read_parquet", sql.text(str(path))))
        .where(sql.known(k))
        .order_by(exp.Ordered(this=k.copy()))
    )
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        try:
            rows = con.execute(sql.render(keys)).fetchall()
        except duckdb.Error as exc:
            raise DataError(
                f"source {source.id!r}: batch file {path} cannot be read: {exc}"
            ) from None
    return tuple(str(row[0]) for row in rows)


@dataclass(frozen=True)
class _Batch:
    source: Source
    batch_id: str
    lines: Path
    policy: BadRowPolicy
    quarantine_dir: Path | None


@dataclass(frozen=True)
class _Counts:
    received: int
    accepted: int
    rejected: int
    issues: tuple[SourceIssue, ...]
    quarantine_path: Path | None
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    keys: tuple[str, ...]


def _write_lines(events: list[dict[str, object]], target: Path) -> None:
    """Events as JSON lines; values JSON does not know (datetimes, decimals) as text."""
    encode = json.JSONEncoder(default=str, ensure_ascii=False, check_circular=False).encode
    with target.open("w", encoding="utf-8") as out:
        for start in range(0, len(events), 10_000):
            out.write("".join(encode(event) + "\n" for event in events[start : start + 10_000]))


def _check(con: duckdb.DuckDBPyConnection, batch: _Batch, known: KnownKeys) -> _Counts:
    """The engine's checks on the batch's first occurrences; good rows not yet stored are
    left in ``batch_accepted``."""
    source = batch.source
    as_lines = source.model_copy(
        update={"format": _FORMATS.get(batch.lines.suffix, SourceFormat.JSONL)}
    )
    try:
        reader = read_files(con, as_lines, [str(batch.lines)])
        incoming = exp.select(
            exp.Star(except_=[exp.column("filename")]),
            exp.alias_(sql.text(batch.batch_id), "filename"),
            exp.alias_(exp.Window(this=exp.RowNumber()), "__order"),
        ).from_(reader)
        con.execute(sql.render(sql.create_temp(_INCOMING, incoming)))
        con.execute(sql.render(sql.create_temp(_UNIQUE, _first_occurrences(source), view=True)))
        report = load_rows(con, as_lines, sql.table(_UNIQUE), batch.policy, batch.quarantine_dir)
        _not_stored(con, source, known)
        received = _count(con, _INCOMING)
        accepted, first_at, last_at = _accepted(con, source)
        keys = _accepted_keys(con, source)
    except duckdb.Error as exc:
        raise DataError(
            f"source {source.id!r}: batch {batch.batch_id!r} cannot be read: {exc}"
        ) from None
    return _Counts(
        received=received,
        accepted=accepted,
        rejected=report.rows_rejected,
        issues=tuple(report.issues),
        quarantine_path=Path(report.quarantine_path) if report.quarantine_path else None,
        first_at=first_at,
        last_at=last_at,
        keys=keys,
    )


def _first_occurrences(source: Source) -> exp.Select:
    """Incoming rows without later repeats of an identity, compared as text like the
    engine's duplicate rule; rows lacking part of their identity stay, to be reported."""
    identity = [
        sql.typed(sql.column(source.columns[name].column), "VARCHAR")
        for name in row_identity(source)
    ]
    rows = exp.select(exp.Star(except_=[exp.column("__order")])).from_(sql.table(_INCOMING))
    if not identity:
        return rows
    incomplete = sql.any_of(
        exp.EQ(this=sql.call("coalesce", raw, sql.text("")), expression=sql.text(""))
        for raw in identity
    )
    first = exp.EQ(
        this=exp.Window(
            this=exp.RowNumber(),
            partition_by=[raw.copy() for raw in identity],
            order=exp.Order(expressions=[exp.Ordered(this=exp.column("__order"))]),
        ),
        expression=sql.number(1),
    )
    return rows.qualify(exp.or_(incomplete, first))


def _not_stored(con: duckdb.DuckDBPyConnection, source: Source, known: KnownKeys) -> None:
    """Leave in ``batch_accepted`` the good rows whose identity key ``known`` does not hold.

    The keys go out of DuckDB once, to the index, and only those already held come back
    (usually few): nothing read depends on how many batches came before."""
    fresh = source_table(source.id)
    key = identity_key(source)
    if key is None:
        everything = exp.select("*").from_(fresh)
        con.execute(sql.render(sql.create_temp(_ACCEPTED, everything)))
        return
    keyed = exp.select("*", exp.alias_(key, _KEY, quoted=True)).from_(fresh)
    con.execute(sql.render(sql.create_temp(_KEYED, keyed)))
    column = sql.column(_KEY)
    distinct = (
        exp.select(column.copy()).distinct().from_(sql.table(_KEYED)).where(sql.known(column))
    )
    candidates = con.execute(sql.render(distinct)).fetchall()
    held = sorted(known([str(row[0]) for row in candidates])) if candidates else []
    listed = sql.typed(exp.Placeholder(), "VARCHAR[]")
    keys = exp.select(exp.alias_(_function("unnest", listed), "k"))
    con.execute(sql.render(sql.create_temp(_KNOWN, keys)), [held])
    held_keys = exp.select(exp.column("k")).from_(sql.table(_KNOWN))
    fresh_rows = exp.or_(
        exp.Is(this=column.copy(), expression=exp.Null()),
        exp.Not(this=column.copy().isin(query=held_keys)),
    )
    accepted = exp.select("*").from_(sql.table(_KEYED)).where(fresh_rows)
    con.execute(sql.render(sql.create_temp(_ACCEPTED, accepted)))


def _accepted_keys(con: duckdb.DuckDBPyConnection, source: Source) -> tuple[str, ...]:
    if identity_key(source) is None:
        return ()
    column = sql.column(_KEY)
    keys = (
        exp.select(column.copy())
        .distinct()
        .from_(sql.table(_ACCEPTED))
        .where(sql.known(column))
        .order_by(exp.Ordered(this=column.copy()))
    )
    return tuple(str(row[0]) for row in con.execute(sql.render(keys)).fetchall())


def _stored_query(source: Source) -> exp.Select:
    """The accepted rows in the stored shape, ordered by time (and identity) so that the
    same rows make the same file and readers can skip row groups by time."""
    order = [source.timestamp, *(name for name in row_identity(source) if name != source.timestamp)]
    return (
        exp.select(*sql.columns_of(list(source.columns)))
        .from_(sql.table(_ACCEPTED))
        .order_by(*(exp.Ordered(this=column) for column in sql.columns_of(order)))
    )


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    counted = exp.select(sql.call("count", exp.Star())).from_(sql.table(name))
    row = con.execute(sql.render(counted)).fetchone()
    assert row is not None
    return int(row[0])


def _accepted(
    con: duckdb.DuckDBPyConnection, source: Source
) -> tuple[int, dt.datetime | None, dt.datetime | None]:
    at = sql.column(source.timestamp)
    counted = exp.select(
        sql.call("count", exp.Star()), sql.call("min", at), sql.call("max", at.copy())
    ).from_(sql.table(_ACCEPTED))
    row = con.execute(sql.render(counted)).fetchone()
    assert row is not None
    return int(row[0]), _utc(row[1]), _utc(row[2])


def _utc(value: object) -> dt.datetime | None:
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else None


def _publish(
    con: duckdb.DuckDBPyConnection, query: exp.Select, batch_dir: Path, batch_id: str
) -> tuple[Path, str]:
    """Write the rows as ``<batch_id>.parquet``: temporary name, fsync, rename, fsync folder."""
    _make_folder(batch_dir)
    target = batch_dir / f"{batch_id}.parquet"
    temporary = batch_dir / f".{batch_id}.{uuid.uuid4().hex}.tmp"
    try:
        try:
            written = sql.copy_to(
                query, temporary, format=exp.var("parquet"), compression=exp.var("zstd")
            )
            con.execute(sql.render(written))
        except duckdb.Error as exc:
            raise OSError(f"cannot write batch file {temporary}: {exc}") from exc
        digest = _sync_file(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):  # keep the first error, not the clean-up's
            temporary.unlink(missing_ok=True)
        raise
    _sync_folder(batch_dir)
    return target, digest


def _sync_file(path: Path) -> str:
    """Flush the file to disk and return its SHA-256."""
    sha = hashlib.sha256()
    with path.open("r+b") as file:
        while chunk := file.read(_CHUNK):
            sha.update(chunk)
        file.flush()
        os.fsync(file.fileno())
    return sha.hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make a rename or a new entry in the folder durable (a POSIX notion)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _make_folder(folder: Path) -> None:
    """Create the folder and any missing parents, each entry synced in its parent."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        _sync_folder(path.parent)
