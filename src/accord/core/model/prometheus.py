"""Prometheus sources: the PromQL selectors whose samples become a source's rows.

An indicator reads a Prometheus source exactly as it reads a file: rows with logical
columns. What a row is depends on the kind of series selected:

- ``events``: counters. A counter's increase over one step (``step``, default one minute)
  is that many events, each a row at the step's start carrying the series' labels. With
  ``good`` (or ``bad``), a second counter counts the subset of those events that are good
  (bad), and each row says so in its ``__good__`` column. Increases are taken per series
  from the raw values, a drop being a counter reset (as ``increase()`` does, without its
  extrapolation), so the counts are exact at the step's resolution.
- ``histogram``: a histogram's buckets. The events counted in a bucket and not in the one
  below are rows whose ``le`` is the bucket's upper bound: a threshold at a bucket bound
  counts exactly the events ``le`` counts.
- ``samples``: gauges such as ``probe_success``. Each raw sample is a row, its value in
  ``__value__``: one probe, one row.

Selectors are plain series selectors (``name{label="value", …}``): Accord queries the raw
series itself, because a ``sum()`` or ``rate()`` around a counter hides its resets.
"""

from __future__ import annotations

import re
from typing import Final

from pydantic import Field, model_validator

from accord.core.spec import DurationField, Spec, problem
from accord.core.units import Duration

__all__ = [
    "BUCKET_LABEL",
    "GOOD_COLUMN",
    "TIME_COLUMN",
    "VALUE_COLUMN",
    "PrometheusQuery",
    "Selector",
    "parse_selector",
]

#: Physical columns a Prometheus source provides besides the series' labels.
TIME_COLUMN: Final = "__time__"
GOOD_COLUMN: Final = "__good__"
VALUE_COLUMN: Final = "__value__"
BUCKET_LABEL: Final = "le"

_NAME: Final = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL: Final = r"[a-zA-Z_][a-zA-Z0-9_]*"
_VALUE: Final = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_MATCHER: Final = rf"\s*{_LABEL}\s*(=~|!~|!=|=)\s*(?:{_VALUE})\s*"
_SELECTOR: Final = re.compile(
    rf"^\s*(?P<name>{_NAME})?\s*(?:\{{(?P<matchers>(?:{_MATCHER}(?:,{_MATCHER})*,?\s*)?)\}})?\s*$"
)
_MAX_STEP: Final = Duration.parse("1h")


class Selector:
    """A parsed series selector: a metric name (or none) and its label matchers as written."""

    __slots__ = ("matchers", "name")

    def __init__(self, name: str | None, matchers: str) -> None:
        self.name = name
        self.matchers = matchers.strip().rstrip(",").strip()

    def renamed(self, suffix: str) -> str:
        """The selector of a sibling series, e.g. ``_bucket`` of a histogram."""
        assert self.name is not None
        return f"{self.name}{suffix}{{{self.matchers}}}"

    def __str__(self) -> str:
        return f"{self.name or ''}{{{self.matchers}}}" if self.matchers else self.name or "{}"


def parse_selector(text: str) -> Selector | None:
    """The selector written in ``text``, or None when it is not a plain series selector."""
    match = _SELECTOR.match(text)
    if match is None or (match.group("name") is None and not match.group("matchers")):
        return None
    return Selector(match.group("name"), match.group("matchers") or "")


class PrometheusQuery(Spec):
    """The Prometheus server and the series whose samples are a source's rows: counters
    (events), a histogram's buckets, or raw samples of gauges."""

    url: str = Field(
        description="Base URL of the Prometheus server's HTTP API, e.g. http://prometheus:9090.",
    )
    events: str | None = Field(
        default=None,
        description="Counters: each increase over a step counts that many events "
        '(e.g. http_requests_total{job="checkout"}).',
    )
    good: str | None = Field(
        default=None,
        description="With 'events': counters of the good ones among them; rows say so in "
        "column __good__.",
    )
    bad: str | None = Field(
        default=None,
        description="With 'events': counters of the bad ones among them (instead of 'good').",
    )
    histogram: str | None = Field(
        default=None,
        description="A histogram (its name without _bucket): each event is a row whose 'le' "
        "is the upper bound of its bucket.",
    )
    samples: str | None = Field(
        default=None,
        description="Gauges (e.g. probe_success): each raw sample is a row, its value in "
        "column __value__.",
    )
    step: DurationField = Field(
        default=Duration.parse("1m"),
        description="Resolution of counter and histogram increases: events are placed at "
        "the start of the step they happened in.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> PrometheusQuery:
        if not re.match(r"^https?://[^\s/]+", self.url):
            raise problem(
                "prometheus",
                f"url {self.url!r} is not an http(s) URL",
                "e.g. url: http://prometheus:9090",
                ("url",),
            )
        chosen = [name for name in ("events", "histogram", "samples") if getattr(self, name)]
        if len(chosen) != 1:
            raise problem(
                "prometheus",
                "a Prometheus source selects one of 'events' (counters), 'histogram' or "
                f"'samples' (gauges); found {', '.join(chosen) or 'none'}",
                'e.g. events: http_requests_total{job="checkout"}',
            )
        if (self.good or self.bad) and self.events is None:
            raise problem(
                "prometheus",
                "'good' and 'bad' count a subset of 'events' counters",
                "add events: (the counters of all events)",
            )
        if self.good and self.bad:
            raise problem("prometheus", "give 'good' or 'bad', not both", "keep one", ("bad",))
        self._check_selectors()
        if not self.step.is_fixed or not 1 <= self.step.seconds <= _MAX_STEP.seconds:
            raise problem(
                "prometheus",
                f"step {self.step} must be a fixed length from 1s to 1h",
                "e.g. step: 1m",
                ("step",),
            )
        return self

    def _check_selectors(self) -> None:
        for name in ("events", "good", "bad", "histogram", "samples"):
            text = getattr(self, name)
            if text is None:
                continue
            selector = parse_selector(text)
            if selector is None:
                raise problem(
                    "prometheus",
                    f"{name} {text!r} is not a series selector",
                    'write name{label="value", …}: Accord reads the raw series and adds up '
                    "increases itself, so functions such as rate() or sum() are not needed",
                    (name,),
                )
            if name == "histogram" and selector.name is None:
                raise problem(
                    "prometheus",
                    f"histogram {text!r} needs the histogram's name",
                    'e.g. histogram: http_request_duration_seconds{job="checkout"}',
                    (name,),
                )

    def selected(self) -> str:
        """Which kind of series the source selects: events, histogram or samples."""
        return "events" if self.events else "histogram" if self.histogram else "samples"

    def columns_provided(self) -> set[str]:
        """Physical columns besides labels that rows of this source carry."""
        if self.events:
            return {TIME_COLUMN, GOOD_COLUMN} if (self.good or self.bad) else {TIME_COLUMN}
        if self.histogram:
            return {TIME_COLUMN, BUCKET_LABEL}
        return {TIME_COLUMN, VALUE_COLUMN}
