"""SQL built as SQLGlot expression trees: the one place names and values become SQL.

Every statement the engine runs is a tree built from these pieces, never text pasted
together: identifiers are quoted and literals escaped by construction, so a column named
``order`` or a region called ``O'Brien`` cannot change a statement's meaning. The trees
are written in DuckDB's dialect (the embedded default) and ``portable`` turns the same
tree into another engine's SQL (PostgreSQL now, Spark next) in one transpile step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final

import sqlglot
from sqlglot import exp

from accord.core.expressions import Predicate

__all__ = [
    "DIALECT",
    "POSTGRES_PRELUDE",
    "Statement",
    "all_of",
    "any_of",
    "call",
    "column",
    "columns_of",
    "copy_to",
    "count",
    "create_temp",
    "create_temp_table",
    "epoch_micros",
    "files",
    "fill",
    "filtered",
    "holds",
    "insert_rows",
    "instant",
    "known",
    "microseconds",
    "number",
    "portable",
    "query",
    "reading",
    "render",
    "shape",
    "table",
    "template",
    "text",
    "typed",
    "with_ctes",
]

#: A statement: a query or a command, as a tree.
Statement = exp.Expr

DIALECT: Final = "duckdb"
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def column(name: str, table: str | None = None) -> exp.Column:
    """A column by its logical name (quoted), optionally of a table alias."""
    return exp.column(exp.to_identifier(name, quoted=True), table=table)


def table(name: str) -> exp.Table:
    """A table, view or CTE by name (quoted)."""
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def text(value: str) -> exp.Literal:
    """A string literal (quotes escaped by the generator)."""
    return exp.Literal.string(value)


def number(value: int | Decimal | float) -> exp.Expr:
    """A number literal, written exactly as Python writes the value (a Decimal keeps its
    digits: ``0.800`` stays ``0.800``); negative numbers are negated literals."""
    if value < 0:
        return exp.Neg(this=number(-value))
    return exp.Literal.number(str(value))


def typed(value: exp.Expr, sql_type: str) -> exp.Cast:
    """``CAST(value AS sql_type)``, the type in DuckDB's spelling (``TIMESTAMPTZ``)."""
    return exp.cast(value, exp.DataType.build(sql_type, dialect=DIALECT))


def instant(at: dt.datetime) -> exp.Cast:
    """A ``TIMESTAMPTZ`` literal of a tz-aware instant, written in UTC."""
    if at.tzinfo is None:
        raise ValueError(f"{at!r} has no time zone")
    return typed(text(at.astimezone(dt.UTC).isoformat()), "TIMESTAMPTZ")


def microseconds(delta: dt.timedelta) -> int:
    """A duration in whole microseconds, exactly (no float on the way)."""
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def epoch_micros(value: exp.Expr | dt.datetime) -> exp.Expr:
    """Microseconds since 1970-01-01 UTC: of an instant column (``epoch_us``, which every
    engine has under some name: ``portable`` spells it), or of a Python instant (a number)."""
    if isinstance(value, dt.datetime):
        return number(microseconds(value - _EPOCH))
    return exp.UnixMicros(this=value)


def call(name: str, *arguments: exp.Expr) -> exp.Expr:
    """A function call as DuckDB's parser reads it (``quantile_disc`` becomes SQLGlot's
    percentile node, so other dialects can spell it their way)."""
    return exp.func(name, *arguments, dialect=DIALECT)


def holds(condition: Predicate | exp.Expr) -> exp.Expr:
    """True where an agreement's condition is true; a NULL (unknown) counts as false."""
    tree = condition.tree if isinstance(condition, Predicate) else condition
    return exp.Coalesce(this=exp.Paren(this=tree.copy()), expressions=[exp.false()])


def all_of(*conditions: exp.Expr | None) -> exp.Expr | None:
    """The conditions joined by AND; None (no restriction) when there are none."""
    kept = [condition for condition in conditions if condition is not None]
    return exp.and_(*kept) if kept else None


def any_of(conditions: Iterable[exp.Expr]) -> exp.Expr | None:
    """The conditions joined by OR; None when there are none."""
    kept = list(conditions)
    return exp.or_(*kept) if kept else None


def filtered(aggregate: exp.Expr, *conditions: exp.Expr | None) -> exp.Expr:
    """``aggregate FILTER (WHERE …)`` over the rows meeting every condition given (None
    conditions restrict nothing; with none at all, the plain aggregate)."""
    where = all_of(*conditions)
    if where is None:
        return aggregate
    return exp.Filter(this=aggregate, expression=exp.Where(this=where))


def count(*conditions: exp.Expr | None) -> exp.Expr:
    """``count(*)`` of the rows meeting every condition."""
    return filtered(call("count", exp.Star()), *conditions)


def render(statement: Statement) -> str:
    """The statement as DuckDB runs it."""
    return statement.sql(dialect=DIALECT)


