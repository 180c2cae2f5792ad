"""Evidence bundles as zip files: packed deterministically (fixed times and modes, the same
files give the same bytes) and unpacked without writing outside the target folder.

Implements the services' ``BundleArchive`` port; the bundle's layout and manifest are the
services' (``accord.services.evidence``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Final

from accord.services.ports import ArchiveError

__all__ = ["ZipArchive"]

_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_CHUNK: Final = 1 << 20


class ZipArchive:
    """Zip files, deflated."""

    def pack(self, stage: Path, names: Sequence[str], output: Path) -> None:
        partial = output.with_name(f".{output.name}.partial")
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
                for name in names:
                    # Fixed times and modes: the same bundle, the same bytes.
                    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    with (stage / name).open("rb") as source, bundle.open(info, "w") as target:
                        shutil.copyfileobj(source, target, _CHUNK)
            os.replace(partial, output)
        except OSError:
            partial.unlink(missing_ok=True)
            raise

    def unpack(self, bundle: Path, root: Path, *, required: str) -> dict[str, str]:
        try:
            with zipfile.ZipFile(bundle) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                names = [m.filename for m in members]
                for name in names:
                    _inside(root, name)
                duplicates = sorted({name for name in names if names.count(name) > 1})
                if duplicates:
                    raise ArchiveError(f"{bundle} holds {', '.join(duplicates)} more than once")
                if required not in names:
                    raise ArchiveError(f"{bundle} is not an evidence bundle: it has no {required}")
                return {m.filename: _extract(archive, m, root) for m in members}
        except FileNotFoundError:
            raise ArchiveError(f"{bundle}: no such file") from None
        except IsADirectoryError:
            raise ArchiveError(f"{bundle} is a directory, not a bundle") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
            raise ArchiveError(
                f"{bundle} is not an evidence bundle: not a readable zip file"
            ) from None
        except OSError as exc:
            raise ArchiveError(f"cannot read {bundle}: {exc.strerror or exc}") from None


def _inside(root: Path, name: str) -> Path:
    """Where a member goes; ``ArchiveError`` for a path that leads out (zip slip)."""
    path = PurePosixPath(name)
    target = (root / name).resolve()
    if (
        path.is_absolute()
        or "\\" in name
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
        or not target.is_relative_to(root.resolve())
    ):
        raise ArchiveError(
            f"refusing to unpack {name!r}: it would be written outside the bundle's folder "
            "(zip slip); this file is not a bundle Accord wrote"
        )
    return target


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, root: Path) -> str:
    target = _inside(root, member.filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256()
    with archive.open(member) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            sha.update(chunk)
            out.write(chunk)
    return sha.hexdigest()
