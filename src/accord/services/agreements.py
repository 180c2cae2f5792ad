"""Use cases on agreement files: load and validate them from disk."""

from __future__ import annotations

from pathlib import Path

from accord.core.loader import Loaded, load_agreement
from accord.core.problems import Problem

__all__ = ["AgreementFileError", "load_file", "load_valid"]


class AgreementFileError(Exception):
    """An agreement file that could not be read or is not valid; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_file(path: Path) -> Loaded:
    """Read and check one agreement file; unreadable files become a problem, never a crash."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(name, None, [Problem(name, 0, 0, "(file)", "no such file")])
    except IsADirectoryError:
        return Loaded(name, None, [Problem(name, 0, 0, "(file)", "is a directory, not a file")])
    except OSError as exc:
        return Loaded(name, None, [Problem(name, 0, 0, "(file)", f"cannot read: {exc.strerror}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Loaded(
            name,
            None,
            [Problem(name, line, column, "(file)", "not UTF-8 text", "save the file as UTF-8")],
        )
    return load_agreement(text, name)


def load_valid(path: Path) -> Loaded:
    """Load a file that must be valid; raises ``AgreementFileError`` with every problem."""
    loaded = load_file(path)
    if not loaded.ok:
        raise AgreementFileError([p for p in loaded.problems if p.severity == "error"])
    return loaded
