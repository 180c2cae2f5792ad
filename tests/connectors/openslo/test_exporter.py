"""An agreement's objectives out as OpenSLO v1: shares become SLOs with their window and
budgeting method, a ratio of Prometheus counters an SLI OpenSLO tools read, any other
indicator an ``Accord`` metric source carrying it as written; what belongs to one objective
rides along as annotations, and the rest is noted."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from accord.connectors.openslo.exporter import export_openslo
from accord.connectors.openslo.importer import import_openslo
from accord.core.loader import load_agreement
from tests.engine.builders import MAINTENANCE_SOURCE, agreement_of
from tests.engine.requests import (
    P90_LATENCY,
    REQUESTS_SOURCE,
    SUCCESS,
    UPTIME,
    availability,
    credits,
    maintenance_exclusion,
)


def prometheus(source_id: str = "checkout", url: str = "http://prom:9090") -> dict[str, Any]:
    return {
        "id": source_id,
        "kind": "events",
        "format": "prometheus",
        "prometheus": {
            "url": url,
            "events": f'http_requests_total{{job="{source_id}"}}',
            "good": f'http_requests_total{{job="{source_id}",code!~"5.."}}',
        },
        "timestamp": "at",
        "columns": {
            "at": {"column": "__time__", "type": "timestamp"},
            "good": {"column": "__good__", "type": "boolean"},
        },
    }


def counted(indicator_id: str, source_id: str, **more: Any) -> dict[str, Any]:
    return {
        "id": indicator_id,
        "name": indicator_id.title(),
        "kind": "ratio",
        "source": source_id,
        "good": "good = true",
        **more,
    }


def exported(**sections: Any) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The exported objects by kind, and the notes."""
    text, notes = export_openslo(agreement_of(sections))
    objects: dict[str, list[dict[str, Any]]] = {}
    for document in YAML(typ="safe").load_all(io.StringIO(text)):
        assert document["apiVersion"] == "openslo/v1"
        objects.setdefault(document["kind"], []).append(document)
    return objects, notes.lines


def test_a_ratio_of_prometheus_counters_is_an_sli_openslo_tools_read() -> None:
    objects, _ = exported(
        sources=[prometheus()],
        indicators=[counted("success", "checkout")],
        objectives=[availability(scope=[])],
    )

    (datasource,) = objects["DataSource"]
    assert datasource["spec"] == {
        "type": "Prometheus",
        "connectionDetails": {"url": "http://prom:9090"},
    }
    (sli,) = objects["SLI"]
    ratio = sli["spec"]["ratioMetric"]
    assert ratio["counter"] is True
    assert ratio["good"]["metricSource"] == {
        "metricSourceRef": datasource["metadata"]["name"],
        "type": "Prometheus",
        "spec": {"query": 'http_requests_total{job="checkout",code!~"5.."}'},
    }
    assert ratio["total"]["metricSource"]["spec"] == {
        "query": 'http_requests_total{job="checkout"}'
    }


def test_sources_on_one_server_share_one_data_source_and_another_server_has_its_own() -> None:
    objectives = [
        availability(id=f"availability-{n}", indicator=f"ok-{n}", scope=[]) for n in range(3)
    ]
    objects, _ = exported(
        sources=[prometheus("a"), prometheus("b"), prometheus("c", "https://other:9090")],
        indicators=[counted("ok-0", "a"), counted("ok-1", "b"), counted("ok-2", "c")],
        objectives=objectives,
    )

    refs = [
        sli["spec"]["ratioMetric"]["total"]["metricSource"]["metricSourceRef"]
        for sli in objects["SLI"]
    ]
    assert refs == ["prometheus-1", "prometheus-1", "prometheus-2"]
    assert [d["spec"]["connectionDetails"]["url"] for d in objects["DataSource"]] == [
        "http://prom:9090",
        "https://other:9090",
    ]


