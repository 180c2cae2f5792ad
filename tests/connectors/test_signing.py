"""Ed25519 signatures: a key created once with tight permissions, signatures anyone holding
the public key can check, and detached file signatures that name what does not hold."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from accord.connectors.signing import (
    SIGNATURE_FORMAT,
    Ed25519Signer,
    key_id,
    public_key_path,
    sign_file,
    verify_file,
    verify_signature,
)


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "signing.pem"


@pytest.fixture
def signer(key_path: Path) -> Ed25519Signer:
    return Ed25519Signer.load_or_create(key_path)


def _ec_key_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


# -- the key ------------------------------------------------------------------------------


def test_the_key_is_created_readable_by_its_owner_only_with_its_public_key_beside(
    signer: Ed25519Signer, key_path: Path
) -> None:
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700
    public = public_key_path(key_path)
    assert public.name == "signing.pub.pem"
    assert public.read_text(encoding="ascii") == signer.public_key_pem


def test_the_key_is_loaded_again_not_replaced(signer: Ed25519Signer, key_path: Path) -> None:
    again = Ed25519Signer.load_or_create(key_path)

    assert again.key_id == signer.key_id == key_id(signer.public_key_pem)
    assert len(signer.key_id) == 16
    assert again.verify(b"entry", signer.sign(b"entry"))


def test_a_file_holding_another_kind_of_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    path.write_bytes(_ec_key_pem())

    with pytest.raises(ValueError, match="holds no Ed25519 private key"):
        Ed25519Signer.load_or_create(path)


# -- signatures ---------------------------------------------------------------------------


def test_a_signature_holds_for_its_message_only(signer: Ed25519Signer) -> None:
    signature = signer.sign(b"checkpoint 41")

    assert verify_signature(signer.public_key_pem, b"checkpoint 41", signature)
    assert not verify_signature(signer.public_key_pem, b"checkpoint 42", signature)


def test_a_signature_by_another_key_does_not_hold(signer: Ed25519Signer, tmp_path: Path) -> None:
    other = Ed25519Signer.load_or_create(tmp_path / "other.pem")

    assert not verify_signature(signer.public_key_pem, b"entry", other.sign(b"entry"))


@pytest.mark.parametrize("signature", ["", "not base64!", "AAAA", "A" * 88])
def test_a_malformed_signature_is_not_a_signature(signer: Ed25519Signer, signature: str) -> None:
    assert not verify_signature(signer.public_key_pem, b"entry", signature)


def test_a_public_key_of_another_kind_or_no_key_verifies_nothing(signer: Ed25519Signer) -> None:
    ec_public = (
        serialization.load_pem_private_key(_ec_key_pem(), password=None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    signature = signer.sign(b"entry")

    assert not verify_signature(ec_public, b"entry", signature)
    assert not verify_signature("not a key", b"entry", signature)


# -- detached file signatures -------------------------------------------------------------


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.zip"
    path.write_bytes(b"PK\x03\x04 evidence of October")
    return path


def test_a_signed_file_verifies_under_the_signers_public_key(
    signer: Ed25519Signer, bundle: Path
) -> None:
    written = sign_file(signer, bundle)

    document = json.loads(written.read_text(encoding="utf-8"))
    assert written.name == "evidence.zip.sig"
    assert document["format"] == SIGNATURE_FORMAT
    assert (document["file"], document["key_id"]) == ("evidence.zip", signer.key_id)
    assert verify_file(bundle, signer.public_key_pem) is None


def test_a_file_changed_after_signing_is_not_the_file_signed(
    signer: Ed25519Signer, bundle: Path
) -> None:
    sign_file(signer, bundle)
    bundle.write_bytes(bundle.read_bytes() + b" and November")

    assert verify_file(bundle, signer.public_key_pem) == (
        "evidence.zip is not the file evidence.zip.sig signed"
    )


def test_a_signature_file_edited_to_match_a_changed_file_is_caught(
    signer: Ed25519Signer, bundle: Path
) -> None:
    signature = sign_file(signer, bundle)
    bundle.write_bytes(b"forged")
    document = json.loads(signature.read_text(encoding="utf-8"))
    document["sha256"] = hashlib.sha256(b"forged").hexdigest()
    signature.write_text(json.dumps(document), encoding="utf-8")

    assert verify_file(bundle, signer.public_key_pem) == (
        "evidence.zip.sig is not a signature by this public key"
    )


def test_a_file_signed_by_another_key_does_not_verify(
    signer: Ed25519Signer, bundle: Path, tmp_path: Path
) -> None:
    sign_file(Ed25519Signer.load_or_create(tmp_path / "other.pem"), bundle)

    assert verify_file(bundle, signer.public_key_pem) == (
        "evidence.zip.sig is not a signature by this public key"
    )


def test_a_missing_or_broken_signature_file_is_named(signer: Ed25519Signer, bundle: Path) -> None:
    missing = verify_file(bundle, signer.public_key_pem)
    assert missing is not None
    assert missing.startswith("cannot read ")
    assert missing.endswith("evidence.zip.sig: No such file or directory")

    bundle.with_name("evidence.zip.sig").write_text("{not json", encoding="utf-8")
    assert verify_file(bundle, signer.public_key_pem) == (
        f"{bundle.with_name('evidence.zip.sig')} is not a signature (JSON)"
    )

    bundle.with_name("evidence.zip.sig").write_text("[]", encoding="utf-8")
    assert verify_file(bundle, signer.public_key_pem) == (
        "evidence.zip is not the file evidence.zip.sig signed"
    )
