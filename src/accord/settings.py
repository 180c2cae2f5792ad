"""Configuration of the service, read from ``ACCORD_*`` environment variables and a TOML file.

Read only by the composition root (``bootstrap``) and entry points; nothing else looks at the
environment. Precedence: environment variable, then the file named by ``ACCORD_CONFIG``, then
the default. Every setting works without configuration (the embedded default):

| variable | file key | default |
| --- | --- | --- |
| ``ACCORD_DATA_DIR`` | ``data_dir`` | the user's data directory (``platformdirs``) |
| ``ACCORD_DATABASE_URL`` | ``database_url`` | SQLite ``accord.db`` under the data directory |
| ``ACCORD_HOST`` / ``ACCORD_PORT`` | ``host`` / ``port`` | ``127.0.0.1`` / ``8000`` |
| ``ACCORD_TOKEN_TTL_DAYS`` | ``token_ttl_days`` | 90 |
| ``ACCORD_SESSION_TTL_HOURS`` | ``session_ttl_hours`` | 12 |
| ``ACCORD_MAX_BATCH_EVENTS`` | ``max_batch_events`` | 100000 |
| ``ACCORD_MAX_BATCH_BYTES`` | ``max_batch_bytes`` | 33554432 (32 MiB) |
| ``ACCORD_EVALUATION_MINUTES`` | ``evaluation_minutes`` | 15 (worker cadence) |
| ``ACCORD_WORKER`` | ``worker`` | ``on`` (``accord serve`` runs the worker; ``off``: not) |
| ``ACCORD_SIGNING_KEY`` | ``signing_key`` | ``keys/signing.pem`` under the data directory |
| ``ACCORD_CHECKPOINT_DIR`` | ``checkpoint_dir`` | none (the worker writes no checkpoints) |
| ``ACCORD_SMTP_HOST`` / ``ACCORD_SMTP_PORT`` | ``smtp_host`` / ``smtp_port`` | none / 25 |
| ``ACCORD_SMTP_USERNAME``, ``ACCORD_SMTP_PASSWORD`` | ``smtp_username``, ``…password`` | none |
| ``ACCORD_MAIL_FROM`` | ``mail_from`` | ``accord@localhost`` |
| ``ACCORD_WEBHOOK_SECRET`` | ``webhook_secret`` | none (webhooks wait in the outbox) |
| ``ACCORD_FOUR_EYES`` | ``four_eyes`` | ``on`` (restatements, ledger adjustments: two users) |
| ``ACCORD_SCHEDULED_REPORTS`` | ``scheduled_reports`` | ``on`` (reports of each closed period) |
| ``ACCORD_PUBLIC_URL`` | ``public_url`` | ``http://<host>:<port>`` (where emailed links point) |
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import platformdirs

__all__ = ["Settings", "SettingsError", "sqlite_url"]

_INTEGERS = {
    "port": "ACCORD_PORT",
    "token_ttl_days": "ACCORD_TOKEN_TTL_DAYS",
    "session_ttl_hours": "ACCORD_SESSION_TTL_HOURS",
    "max_batch_events": "ACCORD_MAX_BATCH_EVENTS",
    "max_batch_bytes": "ACCORD_MAX_BATCH_BYTES",
    "evaluation_minutes": "ACCORD_EVALUATION_MINUTES",
    "smtp_port": "ACCORD_SMTP_PORT",
}
_TEXTS = {
    "data_dir": "ACCORD_DATA_DIR",
    "database_url": "ACCORD_DATABASE_URL",
    "host": "ACCORD_HOST",
    "engine": "ACCORD_ENGINE",
    "spark_master": "ACCORD_SPARK_MASTER",
    "connections": "ACCORD_CONNECTIONS",
    "secret_key_file": "ACCORD_SECRET_KEY_FILE",
    "signing_key": "ACCORD_SIGNING_KEY",
    "checkpoint_dir": "ACCORD_CHECKPOINT_DIR",
    "smtp_host": "ACCORD_SMTP_HOST",
    "smtp_username": "ACCORD_SMTP_USERNAME",
    "smtp_password": "ACCORD_SMTP_PASSWORD",
    "mail_from": "ACCORD_MAIL_FROM",
    "webhook_secret": "ACCORD_WEBHOOK_SECRET",
    "public_url": "ACCORD_PUBLIC_URL",
}
#: The engines evaluations can measure on.
ENGINES: Final = ("duckdb", "spark")
_SWITCHES = {
    "worker": "ACCORD_WORKER",
    "four_eyes": "ACCORD_FOUR_EYES",
    "scheduled_reports": "ACCORD_SCHEDULED_REPORTS",
}
_DEFAULTS: dict[str, int | str] = {
    "host": "127.0.0.1",
    "port": 8000,
    "token_ttl_days": 90,
    "session_ttl_hours": 12,
    "max_batch_events": 100_000,
    "max_batch_bytes": 32 * 1024 * 1024,
    "evaluation_minutes": 15,
    "worker": "on",
    "engine": "duckdb",
    "spark_master": "local[*]",
    "smtp_port": 25,
    "mail_from": "accord@localhost",
    "four_eyes": "on",
    "scheduled_reports": "on",
}
_ON: Final = ("on", "true", "yes", "1")
_OFF: Final = ("off", "false", "no", "0")


class SettingsError(Exception):
    """A configuration value that cannot be used; the message names where it came from."""


def sqlite_url(data_dir: Path) -> str:
    """The embedded database: ``accord.db`` in the data directory."""
    return f"sqlite+pysqlite:///{data_dir / 'accord.db'}"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the service needs to start; build with ``Settings.load()`` or directly."""

    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    token_ttl: dt.timedelta = dt.timedelta(days=90)
    session_ttl: dt.timedelta = dt.timedelta(hours=12)
    max_batch_events: int = 100_000
    max_batch_bytes: int = 32 * 1024 * 1024
    evaluation_cadence: dt.timedelta = dt.timedelta(minutes=15)
    #: Whether ``accord serve`` runs the scheduled evaluation in its own process.
    worker: bool = True
    #: Whether a restatement or a manual ledger adjustment needs a second user (not the one
    #: who asked) to approve it.
    four_eyes: bool = True
    #: Where evaluations measure: ``duckdb`` in process, or ``spark`` at ``spark_master``.
    engine: str = "duckdb"
    spark_master: str = "local[*]"
    #: Connections to outside servers, secrets encrypted with the key (``ACCORD_SECRET_KEY``,
    #: only from the environment, or read from ``secret_key_file``); None: beside the data.
    connections: Path | None = None
    secret_key: str | None = field(default=None, repr=False)
    secret_key_file: Path | None = None

    @property
    def connections_file(self) -> Path:
        return self.connections or self.data_dir / "connections.json"

    #: The Ed25519 private key (PEM) that signs the audit trail, checkpoints and receipts;
    #: None: ``keys/signing.pem`` under the data directory. Keep it out of database backups.
    signing_key: Path | None = None
    #: Where the worker writes a signed checkpoint of the audit trail on every tick; None:
    #: it writes none (``accord audit anchor`` writes one on demand).
    checkpoint_dir: Path | None = None

    @property
    def signing_key_path(self) -> Path:
        return self.signing_key or self.data_dir / "keys" / "signing.pem"

    #: Where email notifications go out (``None``: they wait in the outbox).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = "accord@localhost"
    #: The shared secret webhooks are signed with (``None``: webhooks wait in the outbox).
    webhook_secret: str | None = None
    #: Whether the worker generates each period's reports once the period closes, keeps them
    #: and emails their recipients.
    scheduled_reports: bool = True
    #: The web app's address as people reach it, for links in emails; ``None``:
    #: ``http://<host>:<port>``.
    public_url: str | None = None

    @property
    def link_base(self) -> str:
        """Where links in emails point (no trailing slash)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Settings:
        """Defaults around one data directory (embedded SQLite database inside it)."""
        return cls(data_dir=data_dir, database_url=sqlite_url(data_dir))

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment (``os.environ`` unless given) and ``ACCORD_CONFIG``."""
        env = os.environ if environ is None else environ
        values = {**_DEFAULTS, **_read_file(env.get("ACCORD_CONFIG"))}
        for key, variable in _TEXTS.items():
            if env.get(variable):
                values[key] = env[variable]
        for key, variable in _INTEGERS.items():
            if env.get(variable):
                values[key] = _integer(env[variable], variable)
        for key, variable in _SWITCHES.items():
            if env.get(variable):
                values[key] = _switch(env[variable], variable)
        settings = cls._from_values(values)
        if env.get("ACCORD_SECRET_KEY"):
            settings = dataclasses.replace(settings, secret_key=env["ACCORD_SECRET_KEY"])
        return settings

    @classmethod
    def _from_values(cls, values: Mapping[str, int | str]) -> Settings:
        data_dir = Path(str(values.get("data_dir") or platformdirs.user_data_dir("accord")))
        data_dir = data_dir.expanduser()
        number = {key: _positive(values[key], key) for key in _INTEGERS}
        return cls(
            data_dir=data_dir,
            database_url=str(values.get("database_url") or sqlite_url(data_dir)),
            host=str(values["host"]),
            port=number["port"],
            token_ttl=dt.timedelta(days=number["token_ttl_days"]),
            session_ttl=dt.timedelta(hours=number["session_ttl_hours"]),
            max_batch_events=number["max_batch_events"],
            max_batch_bytes=number["max_batch_bytes"],
            evaluation_cadence=dt.timedelta(minutes=number["evaluation_minutes"]),
            worker=values["worker"] == "on",
            engine=_engine(str(values["engine"])),
            spark_master=str(values["spark_master"]),
            connections=_path(values.get("connections")),
            secret_key_file=_path(values.get("secret_key_file")),
            signing_key=_path(values.get("signing_key")),
            checkpoint_dir=_path(values.get("checkpoint_dir")),
            smtp_host=_optional(values, "smtp_host"),
            smtp_port=number["smtp_port"],
            smtp_username=_optional(values, "smtp_username"),
            smtp_password=_optional(values, "smtp_password"),
            mail_from=str(values["mail_from"]),
            webhook_secret=_optional(values, "webhook_secret"),
            four_eyes=values["four_eyes"] == "on",
            scheduled_reports=values["scheduled_reports"] == "on",
            public_url=_optional(values, "public_url"),
        )


