"""Zip archives of evidence bundles: the same files give the same bytes, and unpacking
refuses what a bundle Accord wrote never holds."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from accord.connectors.archives import ZipArchive
from accord.services.ports import ArchiveError

ARCHIVE = ZipArchive()


def _stage(folder: Path) -> list[str]:
    (folder / "data").mkdir(parents=True)
    (folder / "a.txt").write_text("alpha\n", encoding="utf-8")
    (folder / "data" / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (folder / "manifest.json").write_text("{}\n", encoding="utf-8")
    return ["a.txt", "data/b.csv", "manifest.json"]


def test_packing_the_same_files_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    names = _stage(tmp_path / "stage")
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"

    ARCHIVE.pack(tmp_path / "stage", names, first)
    (tmp_path / "stage" / "a.txt").touch()  # a later modification time changes nothing
    ARCHIVE.pack(tmp_path / "stage", names, second)

    assert first.read_bytes() == second.read_bytes()
    assert zipfile.ZipFile(first).namelist() == names
    assert not list(tmp_path.glob(".*.partial"))


def test_unpacking_gives_every_member_with_its_sha256(tmp_path: Path) -> None:
    names = _stage(tmp_path / "stage")
    ARCHIVE.pack(tmp_path / "stage", names, tmp_path / "bundle.zip")

    digests = ARCHIVE.unpack(tmp_path / "bundle.zip", tmp_path / "out", required="manifest.json")

    assert digests["data/b.csv"] == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert (tmp_path / "out" / "data" / "b.csv").read_text(encoding="utf-8") == "x,y\n1,2\n"


def _zip(path: Path, *names: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return path


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("../evil.txt", "manifest.json"), "zip slip"),
        (("/etc/evil", "manifest.json"), "zip slip"),
        (("a.txt",), "it has no manifest.json"),
    ],
)
def test_unpacking_refuses_what_no_bundle_holds(
    tmp_path: Path, names: tuple[str, ...], message: str
) -> None:
    bundle = _zip(tmp_path / "bad.zip", *names)

    with pytest.raises(ArchiveError, match=message):
        ARCHIVE.unpack(bundle, tmp_path / "out", required="manifest.json")

    assert not (tmp_path / "evil.txt").exists()


def test_a_file_that_is_no_zip_is_named(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("hello", encoding="utf-8")

    with pytest.raises(ArchiveError, match="not a readable zip file"):
        ARCHIVE.unpack(text, tmp_path / "out", required="manifest.json")


def test_a_bundle_that_cannot_be_written_leaves_nothing_behind(tmp_path: Path) -> None:
    names = _stage(tmp_path / "stage")
    (tmp_path / "stage" / "a.txt").unlink()

    with pytest.raises(FileNotFoundError):
        ARCHIVE.pack(tmp_path / "stage", names, tmp_path / "bundle.zip")

    assert list(tmp_path.glob("*.zip")) == []
    assert list(tmp_path.glob(".*partial")) == []
