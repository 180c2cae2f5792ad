"""Connections configured in settings, their credentials encrypted at rest.

An agreement names what to read (a Prometheus server's URL and its series); how to sign in
to that server belongs to whoever runs Accord, not in the signed document. A connection says
it: a URL and a secret (a bearer token, or a password with a user name for basic
authentication), kept in a JSON file (``ACCORD_CONNECTIONS``, by default
``<data_dir>/connections.json``) whose secrets are Fernet tokens (AES-128-CBC with an
HMAC-SHA256, from the ``cryptography`` package). The key is not in that file nor in the
database: it comes from ``ACCORD_SECRET_KEY`` or the file ``ACCORD_SECRET_KEY_FILE``
(``accord connectors key`` makes one). A source whose URL a connection matches is read with
that connection's credentials.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.fernet import Fernet, InvalidToken

from accord.connectors.prometheus.client import Server

__all__ = ["Connection", "ConnectionError_", "ConnectionStore", "key_from", "new_key"]

_FORMAT: Final = "accord.connections/v1"


class ConnectionError_(Exception):
    """A connection file or key that cannot be used; the message says which and why."""


def new_key() -> str:
    """A fresh key for ``ACCORD_SECRET_KEY`` (url-safe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode("ascii")


@dataclass(frozen=True)
class Connection:
    """A server and how to sign in to it; ``secret`` is plain text only in memory."""

    name: str
    url: str
    secret: str
    user: str | None = None

    def headers(self) -> dict[str, str]:
        if self.user is None:
            return {"Authorization": f"Bearer {self.secret}"}
        pair = base64.b64encode(f"{self.user}:{self.secret}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}

    def shown(self) -> str:
        how = f"basic authentication as {self.user}" if self.user else "a bearer token"
        return f"{self.name}: {self.url} with {how}"


class ConnectionStore:
    """The connections file; reading or writing a secret needs the key."""

    def __init__(self, path: Path, key: str | None) -> None:
        self.path = path
        self._key = key

    def _fernet(self) -> Fernet:
        if not self._key:
            raise ConnectionError_(
                f"{self.path}: credentials are encrypted; set ACCORD_SECRET_KEY or "
                "ACCORD_SECRET_KEY_FILE (accord connectors key makes a key)"
            )
        try:
            return Fernet(self._key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ConnectionError_(
                "ACCORD_SECRET_KEY is not a key: 32 bytes in url-safe base64 "
                "(accord connectors key makes one)"
            ) from None

    def _entries(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConnectionError_(f"{self.path}: cannot read connections: {exc}") from None
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            raise ConnectionError_(f"{self.path}: not an Accord connections file ({_FORMAT})")
        entries = document.get("connections")
        if not isinstance(entries, list):
            raise ConnectionError_(f"{self.path}: 'connections' must be a list")
        return entries

    def add(self, connection: Connection) -> None:
        """Add or replace the connection of that name, its secret encrypted."""
        secret = self._fernet().encrypt(connection.secret.encode("utf-8")).decode("ascii")
        entry = {"name": connection.name, "url": connection.url.rstrip("/"), "secret": secret}
        if connection.user is not None:
            entry["user"] = connection.user
        entries = [e for e in self._entries() if e.get("name") != connection.name]
        document = {"format": _FORMAT, "connections": [*entries, entry]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        temporary.chmod(0o600)
        temporary.replace(self.path)

    def remove(self, name: str) -> bool:
        entries = self._entries()
        kept = [e for e in entries if e.get("name") != name]
        if len(kept) == len(entries):
            return False
        document = {"format": _FORMAT, "connections": kept}
        self.path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return True

    def connections(self) -> list[Connection]:
        """Every connection, secrets decrypted (a wrong key says which one fails)."""
        found = []
        entries = self._entries()
        fernet = self._fernet() if entries else None
        for index, entry in enumerate(entries):
            name = str(entry.get("name") or f"#{index + 1}")
            if not isinstance(entry.get("url"), str) or not isinstance(entry.get("secret"), str):
                raise ConnectionError_(f"{self.path}: connection {name!r} needs url and secret")
            assert fernet is not None
            try:
                secret = fernet.decrypt(entry["secret"].encode("ascii")).decode("utf-8")
            except (InvalidToken, UnicodeError):
                raise ConnectionError_(
                    f"{self.path}: connection {name!r} cannot be decrypted with this key "
                    "(it was encrypted with another, or the file was altered)"
                ) from None
            found.append(Connection(name, entry["url"], secret, entry.get("user")))
        return found

    def servers(self) -> Mapping[str, Server]:
        """The Prometheus servers, by URL, with their sign-in headers."""
        return {c.url: Server(url=c.url, headers=c.headers()) for c in self.connections()}


def key_from(key: str | None, key_file: Path | None) -> str | None:
    """The key given (``ACCORD_SECRET_KEY``), else read from ``key_file``
    (``ACCORD_SECRET_KEY_FILE``); None when neither is set."""
    if key:
        return key.strip()
    if key_file is None:
        return None
    try:
        return key_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConnectionError_(
            f"ACCORD_SECRET_KEY_FILE: cannot read {key_file}: {exc.strerror}"
        ) from None
