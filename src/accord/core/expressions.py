"""Conditions over a data source's columns, written in SQL syntax and checked before use.

An indicator says which events are good (``status < 500``) or valid in a small, safe subset
of SQL: comparisons, boolean logic, ``in``, ``between``, ``like``, ``is null``, arithmetic
and a few scalar functions. The condition is parsed once here (with SQLGlot), its column
references are known for validation, and the engine later transpiles the same tree to
whichever SQL engine holds the data, so there is one definition and not one per engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

__all__ = ["ExpressionError", "Predicate"]

_ALLOWED_NODES: Final[tuple[type[exp.Expression], ...]] = (
    exp.And,
    exp.Or,
    exp.Not,
    exp.Paren,
    exp.EQ,
    exp.NEQ,
    exp.LT,
    exp.LTE,
    exp.GT,
    exp.GTE,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Tuple,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.Neg,
    exp.Lower,
    exp.Upper,
    exp.Abs,
    exp.Coalesce,
    exp.Length,
    exp.Trim,
    exp.Cast,
    exp.DataType,
    exp.DataTypeParam,
)

_HINT: Final = 'write a SQL condition over the source\'s columns, e.g. "status < 500"'


class ExpressionError(ValueError):
    """A condition that does not parse or uses something outside the allowed subset."""

    def __init__(self, message: str, hint: str = _HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Predicate:
    """A parsed condition: its text as written, its syntax tree and the columns it reads."""

    text: str
    tree: exp.Expr = field(compare=False, repr=False)
    columns: frozenset[str] = field(compare=False)

    @classmethod
    def parse(cls, text: str) -> Predicate:
        source = text.strip()
        if not source:
            raise ExpressionError("the condition is empty")
        try:
            tree = sqlglot.parse_one(source, dialect="duckdb")
        except ParseError as exc:
            reason = _reason(exc.errors[0]) if exc.errors else "it is not a SQL condition"
            raise ExpressionError(f"condition {source!r} does not parse: {reason}") from None
        except SqlglotError:
            raise ExpressionError(
                f"condition {source!r} does not parse: an unclosed quote or an unknown character"
            ) from None
        for node in tree.walk():
            if not isinstance(node, _ALLOWED_NODES):
                raise ExpressionError(
                    f"condition {source!r} uses {node.key.upper()}, which is not allowed here",
                    "use comparisons, and/or/not, in, between, like, is null and arithmetic",
                )
        if isinstance(tree, (exp.Column, exp.Literal, exp.Add, exp.Sub, exp.Mul, exp.Div)):
            raise ExpressionError(
                f"{source!r} is a value, not a condition", 'compare it, e.g. "status < 500"'
            )
        columns = frozenset(column.name for column in tree.find_all(exp.Column))
        return cls(text=source, tree=tree, columns=columns)

    def sql(self, dialect: str = "duckdb") -> str:
        """The condition in the given SQL dialect."""
        return self.tree.sql(dialect=dialect)

    def __str__(self) -> str:
        return self.text


_OPERATORS: Final = {
    "EQ": "=",
    "NEQ": "<>",
    "LT": "<",
    "LTE": "<=",
    "GT": ">",
    "GTE": ">=",
    "Like": "like",
    "ILike": "ilike",
    "Between": "between … and …",
    "In": "in",
    "Is": "is",
    "Not": "not",
    "And": "and",
    "Or": "or",
}


def _reason(error: dict[str, object]) -> str:
    """SQLGlot's parse error in the words of someone writing a condition."""
    description = str(error.get("description", ""))
    near = str(error.get("highlight") or "").strip()
    missing = re.search(r"missing for <class '[\w.]*\.(\w+)'>", description)
    if missing:
        operator = _OPERATORS.get(missing[1], missing[1].lower())
        return f"'{operator}' is missing a value on one side"
    if description.startswith("Expecting"):
        return f"expected {description.removeprefix('Expecting').strip()!r} near {near!r}"
    return f"unexpected {near!r}" if near else "it is not a SQL condition"
