"""Whether one condition selects a subset or a superset of the rows another selects.

The check works on the conditions' structure, without data, and is sound but incomplete:
when it answers *subset* or *superset* that holds for every table, and when it cannot tell
it says *unknown*. A condition is read as a disjunction (``or``) of conjunctions (``and``)
of atoms. An atom comparing one column with constants (``status < 500``, ``status = 503``,
``status between 500 and 599``, ``status in (502, 503)``, ``region <> 'eu'``) is the set
of values it accepts, a union of intervals; any other atom is known only by its SQL text.

- An atom a lies within an atom b when both read the same column and every interval of a
  lies within one of b's, or when they are the same SQL.
- A conjunction C lies within a conjunction D when each atom of D is implied by some atom
  of C (C is at least as strict in every respect D restricts).
- A disjunction P lies within a disjunction Q when each conjunction of P lies within some
  conjunction of Q.

A row where a compared column is null matches no comparison, on either side, so nulls do
not change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from sqlglot import exp

from accord.core.expressions import Predicate

__all__ = ["Relation", "compare_conditions"]


class Relation(StrEnum):
    """How the rows a new condition selects relate to those the old one selected."""

    SAME = "same"
    SUBSET = "subset"
    SUPERSET = "superset"
    UNKNOWN = "unknown"


#: A bound of an interval: its value (None: unbounded) and whether it is included.
_Bound = tuple[Decimal | str | None, bool]


@dataclass(frozen=True)
class _Interval:
    low: _Bound
    high: _Bound

    def within(self, other: _Interval) -> bool:
        return _low_within(self.low, other.low) and _high_within(self.high, other.high)


@dataclass(frozen=True)
class _Atom:
    """One column's accepted values (``intervals``), or an opaque condition (``sql``)."""

    column: str | None
    intervals: tuple[_Interval, ...] = ()
    sql: str = ""

    def within(self, other: _Atom) -> bool:
        if self.column is None or other.column is None:
            return self.sql == other.sql
        if self.column != other.column:
            return False
        return all(any(i.within(j) for j in other.intervals) for i in self.intervals)


_Conjunction = tuple[_Atom, ...]
_UNBOUNDED: Final[_Bound] = (None, False)


def compare_conditions(old: Predicate, new: Predicate) -> Relation:
    """How the rows ``new`` selects relate to those ``old`` selects, as far as its
    structure tells."""
    before, after = _disjunction(old.tree), _disjunction(new.tree)
    narrower, wider = _within(after, before), _within(before, after)
    if narrower and wider:
        return Relation.SAME
    if narrower:
        return Relation.SUBSET
    return Relation.SUPERSET if wider else Relation.UNKNOWN


def _within(inner: tuple[_Conjunction, ...], outer: tuple[_Conjunction, ...]) -> bool:
    return all(any(_conjunction_within(c, d) for d in outer) for c in inner)


def _conjunction_within(inner: _Conjunction, outer: _Conjunction) -> bool:
    return all(any(a.within(b) for a in inner) for b in outer)


