"""The Prometheus HTTP API, as Accord uses it: range queries, instant queries of range
vectors (raw samples), and a check that the server answers.

Transient failures (the connection, a 5xx answer, 429 Too Many Requests) are retried with
exponential back-off; an answer that says the query itself is wrong (400, 422) is not, and
its error message is passed on. Bodies are returned as bytes: they are read by DuckDB as
JSON, never walked sample by sample in Python. The sleep between attempts is an argument,
so tests retry without waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import httpx

__all__ = ["PrometheusClient", "PrometheusError", "Server"]

_RETRIED_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
_USER_AGENT: Final = "accord-prometheus-connector"


class PrometheusError(Exception):
    """The server could not be reached, or refused a query; the message says which and why."""


@dataclass(frozen=True)
class Server:
    """Where a Prometheus server is and how to sign in to it (headers such as a bearer
    token, already decrypted by whoever built this)."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: dt.timedelta = dt.timedelta(seconds=30)
    attempts: int = 4
    backoff: dt.timedelta = dt.timedelta(milliseconds=500)


def _unix(instant: dt.datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("instants sent to Prometheus must carry a time zone")
    return f"{instant.timestamp():.3f}"


class PrometheusClient:
    """One server's API. ``transport`` and ``sleep`` are for tests."""

    def __init__(
        self,
        server: Server,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.server = server
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=server.url.rstrip("/"),
            headers={"User-Agent": _USER_AGENT, **server.headers},
            timeout=server.timeout.total_seconds(),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PrometheusClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def version(self) -> str:
        """The server's version: proves the URL and credentials work."""
        body = json.loads(self._get("/api/v1/status/buildinfo", {}))
        return str(body.get("data", {}).get("version", "unknown"))

    def query_range(
        self, query: str, start_at: dt.datetime, end_at: dt.datetime, step: dt.timedelta
    ) -> bytes:
        """A range query's answer (a matrix: per series, its value at each step)."""
        params = {
            "query": query,
            "start": _unix(start_at),
            "end": _unix(end_at),
            "step": f"{step.total_seconds():g}",
        }
        return self._get("/api/v1/query_range", params)

    def query(self, query: str, at: dt.datetime) -> bytes:
        """An instant query's answer; of a range vector selector, the raw samples."""
        return self._get("/api/v1/query", {"query": query, "time": _unix(at)})

    def _get(self, path: str, params: dict[str, str]) -> bytes:
        last = ""
        for attempt in range(self.server.attempts):
            if attempt:
                self._sleep(self.server.backoff.total_seconds() * 2 ** (attempt - 1))
            try:
                response = self._http.get(path, params=params)
            except httpx.TransportError as exc:
                last = f"cannot reach {self.server.url}: {exc}"
                continue
            if response.status_code in _RETRIED_STATUSES:
                last = f"{self.server.url} answered {response.status_code}: {_error(response)}"
                continue
            if response.status_code != 200:
                raise PrometheusError(
                    f"{self.server.url} refused {params.get('query', path)!r} "
                    f"({response.status_code}): {_error(response)}"
                )
            return response.content
        raise PrometheusError(f"{last} (tried {self.server.attempts} times)")


def _error(response: httpx.Response) -> str:
    """Prometheus's own error message, or the start of whatever the body is."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(body, dict) and "error" in body:
        return str(body["error"])
    return response.reason_phrase
