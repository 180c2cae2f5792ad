"""Reading YAML text into plain data while remembering where each value was written.

Syntax errors (tabs, duplicate keys, bad indentation, unclosed quotes …) become one
``Problem`` each, worded for the person editing the file, never a Python traceback.

Before anything is built from the text, one pass over its parse events holds it to limits
that no agreement comes near, so that a hostile upload costs little: at most
``MAX_YAML_CHARACTERS`` characters, ``MAX_YAML_DEPTH`` levels of nesting and
``MAX_YAML_VALUES`` values counted with every alias expanded (an "alias bomb" of a few
hundred bytes would expand to billions), and no ``!!python/…`` tags or tagged lists and
mappings. Text holding a lone surrogate (which no file can store) is refused where it is.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError

from accord.core.problems import DocPath, Problem

__all__ = [
    "LINE_BREAK",
    "MAX_YAML_CHARACTERS",
    "MAX_YAML_DEPTH",
    "MAX_YAML_VALUES",
    "Positions",
    "parse_yaml",
]

#: The longest agreement text read (the largest example is about 21,000 characters).
MAX_YAML_CHARACTERS: Final = 256 * 1024
#: How deep mappings and lists may nest (the examples nest 7 deep).
MAX_YAML_DEPTH: Final = 32
#: How many values (scalars, lists, mappings) a document may hold, aliases expanded (the
#: largest example holds 1,300; the round-trip parser reads 5,000 in about a second).
MAX_YAML_VALUES: Final = 5_000
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_COLLECTION_TAGS: Final = frozenset(
    {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}
)


@dataclass
class Positions:
    """Where each path of a document stands in its text (1-based line and column)."""

    spots: dict[DocPath, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: DocPath) -> tuple[int, int]:
        """Position of the path, or of its nearest ancestor that is written in the text."""
        for end in range(len(path), -1, -1):
            spot = self.spots.get(tuple(path[:end]))
            if spot is not None:
                return spot
        return (1, 1)


class _Constructor(RoundTripConstructor):
    """Timestamps stay text: the model parses dates, so a bad date is reported at its field."""

    def construct_yaml_timestamp(self, node: ScalarNode, values: Any = None) -> Any:
        del values
        return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)

_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class _Reader:
    """ruamel's round-trip nodes → plain Python, recording positions and unsupported values."""

    positions: Positions = field(default_factory=Positions)
    unsupported: list[tuple[DocPath, str, str]] = field(default_factory=list)

    def plain(self, node: Any, path: DocPath) -> Any:
        if isinstance(node, CommentedMap):
            result: dict[str, Any] = {}
            for key, value in node.items():
                child: DocPath = (*path, str(key))
                self.positions.spots[child] = _key_spot(node, key, value)
                result[str(key)] = self.plain(value, child)
            return result
        if isinstance(node, CommentedSeq):
            items: list[Any] = []
            for index, value in enumerate(node):
                line, column = node.lc.item(index)
                self.positions.spots[(*path, index)] = (line + 1, column + 1)
                items.append(self.plain(value, (*path, index)))
            return items
        return self.scalar(node, path)

    def scalar(self, node: Any, path: DocPath) -> Any:
        if isinstance(node, str) and (surrogate := _SURROGATE.search(node)):
            self.unsupported.append((path, _surrogate_message(surrogate[0]), _NO_SURROGATE))
            return _SURROGATE.sub("\ufffd", str(node))
        if node is None or isinstance(node, (bool, int, float, str, dt.date)):
            return _builtin(node)
        if isinstance(node, TaggedScalar) and node.tag.value == _STR_TAG:
            return str(node.value)
        if isinstance(node, TaggedScalar):
            tag = str(node.tag.value).replace("tag:yaml.org,2002:", "!!")
            self.unsupported.append(
                (path, f"the YAML tag {tag!r} is not part of the agreement language", _NO_TAGS)
            )
            return str(node.value)
        self.unsupported.append(
            (path, f"a YAML {type(node).__name__} value is not supported here", _NO_TAGS)
        )
        return str(node)


_NO_TAGS = "remove the tag and write a plain value, list or mapping"
_NO_SURROGATE = "write the character whole (a surrogate pair), or remove it"


