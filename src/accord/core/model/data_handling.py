"""Data handling: where data is processed, how it is protected and kept."""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import Field, model_validator

from accord.core.spec import DurationField, Identifier, Spec, problem

__all__ = ["DataHandling", "Encryption", "Region", "Retention"]

#: A region data may be kept in: EU, EEA, or an ISO 3166-1 alpha-2 country code.
Region = Annotated[str, Field(pattern=r"^(EU|EEA|[A-Z]{2})$")]

#: Codes people write for a country that are not its ISO 3166-1 code (the EU's own
#: abbreviation for Greece, the common one for the United Kingdom): read as given they would
#: match no location, so every location there would be reported outside the regions.
_NOT_ISO: Final = {"UK": ("GB", "the United Kingdom"), "EL": ("GR", "Greece")}


class Encryption(Spec):
    """Encryption standards for stored and transmitted data."""

    at_rest: str = Field(min_length=1, description="E.g. 'AES-256'.")
    in_transit: str = Field(min_length=1, description="E.g. 'TLS 1.2 or newer'.")


class Retention(Spec):
    """How long one category of data is kept."""

    data: str = Field(min_length=1, description="Category of data.")
    period: DurationField = Field(description="How long it is kept.")
    applies_to: Literal["performance_data", "audit_logs", "evidence"] | None = Field(
        default=None,
        description="What Accord itself keeps of this category and purges once the period "
        "has passed: performance_data (pushed measurement batches, by their latest event), "
        "audit_logs (the content of the agreement's audit entries, by their instant; the "
        "chain's links stay, so the trail still verifies), evidence (files submitted to the "
        "agreement's decided disputes, by the decision). Data a legal hold or an open dispute "
        "references is kept. Absent: data Accord does not hold.",
    )


class DataHandling(Spec):
    """Who handles which data where, and how it is protected."""

    processor: Identifier = Field(description="Party processing the consumer's data.")
    locations: list[str] = Field(min_length=1, description="Where data is stored and processed.")
    allowed_regions: list[Region] = Field(
        default_factory=list,
        description="Where data may be stored and processed at all: EU, EEA or ISO 3166-1 "
        "country codes (e.g. [EU, CH]). A declared location or sub-processor elsewhere is a "
        "finding. Empty: not restricted.",
    )
    location_change_notice: DurationField | None = Field(
        default=None, description="Notice before data moves to a new location."
    )
    encryption: Encryption = Field(description="Encryption standards.")
    access: str = Field(min_length=1, description="Access control rules.")
    retention: list[Retention] = Field(default_factory=list, description="Retention periods.")
    certifications: list[str] = Field(
        default_factory=list, description="Certifications the processor keeps, e.g. ISO 27001."
    )
    risk_assessment: str | None = Field(
        default=None, description="Third-party risk assessments and attestations."
    )

    @model_validator(mode="after")
    def _iso_regions(self) -> DataHandling:
        for index, region in enumerate(self.allowed_regions):
            if region in _NOT_ISO:
                code, country = _NOT_ISO[region]
                raise problem(
                    "region",
                    f"{region!r} is not the ISO 3166-1 code of {country}",
                    f"write {code!r}",
                    ("allowed_regions", index),
                )
        return self
