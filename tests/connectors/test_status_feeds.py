"""Partner status feeds: a Statuspage-compatible feed and a generic JSON feed, served by a
real HTTP server on 127.0.0.1, read as incidents and maintenance; declared downtime is set
beside measured downtime on the verdict, and announced maintenance meets the notice rules."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.bootstrap import file_evaluations
from accord.cli.main import app
from accord.connectors.registry import connectors_for
from accord.connectors.status_feeds import prune_polls
from accord.core.evaluation import Evaluation
from accord.core.model.sources import Source
from accord.services.evaluation import EvaluateCommand
from tests.engine.builders import document, utc, write_csv

FILES = Path(__file__).parent / "status_feeds" / "files"
runner = CliRunner()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@contextlib.contextmanager
def _serving(folder: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1, as a partner's status page serves its feed."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def feeds() -> Iterator[str]:
    with _serving(FILES) as url:
        yield url


def _feed_columns(kind: str) -> dict[str, Any]:
    columns = {
        "id": {"column": "id", "type": "string"},
        "name": {"column": "name", "type": "string"},
        "impact": {"column": "impact", "type": "string"},
        "started_at": {"column": "started_at", "type": "timestamp"},
        "ends_at": {"column": "ended_at", "type": "timestamp"},
    }
    if kind == "maintenance":
        columns["announced_at"] = {"column": "announced_at", "type": "timestamp"}
    return columns


def _agreement(tmp_path: Path, feed: dict[str, Any]) -> Path:
    sources = [
        {
            "id": "probes",
            "kind": "probes",
            "format": "csv",
            "path": "probes.csv",
            "timestamp": "at",
            "columns": {
                "at": {"column": "at", "type": "timestamp"},
                "ok": {"column": "ok", "type": "boolean"},
            },
        },
        *(
            {
                "id": f"partner-{kind}",
                "kind": kind,
                "format": "status_feed",
                "status_feed": feed,
                "timestamp": "started_at",
                "key": "id",
                "columns": _feed_columns(kind),
            }
            for kind in ("incidents", "maintenance")
        ),
    ]
    body = document(
        {
            "sources": sources,
            "indicators": [
                {"id": "up", "name": "Up", "kind": "timeslice", "source": "probes",
                 "slice": "5m", "good": "ok = true", "slice_target": "100%",
                 "no_traffic": "excluded"},
            ],
            "objectives": [
                {"id": "uptime", "name": "Uptime", "indicator": "up", "target": "99.9%",
                 "tolerance": "99.5%", "window": "month"},
            ],
            "exclusions": [
                {"id": "announced", "kind": "maintenance", "source": "partner-maintenance",
                 "description": "Maintenance announced five days ahead", "notice": "5 days"},
            ],
        }
    )  # fmt: skip
    path = tmp_path / "agreement.yaml"
    path.write_text(json.dumps(body), encoding="utf-8")
    start = utc(2026, 10, 1)
    down = [
        (utc(2026, 10, 7, 10), utc(2026, 10, 7, 11)),  # the EU outage the partner declares
        (utc(2026, 10, 20, 14), utc(2026, 10, 20, 14, 30)),  # maintenance announced late
        (utc(2026, 10, 25, 2), utc(2026, 10, 25, 3)),  # maintenance announced in time
    ]
    rows = []
    for step in range(31 * 24 * 12):
        at = start + dt.timedelta(minutes=5 * step)
        rows.append([at, "false" if any(a <= at < b for a, b in down) else "true"])
    write_csv(tmp_path, "probes", ["at", "ok"], rows)
    return path


def _evaluated(path: Path, tmp_path: Path) -> Evaluation:
    command = EvaluateCommand(
        agreement=path,
        data_dir=tmp_path,
        period="2026-10",
        now=utc(2026, 11, 2, 9),
        fetcher=connectors_for(tmp_path, tmp_path / ".accord-cache"),
        quarantine_dir=tmp_path / "quarantine",
    )
    return file_evaluations().evaluate(command)


@pytest.mark.parametrize(
    "feed",
    [
        {"layout": "statuspage"},
        {
            "layout": "generic",
            "path": "/generic/feed.json",
            "records": "data.events",
            "fields": {"id": "uid", "name": "title", "type": "kind", "impact": "severity",
                       "announced_at": "posted", "started_at": "begin", "ended_at": "end"},
        },
    ],
    ids=["statuspage", "generic"],
)  # fmt: skip
def test_declared_downtime_is_set_beside_measured_downtime(
    feeds: str, tmp_path: Path, feed: dict[str, Any]
) -> None:
    base = feeds + ("/statuspage" if feed["layout"] == "statuspage" else "")
    config = {k: v for k, v in feed.items() if k != "path"}
    config["url"] = base + feed.get("path", "")
    evaluation = _evaluated(_agreement(tmp_path, config), tmp_path)

    [comparison] = evaluation.downtime
    # Declared: the major EU outage (45 min) and the minor refunds one (20 min); the
    # September outage lies outside the window and an impact of 'none' is no downtime.
    assert comparison.incidents == ("Card authorisations failing in EU", "Slow refunds")
    assert comparison.declared == dt.timedelta(minutes=65)
    [verdict] = evaluation.verdicts
    assert "partner's status feed declared 2 incident(s)" in verdict.notes[-1]
    assert "1h 05m of downtime" in verdict.notes[-1]
    if feed["layout"] == "statuspage":
        # Measured: the hour on the 7th and the late-announced 30 minutes on the 20th; the
        # hour on the 25th was announced 24 days ahead, so it is excluded.
        assert comparison.measured == dt.timedelta(minutes=90)
        judged = {p.start_at: (p.counted, p.reason) for p in evaluation.excluded}
        assert judged[utc(2026, 10, 25, 2)][0] is True
        assert judged[utc(2026, 10, 20, 14)][0] is False
        assert "notice" in judged[utc(2026, 10, 20, 14)][1]
        maintenance = next(s for s in evaluation.sources if s.source == "partner-maintenance")
        # 'next Tuesday' is no time: set aside with the reason, never dropped silently
        assert maintenance.rows_rejected == 1
        assert "started_at" in maintenance.issues[0].reason


def test_polls_are_kept_so_incidents_that_leave_the_page_are_still_known(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page"
    shutil.copytree(FILES / "statuspage", page)
    with _serving(page) as url:
        path = _agreement(tmp_path, {"url": url})
        assert len(_evaluated(path, tmp_path).downtime[0].incidents) == 2
        listed = page / "api" / "v2" / "incidents.json"
        listed.write_text(json.dumps({"page": {}, "incidents": []}), encoding="utf-8")
        again = _evaluated(path, tmp_path)

    assert again.downtime[0].incidents == ("Card authorisations failing in EU", "Slow refunds")
    assert again.downtime[0].declared == dt.timedelta(minutes=65)


def test_connectors_check_reads_the_feed_and_names_an_unreachable_one(
    feeds: str, tmp_path: Path
) -> None:
    path = _agreement(tmp_path, {"url": feeds + "/statuspage"})
    result = runner.invoke(app, ["connectors", "check", str(path), "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "ok partner-incidents: 4 incident(s) and 3 maintenance from the statuspage feed" in (
        result.output
    )
    broken = _agreement(tmp_path, {"url": feeds + "/nowhere"})
    failed = runner.invoke(app, ["connectors", "check", str(broken), "--data", str(tmp_path)])
    assert failed.exit_code == 1
    assert "answered 404" in failed.output


def test_evaluate_shows_declared_beside_measured_downtime(feeds: str, tmp_path: Path) -> None:
    path = _agreement(tmp_path, {"url": feeds + "/statuspage"})
    args = ["evaluate", str(path), "--data", str(tmp_path), "--period", "2026-10"]
    table = runner.invoke(app, [*args, "--as-of", "2026-11-02"])
    assert table.exit_code == 0, table.output
    assert "downtime uptime 2026-10 all: partner's status feed declared 2 incident(s)" in (
        table.output
    )
    report = runner.invoke(app, [*args, "--as-of", "2026-11-02", "--format", "json"])
    [declared] = json.loads(report.stdout)["declared_downtime"]
    assert (declared["declared_seconds"], declared["measured_seconds"]) == (3900, 5400)


def test_what_polls_kept_is_read_again_without_polling(tmp_path: Path) -> None:
    connectors = connectors_for(tmp_path, tmp_path / ".accord-cache")
    with _serving(FILES / "statuspage") as url:
        path = _agreement(tmp_path, {"url": url})
        agreement = json.loads(path.read_text(encoding="utf-8"))
        maintenance = next(s for s in agreement["sources"] if s["id"] == "partner-maintenance")
        source = Source.model_validate(maintenance)
        assert connectors.kept(source) is None  # never polled: nothing kept
        polled = connectors(source, utc(2026, 10, 1), utc(2026, 11, 1), now=utc(2026, 11, 2))
    # The feed is gone: what the poll kept is still read, checked as the poll's rows were.
    kept = connectors.kept(source)
    assert kept is not None
    assert kept.report is not None
    assert polled.report is not None
    assert (kept.report.rows_read, kept.report.rows_rejected) == (
        polled.report.rows_read,
        polled.report.rows_rejected,
    )
    again = connectors.kept(source)
    assert again is not None
    assert again.files == kept.files  # the same polls kept: the same checked file
    assert connectors.kept(Source.model_validate(agreement["sources"][0])) is None  # a CSV


def _age(folder: Path, hours: float) -> None:
    """Every file under the folder as last written ``hours`` ago."""
    then = time.time() - hours * 3600
    for path in folder.iterdir():
        os.utime(path, (then, then))


def test_each_poll_prunes_the_cached_views_of_earlier_polls(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / ".accord-cache"
    connectors = connectors_for(tmp_path, cache)
    folder = cache / "status-feeds"
    page = tmp_path / "page"
    shutil.copytree(FILES / "statuspage", page)
    october = (utc(2026, 10, 1), utc(2026, 11, 1))
    with _serving(page) as url:
        agreement = json.loads(_agreement(tmp_path, {"url": url}).read_text(encoding="utf-8"))
        incidents, maintenance = (Source.model_validate(s) for s in agreement["sources"][1:])
        connectors(incidents, *october, now=utc(2026, 11, 2))
        connectors(maintenance, *october, now=utc(2026, 11, 2))
        first = connectors.kept(incidents)  # the status page's view of the first poll
        assert first is not None
        connectors.kept(maintenance)
        # The partner's page changes (an incident renamed): the next poll keeps different
        # merged polls.
        listed = page / "api" / "v2" / "incidents.json"
        changed = json.loads(listed.read_text(encoding="utf-8"))
        changed["incidents"][0]["name"] += " (root cause found)"
        listed.write_text(json.dumps(changed), encoding="utf-8")
        connectors(incidents, *october, now=utc(2026, 11, 2))
        # A view that began on the earlier polls may still be reading them: kept for now.
        assert first.files[0].exists()
        _age(folder, hours=1)
        interrupted = folder / "partner-incidents-rows.jsonl.4242-7"  # a write cut short
        interrupted.write_text("{}", encoding="utf-8")
        os.utime(interrupted, (time.time() - 3600, time.time() - 3600))
        before = {path.name for path in folder.iterdir()}
        with caplog.at_level(logging.INFO, logger="accord.connectors.status_feeds"):
            connectors(incidents, *october, now=utc(2026, 11, 2))
        latest = connectors.kept(incidents)

    after = {path.name for path in folder.iterdir()}
    removed = before - after
    # The first poll's view went (rows, checked rows, report), and the half-written file.
    assert removed == {
        first.files[0].name,
        first.files[0].with_suffix(".json").name,
        first.files[0].name.replace("-checked.parquet", "-rows.jsonl"),
        interrupted.name,
    }
    # What stays: each feed's merged polls, the latest poll's rows, the view of what is
    # kept now, and the other source's files (its own polls prune them).
    assert [n for n in after if "-polled-" in n and n.startswith("partner-incidents")]
    assert "partner-incidents-checked.parquet" in after
    assert latest is not None
    assert latest.files[0].exists()
    assert latest.report is not None
    assert first.report is not None
    assert latest.report.rows_read == first.report.rows_read
    assert any("(root cause found)" in incident.name for incident in latest.declared)
    assert any(n.startswith("partner-maintenance-kept-") for n in after)
    [record] = [r for r in caplog.records if "removed 4 cached file(s)" in r.getMessage()]
    assert "status feed partner-incidents" in record.getMessage()
    assert interrupted.name in record.getMessage()


def test_pruning_matches_only_the_source_s_own_files(tmp_path: Path) -> None:
    stale = "0123456789abcdef"
    current = "fedcba9876543210"
    names = [
        f"feed-kept-{stale}-rows.jsonl",
        f"feed-kept-{stale}-checked.parquet",
        f"feed-kept-{current}-checked.parquet",  # the view of what is kept now
        f"feed-polled-{stale}.json",  # a feed's merged polls: never pruned
        "feed-checked.parquet",  # the latest poll
        f"feed-kept-kept-{stale}-rows.jsonl",  # source 'feed-kept' is another source
        f"feedback-kept-{stale}-rows.jsonl",
    ]
    for name in names:
        (tmp_path / name).write_text("", encoding="utf-8")
    _age(tmp_path, hours=1)

    removed = prune_polls(tmp_path, "feed", current)

    assert [path.name for path in removed] == [
        f"feed-kept-{stale}-checked.parquet",
        f"feed-kept-{stale}-rows.jsonl",
    ]
    assert prune_polls(tmp_path / "never-polled", "feed", current) == []
