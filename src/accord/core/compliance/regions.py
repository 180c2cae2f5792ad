"""Regions an agreement may restrict data to: the EU, the EEA, or single countries
(ISO 3166-1 alpha-2 codes). Member states as of 2026 (EU: Treaty on European Union, Art. 52;
EEA: the EU plus Iceland, Liechtenstein and Norway)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ["EEA", "EU", "within"]

EU: Final = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
EEA: Final = EU | {"IS", "LI", "NO"}
_NAMED: Final = {"EU": EU, "EEA": EEA}


def within(country: str, regions: Iterable[str]) -> bool:
    """Whether a country (alpha-2 code) lies in one of the regions."""
    code = country.upper()
    return any(code in _NAMED.get(region, frozenset({region})) for region in regions)