def _unwrap(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _disjunction(node: exp.Expr) -> tuple[_Conjunction, ...]:
    node = _unwrap(node)
    if isinstance(node, exp.Or):
        return _disjunction(node.left) + _disjunction(node.right)
    if isinstance(node, exp.In) and not isinstance(node.parent, exp.And):
        atom = _atom(node)
        # 'status in (502, 503)' alone is 'status = 502 or status = 503'.
        return tuple((_Atom(atom.column, (i,)),) for i in atom.intervals) or ((atom,),)
    return (_conjunction(node),)


def _conjunction(node: exp.Expr) -> _Conjunction:
    return _narrowed(_atoms(node))


def _atoms(node: exp.Expr) -> _Conjunction:
    node = _unwrap(node)
    if isinstance(node, exp.And):
        return _atoms(node.left) + _atoms(node.right)
    return (_atom(node),)


def _opaque(node: exp.Expr) -> _Atom:
    return _Atom(None, sql=node.sql(dialect="duckdb"))


_FLIPPED: Final[dict[type[exp.Expr], type[exp.Expr]]] = {
    exp.LT: exp.GT,
    exp.LTE: exp.GTE,
    exp.GT: exp.LT,
    exp.GTE: exp.LTE,
    exp.EQ: exp.EQ,
    exp.NEQ: exp.NEQ,
}


def _atom(node: exp.Expr) -> _Atom:
    if isinstance(node, exp.Between):
        return _between(node)
    if isinstance(node, exp.In):
        return _member(node)
    kind: type[exp.Expr] = type(node)
    if kind not in _FLIPPED or not isinstance(node, exp.Binary):
        return _opaque(node)
    left, right = _unwrap(node.left), _unwrap(node.right)
    if isinstance(right, exp.Column) and not isinstance(left, exp.Column):
        left, right, kind = right, left, _FLIPPED[kind]
    value = _constant(right)
    if not isinstance(left, exp.Column) or value is None:
        return _opaque(node)
    return _Atom(left.name, _intervals(kind, value))


def _intervals(kind: type[exp.Expr], value: Decimal | str) -> tuple[_Interval, ...]:
    point = _Interval((value, True), (value, True))
    shapes: dict[type[exp.Expr], tuple[_Interval, ...]] = {
        exp.LT: (_Interval(_UNBOUNDED, (value, False)),),
        exp.LTE: (_Interval(_UNBOUNDED, (value, True)),),
        exp.GT: (_Interval((value, False), _UNBOUNDED),),
        exp.GTE: (_Interval((value, True), _UNBOUNDED),),
        exp.EQ: (point,),
        exp.NEQ: (
            _Interval(_UNBOUNDED, (value, False)),
            _Interval((value, False), _UNBOUNDED),
        ),
    }
    return shapes[kind]


def _between(node: exp.Between) -> _Atom:
    column = _unwrap(node.this)
    low, high = _constant(node.args["low"]), _constant(node.args["high"])
    if not isinstance(column, exp.Column) or low is None or high is None:
        return _opaque(node)
    return _Atom(column.name, (_Interval((low, True), (high, True)),))


def _member(node: exp.In) -> _Atom:
    column = _unwrap(node.this)
    values = [_constant(item) for item in node.expressions]
    if not isinstance(column, exp.Column) or not values or any(v is None for v in values):
        return _opaque(node)
    points = tuple(_Interval((v, True), (v, True)) for v in values)
    return _Atom(column.name, points)


def _constant(node: exp.Expr) -> Decimal | str | None:
    """A number or string literal (a negated number too); None for anything else."""
    node = _unwrap(node)
    if isinstance(node, exp.Neg):
        inner = _constant(node.this)
        return -inner if isinstance(inner, Decimal) else None
    if not isinstance(node, exp.Literal):
        return None
    if node.is_string:
        return str(node.this)
    try:
        return Decimal(str(node.this))
    except InvalidOperation:
        return None


def _less(a: Decimal | str, b: Decimal | str) -> bool | None:
    """a < b for two numbers or two strings; None when they cannot be compared."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        return a < b
    return None


def _low_within(inner: _Bound, outer: _Bound) -> bool:
    """Whether a lower bound starts at or after another (so it excludes at least as much)."""
    (value, closed), (limit, limit_closed) = inner, outer
    if limit is None:
        return True
    if value is None:
        return False
    if value == limit:
        return limit_closed or not closed
    return _less(limit, value) is True


def _high_within(inner: _Bound, outer: _Bound) -> bool:
    """Whether an upper bound ends at or before another."""
    (value, closed), (limit, limit_closed) = inner, outer
    if limit is None:
        return True
    if value is None:
        return False
    if value == limit:
        return limit_closed or not closed
    return _less(value, limit) is True


def _narrowed(atoms: _Conjunction) -> _Conjunction:
    """Atoms on one column combined into one: 'status >= 500 and status < 600' is
    [500, 600)."""
    merged: dict[str, _Atom] = {}
    rest: list[_Atom] = []
    for atom in atoms:
        if atom.column is None:
            rest.append(atom)
            continue
        seen = merged.get(atom.column)
        merged[atom.column] = atom if seen is None else _intersection(seen, atom)
    return (*merged.values(), *rest)


def _intersection(a: _Atom, b: _Atom) -> _Atom:
    parts = []
    for i in a.intervals:
        for j in b.intervals:
            low = i.low if _low_within(i.low, j.low) else j.low
            high = i.high if _high_within(i.high, j.high) else j.high
            if _low_within(i.low, j.low) is _low_within(j.low, i.low) is False:
                return _Atom(None, sql=f"{a.sql or a.column} and {b.sql or b.column}")
            parts.append(_Interval(low, high))
    return _Atom(a.column, tuple(parts))
