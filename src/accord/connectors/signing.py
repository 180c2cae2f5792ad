"""Ed25519 signatures (the ``cryptography`` package) for the audit trail's entries and
checkpoints, push receipts and evidence: the ``Signer`` port of the services.

The private key is a PEM file kept outside the database (by default ``keys/signing.pem``
under the data directory, or ``ACCORD_SIGNING_KEY``), created ``0600`` on first use with its
public key beside it (``signing.pub.pem``). Whoever holds only the public key can check every
signature (``verify_signature``); whoever can write the database, but not read the key,
cannot make one.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "SIGNATURE_FORMAT",
    "Ed25519Signer",
    "key_id",
    "public_key_path",
    "sign_file",
    "verify_file",
    "verify_signature",
]

SIGNATURE_FORMAT: Final = "accord.signature/v1"


def key_id(public_key_pem: str) -> str:
    """A short name for a public key: the first 16 hex digits of its PEM's SHA-256."""
    return hashlib.sha256(public_key_pem.encode()).hexdigest()[:16]


def public_key_path(private_key: Path) -> Path:
    return private_key.with_name(private_key.stem + ".pub.pem")


def verify_signature(public_key_pem: str, message: bytes, signature: str) -> bool:
    """Whether ``signature`` (base64) is the key's signature of ``message``."""
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            return False
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


class Ed25519Signer:
    """Signs with one private key; made by ``load_or_create``."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key_pem = (
            private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        self.key_id = key_id(self.public_key_pem)

    @classmethod
    def load_or_create(cls, path: Path) -> Ed25519Signer:
        """The key in ``path``, generated there (``0600``, folder ``0700``) if there is none."""
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            with contextlib.suppress(FileExistsError):
                handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                with os.fdopen(handle, "wb") as out:
                    out.write(pem)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path} holds no Ed25519 private key")
        signer = cls(loaded)
        public = public_key_path(path)
        if not public.exists():
            public.write_text(signer.public_key_pem, encoding="ascii")
        return signer

    def sign(self, message: bytes) -> str:
        """The signature of ``message``, base64."""
        return base64.b64encode(self._key.sign(message)).decode("ascii")

    def verify(self, message: bytes, signature: str) -> bool:
        return verify_signature(self.public_key_pem, message, signature)


def _file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def sign_file(signer: Ed25519Signer, path: Path) -> Path:
    """A detached signature of ``path`` beside it (``<name>.sig``): its SHA-256 signed."""
    digest = _file_sha256(path)
    signature = {
        "format": SIGNATURE_FORMAT,
        "file": path.name,
        "sha256": digest,
        "key_id": signer.key_id,
        "public_key": signer.public_key_pem,
        "signature": signer.sign(digest.encode()),
    }
    target = path.with_name(path.name + ".sig")
    target.write_text(json.dumps(signature, indent=2) + "\n", encoding="utf-8")
    return target


def verify_file(path: Path, public_key_pem: str) -> str | None:
    """Why ``path``'s detached signature (``<name>.sig``) does not hold under the public key;
    None when it does."""
    signature_path = path.with_name(path.name + ".sig")
    try:
        signature = json.loads(signature_path.read_text(encoding="utf-8"))
        digest = _file_sha256(path)
    except OSError as exc:
        return f"cannot read {exc.filename}: {exc.strerror}"
    except ValueError:
        return f"{signature_path} is not a signature (JSON)"
    if not isinstance(signature, dict) or signature.get("sha256") != digest:
        return f"{path.name} is not the file {signature_path.name} signed"
    if not verify_signature(public_key_pem, digest.encode(), str(signature.get("signature"))):
        return f"{signature_path.name} is not a signature by this public key"
    return None
