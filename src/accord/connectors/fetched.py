"""What reading a source from outside gives the services (``FetchedRows``): the files of
its checked rows and what checking them found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from accord.core.declared import DeclaredIncident
from accord.core.evaluation import SourceReport

__all__ = ["Fetched"]


@dataclass
class Fetched:
    """A source's rows: Parquet files in the shape pushed batches are kept in, and the
    report of reading them (rows read, accepted, set aside with their reasons)."""

    files: list[Path] = field(default_factory=list)
    report: SourceReport | None = None
    #: Incidents a partner's status feed declares (status-feed sources only).
    declared: list[DeclaredIncident] = field(default_factory=list)