@pytest.mark.parametrize(
    "indicator",
    [
        counted("success", "checkout", where="good = true"),
        counted("success", "checkout", valid="good = true"),
        counted("success", "checkout", good="not (good = false)"),
    ],
)
def test_any_other_reading_of_counters_rides_as_accord_s_own_metric_source(
    indicator: dict[str, Any],
) -> None:
    objects, _ = exported(
        sources=[prometheus()], indicators=[indicator], objectives=[availability(scope=[])]
    )

    (sli,) = objects["SLI"]
    source = sli["spec"]["ratioMetric"]["total"]["metricSource"]
    assert source["type"] == "Accord"
    assert json.loads(source["spec"]["indicator"])["good"] == indicator["good"]
    assert json.loads(source["spec"]["source"])["id"] == "checkout"
    assert "DataSource" not in objects


def test_a_calendar_month_starts_at_local_midnight_of_the_first_day_in_the_agreement_s_zone() -> (
    None
):
    objects, _ = exported(
        sources=[REQUESTS_SOURCE], indicators=[SUCCESS], objectives=[availability()]
    )

    (slo,) = objects["SLO"]
    assert slo["spec"]["timeWindow"] == [
        {
            "duration": "1M",
            "isRolling": False,
            "calendar": {"startTime": "2026-01-01 00:00:00", "timeZone": "Europe/Berlin"},
        }
    ]
    assert slo["spec"]["budgetingMethod"] == "Occurrences"
    assert slo["spec"]["objectives"] == [{"displayName": "Availability", "target": 0.99}]


@pytest.mark.parametrize(
    ("effective", "window", "start"),
    [
        ("2026-01-15", "month", "2026-01-01"),
        ("2026-01-15", "week", "2026-01-12"),  # a Thursday: its ISO week starts on Monday
        ("2026-02-10", "quarter", "2026-01-01"),
        ("2026-02-10", "year", "2026-01-01"),
        ("2026-02-10", "day", "2026-02-10"),
    ],
)
def test_calendar_windows_start_where_accord_s_do_whatever_day_the_term_starts(
    effective: str, window: str, start: str
) -> None:
    term = {
        "effective": effective,
        "duration": "24 months",
        "renewal": {"mode": "manual", "notice": "3 months"},
        "termination_notice": "3 months",
    }

    objects, _ = exported(
        term=term,
        sources=[REQUESTS_SOURCE],
        indicators=[SUCCESS],
        objectives=[availability(window=window)],
    )

    (written,) = objects["SLO"][0]["spec"]["timeWindow"]
    assert written["calendar"]["startTime"] == f"{start} 00:00:00"


def test_a_rolling_window_is_written_in_days() -> None:
    objective = availability(window="rolling 28 days")

    objects, _ = exported(sources=[REQUESTS_SOURCE], indicators=[SUCCESS], objectives=[objective])

    assert objects["SLO"][0]["spec"]["timeWindow"] == [{"duration": "28d", "isRolling": True}]


@pytest.mark.parametrize(
    ("slice_", "written"), [("1h", "1h"), ("7m", "7m"), ("90s", "90s"), ("1 day", "1d")]
)
def test_time_slices_are_budgeted_as_timeslices_with_their_window_and_target(
    slice_: str, written: str
) -> None:
    objects, _ = exported(
        sources=[REQUESTS_SOURCE],
        indicators=[{**UPTIME, "slice": slice_, "no_traffic": "excluded"}],
        objectives=[availability(indicator="uptime")],
    )

    spec = objects["SLO"][0]["spec"]
    assert objects["SLO"][0]["metadata"]["annotations"]["accord/no-traffic"] == "excluded"
    assert spec["budgetingMethod"] == "Timeslices"
    assert spec["objectives"][0]["timeSliceTarget"] == 0.9
    assert spec["objectives"][0]["timeSliceWindow"] == written


