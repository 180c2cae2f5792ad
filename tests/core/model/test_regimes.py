"""Notice regimes are data: the built-in ones read by the same model as an agreement's own,
and a notice that runs from an unknown instant is refused where it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from accord.core.loader import load_agreement
from accord.core.model.regimes import BUILT_IN_REGIMES, NoticeRegime, built_in_regimes

EXAMPLE = Path(__file__).parents[3] / "examples" / "payments-api.yaml"


def test_the_built_in_regimes_are_read_by_the_model() -> None:
    regimes = built_in_regimes()
    assert list(regimes) == [item["id"] for item in BUILT_IN_REGIMES]
    dora = regimes["dora-art-19"].notices[0]
    assert (dora.after, str(dora.within)) == ("classified", "4 hours")
    assert dora.not_later_than is not None
    assert (dora.not_later_than.after, str(dora.not_later_than.within)) == ("aware", "24 hours")


def test_a_notice_after_a_later_or_unknown_notice_is_refused() -> None:
    with pytest.raises(ValidationError, match="neither an instant of the incident"):
        NoticeRegime.model_validate(
            {
                "id": "local-law",
                "name": "Local law",
                "notices": [
                    {
                        "id": "first",
                        "name": "First",
                        "owed_by": "provider",
                        "recipient": "consumer",
                        "after": "second",
                        "within": "1h",
                    },
                    {
                        "id": "second",
                        "name": "Second",
                        "owed_by": "provider",
                        "recipient": "consumer",
                        "after": "aware",
                        "within": "1h",
                    },
                ],
            }
        )


def test_an_agreement_naming_an_unknown_regime_is_told_which_exist() -> None:
    text = EXAMPLE.read_text().replace(
        "regimes: [contract, gdpr-art-33, nis2-art-23, dora-art-19]", "regimes: [contract, hipaa]"
    )
    loaded = load_agreement(text, "payments-api.yaml")
    [problem] = [p for p in loaded.problems if "regime" in p.message]
    assert problem.path == "incidents.regimes[1]"
    assert "no notice regime 'hipaa'" in problem.message
    assert "gdpr-art-33" in problem.hint
