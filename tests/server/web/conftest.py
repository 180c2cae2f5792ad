"""The web app served for real (uvicorn on a loopback port) over the services world with two
evaluated months, and Debian's Chromium driven by Playwright. Without Chromium these tests
are skipped locally; with ``CI`` set they fail, since ``.ci/run`` installs it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from accord.server.app import create_app
from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation
from tests.populated import STORY_TOLD, Story
from tests.services.world import CONSOLE, PASSWORD, World

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("ACCORD_TEST_ARTIFACTS", "build/test-artifacts")) / "screenshots"
__all__ = ["ARTIFACTS", "month_of_requests", "screenshot", "sign_in"]


def month_of_requests(
    year: int, month: int, *, failing_every: int = 0, prefix: str = "r"
) -> list[dict[str, object]]:
    """A request every 43 minutes through the month, one in ``failing_every`` failing."""
    start = dt.datetime(year, month, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
    count = int((end - start).total_seconds() // (43 * 60))
    return [
        {
            "ts": (start + dt.timedelta(minutes=43 * i)).isoformat(),
            "request_id": f"{prefix}{i}",
            "http_status": 503 if failing_every and i % failing_every == 0 else 200,
        }
        for i in range(count)
    ]


def _push(world: World, partner: str, batch: str, events: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal(f"partner@{partner}.example"),
        PushBatch(agreement=f"acme-{partner}", source="requests", batch_id=batch, events=events),
    )


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The browser tests run on SQLite: the pages read through the same services whose
    PostgreSQL behaviour the service and API tests cover. ``ACCORD_WEB_DATABASE=postgresql``
    runs them on PostgreSQL instead (once in a while, not in every run)."""
    if os.environ.get("ACCORD_WEB_DATABASE") == "postgresql":
        url: str = request.getfixturevalue("postgres_schema_url")
        return url
    return f"sqlite+pysqlite:///{tmp_path / 'accord.db'}"


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def evaluate_two_months(world: World) -> None:
    """Bravo met its target in September and breached it in October (20% failing);
    Charlie deviated in October (2% failing)."""
    # September's data arrived inside its grace period (by 7 October), so it counts when
    # September closes; the world's clock stands on 3 November for everything else.
    now = world.clock.at
    world.clock.at = dt.datetime(2026, 10, 2, 9, tzinfo=dt.UTC)
    _push(world, "bravo", "september", month_of_requests(2026, 9, prefix="s"))
    world.clock.at = now
    _push(world, "bravo", "october", month_of_requests(2026, 10, failing_every=5))
    _push(world, "charlie", "october", month_of_requests(2026, 10, failing_every=50))
    for agreement in ("acme-bravo", "acme-charlie"):
        for period in ("2026-09", "2026-10"):
            world.services.verdicts.evaluate(
                CONSOLE, RunEvaluation(agreement=agreement, period=period)
            )


@pytest.fixture
def world_story(request: pytest.FixtureRequest) -> Story | None:
    return evaluate_two_months if "evaluated_world" in request.fixturenames else None


@pytest.fixture
def evaluated_world(request: pytest.FixtureRequest, world: World) -> World:
    """The world after ``evaluate_two_months``: copied so (tests/populated.py) on SQLite."""
    if request.node.stash.get(STORY_TOLD, None) is not evaluate_two_months:
        evaluate_two_months(world)
    return world


@pytest.fixture
def live_url(evaluated_world: World) -> Iterator[str]:
    """The app served on a loopback port; the socket listens before the server starts, so
    a request made at once waits in the backlog instead of failing."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(evaluated_world.services), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module: Playwright's synchronous API holds an event loop on
    this thread while it runs, which later tests that run their own loop must not meet."""
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}; .ci/run installs Debian's chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot kept as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
