"""The rows behind verdicts, copied straight from a data folder: the window's rows by
``[start, end)``, one row for a silent scope, excluded periods by the
month they start in the agreement's time zone, every status change of the tickets taken,
and paths a bundle can hold (the bundle itself is tested in tests/services)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from accord.connectors.files import FileReader
from accord.core.model import Agreement
from accord.core.periods import parse_period, windows_in_period
from accord.engine.evidence import Judged, PlacementError, SourceRows, copy_evidence_rows
from tests.engine.builders import MAINTENANCE_SOURCE, TICKETS_SOURCE, agreement_of, utc, write_csv
from tests.engine.requests import (
    REQUESTS_SOURCE,
    SUCCESS,
    availability,
    maintenance_exclusion,
    write_maintenance,
    write_requests,
)

#: October 2026 in Berlin, in UTC.
OCTOBER_STARTS, OCTOBER_ENDS = utc(2026, 9, 30, 22), utc(2026, 10, 31, 23)


def copy(agreement: Agreement, data: Path, out: Path, period: str = "2026-10") -> list[SourceRows]:
    spans = windows_in_period(
        agreement.objectives[0].window, parse_period(period, agreement.timezone)
    )
    judged = [Judged(objective, tuple(spans)) for objective in agreement.objectives]
    return copy_evidence_rows(agreement, judged, FileReader(), data, out)


def read(file: Path) -> list[tuple[Any, ...]]:
    """The rows of a copied CSV file, in the order of their columns."""
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute("SELECT * FROM read_csv(?) ORDER BY ALL", [str(file)]).fetchall()


def agreement(requests: dict[str, Any] = REQUESTS_SOURCE, **sections: Any) -> Agreement:
    return agreement_of(
        {
            "sources": [requests, *sections.pop("sources", [])],
            "indicators": [SUCCESS],
            "objectives": [sections.pop("objective", availability())],
            **sections,
        }
    )


def test_the_window_holds_its_first_and_last_second_and_not_the_next_window_s(
    tmp_path: Path,
) -> None:
    second = dt.timedelta(seconds=1)
    write_requests(
        tmp_path,
        [
            (OCTOBER_STARTS - second, "eu", 200),
            (OCTOBER_STARTS, "eu", 200),
            (OCTOBER_ENDS - second, "eu", 500),
            (OCTOBER_ENDS, "eu", 200),
        ],
    )

    (copied,) = copy(agreement(), tmp_path, tmp_path / "out")

    assert (copied.source, copied.files, copied.rows) == ("requests", ("requests.csv",), 2)
    assert copied.roles == ("rows of objective availability in its window",)
    times = [row[0] for row in read(tmp_path / "out" / "requests.csv")]
    assert times == [OCTOBER_STARTS, OCTOBER_ENDS - second]


def test_rows_the_objective_s_condition_leaves_out_are_not_copied(tmp_path: Path) -> None:
    write_requests(tmp_path, [(utc(2026, 10, 5), "eu", 200), (utc(2026, 10, 5), "test", 200)])

    (copied,) = copy(
        agreement(objective=availability(where="region <> 'test'")), tmp_path, tmp_path / "out"
    )

    assert copied.rows == 1


def test_a_scope_silent_in_the_window_keeps_its_earliest_row_from_any_time(
    tmp_path: Path,
) -> None:
    write_requests(
        tmp_path,
        [
            (utc(2026, 10, 5), "eu", 200),
            (utc(2026, 12, 1), "us", 500),
            (utc(2026, 8, 1), "us", 200),
            (utc(2026, 11, 1), "eu", 200),
        ],
    )

    copy(agreement(), tmp_path, tmp_path / "out")

    rows = read(tmp_path / "out" / "requests.csv")
    assert [(row[0], row[1]) for row in rows] == [(utc(2026, 8, 1), "us"), (utc(2026, 10, 5), "eu")]


def test_periods_are_kept_by_the_month_they_start_in_the_agreement_s_time_zone(
    tmp_path: Path,
) -> None:
    """B overlaps October and starts in September (Berlin), so September's periods use up
    the cap before it: A starts on 1 September in Berlin though still in August in UTC; C
    starts on 31 August in Berlin, and is not needed."""
    write_requests(tmp_path, [(utc(2026, 10, 5), "eu", 200)])
    a = [utc(2026, 8, 31, 22, 30), utc(2026, 8, 31, 23), utc(2026, 8, 1)]
    b = [utc(2026, 9, 30, 21, 30), utc(2026, 9, 30, 22, 30), utc(2026, 9, 1)]
    c = [utc(2026, 8, 31, 21, 30), utc(2026, 8, 31, 21, 45), utc(2026, 8, 1)]
    write_maintenance(tmp_path, [a, b, c])
    model = agreement(sources=[MAINTENANCE_SOURCE], exclusions=[maintenance_exclusion()])

    _, maintenance = copy(model, tmp_path, tmp_path / "out")

    assert maintenance.roles == ("periods of exclusion planned",)
    starts = [row[0] for row in read(tmp_path / "out" / "maintenance.csv")]
    assert starts == [a[0], b[0]]


def test_a_source_the_verdicts_do_not_read_is_an_empty_file_with_its_physical_columns(
    tmp_path: Path,
) -> None:
    write_requests(tmp_path, [(utc(2026, 10, 5), "eu", 200)])
    write_maintenance(tmp_path, [])
    model = agreement(sources=[MAINTENANCE_SOURCE])

    requests, maintenance = copy(model, tmp_path, tmp_path / "out")

    assert (maintenance.rows, maintenance.roles) == (0, ())
    header = (tmp_path / "out" / "maintenance.csv").read_text(encoding="utf-8").splitlines()
    assert header == ["starts_at,ends_at,announced_at"]
    assert requests.rows == 1


CHANGES = {
    "id": "changes",
    "kind": "status_changes",
    "format": "csv",
    "path": "changes.csv",
    "timestamp": "at",
    "key": "ticket",
    "columns": {
        "ticket": {"column": "ticket_id", "type": "string"},
        "at": {"column": "changed_at", "type": "timestamp"},
        "status": {"column": "status", "type": "string"},
    },
}


def test_every_status_change_of_a_ticket_taken_is_copied_whenever_it_happened(
    tmp_path: Path,
) -> None:
    write_csv(
        tmp_path,
        "tickets",
        ["ticket_id", "opened_at", "answered_at"],
        [
            ["T-1", utc(2026, 10, 30, 9), utc(2026, 11, 3, 9)],
            ["T-2", utc(2026, 9, 29, 9), utc(2026, 9, 29, 10)],
        ],
    )
    write_csv(
        tmp_path,
        "changes",
        ["ticket_id", "changed_at", "status"],
        [
            ["T-1", utc(2026, 10, 30, 10), "waiting"],
            ["T-1", utc(2026, 11, 2, 10), "open"],
            ["T-2", utc(2026, 9, 29, 9, 30), "waiting"],
        ],
    )
    answer = {
        "id": "answer",
        "name": "Time to answer",
        "kind": "business_duration",
        "source": "tickets",
        "start": "opened",
        "end": "answered",
        "calendar": "24x7",
        "statistic": "mean",
        "pauses": {"source": "changes", "states": ["waiting"]},
    }
    model = agreement_of(
        {
            "sources": [TICKETS_SOURCE, CHANGES],
            "indicators": [answer],
            "objectives": [
                {
                    "id": "answer-time",
                    "name": "Time to answer",
                    "indicator": "answer",
                    "target": "8h",
                    "tolerance": "24h",
                    "window": "month",
                }
            ],
        }
    )

    tickets, changes = copy(model, tmp_path, tmp_path / "out")

    assert (tickets.rows, changes.rows) == (1, 2)
    assert changes.roles == ("status changes of the tickets of tickets (pauses)",)
    assert [row[1] for row in read(tmp_path / "out" / "changes.csv")] == [
        utc(2026, 10, 30, 10),
        utc(2026, 11, 2, 10),
    ]


@pytest.mark.parametrize(
    ("path", "written", "placed"),
    [
        ("requests-*.csv", "requests-october.csv", "requests-evidence.csv"),
        ("2026/??/requests.csv", "2026/10/requests.csv", "2026/ee/requests.csv"),
        ("[rR]equests.csv", "Requests.csv", "requests.csv"),
    ],
)
def test_a_glob_is_filled_with_names_it_matches(
    tmp_path: Path, path: str, written: str, placed: str
) -> None:
    data = tmp_path / "data"
    (data / written).parent.mkdir(parents=True, exist_ok=True)
    write_requests(data, [(utc(2026, 10, 5), "eu", 200)])
    (data / "requests.csv").rename(data / written)

    (copied,) = copy(agreement({**REQUESTS_SOURCE, "path": path}), data, tmp_path / "out")

    assert copied.files == (placed,)
    assert copied.rows == 1


@pytest.mark.parametrize(
    ("path", "written", "reason"),
    [
        ("../requests.csv", "../requests.csv", "leads outside the data folder"),
        (
            "region=*/2026/*.csv",
            "region=eu/2026/requests.csv",
            r"partition folders \(column=\*\) must come right before the file name",
        ),
        ("[!x]equests.csv", "requests.csv", "cannot fill the wildcard '\\[!x\\]'"),
    ],
)
def test_a_path_no_bundle_can_hold_is_refused_naming_why(
    tmp_path: Path, path: str, written: str, reason: str
) -> None:
    data = tmp_path / "data"
    (data / written).parent.mkdir(parents=True, exist_ok=True)
    write_requests(data, [(utc(2026, 10, 5), "eu", 200)])
    (data / "requests.csv").rename(data / written)

    with pytest.raises(PlacementError, match=reason):
        copy(agreement({**REQUESTS_SOURCE, "path": path}), data, tmp_path / "out")
