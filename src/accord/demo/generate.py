"""Writing the sample data of one agreement: pick its generator, fill every source, write.

Each example agreement has a generator, found by the agreement's ``metadata.id``. Files an
earlier run left where a source's path points are removed first, so that a glob never mixes
two runs.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import duckdb

from accord.core.model import Agreement
from accord.core.model.measurement import Source
from accord.demo import cloud, logistics, payments, support
from accord.demo.base import Context, SampleDataError, SampleOptions, WrittenFile, span_of
from accord.demo.sql import install
from accord.demo.writer import SourceRows, write_source

__all__ = ["GENERATORS", "has_generator", "write_sample_data"]

Generator = Callable[[Context], list[SourceRows]]

#: The generator of each example agreement, by agreement id.
GENERATORS: Final[Mapping[str, Generator]] = {
    "payments-api": payments.generate,
    "cloud-hosting": cloud.generate,
    "logistics-carrier": logistics.generate,
    "support-outsourcer": support.generate,
}


def has_generator(agreement: Agreement) -> bool:
    """Whether sample data can be generated for this agreement."""
    return agreement.metadata.id in GENERATORS


def _clear(source: Source, out_dir: Path) -> None:
    """Remove the files of an earlier run that the source's path matches."""
    assert source.path is not None
    pattern = out_dir / source.path
    if pattern.is_dir():
        pattern = pattern / "**" / f"*.{source.format.value}"
    for found in sorted(glob.glob(str(pattern), recursive=True)):
        path = Path(found)
        if path.is_file():
            path.unlink()


def write_sample_data(
    agreement: Agreement, out_dir: Path, options: SampleOptions
) -> list[WrittenFile]:
    """Generate and write every source of the agreement under ``out_dir``.

    Raises ``SampleDataError`` for an agreement without a generator or a generator that
    does not fit the agreement, and ``OSError`` when the files cannot be written.
    """
    generator = GENERATORS.get(agreement.metadata.id)
    if generator is None:
        known = ", ".join(sorted(GENERATORS))
        raise SampleDataError(
            f"no sample data for agreement {agreement.metadata.id!r}; there is for {known}"
        )
    span = span_of(options, agreement.timezone)
    written: list[WrittenFile] = []
    with duckdb.connect() as con:
        install(con, options.seed, span)
        context = Context(con, agreement, span, options)
        for rows in generator(context):
            source = context.source(rows.source)
            _clear(source, out_dir)
            for path, count in write_source(con, source, rows, span, out_dir):
                written.append(
                    WrittenFile(agreement.metadata.id, source.id, path.relative_to(out_dir), count)
                )
    return written
