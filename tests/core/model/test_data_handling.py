"""Data handling as written: regions data may be kept in (EU, EEA or ISO country codes, not
the codes people often write instead), retention periods, encryption."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.model.data_handling import DataHandling, Retention
from accord.core.units import Duration


def handling(**changes: Any) -> DataHandling:
    return DataHandling.model_validate(
        {
            "processor": "stratus",
            "locations": ["Frankfurt (DE)"],
            "encryption": {"at_rest": "AES-256", "in_transit": "TLS 1.2 or newer"},
            "access": "Named engineers with MFA.",
            **changes,
        }
    )


def test_regions_are_eu_eea_or_country_codes() -> None:
    assert handling(allowed_regions=["EU", "CH", "EEA"]).allowed_regions == ["EU", "CH", "EEA"]
    assert handling().allowed_regions == []  # not restricted


@pytest.mark.parametrize("region", ["eu", "Europe", "DEU", "D"])
def test_anything_else_is_not_a_region(region: str) -> None:
    with pytest.raises(ValidationError):
        handling(allowed_regions=[region])


@pytest.mark.parametrize(
    ("region", "message", "hint"),
    [
        ("UK", "'UK' is not the ISO 3166-1 code of the United Kingdom", "write 'GB'"),
        ("EL", "'EL' is not the ISO 3166-1 code of Greece", "write 'GR'"),
    ],
)
def test_codes_that_are_not_iso_are_refused_with_the_code_meant(
    region: str, message: str, hint: str
) -> None:
    with pytest.raises(ValidationError) as error:
        handling(allowed_regions=["EU", region])

    (found,) = error.value.errors()
    assert (found["msg"], found["ctx"]["hint"], found["ctx"]["at"]) == (
        message,
        hint,
        ("allowed_regions", 1),
    )


def test_a_retention_period_names_what_accord_itself_purges() -> None:
    kept = Retention.model_validate(
        {"data": "Probe results", "period": "13 months", "applies_to": "performance_data"}
    )

    assert kept.period == Duration.parse("13 months")
    with pytest.raises(ValidationError):
        Retention.model_validate({"data": "Logs", "period": "1 years", "applies_to": "backups"})


def test_encryption_and_locations_must_be_said() -> None:
    with pytest.raises(ValidationError):
        handling(locations=[])
    with pytest.raises(ValidationError):
        handling(encryption={"at_rest": "", "in_transit": "TLS 1.3"})
