"""The typed model of the agreement language (accord/v1).

``Agreement`` is the root of the language. It is loaded on first use (PEP 562) rather than
when the package is: the root pulls in every part of the language, and some parts live next
to the rules that apply them (``accord.core.calendars``, ``exclusions``, ``remedies``), rules
that read other parts of the model; importing the root eagerly here would tie them in a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.core.model.agreement import API_VERSION, Agreement

__all__ = [
    "API_VERSION",
    "Agreement",
    "data_handling",
    "governance",
    "incidents",
    "indicator_base",
    "measurement",
    "notifications",
    "objectives",
    "parties",
    "prometheus",
    "recorded",
    "regimes",
    "sources",
    "status",
    "status_feeds",
    "support",
    "ticket_exports",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        # Deferred on purpose: see the module docstring.
        from accord.core.model import agreement  # noqa: PLC0415

        return getattr(agreement, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
