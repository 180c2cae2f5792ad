"""OpenSLO v1 in: objectives, windows and budgeting methods kept; the rest noted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.connectors.openslo.documents import InterchangeError
from accord.connectors.openslo.exporter import export_openslo
from accord.connectors.openslo.importer import import_openslo
from accord.core.loader import load_agreement
from accord.core.model import Agreement

FILES = Path(__file__).parent / "files"
TODAY = dt.date(2026, 12, 1)


def _agreement(text: str) -> Agreement:
    loaded = load_agreement(text, "<test>")
    assert loaded.agreement is not None, loaded.problems
    return loaded.agreement


def test_counters_become_a_prometheus_ratio_and_timeslices_a_slice_indicator() -> None:
    text, notes = import_openslo([FILES / "checkout.yaml"], today=TODAY)
    agreement = _agreement(text)
    assert agreement.timezone == "Europe/Berlin"
    success = next(s for s in agreement.sources if s.id == "checkout-success")
    assert success.prometheus is not None
    assert success.prometheus.url == "http://127.0.0.1:9090"
    assert success.prometheus.events == 'http_requests_total{job="checkout"}'
    assert success.prometheus.good == 'http_requests_total{job="checkout",code!~"5.."}'
    objectives = {o.id: o for o in agreement.objectives}
    availability = objectives["checkout-availability"]
    assert (str(availability.target), str(availability.window)) == ("99.9%", "month")
    uptime = objectives["checkout-uptime"]
    assert (str(uptime.target), str(uptime.window)) == ("99.5%", "rolling 28 days")
    slices = next(i for i in agreement.indicators if i.id == uptime.indicator)
    assert slices.kind == "timeslice"
    assert (str(slices.slice), str(slices.slice_target)) == ("1 minute", "95%")
    assert {o.stage for o in agreement.objectives} == {"checkout"}
    said = "\n".join(notes.lines)
    assert "AlertPolicy fast-burn: not carried" in said
    assert "tolerance set to the target 99.9%" in said
    assert "slices without traffic" in said


def test_import_export_import_gives_the_same_objectives_and_indicators(tmp_path: Path) -> None:
    first = _agreement(import_openslo([FILES / "checkout.yaml"], today=TODAY)[0])
    exported, _ = export_openslo(first)
    (tmp_path / "exported.yaml").write_text(exported, encoding="utf-8")
    again = _agreement(import_openslo([tmp_path / "exported.yaml"], today=TODAY)[0])
    assert again.objectives == first.objectives
    assert again.indicators == first.indicators
    assert again.sources == first.sources


def test_an_accord_agreement_round_trips_through_openslo(tmp_path: Path) -> None:
    """What OpenSLO cannot say itself rides along as an Accord metric source and
    annotations (tolerance, scope), so the shares' objectives come back unchanged."""
    original = _agreement(Path("examples/payments-api.yaml").read_text(encoding="utf-8"))
    exported, notes = export_openslo(original)
    assert any("no OpenSLO form" in line for line in notes.lines)
    (tmp_path / "exported.yaml").write_text(exported, encoding="utf-8")
    again = _agreement(import_openslo([tmp_path / "exported.yaml"], today=TODAY)[0])
    shares = [o for o in original.objectives if str(o.target).endswith("%")]
    kept = {o.id: o for o in again.objectives}
    for objective in shares:
        if objective.during or objective.consistency or objective.exclusions is not None:
            continue
        mine = kept[objective.id]
        assert (mine.target, mine.tolerance, mine.window, mine.scope, mine.where) == (
            objective.target,
            objective.tolerance,
            objective.window,
            objective.scope,
            objective.where,
        )


def test_a_missing_sli_is_named_with_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "slo.yaml"
    path.write_text(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\n"
        "spec: {service: s, indicatorRef: nowhere, budgetingMethod: Occurrences,\n"
        "       objectives: [{target: 0.99}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InterchangeError, match=r"slo.yaml:1: SLO a refers to SLI 'nowhere'"):
        import_openslo([path], today=TODAY)


def test_another_version_of_openslo_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: a}\n", "utf-8")
    with pytest.raises(InterchangeError, match=r"old.yaml:1: apiVersion 'openslo/v1alpha'"):
        import_openslo([path], today=TODAY)


def test_a_window_accord_cannot_judge_is_left_out_and_said(tmp_path: Path) -> None:
    text = (FILES / "checkout.yaml").read_text(encoding="utf-8").replace("4w", "12h")
    path = tmp_path / "hours.yaml"
    path.write_text(text, encoding="utf-8")
    imported, notes = import_openslo([path], today=TODAY)
    assert [o.id for o in _agreement(imported).objectives] == ["checkout-availability"]
    assert any("rolling window of 12h has no Accord form" in line for line in notes.lines)
