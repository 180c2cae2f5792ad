"""The sample-data command: realistic measurement data for the example agreements."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import EXIT_INVALID, console, err_console, fail, print_problems
from accord.core.model import Agreement
from accord.demo.base import SampleDataError, SampleOptions, WrittenFile
from accord.demo.generate import has_generator, write_sample_data
from accord.services.agreements import AgreementFileError, AgreementFiles

__all__ = ["register"]


def _examples(folder: Path) -> list[tuple[Path, Agreement]]:
    """Every agreement in the folder, each checked; invalid files stop the command."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        fail(f"no agreements (*.yaml) in {folder}; point --examples at the examples folder")
    found = []
    for path in files:
        try:
            loaded = AgreementFiles().load_valid(path)
        except AgreementFileError as exc:
            print_problems(exc.problems)
            raise typer.Exit(EXIT_INVALID) from None
        assert loaded.agreement is not None
        found.append((path, loaded.agreement))
    return found


def _files_cell(files: Sequence[WrittenFile], pattern: str) -> str:
    if len(files) == 1:
        return str(files[0].path)
    return f"{pattern} ({len(files)} files)"


def _print_written(
    written: Sequence[WrittenFile], patterns: dict[tuple[str, str], str], out: Path
) -> None:
    table = Table(title=f"Sample data written to {out}")
    for header in ("agreement", "source", "files"):
        table.add_column(header, overflow="fold")
    table.add_column("rows", justify="right")
    by_source: dict[tuple[str, str], list[WrittenFile]] = {}
    for item in written:
        by_source.setdefault((item.agreement, item.source), []).append(item)
    for (agreement, source), files in by_source.items():
        rows = sum(item.rows for item in files)
        cell = _files_cell(files, patterns[agreement, source])
        table.add_row(agreement, source, escape(cell), f"{rows:,}")
    console.print(table)
    console.print(f"{len(written):,} files, {sum(item.rows for item in written):,} rows")


def sample_data(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write to; evaluate reads it with --data.")
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Randomness: the same seed, the same bytes.")
    ] = 1,
    months: Annotated[
        int, typer.Option("--months", help="How many calendar months, ending with --end.")
    ] = 6,
    end: Annotated[
        str, typer.Option("--end", help="Last month generated (YYYY-MM), in each agreement's zone.")
    ] = "2026-10",
    examples: Annotated[
        Path, typer.Option("--examples", help="Folder of the example agreements.")
    ] = Path("examples"),
) -> None:
    """Write deterministic, realistic measurement data for every example agreement.

    Each source is written where its path points, with its column names; files an earlier
    run left there are replaced. The data tells a story: most objectives are met, and
    October 2026 has deviations, a breach with a service credit and a chronic failure.
    """
    try:
        options = SampleOptions(seed=seed, months=months, end=end)
    except SampleDataError as exc:
        fail(str(exc))
    written: list[WrittenFile] = []
    patterns: dict[tuple[str, str], str] = {}
    for path, agreement in _examples(examples):
        patterns.update(
            ((agreement.metadata.id, source.id), source.path or source.id)
            for source in agreement.sources
        )
        if not has_generator(agreement):
            err_console.print(f"[yellow]skipped[/yellow] {escape(str(path))}: no sample data")
            continue
        try:
            written.extend(write_sample_data(agreement, out, options))
        except SampleDataError as exc:
            fail(f"{path}: {exc}")
        except OSError as exc:
            fail(f"cannot write to {out}: {exc.strerror or exc}")
    _print_written(written, patterns, out)
    console.print(
        f"next: accord evaluate {escape(str(examples / 'payments-api.yaml'))} "
        f"--data {escape(str(out))} --period {end}"
    )


def register(app: typer.Typer) -> None:
    app.command("sample-data")(sample_data)
