"""Reading OpenSLO and Sloth files: every YAML document (or list of objects) in them, with
where each object stands, so that a problem names the file, line and field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

__all__ = ["Document", "InterchangeError", "Notes", "identifier", "read_documents"]


class InterchangeError(Exception):
    """A file that cannot be imported; the message names the file, line and why."""


@dataclass(frozen=True)
class Document:
    """One object of a file (an OpenSLO object, or a Sloth spec) and where it starts."""

    data: dict[str, Any]
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def name(self) -> str:
        metadata = self.data.get("metadata")
        return str(metadata.get("name", "")) if isinstance(metadata, dict) else ""


@dataclass
class Notes:
    """What a conversion could not carry over, or carried with an assumption, in words."""

    lines: list[str] = field(default_factory=list)

    def add(self, where: str, text: str) -> None:
        self.lines.append(f"{where}: {text}")


#: The longest identifier the language accepts.
_LONGEST: Final = 64


def identifier(name: str) -> str:
    """An Accord identifier made from an OpenSLO or Sloth name (at most 64 characters, as
    the language allows; OpenSLO names may be longer)."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"
    text = text if text[0].isalpha() else f"x-{text}"
    return text[:_LONGEST].rstrip("-")


def _plain(node: Any) -> Any:
    if isinstance(node, CommentedMap):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    return node


def _objects(node: Any, file: str) -> list[Document]:
    if isinstance(node, CommentedSeq):
        return [document for item in node for document in _objects(item, file)]
    if isinstance(node, CommentedMap):
        return [Document(_plain(node), file, node.lc.line + 1)]
    if node is None:
        return []
    raise InterchangeError(f"{file}: expected objects (mappings), found {type(node).__name__}")


def read_documents(paths: list[Path]) -> list[Document]:
    """Every object in the files, in order; unreadable files and bad YAML raise
    ``InterchangeError`` naming the file and line."""
    found: list[Document] = []
    yaml = YAML(typ="rt")
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InterchangeError(f"{path}: cannot read: {exc}") from None
        try:
            documents = list(yaml.load_all(text))
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise InterchangeError(f"{path}{line}: not valid YAML: {problem}") from None
        for document in documents:
            found.extend(_objects(document, str(path)))
    return found
