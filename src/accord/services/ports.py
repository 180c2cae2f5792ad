"""What the services need from the outside world, declared here and implemented elsewhere:
the clock, the writer that stores a pushed batch (``accord.connectors.batches``), the reader
of data files (``SourceReader``, declared by the engine that calls it and implemented by
``accord.connectors.files``), the fetchers that read sources living outside Accord
(``accord.connectors.prometheus``) and the rendering of records and documents for people
(declared in ``accord.services.rendering``, apart, so that the reports implementing it import
no query engine), each wired by the composition root (``accord.bootstrap``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from accord.core.declared import DeclaredIncident
from accord.core.evaluation import SourceIssue, SourceReport
from accord.core.model.measurement import Source
from accord.engine.sources import BadRowPolicy, SourceReader

__all__ = [
    "ArchiveError",
    "BatchKeys",
    "BatchWriter",
    "BundleArchive",
    "Clock",
    "FetchedRows",
    "FixedClock",
    "KeptRows",
    "NotificationSender",
    "OutgoingMessage",
    "SendFailed",
    "Signer",
    "SourceFetcher",
    "SourceReader",
    "SystemClock",
    "WrittenBatch",
]


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, tz-aware UTC."""
        ...


class Signer(Protocol):
    """Signs with a private key kept outside the database (``accord.connectors.signing``)."""

    #: The public key (PEM) that checks the signatures, and its short name.
    public_key_pem: str
    key_id: str

    def sign(self, message: bytes) -> str:
        """The signature of ``message``, base64."""
        ...

    def verify(self, message: bytes, signature: str) -> bool:
        """Whether ``signature`` is this key's signature of ``message``."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that says what it is told (tests, re-evaluations as of a past instant)."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, by: dt.timedelta) -> None:
        self.at += by


@dataclass(frozen=True)
class OutgoingMessage:
    """A notification as the sender delivers it."""

    channel: str  # "email" or "webhook"
    recipient: str  # an address, or a URL
    format: str  # "email"; or the webhook payload: "generic", "slack", "teams"
    subject: str
    text: str
    html: str
    #: The generic JSON document of the event (webhooks send it, or a Slack/Teams shape of it).
    payload: str
    #: Stable across attempts: receivers drop copies by it.
    message_id: str


class SendFailed(Exception):
    """Delivery did not succeed; ``permanent``: trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class NotificationSender(Protocol):
    """Delivers one message (SMTP, signed webhook); returns what the far end answered, or
    raises ``SendFailed``."""

    def send(self, message: OutgoingMessage) -> str: ...


class WrittenBatch(Protocol):
    """What became of a pushed batch once its file is durable."""

    @property
    def path(self) -> Path | None: ...
    @property
    def received(self) -> int: ...
    @property
    def accepted(self) -> int: ...
    @property
    def duplicates(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def issues(self) -> tuple[SourceIssue, ...]: ...
    # Where the rejected events were kept (None when none was rejected).
    @property
    def quarantine_path(self) -> Path | None: ...
    @property
    def digest(self) -> str | None: ...
    # The earliest and latest instants among the accepted events (None when none was):
    # which windows the batch touches, so that late data can be re-evaluated.
    @property
    def first_at(self) -> dt.datetime | None: ...
    @property
    def last_at(self) -> dt.datetime | None: ...
    # The identity key of each accepted event, to be recorded with the batch.
    @property
    def keys(self) -> tuple[str, ...]: ...


class BatchWriter(Protocol):
    """Checks a batch against its source, drops events repeated in it or whose identity key
    ``known`` already holds, writes the rest as ``batch_dir/<batch_id>.parquet`` atomically.
    Raises ``ValueError`` for an unusable batch id and ``accord.engine.sources.DataError``
    for events that cannot be read."""

    def __call__(  # noqa: PLR0913 (mirrors the keyword-only connector function)
        self,
        *,
        source: Source,
        events: list[dict[str, object]] | Path,
        batch_dir: Path,
        batch_id: str,
        known: Callable[[Sequence[str]], Collection[str]],
        policy: BadRowPolicy,
        quarantine_dir: Path | None,
    ) -> WrittenBatch: ...


class BatchKeys(Protocol):
    """The identity keys of the events in a batch file the writer wrote, under the source's
    current identity. Raises ``accord.engine.sources.DataError`` for an unreadable file."""

    def __call__(self, source: Source, path: Path) -> tuple[str, ...]: ...


class FetchedRows(Protocol):
    """A fetched source's rows: checked, as Parquet files in the shape pushed batches are
    kept in (``accord.engine.sources.stored_source``), and what checking them found."""

    @property
    def files(self) -> Sequence[Path]: ...
    @property
    def report(self) -> SourceReport | None: ...
    @property
    def declared(self) -> Sequence[DeclaredIncident]:
        """Incidents a partner's status feed declares (none for other sources)."""
        ...


class SourceFetcher(Protocol):
    """Reads a source that lives outside Accord (format prometheus) for the span
    [start_at, end_at). Raises ``accord.engine.sources.DataError`` naming the source and
    why when it cannot (server unreachable, query refused, connection unknown)."""

    def __call__(
        self, source: Source, start_at: dt.datetime, end_at: dt.datetime, *, now: dt.datetime
    ) -> FetchedRows: ...


class KeptRows(Protocol):
    """What earlier reads of an outside source kept (a status feed's merged polls), read
    again without asking the outside world; ``None`` when nothing is kept (another kind of
    source, or not read yet). Raises ``accord.engine.sources.DataError`` for kept rows that
    cannot be read."""

    def __call__(self, source: Source) -> FetchedRows | None: ...


class ArchiveError(Exception):
    """An archive that cannot be read or unpacked safely; the message says why."""


class BundleArchive(Protocol):
    """The container of an evidence bundle (``accord.connectors.archives``): packs staged
    files into one file and unpacks one without writing outside its folder."""

    def pack(self, stage: Path, names: Sequence[str], output: Path) -> None:
        """The files ``names`` (paths relative to ``stage``, in order) as ``output``, written
        beside it and then moved into place; the same files give the same bytes. Raises
        ``OSError`` when it cannot be written."""
        ...

    def unpack(self, bundle: Path, root: Path, *, required: str) -> dict[str, str]:
        """Every member of ``bundle`` under ``root``, with its sha256. Raises
        ``ArchiveError`` for a file that is no archive, lacks ``required``, holds a name
        twice or would write outside ``root`` (zip slip)."""
        ...
