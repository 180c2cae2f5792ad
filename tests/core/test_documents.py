"""An evaluation as one accord.verdicts/v2 document: header, verdict records, credits,
consistency and sources, all plain JSON with decimals as strings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from accord.core.documents import evaluation_document, evaluation_header
from accord.core.evaluation import ConsistencyFinding, Evaluation, SourceIssue, SourceReport
from accord.core.loader import load_agreement
from accord.core.periods import parse_period
from accord.core.records import FORMAT
from accord.core.verdicts import Outcome

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def _evaluation() -> Evaluation:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    assert loaded.agreement is not None
    agreement = loaded.agreement
    period = parse_period("2026-10", agreement.timezone)
    return Evaluation(
        agreement,
        period,
        period.end_at,
        consistency=[
            ConsistencyFinding(
                "api-availability",
                "2026-10",
                "region",
                "us",
                "eu",
                Decimal(1) / Decimal(3000),
                Decimal("0.002"),
                Outcome.MET,
            )
        ],
        sources=[
            SourceReport(
                "authorisations",
                ["a.parquet"],
                rows_read=10,
                rows_accepted=9,
                issues=[SourceIssue("timestamp missing", 1, ("row 4",))],
            )
        ],
    )


def test_the_header_names_the_format_agreement_and_period() -> None:
    evaluation = _evaluation()
    header = evaluation_header(evaluation)

    assert header["format"] == FORMAT == "accord.verdicts/v2"
    assert header["agreement"]["hash"] == evaluation.agreement.version_hash()
    assert header["period"]["label"] == "2026-10"
    assert header["as_of"] == evaluation.period.end_at.isoformat()


def test_decimals_are_strings_held_to_ten_places() -> None:
    document = evaluation_document(_evaluation())
    [finding] = document["consistency"]

    assert finding["spread"] == "0.0003333333"
    assert finding["max_spread"] == "0.002"
    assert json.loads(json.dumps(document)) == document


def test_sources_report_rows_read_accepted_and_rejected() -> None:
    [source] = evaluation_document(_evaluation())["sources"]

    assert (source["rows_read"], source["rows_accepted"], source["rows_rejected"]) == (10, 9, 1)
    assert source["issues"] == [{"reason": "timestamp missing", "count": 1, "samples": ["row 4"]}]
