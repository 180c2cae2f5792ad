"""Where a partner's status feed is and how to read it: an http(s) URL, only the feed's
columns, and a generic feed that names at least its id and start."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.model.status_feeds import FEED_COLUMNS, StatusFeed


def refusal(**fields: Any) -> tuple[str, tuple[Any, ...]]:
    with pytest.raises(ValidationError) as error:
        StatusFeed.model_validate(fields)
    (found,) = error.value.errors()
    return found["msg"], tuple(found.get("ctx", {}).get("at", ()))


def test_a_statuspage_feed_needs_only_its_url() -> None:
    feed = StatusFeed.model_validate({"url": "https://status.partner.example"})

    assert (feed.layout, feed.records, feed.fields) == ("statuspage", None, {})


@pytest.mark.parametrize("url", ["status.partner.example", "ftp://status.example", "file:///etc"])
def test_the_url_is_http_or_https(url: str) -> None:
    assert refusal(url=url) == (f"url {url!r} is not an http(s) URL", ("url",))


def test_fields_name_only_the_feed_columns() -> None:
    message, at = refusal(
        url="https://status.example", fields={"begins": "start", "severity": "level", "id": "uid"}
    )

    assert message == "no feed column 'begins', 'severity'"
    assert at == ("fields", "begins")


def test_a_generic_feed_names_at_least_its_id_and_start() -> None:
    generic = {"url": "https://partner.example/incidents.json", "layout": "generic"}

    assert refusal(**generic, fields={"id": "uid"})[0] == (
        "a generic feed needs fields for at least id and started_at"
    )
    feed = StatusFeed.model_validate(
        {**generic, "records": "data.incidents", "fields": {"id": "uid", "started_at": "begin"}}
    )
    assert feed.records == "data.incidents"


def test_the_feed_columns_cover_incidents_and_maintenance() -> None:
    assert {"id", "type", "impact", "announced_at", "started_at", "ended_at"} <= set(FEED_COLUMNS)
