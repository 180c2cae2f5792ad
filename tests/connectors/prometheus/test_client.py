"""The Prometheus API client: retries what may pass, passes on what the server refuses."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from accord.connectors.prometheus.client import PrometheusClient, PrometheusError, Server

AT = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
OK = b'{"status":"success","data":{"resultType":"matrix","result":[]}}'


def _client(*answers: httpx.Response | Exception) -> tuple[PrometheusClient, list[float]]:
    queue = list(answers)
    slept: list[float] = []

    def handle(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = PrometheusClient(
        Server(url="http://prometheus.test:9090", headers={"Authorization": "Bearer t"}),
        transport=httpx.MockTransport(handle),
        sleep=slept.append,
    )
    return client, slept


def test_transient_failures_are_retried_with_growing_pauses() -> None:
    client, slept = _client(
        httpx.ConnectError("refused"),
        httpx.Response(503, json={"status": "error", "error": "busy"}),
        httpx.Response(200, content=OK),
    )
    assert client.query("up", AT) == OK
    assert slept == [0.5, 1.0]


def test_a_refused_query_is_not_retried_and_says_why() -> None:
    client, slept = _client(
        httpx.Response(400, json={"status": "error", "error": 'parse error: unexpected "}"'}),
    )
    with pytest.raises(PrometheusError, match=r"refused 'up\}' \(400\): parse error"):
        client.query("up}", AT)
    assert slept == []


def test_giving_up_names_the_server_the_last_failure_and_the_attempts() -> None:
    client, slept = _client(*[httpx.Response(502, text="bad gateway")] * 4)
    with pytest.raises(PrometheusError, match=r"answered 502: bad gateway \(tried 4 times\)"):
        client.query_range("up", AT, AT + dt.timedelta(hours=1), dt.timedelta(minutes=1))
    assert slept == [0.5, 1.0, 2.0]


def test_range_queries_send_unix_seconds_and_the_step() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=OK)

    client = PrometheusClient(
        Server(url="http://prometheus.test:9090/", headers={"Authorization": "Bearer t"}),
        transport=httpx.MockTransport(handle),
    )
    client.query_range("up", AT, AT + dt.timedelta(hours=1), dt.timedelta(minutes=5))
    params = seen[0].url.params
    assert seen[0].url.path == "/api/v1/query_range"
    assert (params["start"], params["end"], params["step"]) == (
        "1790812800.000",
        "1790816400.000",
        "300",
    )
    assert seen[0].headers["Authorization"] == "Bearer t"


def test_naive_instants_are_refused() -> None:
    client, _ = _client()
    with pytest.raises(ValueError, match="time zone"):
        client.query("up", dt.datetime(2026, 10, 1))
