"""Use cases on agreement files: load and validate them from disk, and read several files as
the versions of one agreement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from accord.core.loader import Loaded, load_agreement
from accord.core.model import Agreement
from accord.core.problems import Problem
from accord.core.versions import VersionSpan

__all__ = ["AgreementFileError", "AgreementFiles", "VersionSeriesError"]


class AgreementFileError(Exception):
    """An agreement file that could not be read or is not valid; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class VersionSeriesError(ValueError):
    """Files given as versions of one agreement that are not a series of it."""


class AgreementFiles:
    """Agreement files on disk, read and checked; no store is involved."""

    def load(self, path: Path) -> Loaded:
        """Read and check one agreement file; unreadable files become a problem, never a
        crash."""
        name = str(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return Loaded(name, None, [Problem(name, 0, 0, "(file)", "no such file")])
        except IsADirectoryError:
            return Loaded(name, None, [Problem(name, 0, 0, "(file)", "is a directory, not a file")])
        except OSError as exc:
            return Loaded(
                name, None, [Problem(name, 0, 0, "(file)", f"cannot read: {exc.strerror}")]
            )
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

    def load_valid(self, path: Path) -> Loaded:
        """Load a file that must be valid; raises ``AgreementFileError`` with every problem."""
        loaded = self.load(path)
        if not loaded.ok:
            raise AgreementFileError([p for p in loaded.problems if p.severity == "error"])
        return loaded

    def versions(self, first: Path, later: Sequence[Path]) -> dict[VersionSpan, Agreement]:
        """The versions of one agreement from its files, by when each takes effect: the
        first from the beginning (or its ``metadata.effective``), each later one from its
        ``metadata.effective``, which it must declare. Raises ``AgreementFileError`` or
        ``VersionSeriesError``."""
        loaded = self.load_valid(first).agreement
        assert loaded is not None
        beginning = dt.datetime.min.replace(tzinfo=dt.UTC)
        versions = {VersionSpan(loaded.effective_at() or beginning, 1): loaded}
        for number, path in enumerate(later, start=2):
            agreement = self.load_valid(path).agreement
            assert agreement is not None
            if agreement.metadata.id != loaded.metadata.id:
                raise VersionSeriesError(
                    f"{path}: agreement {agreement.metadata.id!r} is not a version of "
                    f"{loaded.metadata.id!r} ({first})"
                )
            effective_at = agreement.effective_at()
            if effective_at is None:
                raise VersionSeriesError(
                    f"{path}: a later version must say when it takes effect "
                    "(metadata.effective, e.g. effective: 2026-11-01)"
                )
            versions[VersionSpan(effective_at, number)] = agreement
        return versions
