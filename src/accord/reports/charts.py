"""Charts as SVG drawn on the server: they need no script, print in PDFs and carry their data
in text (a ``<title>`` and a ``<desc>``) for screen readers. Colours are presentation
attributes, not inline styles, so a strict content security policy allows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

__all__ = ["Band", "Series", "Wording", "line_chart", "sparkline"]

_INK: Final = "#1f2a44"
_GRID: Final = "#d5d9e2"
_LINE: Final = "#2457a6"
_BAND: Final = "#f3d9a4"
_TARGET: Final = "#1a7f37"
_TOLERANCE: Final = "#b42318"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def sparkline(values: Sequence[float], *, label: str, width: int = 96, height: int = 24) -> str:
    """A small line of ``values`` in [0, 1] (oldest first), ``label`` said in words."""
    title = escape(label)
    if not values:
        return ""
    step = width / max(1, len(values) - 1)
    points = " ".join(
        f"{_number(i * step if len(values) > 1 else width / 2)},"
        f"{_number(2 + (1 - min(max(v, 0.0), 1.0)) * (height - 4))}"
        for i, v in enumerate(values)
    )
    last_x, last_y = points.split(" ")[-1].split(",")
    return (
        f'<svg class="sparkline" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<polyline points="{points}" fill="none" stroke="{_LINE}" stroke-width="1.5"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2" fill="{_LINE}"/></svg>'
    )


@dataclass(frozen=True)
class Series:
    """Values by label, ``None`` where there is no value (no data)."""

    labels: Sequence[str]
    values: Sequence[float | None]


@dataclass(frozen=True)
class Band:
    """The target and the tolerance, and which way is better."""

    target: float
    tolerance: float | None
    higher_is_better: bool


@dataclass(frozen=True)
class Wording:
    """What a chart says: its title, each value as people read it (``99.5%``), the unit of
    the axis (``%``) and, optionally, the axis' fixed bounds."""

    title: str
    show: Sequence[str]
    unit: str = ""
    bounds: tuple[float, float] | None = None


def _scale(series: Series, band: Band | None) -> tuple[float, float]:
    known = [v for v in series.values if v is not None]
    if band is not None:
        known += [band.target] + ([band.tolerance] if band.tolerance is not None else [])
    known = known or [0.0]
    low, high = min(known), max(known)
    spread = (high - low) or abs(high) or 1.0
    return low - spread * 0.15, high + spread * 0.15


def line_chart(series: Series, band: Band | None, wording: Wording, *, width: int = 640) -> str:
    """Values per label against the target (green line) and the tolerance (red line), the
    band between them shaded; ``show`` gives each value as people read it (``99.5%``).
    Without a band, only the values (a burn-down)."""
    height, left, right, top, bottom = 220, 72, 12, 12, 36
    low, high = wording.bounds or _scale(series, band)
    show = wording.show
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(series.labels))

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * plot_h

    def x(index: int) -> float:
        return left + (index + 0.5) * plot_w / count

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(wording.title)}</title>'
        f"<desc>{escape(_describe(series, show))}</desc>"
    ]
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{left - 6}" y="{_number(y(tick) + 4)}" text-anchor="end" '
            f'font-size="10" fill="{_INK}">{_tick(tick)}{escape(wording.unit)}</text>'
            f'<line x1="{left}" y1="{_number(y(tick))}" x2="{left + plot_w}" '
            f'y2="{_number(y(tick))}" stroke="{_GRID}" stroke-width="0.5"/>'
        )
    if band is not None and band.tolerance is not None:
        top_y, low_y = sorted((y(band.target), y(band.tolerance)))
        parts.append(
            f'<rect x="{left}" y="{_number(top_y)}" width="{plot_w}" '
            f'height="{_number(low_y - top_y)}" fill="{_BAND}" fill-opacity="0.5"/>'
        )
        parts.append(_hline(y(band.tolerance), left, plot_w, _TOLERANCE, "tolerance"))
    if band is not None:
        parts.append(_hline(y(band.target), left, plot_w, _TARGET, "target"))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{_GRID}"/>'
    )
    points = [
        (x(i), y(v), show[i], series.labels[i])
        for i, v in enumerate(series.values)
        if v is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{_number(px)},{_number(py)}" for px, py, _, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_LINE}" stroke-width="2"/>')
    for px, py, shown, label in points:
        parts.append(
            f'<circle cx="{_number(px)}" cy="{_number(py)}" r="4" fill="{_LINE}">'
            f"<title>{escape(label)}: {escape(shown)}</title></circle>"
        )
    for i, label in enumerate(series.labels):
        parts.append(
            f'<text x="{_number(x(i))}" y="{height - 12}" text-anchor="middle" '
            f'font-size="12" fill="{_INK}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _tick(value: float) -> str:
    return f"{value:.3g}"


def _hline(at: float, left: int, width: int, colour: str, label: str) -> str:
    return (
        f'<line x1="{left}" y1="{_number(at)}" x2="{left + width}" y2="{_number(at)}" '
        f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{left + width - 4}" y="{_number(at - 4)}" text-anchor="end" font-size="11" '
        f'fill="{colour}">{label}</text>'
    )


def _describe(series: Series, show: Sequence[str]) -> str:
    return "; ".join(
        f"{label}: {shown if value is not None else 'no data'}"
        for label, value, shown in zip(series.labels, series.values, show, strict=True)
    )
