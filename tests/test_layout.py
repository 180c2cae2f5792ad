"""Tests mirror the source module by module (issue 9 §5).

``src/accord/<pkg>/<module>.py`` is tested by ``tests/<pkg>/test_<module>.py``, so a newcomer
finds a module's tests without searching; every module has one (a new module without it
fails here). Test files that mirror no module are either cross-cutting
suites (isolation, fuzzing, portability, oracles) or tests still named for a module that
moved; they are named in ``MIRROR_NO_MODULE`` so that a new one is a decision rather than an
accident, and that list too only shrinks.
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_SOURCE = _ROOT / "src" / "accord"
_TESTS = _ROOT / "tests"

#: Alembic revision scripts are proved as one chain (upgrade, downgrade, models agree) by
#: this test file, not one test file per revision.
_REVISIONS = "store/migrations/versions"
_REVISIONS_TESTED_BY = "store/test_migrations.py"

#: Test files (relative to tests/) that mirror no module: cross-cutting suites, and tests
#: still named for a module that moved. Sorted, one per line.
MIRROR_NO_MODULE = frozenset(
    {
        "cli/test_crash_ingestion.py",
        "core/test_examples.py",
        "engine/kinds/test_registry.py",
        "engine/test_oracle.py",
        "engine/test_portable.py",
        "scripts/test_same_verdicts.py",
        "server/test_incident_end_to_end.py",
        "server/test_isolation.py",
        "server/test_push_fuzz.py",
        "server/test_schema_fuzz.py",
        "server/web/test_accessibility.py",
        "store/test_migrations.py",
        "test_layout.py",
        "test_public_api.py",
        "test_readme.py",
        "worker/test_delivery_crash.py",
    }
)


def _modules() -> list[str]:
    found = []
    for path in sorted(_SOURCE.rglob("*.py")):
        relative = path.relative_to(_SOURCE).as_posix()
        if path.name != "__init__.py" and not relative.startswith(_REVISIONS + "/"):
            found.append(relative)
    return found


def _mirror(module: str) -> Path:
    folder, _, name = module.rpartition("/")
    return _TESTS / folder / f"test_{name}"


def _test_files() -> list[str]:
    return sorted(path.relative_to(_TESTS).as_posix() for path in _TESTS.rglob("test_*.py"))


def _mirrored_module(test_file: str) -> Path:
    folder, _, name = test_file.rpartition("/")
    return _SOURCE / folder / name.removeprefix("test_")


def test_every_module_has_its_mirror_test_file() -> None:
    missing = [module for module in _modules() if not _mirror(module).is_file()]
    assert missing == [], "modules without tests/<pkg>/test_<module>.py (write it): " + ", ".join(
        missing
    )


def test_every_test_file_mirrors_a_module_or_is_named_cross_cutting() -> None:
    files = _test_files()
    orphans = [
        name
        for name in files
        if name not in MIRROR_NO_MODULE and not _mirrored_module(name).is_file()
    ]
    stale = sorted(MIRROR_NO_MODULE - set(files))
    assert orphans == [], (
        "test files that mirror no module (name them test_<module>.py after the module they "
        "test, or add a cross-cutting suite to MIRROR_NO_MODULE): " + ", ".join(orphans)
    )
    assert stale == [], "remove from MIRROR_NO_MODULE (no such test file): " + ", ".join(stale)


def test_the_revision_scripts_are_tested_as_one_chain() -> None:
    assert (_SOURCE / _REVISIONS).is_dir()
    assert (_TESTS / _REVISIONS_TESTED_BY).is_file()


def test_the_list_is_written_sorted_one_entry_per_line() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    block = text.split("MIRROR_NO_MODULE = frozenset(\n    {\n", 1)[1].split("    }\n)", 1)[0]
    lines = block.splitlines()
    assert lines == sorted(lines)
    assert all(line.startswith('        "') and line.endswith('",') for line in lines)
