"""Inline text in each output format: escaping and emphasis for Markdown and HTML.

Both formats collapse runs of whitespace to one space, so a description written over
several YAML lines reads the same in each.
"""

from __future__ import annotations

import re
from typing import Final

from markupsafe import Markup, escape

from accord.reports.document import Code, Inline, Strong, spans

__all__ = ["html_inline", "md_cell", "md_inline", "md_lead", "plain"]

_SPACE: Final = re.compile(r"\s+")
# Characters that start emphasis, links, code, tags, tables or strikethrough anywhere.
_MD_SPECIAL: Final = re.compile(r"([\\`*\[\]<>|~])")
# Underscores open emphasis only at the edge of a word (CommonMark): 'api_version' is safe.
_MD_UNDERSCORE: Final = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# What turns the start of a line into a heading, list item or quote (CommonMark).
_MD_LINE_START: Final = re.compile(r"^(#{1,6}(?=\s|$)|[-+*=](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def plain(text: Inline) -> str:
    """The words of inline text without any markup."""
    return _squash("".join(span if isinstance(span, str) else span.text for span in spans(text)))


def _md_prose(text: str) -> str:
    return _MD_UNDERSCORE.sub(r"\\_", _MD_SPECIAL.sub(r"\\\1", text))


def _md_code(text: str, cell: bool) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    if cell:
        padded = padded.replace("|", "\\|")
    return f"{fence}{padded}{fence}"


def _md(text: Inline, cell: bool = False) -> str:
    parts: list[str] = []
    for span in spans(text):
        if isinstance(span, Code):
            parts.append(_md_code(_squash(span.text), cell))
        elif isinstance(span, Strong):
            parts.append(f"**{_md_prose(_squash(span.text))}**")
        else:
            parts.append(_md_prose(_SPACE.sub(" ", span)))
    return "".join(parts).strip()


def md_lead(text: Inline) -> str:
    """Inline text that starts a line (paragraph, list item): escaped so that it cannot
    turn into a heading, a list or a quote."""
    joined = _md(text)
    match = _MD_LINE_START.match(joined)
    if match is None:
        return joined
    if match.group(1)[0].isdigit():
        end = match.end()
        return f"{joined[:end]}\\{joined[end:]}"
    return f"\\{joined}"


def md_inline(text: Inline) -> str:
    """Inline text as Markdown: prose escaped, code in backticks, emphasis in asterisks."""
    return _md(text)


def md_cell(text: Inline) -> str:
    """Inline text for a Markdown table cell: pipes escaped even inside code."""
    return _md(text, cell=True) or " "


def html_inline(text: Inline) -> Markup:
    """Inline text as HTML: escaped prose, ``<code>`` and ``<strong>``."""
    parts: list[Markup] = []
    for span in spans(text):
        if isinstance(span, Code):
            parts.append(Markup("<code>{}</code>").format(_squash(span.text)))
        elif isinstance(span, Strong):
            parts.append(Markup("<strong>{}</strong>").format(_squash(span.text)))
        else:
            parts.append(escape(_SPACE.sub(" ", span)))
    return Markup("").join(parts).strip()