def portable(statement: Statement | str, dialect: str) -> str:
    """The same statement in another SQL dialect (``postgres``, ``spark`` …).

    The tree is DuckDB's; SQLGlot writes most of it for any engine. Three things need
    help: DuckDB's ``epoch_us`` (microseconds since the epoch, ``UnixMicros``) is spelled
    ``unix_micros`` by Spark and computed exactly from ``EXTRACT(epoch …)`` (a numeric with
    microseconds) on PostgreSQL; neither has DuckDB's ASOF join, so on PostgreSQL each
    becomes a lateral lookup and on Spark a range join on the next row's key; and
    ``error`` is Spark's ``raise_error`` and, on PostgreSQL, defined by
    ``POSTGRES_PRELUDE``. Text (a statement written by hand, as in the tests) is read as
    DuckDB's dialect first.
    """
    tree = sqlglot.parse_one(statement, read=DIALECT) if isinstance(statement, str) else statement
    tree = tree.transform(_epoch_micros)
    if dialect == "postgres":
        tree = tree.transform(_postgres_micros).transform(_asof_lateral)
    elif dialect == "spark":
        tree = tree.transform(_asof_range).transform(_spark_error).transform(_spark_percentile)
    return tree.sql(dialect=dialect)


#: What the transpiled statements expect on PostgreSQL that DuckDB has built in: run once
#: per database (or schema on the search path) before them.
POSTGRES_PRELUDE: Final = """
CREATE OR REPLACE FUNCTION error(message text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', message;
END
$$
"""


def _epoch_micros(node: exp.Expr) -> exp.Expr:
    """Text written by hand says ``epoch_us(x)``, which SQLGlot reads as an unknown function."""
    if isinstance(node, exp.Anonymous) and node.name.lower() == "epoch_us":
        return exp.UnixMicros(this=node.expressions[0])
    return node


def _postgres_micros(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.UnixMicros):
        seconds = exp.Extract(this=exp.var("epoch"), expression=node.this)
        return exp.cast(exp.Mul(this=seconds, expression=exp.Literal.number(1_000_000)), "BIGINT")
    return node


def _asof_lateral(node: exp.Expr) -> exp.Expr:
    """DuckDB's ``a ASOF [LEFT] JOIN s ON x >= s.t`` (the row of ``s`` with the greatest
    ``t`` at or before ``x``) as PostgreSQL's ``[LEFT] JOIN LATERAL (… ORDER BY t DESC
    LIMIT 1) AS s ON TRUE``, an index probe per row there."""
    if not (isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "ASOF"):
        return node
    condition = node.args.get("on")
    if not isinstance(condition, exp.GTE):
        raise NotImplementedError(f"only 'x >= s.t' ASOF joins are portable: {condition}")
    source = node.this
    latest = (
        exp.select("*")
        .from_(source.copy())
        .where(condition.copy())
        .order_by(exp.Ordered(this=condition.expression.copy(), desc=True))
        .limit(1)
    )
    alias = exp.TableAlias(this=exp.to_identifier(source.alias_or_name))
    lateral = exp.Lateral(this=latest.subquery(), alias=alias)
    return exp.Join(this=lateral, side=node.args.get("side"), on=exp.true())


def _asof_range(node: exp.Expr) -> exp.Expr:
    """DuckDB's ``a ASOF [LEFT] JOIN s ON x >= s.t`` on Spark, which has no ASOF join: the
    row of ``s`` whose ``t`` is at or before ``x`` and whose next row's ``t`` (by ``lead``)
    is after it, a range join that Spark broadcasts when ``s`` is small (a schedule)."""
    if not (isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "ASOF"):
        return node
    condition = node.args.get("on")
    if not isinstance(condition, exp.GTE) or not isinstance(condition.expression, exp.Column):
        raise NotImplementedError(f"only 'x >= s.t' ASOF joins are portable: {condition}")
    source = node.this
    key = exp.column(condition.expression.name)
    following = exp.Window(
        this=exp.func("lead", key.copy()), order=exp.Order(expressions=[key.copy()])
    )
    with_next = (
        exp.select("*", exp.alias_(following, "__next", quoted=True))
        .from_(exp.Table(this=source.this.copy()))
        .subquery(alias=source.alias_or_name)
    )
    alias = source.alias_or_name
    later = exp.or_(
        exp.Is(this=exp.column("__next", table=alias, quoted=True), expression=exp.Null()),
        exp.LT(
            this=condition.this.copy(),
            expression=exp.column("__next", table=alias, quoted=True),
        ),
    )
    on = exp.and_(condition.copy(), exp.Paren(this=later))
    return exp.Join(this=with_next, side=node.args.get("side"), on=on)


def _spark_error(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Anonymous) and node.name.lower() == "error":
        return exp.Anonymous(this="raise_error", expressions=node.expressions)
    return node


def _spark_percentile(node: exp.Expr) -> exp.Expr:
    """DuckDB's ``quantile_disc(x, q)`` is Spark's ``percentile_disc(q) WITHIN GROUP (ORDER
    BY x)``; both the SQL standard's discrete percentile (SQLGlot writes Spark's
    approximate one)."""
    if not isinstance(node, exp.PercentileDisc) or node.expression is None:
        return node
    return exp.WithinGroup(
        this=exp.Anonymous(this="percentile_disc", expressions=[node.expression.copy()]),
        expression=exp.Order(expressions=[exp.Ordered(this=node.this.copy())]),
    )


