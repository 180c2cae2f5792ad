"""The package is typed and its public names exist."""

from __future__ import annotations

from importlib import resources

import accord


def test_package_ships_type_information() -> None:
    assert resources.files("accord").joinpath("py.typed").is_file()


def test_all_names_exist() -> None:
    for name in accord.__all__:
        assert hasattr(accord, name)
