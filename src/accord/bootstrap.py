"""The composition root: settings → database, batch writer, file reader, connectors,
rendering, clock → the services.

Nothing happens at import; ``build`` does the work, once per process (or per test).
"""

from __future__ import annotations

import httpx
from argon2 import PasswordHasher

from accord.connectors.archives import ZipArchive
from accord.connectors.batches import stored_keys, write_batch
from accord.connectors.credentials import ConnectionStore, key_from
from accord.connectors.files import FileReader
from accord.connectors.notify import Dispatcher, SmtpSender, WebhookSender
from accord.connectors.registry import connectors_for
from accord.connectors.signing import Ed25519Signer
from accord.reports.rendering import ReportRendering
from accord.services.container import Services
from accord.services.evaluation import FileEvaluations
from accord.services.evidence import EvidenceBundles
from accord.services.measuring import Measuring, MeasuringEngine
from accord.services.ports import Clock, SystemClock
from accord.services.uow import Limits, ServiceContext
from accord.settings import Settings
from accord.store.db import make_engine
from accord.store.migrations import MigrationRefused, upgrade
from accord.store.tenancy import session_factory

__all__ = [
    "MigrationRefused",
    "build",
    "connection_store",
    "evidence_bundles",
    "file_evaluations",
]


def connection_store(settings: Settings) -> ConnectionStore:
    """The connections configured for this installation, with the key from the settings."""
    key = key_from(settings.secret_key, settings.secret_key_file)
    return ConnectionStore(settings.connections_file, key)


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    passwords: PasswordHasher | None = None,
    migrate: bool = True,
) -> Services:
    """The services on the configured database (migrated to the newest schema unless told
    not to), with the data directory created. Raises ``ConnectionError_`` when configured
    connections cannot be decrypted."""
    # Owner only: the database, batch files and keys live here.
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    connectors = connectors_for(
        settings.data_dir / "files",
        settings.data_dir / "cache",
        servers=connection_store(settings).servers(),
    )
    context = ServiceContext(
        engine=engine,
        sessions=session_factory(engine),
        clock=clock or SystemClock(),
        data_dir=settings.data_dir,
        limits=Limits(
            token_ttl=settings.token_ttl,
            session_ttl=settings.session_ttl,
            max_batch_events=settings.max_batch_events,
            max_batch_bytes=settings.max_batch_bytes,
            four_eyes=settings.four_eyes,
        ),
        batch_writer=write_batch,
        batch_keys=stored_keys,
        passwords=passwords or PasswordHasher(),
        rendering=ReportRendering(),
        reader=FileReader(),
        fetcher=connectors,
        kept=connectors.kept,
        measuring=Measuring(MeasuringEngine(settings.engine), settings.spark_master),
        signer=Ed25519Signer.load_or_create(settings.signing_key_path),
        sender=_sender(settings),
        scheduled_reports=settings.scheduled_reports,
        public_url=settings.link_base,
    )
    return Services.create(context)


def evidence_bundles() -> EvidenceBundles:
    """Evidence bundles, which need no database: export and verify anywhere."""
    return EvidenceBundles(ReportRendering(), ZipArchive(), file_evaluations())


def file_evaluations() -> FileEvaluations:
    """Agreement files judged against data files, with no database (``accord evaluate``)."""
    return FileEvaluations(FileReader())


def _sender(settings: Settings) -> Dispatcher:
    email = None
    if settings.smtp_host:
        email = SmtpSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
        )
    webhook = None
    if settings.webhook_secret:
        webhook = WebhookSender(settings.webhook_secret, httpx.Client(timeout=10.0))
    return Dispatcher(email=email, webhook=webhook)