def test_a_target_that_is_no_share_is_left_out_and_said() -> None:
    latency = {**availability(id="latency", indicator="tail", target="800ms", tolerance="1s")}

    objects, notes = exported(
        sources=[REQUESTS_SOURCE],
        indicators=[SUCCESS, P90_LATENCY],
        objectives=[availability(), latency],
    )

    assert [slo["metadata"]["name"] for slo in objects["SLO"]] == ["availability"]
    assert [sli["metadata"]["name"] for sli in objects["SLI"]] == ["success"]
    assert (
        "objective latency: target 800 milliseconds is not a share of good events or slices; "
        "OpenSLO has no form for it, left out"
    ) in notes


def test_what_belongs_to_one_objective_rides_as_annotations() -> None:
    objective = availability(where="region <> 'test'", minimum_events=100)

    objects, _ = exported(sources=[REQUESTS_SOURCE], indicators=[SUCCESS], objectives=[objective])

    assert objects["SLO"][0]["metadata"]["annotations"] == {
        "accord/tolerance": "95%",
        "accord/scope": "region",
        "accord/where": "region <> 'test'",
        "accord/minimum-events": "100",
    }


def test_one_minimum_event_and_no_scope_leave_only_the_tolerance() -> None:
    objects, _ = exported(
        sources=[REQUESTS_SOURCE], indicators=[SUCCESS], objectives=[availability(scope=[])]
    )

    assert objects["SLO"][0]["metadata"]["annotations"] == {"accord/tolerance": "95%"}


def test_what_openslo_has_no_place_for_is_noted_per_objective_and_per_agreement() -> None:
    _, notes = exported(
        sources=[REQUESTS_SOURCE, MAINTENANCE_SOURCE],
        indicators=[SUCCESS],
        objectives=[availability(exclusions=["planned"])],
        exclusions=[maintenance_exclusion()],
        remedies=credits(),
    )

    assert notes == [
        "objective availability: its choice of exclusions has no OpenSLO form; left out",
        "agreement test-agreement: service credits and chronic-failure clauses have no "
        "OpenSLO form",
        "agreement test-agreement: 1 exclusion(s) have no OpenSLO form",
        "agreement test-agreement: parties, term and the agreement's other sections stay in Accord",
    ]


def test_each_journey_stage_is_a_service_and_an_objective_without_one_the_agreement() -> None:
    stage = {"id": "checkout", "name": "Checkout", "kind": "other", "description": "Paying."}
    objects, _ = exported(
        journey=[stage],
        sources=[REQUESTS_SOURCE],
        indicators=[SUCCESS],
        objectives=[availability(stage="checkout"), availability(id="overall")],
    )

    assert [(s["metadata"], s["spec"]) for s in objects["Service"]] == [
        ({"name": "checkout", "displayName": "Checkout"}, {"description": "Paying."}),
        ({"name": "test-agreement", "displayName": "Test agreement"}, {}),
    ]
    assert [slo["spec"]["service"] for slo in objects["SLO"]] == ["checkout", "test-agreement"]


@pytest.mark.parametrize("no_traffic", ["good", "bad", "excluded"])
def test_how_silent_slices_count_survives_a_round_trip_through_prometheus_counters(
    tmp_path: Path, no_traffic: str
) -> None:
    uptime = {**counted("uptime", "checkout"), "kind": "timeslice", "slice": "1m"}
    uptime |= {"slice_target": "95%", "no_traffic": no_traffic}
    text, _ = export_openslo(
        agreement_of(
            {
                "sources": [prometheus()],
                "indicators": [uptime],
                "objectives": [availability(indicator="uptime", scope=[])],
            }
        )
    )
    (tmp_path / "exported.yaml").write_text(text, encoding="utf-8")

    imported, notes = import_openslo([tmp_path / "exported.yaml"], today=dt.date(2026, 12, 5))

    loaded = load_agreement(imported, "imported.yaml").agreement
    assert loaded is not None
    (indicator,) = loaded.indicators
    assert indicator.kind == "timeslice"
    assert indicator.no_traffic == no_traffic
    assert not any("slices without traffic" in line for line in notes.lines)
