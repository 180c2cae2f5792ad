"""Indicator kinds: one module per kind of the agreement language, found by its name.

The language's kind ``x`` (``kind: x`` on an indicator, one member of the ``Indicator``
union in ``accord.core.model.measurement``) is planned by the module
``accord.engine.kinds.x``, whose ``KIND`` implements ``Kind``: the aggregates it needs and
how it reads them (``accord.engine.kinds.base``). Adding a kind is adding that member and
that module; ``docs/indicator-kinds.md`` gives the recipe, and a test checks that every
member of the union has its plan.
"""

from __future__ import annotations

import importlib
import typing
from functools import cache
from typing import Any

from accord.core.model.measurement import Indicator, IndicatorBase
from accord.engine.kinds.base import Kind, Plan, Setting


def indicator_models() -> tuple[type[IndicatorBase], ...]:
    """The indicator classes of the language, in the order the union lists them."""
    union = typing.get_args(Indicator)[0]
    return tuple(typing.get_args(union))


def kind_name(model: type[IndicatorBase]) -> str:
    """The name a kind is written with in an agreement (its ``kind`` literal)."""
    annotation = model.model_fields["kind"].annotation
    (name,) = typing.get_args(annotation)
    return str(name)


#: The package's names and modules: the shared ones, and one module per kind of the language,
#: derived from the language's model so that a new kind needs no edit here.
__all__ = [  # noqa: PLE0604 (the kind modules are named by the model, see above)
    "Kind",
    "Plan",
    "Setting",
    "base",
    "indicator_models",
    "kind_name",
    "kinds",
    "plan_of",
    "readings",
    *(kind_name(model) for model in indicator_models()),
]


@cache
def kinds() -> dict[str, Kind[Any]]:
    """Every kind of the language with its plan, by name. Raises ``ImportError`` naming the
    module a kind of the language lacks."""
    found: dict[str, Kind[Any]] = {}
    for model in indicator_models():
        name = kind_name(model)
        module = importlib.import_module(f"{__name__}.{name}")
        found[name] = module.KIND
    return found


def plan_of(indicator: IndicatorBase, setting: Setting) -> Plan:
    """The plan of an indicator, by its kind."""
    return kinds()[kind_name(type(indicator))].plan(indicator, setting)
