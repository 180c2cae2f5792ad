"""Fuzzing the push parser through the API: whatever body a partner pushes, the answer is a
receipt or a 4xx problem, never a server error."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.server.guard import json_depth, lone_surrogate
from tests.server.conftest import Api

BATCHES = "/api/v1/agreements/acme-bravo/sources/requests/batches"
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)
EVENTS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.text(max_size=6) | st.integers(),
            "at": st.sampled_from(["2026-10-01T00:00:00Z", "yesterday", ""]) | st.integers(),
            "status": st.integers(-1, 600) | st.text(max_size=3),
            "latency_ms": st.floats() | st.integers(),
            "region": st.text(max_size=4),
        },
    ).flatmap(
        lambda known: st.dictionaries(st.text(max_size=4), JSON_VALUES).map(
            lambda extra: {**extra, **known}
        )
    ),
    max_size=5,
)
BODIES = (
    EVENTS.map(lambda events: json.dumps({"events": events}).encode())
    | st.binary(max_size=200)
    | JSON_VALUES.map(lambda value: json.dumps(value).encode())
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=BODIES, lines=st.booleans())
def test_no_pushed_body_is_a_server_error(api: Api, body: bytes, lines: bool) -> None:
    media = "application/x-ndjson" if lines else "application/json"
    response = api.put(
        f"{BATCHES}/fuzz", "partner@bravo.example", content=body, headers={"Content-Type": media}
    )
    assert response.status_code < 500, response.text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_the_body_checks_take_any_bytes(body: bytes) -> None:
    assert json_depth(body, 32) >= 0
    assert lone_surrogate(body) in (True, False)
