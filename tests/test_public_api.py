"""The package is typed, and every package says what it offers.

Each package's ``__init__`` declares ``__all__``: the names the rest of the code (and users)
should use, and its public modules. A module of a package is public unless its name starts
with an underscore; each public module declares its own ``__all__``, and is either listed
in its package's ``__all__`` or has all of its names re-exported there. What one module
imports from another is in that module's ``__all__``: a name used elsewhere is public.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from importlib import resources
from pathlib import Path
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


def _imports_from_accord() -> list[tuple[str, str, str]]:
    """Every ``from accord… import name`` in the package's source: (where, module, name)."""
    root = Path(accord.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module is not None
                and node.module.split(".")[0] == "accord"
            ):
                where = f"{path.relative_to(root.parent)}:{node.lineno}"
                found.extend((where, node.module, alias.name) for alias in node.names)
    return found


def test_the_walk_finds_imports_between_modules() -> None:
    modules = {module for _, module, _ in _imports_from_accord()}
    assert {"accord.engine.sources", "accord.services.uow", "accord.core.model"} <= modules


def test_what_a_module_takes_from_another_is_in_its_all() -> None:
    """A name imported from another module is listed in that module's ``__all__`` (or is a
    module of that package): a name used elsewhere but left out is public by accident or
    private by mistake."""
    hidden = []
    for where, module_name, name in _imports_from_accord():
        module = importlib.import_module(module_name)
        if name in getattr(module, "__all__", ()):
            continue
        if hasattr(module, "__path__") and importlib.util.find_spec(f"{module_name}.{name}"):
            continue
        hidden.append(f"{where}: {module_name}.{name}")
    assert not hidden, "imported but not in __all__:\n" + "\n".join(hidden)
