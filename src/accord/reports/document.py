"""The building blocks of a rendered document: plain data the templates only lay out.

A document is a tree of sections holding paragraphs, bullet lists, facts (label → value)
and tables. Text is ``Inline``: plain words, ``Code`` (formulas, identifiers, columns) and
``Strong`` (a lead-in), so Markdown and HTML show the same words with the same emphasis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

__all__ = [
    "Block",
    "Bullets",
    "Code",
    "Document",
    "Facts",
    "Inline",
    "Paragraph",
    "Section",
    "Span",
    "Strong",
    "Table",
    "spans",
]


@dataclass(frozen=True)
class Code:
    """Literal text: a formula, a condition, an identifier or a column name."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Text shown with emphasis, such as the name leading a bullet."""

    text: str


Span = str | Code | Strong
Inline = Span | tuple[Span, ...]


def spans(text: Inline) -> tuple[Span, ...]:
    """Any inline text as a tuple of spans."""
    return text if isinstance(text, tuple) else (text,)


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: Inline


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: tuple[Inline, ...]

    @classmethod
    def of(cls, items: Iterable[Inline]) -> Bullets:
        return cls(tuple(items))


@dataclass(frozen=True)
class Facts:
    """Labelled values, e.g. 'Effective: 1 January 2026'."""

    kind: ClassVar[str] = "facts"
    rows: tuple[tuple[str, Inline], ...]

    @classmethod
    def of(cls, rows: Iterable[tuple[str, Inline | None]]) -> Facts:
        """Facts from label/value pairs, leaving out values that are absent."""
        return cls(tuple((label, value) for label, value in rows if value not in (None, "", ())))


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]
    caption: str | None = None


Block = Paragraph | Bullets | Facts | Table


@dataclass(frozen=True)
class Section:
    """A titled part of the document; ``key`` is unique and used as the HTML anchor."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Document:
    """Everything a rendered agreement says, in reading order."""

    title: str
    subtitle: str
    identity: str
    summary: Section
    body: tuple[Section, ...]
    appendix: Section
    footer: str
    lang: str = "en"

    def contents(self) -> tuple[Section, ...]:
        """The top-level sections, for the table of contents."""
        return (self.summary, *self.body, self.appendix)