def _surrogate_message(character: str) -> str:
    return f"a lone surrogate (U+{ord(character):04X}) is not a character text can hold"


def _key_spot(node: CommentedMap, key: Any, value: Any) -> tuple[int, int]:
    """Where a scalar value (or, for a list or mapping, its key) is written."""
    try:
        if isinstance(value, (CommentedMap, CommentedSeq)):
            line, column = node.lc.key(key)
        else:
            line, column = node.lc.value(key)
    except (KeyError, TypeError):  # keys merged in with '<<' carry no position of their own
        line, column = node.lc.line, node.lc.col
    return (line + 1, column + 1)


def _builtin(node: Any) -> Any:
    """ruamel's scalar subclasses (ScalarFloat, LiteralScalarString …) → built-in types."""
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def parse_yaml(text: str, name: str) -> tuple[Any, Positions, list[Problem]]:
    """Parse YAML text; syntax errors (tabs, duplicate keys, bad indentation) become problems."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    refused = _beyond_limits(text, name)
    if refused is not None:
        return None, Positions(), [refused]
    try:
        with warnings.catch_warnings():
            # A reused anchor is a problem of the file, not a warning on someone's console.
            warnings.simplefilter("error", YAMLWarning)
            document = yaml.load(text)
    except YAMLWarning as exc:
        return None, Positions(), [_warning_problem(exc, name, text)]
    except MarkedYAMLError as exc:
        return None, Positions(), [_marked_problem(exc, name, text)]
    except ReaderError as exc:
        return None, Positions(), [_reader_problem(exc, name, text)]
    except (YAMLError, ValueError, TypeError, AttributeError) as exc:
        # ruamel raises unmarked errors for some malformed tagged values (e.g. '!!int x').
        message = " ".join(str(exc).split())
        return None, Positions(), [Problem(name, 1, 1, "(yaml)", f"not valid YAML: {message}")]
    reader = _Reader()
    # The document itself stands where its first key is (after any header comments).
    start = (
        (document.lc.line + 1, document.lc.col + 1)
        if isinstance(document, CommentedMap)
        else (1, 1)
    )
    reader.positions.spots[()] = start
    data = reader.plain(document, ())
    problems = [
        Problem(name, *reader.positions.of(path), "(yaml)", message, hint)
        for path, message, hint in reader.unsupported
    ]
    return data, reader.positions, problems


def _beyond_limits(text: str, name: str) -> Problem | None:
    """The first limit the text passes (see the module's docstring), found in one pass over
    its parse events without building anything; None when within every limit (or when the
    text is not valid YAML: the full parse then says where)."""
    if len(text) > MAX_YAML_CHARACTERS:
        return Problem(
            name,
            1,
            1,
            "(yaml)",
            f"the text is longer than the limit of {MAX_YAML_CHARACTERS:,} characters",
            "an agreement is far shorter: check that this is the right file",
        )
    if surrogate := _SURROGATE.search(text):
        at = _position(text, surrogate.start())
        return Problem(name, *at, "(yaml)", _surrogate_message(surrogate[0]), _NO_SURROGATE)
    if (deep := _flow_depth(text)) is not None:
        return _limit(name, _position(text, deep), f"nests deeper than {MAX_YAML_DEPTH} levels")
    # libyaml (through ruamel) reads events fifty times faster than the round-trip parser,
    # but it reads YAML 1.1: where it stops, the round-trip parser's events are walked.
    for kind in ("safe", "rt"):
        try:
            return _walk_events(YAML(typ=kind), text, name)
        except (YAMLError, ValueError, TypeError, AttributeError):
            continue
    return None


_FLOW: Final = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> int | None:
    """Where brackets first open deeper than twice the depth limit, counting every bracket
    (quoted ones too, so it errs on the side of the text). The parser's scanner looks ahead
    through nested flow collections at a cost that grows with the square of their depth,
    so this is checked on the characters before it runs."""
    depth = 0
    for bracket in _FLOW.finditer(text):
        depth = depth + 1 if bracket[0] in "[{" else max(depth - 1, 0)
        if depth > 2 * MAX_YAML_DEPTH:
            return bracket.start()
    return None


def _walk_events(yaml: YAML, text: str, name: str) -> Problem | None:
    budget = _Budget()
    for event in yaml.parse(text):
        refused = budget.take(event)
        if refused is not None:
            message, hint = refused
            at = (event.start_mark.line + 1, event.start_mark.column + 1)
            return Problem(name, *at, "(yaml)", message, hint)
    return None


_SMALLER: Final = "an agreement is far smaller: check that this is the right file"


@dataclass
class _Budget:
    """Values and depth of a document counted event by event, aliases expanded."""

    sizes: dict[str, int] = field(default_factory=dict)  # anchor → values in its node
    opened: list[tuple[int, str | None]] = field(default_factory=list)  # (values before, anchor)
    values: int = 0

    def take(self, event: Any) -> tuple[str, str] | None:
        """The limit ``event`` passes, as a message and hint; None when within them all."""
        kind = type(event).__name__
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag).startswith("tag:yaml.org,2002:python/"):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            return f"the YAML tag {shown!r} is not allowed", _NO_TAGS
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            if tag not in _COLLECTION_TAGS:
                return f"a tagged list or mapping ({tag}) is not allowed", _NO_TAGS
            self.opened.append((self.values, event.anchor))
            self.values += 1
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            before, anchor = self.opened.pop()
            if anchor is not None:
                self.sizes[anchor] = self.values - before
        elif kind == "ScalarEvent":
            self.values += 1
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
        elif kind == "AliasEvent":
            self.values += self.sizes.get(event.anchor, 1)
        return self._beyond()

    def _beyond(self) -> tuple[str, str] | None:
        if len(self.opened) > MAX_YAML_DEPTH:
            return f"the document nests deeper than {MAX_YAML_DEPTH} levels", _SMALLER
        if self.values > MAX_YAML_VALUES:
            return (
                f"the document holds more than {MAX_YAML_VALUES:,} values (aliases expanded)",
                _SMALLER,
            )
        return None


def _limit(name: str, at: tuple[int, int], what: str) -> Problem:
    return Problem(name, *at, "(yaml)", f"the document {what}", _SMALLER)


#: The line breaks of YAML 1.2, which ruamel's line numbers count (not U+2028 and kin).
LINE_BREAK = re.compile("\r\n|[\n\r]")


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """Clamp a 1-based position into the text (ruamel may mark just past its end)."""
    lines = LINE_BREAK.split(text)
    line = min(max(line, 1), len(lines))
    return line, min(max(column, 1), len(lines[line - 1]) + 1)


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    breaks = list(LINE_BREAK.finditer(text, 0, offset))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


def _reader_problem(exc: ReaderError, name: str, text: str) -> Problem:
    position = exc.position if isinstance(exc.position, int) else 0
    line, column = _position(text, position)
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
    return Problem(
        name,
        *_within(text, line, column),
        "(yaml)",
        f"the control character U+{character:04X} is not allowed in YAML",
        'remove it, or write it escaped inside double quotes, e.g. "\\t"',
    )


_SECOND: Final = re.compile(r"second occurrence .*?line (\d+), column (\d+)", re.DOTALL)
_ANCHOR: Final = re.compile(r"duplicate anchor '([^']*)'")


def _warning_problem(exc: YAMLWarning, name: str, text: str) -> Problem:
    """ruamel warns (rather than fails) about an anchor defined twice; it is a problem."""
    message = str(exc)
    at, anchor = _SECOND.search(message), _ANCHOR.search(message)
    line, column = (int(at[1]), int(at[2])) if at else (1, 1)
    if anchor is None:
        return Problem(name, *_within(text, line, column), "(yaml)", " ".join(message.split()))
    return Problem(
        name,
        *_within(text, line, column),
        "(yaml)",
        f"the anchor '&{anchor[1]}' is defined twice",
        "give each anchor its own name",
    )


def _marked_problem(exc: MarkedYAMLError, name: str, text: str) -> Problem:
    problem = " ".join((exc.problem or exc.context or "").split())
    context = " ".join((exc.context or "").split())
    mark = exc.problem_mark or exc.context_mark
    for pattern, explain in _EXPLANATIONS:
        match = re.search(pattern, problem)
        if match is None:
            continue
        message, hint, at_context = explain(match, context, exc)
        if at_context and exc.context_mark is not None:
            mark = exc.context_mark
        elif mark is not None and (quoted := _open_quote(text, mark.line)) is not None:
            message += f"; is the quote opened on line {quoted} closed?"
        break
    else:
        message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
        hint = "check the indentation, the ':' after each key and the quotes"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, *_within(text, line, column), "(yaml)", message, hint)


_OPENING_QUOTE = re.compile(r"""(?:^|[:,\[{-])\s+(["'])""")


def _open_quote(text: str, before: int) -> int | None:
    """The first line before line index ``before`` with a quoted value left open, if any."""
    for index, line in enumerate(LINE_BREAK.split(text)[:before]):
        code = line.split(" #")[0]
        opening = _OPENING_QUOTE.search(code)
        if opening is None:
            continue
        quote = opening[1]
        rest = code[opening.end() :].replace("\\" + quote, "")
        if rest.count(quote) % 2 == 0:
            return index + 1
    return None


_Explain = Callable[[re.Match[str], str, MarkedYAMLError], tuple[str, str, bool]]


def _tab(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    return (
        "a tab character is not allowed here",
        "YAML indents with spaces, not tabs: replace the tab with spaces",
        False,
    )


def _bad_start(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    char = match[1]
    return (
        f"a plain value cannot start with {char!r}",
        f'put the value in quotes, e.g. "{char}…"',
        False,
    )


def _duplicate(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    key, again, first = match[1], match[2], match[3]
    scalars = not any(value[:1] in "{[" or len(value) > 40 for value in (first, again))
    values = f" (first {first!r}, again {again!r})" if scalars else ""
    return (
        f"key {key!r} appears twice in the same mapping{values}",
        "keep one of them: each key may appear once per mapping",
        False,
    )


def _colon(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    return (
        "unexpected ':' here",
        "indent this line like the keys above it, quote values that contain ': ', "
        "and close any open quote",
        False,
    )


def _indent(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    return (
        "this line is not indented like the lines above it",
        "indent the keys of one mapping, and the items of one list, by the same number of spaces",
        False,
    )


def _unclosed(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    if "quoted scalar" in context:
        return ("this quoted value is never closed", "add the closing quote", True)
    return ("the text ends in the middle of a value", "complete or remove the last value", False)


def _flow(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    close = match[1]
    opener = "[" if close == "]" else "{"
    mark = exc.context_mark
    where = f" opened on line {mark.line + 1}" if mark is not None else ""
    return (
        f"expected ',' or {close!r} in the '{opener}…{close}'{where}, found {match[2]}",
        f"close it with {close!r} and separate its items with ', '",
        False,
    )


def _alias(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    alias = match[1]
    return (
        f"the alias '*{alias}' refers to no anchor '&{alias}'",
        f"define '&{alias}' before it, or quote the value if '*' is meant literally",
        False,
    )


def _second(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    return (
        "a second YAML document ('---') follows the agreement",
        "keep one agreement per file",
        False,
    )


def _escape(match: re.Match[str], context: str, exc: MarkedYAMLError) -> tuple[str, str, bool]:
    return (
        f"unknown escape '\\{match[1]}' in a double-quoted value",
        "use single quotes, or write '\\\\' for a backslash",
        False,
    )


_EXPLANATIONS: tuple[tuple[str, _Explain], ...] = (
    (r"found character '\\t' that cannot start any token", _tab),
    (r"found character '(.)' that cannot start any token", _bad_start),
    (r'found duplicate key "(.*)" with value "(.*)" \(original value: "(.*)"\)', _duplicate),
    (r"mapping values are not allowed here", _colon),
    (r"expected <block end>, but found", _indent),
    (r"found unexpected end of stream", _unclosed),
    (r"expected ',' or '([\]}])', but got (.*)$", _flow),
    (r"found undefined alias '(.*)'", _alias),
    (r"but found another document", _second),
    (r"found unknown escape character '(.*)'", _escape),
)