def _path(value: int | str | None) -> Path | None:
    return Path(str(value)).expanduser() if value else None


def _engine(value: str) -> str:
    if value not in ENGINES:
        raise SettingsError(
            f"ACCORD_ENGINE (or engine): {value!r} is not one of {', '.join(ENGINES)}"
        )
    return value


def _optional(values: Mapping[str, int | str], key: str) -> str | None:
    value = values.get(key)
    return str(value) if value else None


def _read_file(name: str | None) -> dict[str, int | str]:
    if not name:
        return {}
    path = Path(name)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"ACCORD_CONFIG: cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"ACCORD_CONFIG: {path} is not valid TOML: {exc}") from None
    known = set(_INTEGERS) | set(_TEXTS) | set(_SWITCHES)
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    values: dict[str, int | str] = {}
    for key, value in data.items():
        if key in _INTEGERS and (isinstance(value, bool) or not isinstance(value, int)):
            raise SettingsError(f"{path}: {key} must be a whole number, not {value!r}")
        if key in _TEXTS and not isinstance(value, str):
            raise SettingsError(f"{path}: {key} must be text, not {value!r}")
        values[key] = _switch(value, f"{path}: {key}") if key in _SWITCHES else value
    return values


def _switch(value: object, where: str) -> str:
    """``on`` or ``off`` from on/off, true/false, yes/no or 1/0."""
    text = str(value).strip().lower()
    if text in _ON:
        return "on"
    if text in _OFF:
        return "off"
    raise SettingsError(f"{where} must be on or off, not {value!r}")


def _integer(text: str, variable: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SettingsError(f"{variable} must be a whole number, not {text!r}") from None


def _positive(value: int | str, key: str) -> int:
    number = int(value)
    if number <= 0 or (key == "port" and number > 65535):
        raise SettingsError(f"{key} must be a positive whole number (port ≤ 65535), not {number}")
    return number
