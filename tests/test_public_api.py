"""The package is typed, and every package says what it offers.

Each package's ``__init__`` declares ``__all__``: the names the rest of the code (and users)
should use, and its public modules. A module of a package is public unless its name starts
with an underscore; each public module declares its own ``__all__``, and is either listed
in its package's ``__all__`` or has all of its names re-exported there.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib import resources
from types import ModuleType

import pytest

import accord


def _packages() -> list[str]:
    found = ["accord"]
    for info in pkgutil.walk_packages(accord.__path__, "accord."):
        if info.ispkg and not info.name.endswith(".versions"):
            found.append(info.name)
    return found


#: Modules that a tool runs rather than the code imports (Alembic's environment script).
_RUN_BY_TOOLS = frozenset({"accord.store.migrations.env"})


def _public_modules(package: ModuleType) -> list[str]:
    return [
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
        and info.name.isidentifier()
        and f"{package.__name__}.{info.name}" not in _RUN_BY_TOOLS
    ]


def test_package_ships_type_information() -> None:
    assert resources.files("accord").joinpath("py.typed").is_file()


def test_the_walk_finds_the_layers() -> None:
    packages = set(_packages())
    assert {"accord.core", "accord.engine", "accord.store", "accord.services"} <= packages


@pytest.mark.parametrize("name", _packages())
def test_each_package_exports_its_public_names(name: str) -> None:
    package = importlib.import_module(name)
    exported = getattr(package, "__all__", None)
    assert exported, f"{name} declares no __all__"
    for entry in exported:
        assert hasattr(package, entry) or importlib.util.find_spec(f"{name}.{entry}"), (
            f"{name}.__all__ names {entry!r}, which is neither defined there nor a module"
        )
    for module_name in _public_modules(package):
        module = importlib.import_module(f"{name}.{module_name}")
        names = getattr(module, "__all__", None)
        assert names is not None, f"{module.__name__} declares no __all__"
        if module_name in exported:
            continue
        missing = sorted(set(names) - set(exported))
        assert not missing, (
            f"{name} neither lists its module {module_name!r} nor re-exports {missing}"
        )
