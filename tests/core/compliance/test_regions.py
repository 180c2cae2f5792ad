"""Regions data may be restricted to: the 27 EU member states, the EEA (the EU with Iceland,
Liechtenstein and Norway), or single countries by ISO 3166-1 alpha-2 code."""

from __future__ import annotations

import pytest

from accord.core.compliance.regions import EEA, EU, within

#: The member states in 2026, by the names the EU itself lists (Treaty on European Union,
#: Art. 52), as ISO 3166-1 alpha-2 codes.
MEMBER_STATES = {
    "Austria": "AT", "Belgium": "BE", "Bulgaria": "BG", "Croatia": "HR", "Cyprus": "CY",
    "Czechia": "CZ", "Denmark": "DK", "Estonia": "EE", "Finland": "FI", "France": "FR",
    "Germany": "DE", "Greece": "GR", "Hungary": "HU", "Ireland": "IE", "Italy": "IT",
    "Latvia": "LV", "Lithuania": "LT", "Luxembourg": "LU", "Malta": "MT", "Netherlands": "NL",
    "Poland": "PL", "Portugal": "PT", "Romania": "RO", "Slovakia": "SK", "Slovenia": "SI",
    "Spain": "ES", "Sweden": "SE",
}  # fmt: skip


def test_the_eu_is_its_27_member_states() -> None:
    assert len(MEMBER_STATES) == 27
    assert set(MEMBER_STATES.values()) == EU


@pytest.mark.parametrize("country", sorted(MEMBER_STATES))
def test_every_member_state_is_within_the_eu_and_the_eea(country: str) -> None:
    code = MEMBER_STATES[country]

    assert within(code, ["EU"])
    assert within(code, ["EEA"])


def test_the_eea_adds_iceland_liechtenstein_and_norway_only() -> None:
    assert {"IS", "LI", "NO"} == (EEA - EU)
    assert within("NO", ["EEA"])
    assert not within("NO", ["EU"])


@pytest.mark.parametrize("country", ["GB", "CH", "US", "TR", "UA"])
def test_neighbours_outside_the_eea_are_outside_both(country: str) -> None:
    assert not within(country, ["EU", "EEA"])


def test_a_single_country_is_a_region_of_its_own_and_case_does_not_matter() -> None:
    assert within("ch", ["EU", "CH"])
    assert within("de", ["EU"])
    assert not within("AT", ["DE"])
    assert not within("DE", [])