def columns_of(names: Sequence[str], table: str | None = None) -> list[exp.Column]:
    """Columns by logical name, in order."""
    return [column(name, table) for name in names]


def template(sql: str) -> exp.Expr:
    """A constant statement written in DuckDB's SQL, for queries that read best as SQL;
    ``fill`` puts values into its ``$name`` placeholders and ``$name``-named tables. The
    text is the programme's own: never anything read from an agreement or from data."""
    return sqlglot.parse_one(sql, read=DIALECT)


def fill(statement: exp.Expr, values: Mapping[str, exp.Expr]) -> exp.Expr:
    """A copy of a template with each placeholder ``$name`` (a value) and each table named
    ``name`` in ``values`` (a relation: a table or a query, keeping the template's alias)
    replaced by the given tree."""

    def replace(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder) and node.name in values:
            return values[node.name].copy()
        if isinstance(node, exp.Table) and node.name in values and not node.args.get("db"):
            relation = values[node.name].copy()
            if isinstance(relation, exp.Select):
                relation = relation.subquery()
            relation.set("alias", node.args.get("alias"))
            return relation
        return node

    return statement.transform(replace)


def known(value: exp.Expr) -> exp.Expr:
    """``value IS NOT NULL``."""
    return exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))


def query(statement: exp.Expr) -> exp.Select:
    """A statement that is a ``SELECT`` (a filled template of one), typed as such."""
    if not isinstance(statement, exp.Select):
        raise TypeError(f"not a SELECT: {render(statement)[:80]}")
    return statement


def files(paths: Iterable[str | Path]) -> exp.Array:
    """A list of file paths (``['a.csv', 'b.csv']``), for DuckDB's readers."""
    return exp.Array(expressions=[text(str(path)) for path in paths])


def shape(columns: Mapping[str, str]) -> exp.Struct:
    """The columns a DuckDB reader is told to expect, by name and type:
    ``{'name': 'VARCHAR', …}``."""
    return exp.Struct(
        expressions=[
            exp.PropertyEQ(this=exp.to_identifier(name, quoted=True), expression=text(sql_type))
            for name, sql_type in columns.items()
        ]
    )


def reading(function: str, first: exp.Expr, **options: exp.Expr) -> exp.Table:
    """A table function in a ``FROM`` clause: ``function(first, option = value, …)``, as
    DuckDB's file readers take their options (``read_csv([…], header = true)``)."""
    arguments = [
        exp.EQ(this=exp.column(exp.to_identifier(name)), expression=value)
        for name, value in options.items()
    ]
    return exp.Table(this=exp.Anonymous(this=function, expressions=[first, *arguments]))


def create_temp(name: str, statement: exp.Expr, *, view: bool = False) -> exp.Create:
    """``CREATE OR REPLACE TEMPORARY TABLE|VIEW name AS statement``."""
    return exp.Create(
        this=table(name),
        kind="VIEW" if view else "TABLE",
        replace=True,
        expression=statement,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )


def copy_to(statement: exp.Expr, target: str | Path, **options: exp.Expr | None) -> exp.Copy:
    """``COPY (statement) TO 'target' (OPTION value, …)``; an option given None is a flag
    (``HEADER``). Option names are DuckDB's (``FORMAT``, ``PARTITION_BY`` …), written as
    keywords."""
    parameters = [
        exp.CopyParameter(this=exp.var(name.upper()), expression=value)
        for name, value in options.items()
    ]
    return exp.Copy(
        this=exp.Subquery(this=statement),
        kind=False,
        files=[text(str(target))],
        params=parameters,
    )


def with_ctes(body: str, *parts: Mapping[str, str]) -> exp.Select:
    """A template query (``body``) preceded by the common table expressions of the parts
    (name → query, in order; later ones may read earlier ones): constant SQL composed as
    trees, never pasted together as text."""
    statement = query(template(body))
    for part in parts:
        for name, cte in part.items():
            statement = statement.with_(name, as_=template(cte))
    return statement


def create_temp_table(name: str, columns: Mapping[str, str]) -> exp.Create:
    """``CREATE OR REPLACE TEMPORARY TABLE name (column TYPE, …)``: an empty table of the
    given columns (name → type in DuckDB's spelling)."""
    definitions = [
        exp.ColumnDef(
            this=exp.to_identifier(column, quoted=True),
            kind=exp.DataType.build(sql_type, dialect=DIALECT),
        )
        for column, sql_type in columns.items()
    ]
    return exp.Create(
        this=exp.Schema(this=table(name), expressions=definitions),
        kind="TABLE",
        replace=True,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )


def insert_rows(name: str, width: int) -> exp.Insert:
    """``INSERT INTO name VALUES (?, …)``: one row of ``width`` values, bound as
    parameters (run with ``executemany`` for many rows)."""
    marks = exp.Tuple(expressions=[exp.Placeholder() for _ in range(width)])
    return exp.Insert(this=table(name), expression=exp.Values(expressions=[marks]))
