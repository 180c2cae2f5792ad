"""The README of an evidence bundle: what it says of each verdict (window, outcome, the band
in the objective's direction, coverage, exclusions, credit), what the bundle holds, the
commands that recompute it (quoted as a shell reads them) and the steps by hand (rows,
columns, exclusions and the excluded periods that touch the window)."""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from accord.core.evaluation import Evaluation
from accord.reports.evidence import readme_text
from accord.services.rendering import ReadmeFacts
from tests.engine.builders import (
    MAINTENANCE_SOURCE,
    agreement_of,
    evaluate_period,
    utc,
    write_csv,
)
from tests.engine.requests import P90_LATENCY, REQUESTS_SOURCE, SUCCESS, Row, write_requests

_SECTIONS: dict[str, Any] = {
    "sources": [REQUESTS_SOURCE, MAINTENANCE_SOURCE],
    "indicators": [{**SUCCESS, "where": "status != 404"}, P90_LATENCY],
    "objectives": [
        {"id": "availability", "name": "Requests succeed", "indicator": "success",
         "target": "99%", "tolerance": "95%", "window": "month", "scope": ["region"]},
        {"id": "latency", "name": "Requests are quick", "indicator": "tail", "target": "800ms",
         "tolerance": "1500ms", "window": "month", "exclusions": []},
    ],
    "exclusions": [
        {"id": "maintenance", "kind": "maintenance", "source": "maintenance", "notice": "1 day",
         "monthly_cap": "4h", "description": "Announced a day ahead,\n  at most four hours."}
    ],
    "remedies": {
        "claim_window": "30 days",
        "credits": [
            {"id": "availability-credits", "objectives": ["availability"], "basis": "1000 EUR",
             "tiers": [{"below": "99%", "credit": "10%"}], "cap": "100%"}
        ],
    },
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Bundled:
    """One source's rows as the bundle holds them (``BundledRows``)."""

    source: str
    files: tuple[str, ...]
    rows: int
    roles: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    """October in Berlin: eu all good and quick; 'us east' one request in five failing, slow;
    maintenance D in October (excluded), C in August (touching no October window)."""
    folder = tmp_path_factory.mktemp("data")
    rows: list[Row] = []
    for day in range(1, 31):
        rows += [(utc(2026, 10, day, 9, i), "eu", 200, 120, "provider") for i in range(5)]
        rows += [
            (utc(2026, 10, day, 13, i), "us east", 503 if i == 0 else 200, 2000, "provider")
            for i in range(5)
        ]
    rows += [(utc(2026, 10, 10, 10, 5), "eu", 503, 90, "provider")] * 3  # in maintenance D
    write_requests(folder, rows)
    write_csv(folder, "maintenance", ["starts_at", "ends_at", "announced_at"], [
        [utc(2026, 8, 5, 10), utc(2026, 8, 5, 11), utc(2026, 8, 1)],
        [utc(2026, 10, 10, 10), utc(2026, 10, 10, 10, 30), utc(2026, 10, 1)],
    ])  # fmt: skip
    return evaluate_period(agreement_of(_SECTIONS), folder, as_of=utc(2026, 11, 2, 8, 30))


def _readme(
    evaluation: Evaluation,
    objective: str,
    scope: Mapping[str, str] | None = None,
    *,
    window: str | None = None,
    sources: Sequence[Bundled] = (),
    **extra: Any,
) -> str:
    chosen = [
        v
        for v in evaluation.verdicts
        if v.objective == objective
        and all(v.scope.get(k) == value for k, value in (scope or {}).items())
    ]
    facts = ReadmeFacts(
        evaluation, chosen, dict(scope or {}), window, sources, extra.pop("name", "b.zip"), **extra
    )
    return readme_text(facts)


def _flat(text: str) -> str:
    """The text with its line breaks and indents as single spaces (the README wraps)."""
    return " ".join(text.split())


def test_the_readme_names_the_agreement_the_objective_the_period_and_each_verdict(
    october: Evaluation,
) -> None:
    both = _flat(_readme(october, "availability"))
    one = _flat(_readme(october, "availability", {"region": "us east"}))

    assert both.startswith("EVIDENCE BUNDLE Test agreement: agreement test-agreement, version 1")
    assert 'recompute these 2 verdicts of the objective "Requests succeed" (availability)' in both
    assert "evaluated for the period 2026-10 as of 2026-11-02T08:30:00+00:00" in both
    october_span = "window 2026-10 (2026-09-30T22:00:00+00:00 to 2026-10-31T23:00:00+00:00)"
    assert f"scope region=eu, {october_span}: MET" in both
    assert f"scope region=us east, {october_span}: BREACH" in both
    assert "recompute the verdict of" in one
    assert "region=eu" not in one


def test_the_band_reads_in_the_direction_of_the_objective(october: Evaluation) -> None:
    higher = _flat(_readme(october, "availability", {"region": "eu"}))
    lower = _flat(_readme(october, "latency"))

    assert "target 99%, tolerance 95%: met at 99% or more, a deviation down to 95%, below" in higher
    assert "met at 800 ms or less, a deviation up to 1.5 seconds, above it a breach" in lower


def test_a_breach_names_its_credit_and_its_claim_deadline_and_a_met_verdict_none(
    october: Evaluation,
) -> None:
    breach = _flat(_readme(october, "availability", {"region": "us east"}))
    met = _readme(october, "availability", {"region": "eu"})

    assert "credit: 100.00 EUR (tier 1 of availability-credits: availability (region=us east)" in (
        breach
    )
    # Thirty days after the window ends.
    assert "claim by 2026-11-30T23:00:00+00:00" in breach
    assert "    credit: none" in met.splitlines()


def test_excluded_maintenance_is_counted_and_the_periods_touching_the_window_listed(
    october: Evaluation,
) -> None:
    readme = _flat(_readme(october, "availability", {"region": "eu"}))

    assert "excluded: 3 " in readme
    assert (
        "maintenance (listed in source maintenance, announced at least 1 day ahead, at most "
        "4 hours a month): Announced a day ahead, at most four hours."
    ) in readme
    listed = readme.split("The periods listed for them that touch the window:")[1]
    assert "maintenance: 2026-10-10T10:00:00+00:00 to 2026-10-10T10:30:00+00:00, excluded (" in (
        listed
    )
    assert "2026-08-05" not in readme


def test_an_objective_without_exclusions_says_none_applies(october: Evaluation) -> None:
    readme = _flat(_readme(october, "latency"))

    assert "3. No exclusion applies." in readme
    assert "periods listed" not in readme
    assert "excluded:" not in readme


def test_the_contents_list_each_source_with_its_rows_files_and_why(october: Evaluation) -> None:
    sources = [
        Bundled("requests", ("requests.csv",), 2_500, ("the indicator's rows",)),
        Bundled("maintenance", ("maintenance.csv",), 1, ("excluded periods",)),
        Bundled("probes", ("probes.csv",), 0),
    ]
    readme = _flat(_readme(october, "availability", sources=sources))

    assert "source requests: 2,500 rows (the indicator's rows) data/requests.csv" in readme
    assert "source maintenance: 1 row (excluded periods) data/maintenance.csv" in readme
    assert "source probes: 0 rows (not read by these verdicts) data/probes.csv" in readme
    assert october.agreement.version_hash() in readme
    assert "items.csv" not in readme
    assert "inputs.json" not in readme


def test_items_and_inputs_are_listed_only_when_the_bundle_holds_them(
    october: Evaluation,
) -> None:
    readme = _flat(
        _readme(october, "availability", items=True, inputs=["requests", "probes", "requests"])
    )

    assert "items.csv the items behind the verdicts, one row each" in readme
    probes = readme.index("inputs/source probes: 1 Parquet file as the evaluation read them")
    requests = readme.index("inputs/source requests: 2 Parquet files as the evaluation read")
    assert probes < requests


def test_the_commands_quote_what_a_shell_would_split(october: Evaluation) -> None:
    evaluation = dataclasses.replace(october, as_of=utc(2026, 11, 2, 8, 30).replace(microsecond=7))
    readme = _readme(
        evaluation, "availability", {"region": "us east"}, window="2026-10", name="my bundle.zip"
    )
    lines = [line.strip() for line in readme.splitlines()]

    assert "accord evidence verify 'my bundle.zip'" in lines
    explain = next(line for line in lines if line.startswith("accord explain"))
    assert shlex.split(explain)[3:] == [
        "--data", "data", "--period", "2026-10", "--as-of", "2026-11-02T08:30:00+00:00",
        "--objective", "availability", "--scope", "region=us east", "--window", "2026-10",
    ]  # fmt: skip
    evaluate = next(line for line in lines if line.startswith("accord evaluate"))
    assert evaluate.endswith("--format json")
    assert "--window" not in _readme(october, "availability", {"region": "eu"})


def test_recompute_by_hand_names_the_rows_the_conditions_and_the_columns(
    october: Evaluation,
) -> None:
    readme = _readme(october, "availability", {"region": "eu"})
    flat = _flat(readme)

    assert (
        "Take the rows of source requests whose at (column at) lies in the verdict's "
        "window, from its start up to but not including its end, and where status != 404; "
        "one group per region."
    ) in flat
    assert "       latency: column latency_ms (duration, in ms)" in readme.splitlines()
    assert "       region: column region (string)" in readme.splitlines()
    assert f"4. Compute: {october.agreement.indicators[0].formula()}." in flat
