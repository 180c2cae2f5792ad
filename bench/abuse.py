"""Abuse replay: the hostile inputs of issue 10 sent to a real ``accord serve`` on 127.0.0.1.

Usage: .venv/bin/python -m bench.abuse [--huge-mb 100] [--parallel 8]

Starts ``accord serve`` on the embedded default (a temporary data directory, bound to
127.0.0.1 only, the worker off), sets up the company, a partner and their tokens, uploads the
payments example, then replays each case and prints, per case, the statuses answered and the
slowest answer; then the server's resident memory before, at its peak (VmHWM) and after, and
the number of 5xx answers. Done means: 0 server errors, every refusal under a second, less
than 50 MB of memory growth.

Cases: oversized bodies before authentication (declared and chunked, ``--parallel`` at
once), a YAML alias bomb, YAML nested and JSON nested 1,000 deep, a ``!!python`` tag, many
unknown fields, periods and instants outside the supported years, lone surrogates, a wrong
content type, repeated wrong passwords and guessed tokens.
"""

from __future__ import annotations

import argparse
import json
import select
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from bench.service import Deployment, payments_agreement, serve, set_up_people, upload

PARTNER = "push@payco.example"
MANAGER = "manager@acme.example"
AGREEMENT = "/api/v1/agreements/abuse"
PUSH = f"{AGREEMENT}/sources/authorisations/batches"
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@dataclass
class Outcome:
    case: str
    statuses: Counter[int]
    slowest_s: float


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _zeros(total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    block = b"0" * chunk
    sent = 0
    while sent < total:
        yield block[: min(chunk, total - sent)]
        sent += chunk


def _raw_post(deployment: Deployment, path: str, size: int, *, chunked: bool) -> int:
    """Send a body of ``size`` bytes as fast as the server takes it, stopping at its answer;
    the status it answered (an HTTP client would send the whole body before reading)."""
    port = int(deployment.base_url.rsplit(":", 1)[1])
    framing = "transfer-encoding: chunked" if chunked else f"content-length: {size}"
    head = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"{framing}\r\nconnection: close\r\n\r\n"
    ).encode()
    block = b"0" * (64 * 1024)
    piece = f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head)
        sent = 0
        while sent < size:
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                break
            try:
                connection.sendall(piece)
            except OSError:
                break
            sent += len(block)
        answer = connection.recv(64)
    return int(answer.split()[1]) if answer.startswith(b"HTTP/1.1") else 0


def _timed(send: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        status = send()
    except httpx.HTTPError:
        status = 0  # the server closed the connection on a refused body: not an answer
    return status, time.perf_counter() - started


def _case(name: str, sends: list[Callable[[], int]], parallel: int = 1) -> Outcome:
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        results = list(pool.map(_timed, sends))
    return Outcome(name, Counter(status for status, _ in results), max(t for _, t in results))


def _cases(deployment: Deployment, options: argparse.Namespace) -> Iterator[Outcome]:
    base = deployment.base_url
    anonymous = httpx.Client(base_url=base, timeout=60)
    manager = deployment.client(MANAGER)
    partner = deployment.client(PARTNER)
    huge = options.huge_mb * 1024 * 1024
    json_type = {"content-type": "application/json"}

    def declared() -> int:
        return _raw_post(deployment, "/api/v1/sessions", huge, chunked=False)

    def chunked() -> int:
        return _raw_post(deployment, "/api/v1/sessions", huge, chunked=True)

    yield _case("100 MB sign-in, declared", [declared] * options.parallel, options.parallel)
    yield _case("100 MB sign-in, chunked", [chunked] * options.parallel, options.parallel)

    def agreement(text: str) -> Callable[[], int]:
        return lambda: manager.post("/api/v1/agreements", json={"text": text}).status_code

    deep_yaml = "".join(" " * level + f"k{level}:\n" for level in range(1000))
    unknown = "".join(f"zz{index}: 1\n" for index in range(20_000))
    yield _case("YAML alias bomb", [agreement(BOMB)])
    yield _case("YAML nested 1,000 deep", [agreement(deep_yaml)])
    yield _case("YAML !!python tag", [agreement("a: !!python/object/apply:os.system [id]\n")])
    yield _case("YAML 20,000 unknown fields", [agreement(unknown[: 200 * 1024])])
    yield _case("YAML lone surrogate", [agreement('title: "\\ud800"\n')])

    nested = b'{"events": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    yield _case(
        "JSON nested 1,000 deep (push)",
        [lambda: partner.put(f"{PUSH}/deep", content=nested, headers=json_type).status_code],
    )
    yield _case(
        "JSON nested 1,000 deep (sign-in)",
        [lambda: anonymous.post("/api/v1/sessions", content=nested, headers=json_type).status_code],
    )
    surrogate = b'{"email": "a\\ud800@x.example", "password": "p"}'
    yield _case(
        "lone surrogate (sign-in)",
        [
            lambda: (
                anonymous.post("/api/v1/sessions", content=surrogate, headers=json_type).status_code
            )
        ],
    )

    def evaluate(body: dict[str, str]) -> Callable[[], int]:
        return lambda: manager.post(f"{AGREEMENT}/evaluations", json=body).status_code

    yield _case(
        "periods and as_of out of range",
        [
            evaluate({"period": "9999-12-31"}),
            evaluate({"period": "0001-01"}),
            evaluate({"period": "2026-10", "as_of": "9999-12-31T00:00:00Z"}),
        ],
    )
    yield _case(
        "wrong content type",
        [
            lambda: (
                partner.put(
                    f"{PUSH}/csv", content=b"a,b\n", headers={"content-type": "text/csv"}
                ).status_code
            )
        ],
    )
    wrong = {"email": MANAGER, "password": "not the password"}
    yield _case(
        "60 wrong passwords",
        [lambda: anonymous.post("/api/v1/sessions", json=wrong).status_code] * 60,
    )
    guesser = httpx.Client(base_url=base, timeout=60)

    def guess(number: int) -> Callable[[], int]:
        headers = {"Authorization": f"Bearer acc_{number}"}
        return lambda: guesser.get("/api/v1/me", headers=headers).status_code

    yield _case("2,000 guessed tokens", [guess(number) for number in range(2000)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--huge-mb", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=8)
    options = parser.parse_args()
    with serve("sqlite") as deployment:
        set_up_people(deployment)
        upload(deployment, payments_agreement("abuse"))
        before, peak_before = _rss_mb(deployment.pid), _rss_mb(deployment.pid, "VmHWM")
        outcomes = list(_cases(deployment, options))
        after, peak = _rss_mb(deployment.pid), _rss_mb(deployment.pid, "VmHWM")
    errors = sum(n for o in outcomes for status, n in o.statuses.items() if status >= 500)
    width = max(len(o.case) for o in outcomes)
    print(f"{'case':<{width}}  {'slowest':>8}  answers")
    for outcome in outcomes:
        answers = ", ".join(
            f"{status or 'closed'}×{n}" for status, n in sorted(outcome.statuses.items())
        )
        print(f"{outcome.case:<{width}}  {outcome.slowest_s:>7.3f}s  {answers}")
    print(
        json.dumps(
            {
                "server_errors_5xx": errors,
                "slowest_refusal_s": round(max(o.slowest_s for o in outcomes), 3),
                "rss_before_mb": round(before, 1),
                "rss_peak_before_mb": round(peak_before, 1),
                "rss_peak_mb": round(peak, 1),
                "rss_after_mb": round(after, 1),
                "rss_growth_mb": round(after - before, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
