"""Charts as SVG: the data is in the text (title, desc, each point's title) for screen
readers, the band sits between target and tolerance, and a missing value is said, not drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from accord.reports.charts import Band, Series, Wording, line_chart, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def _ys(svg: str, colour: str) -> list[float]:
    """The y of each horizontal line drawn in ``colour``."""
    root = ET.fromstring(svg)
    return [
        float(line.get("y1", ""))
        for line in root.iter(f"{SVG}line")
        if line.get("stroke") == colour
    ]


def test_a_sparkline_runs_oldest_to_newest_clamped_to_the_frame() -> None:
    svg = sparkline([1.0, 0.5, -3.0], label="Availability <last 3>", width=100, height=24)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Availability <last 3>"  # type: ignore[union-attr]
    points = root.find(f"{SVG}polyline").get("points")  # type: ignore[union-attr]
    assert points == "0,2 50,12 100,22"  # 1 at the top, 0.5 midway, below 0 held at the floor
    circle = root.find(f"{SVG}circle")
    assert (circle.get("cx"), circle.get("cy")) == ("100", "22")  # type: ignore[union-attr]


def test_a_sparkline_of_one_value_is_centred_and_of_none_is_nothing() -> None:
    one = ET.fromstring(sparkline([0.5], label="x", width=80, height=24))
    assert one.find(f"{SVG}polyline").get("points") == "40,12"  # type: ignore[union-attr]
    assert sparkline([], label="nothing") == ""


def test_a_line_chart_says_each_value_and_marks_missing_data() -> None:
    series = Series(labels=["2026-08", "2026-09", "2026-10"], values=[0.999, None, 0.98])
    wording = Wording(title="Availability & more", show=["99.9%", "—", "98%"], unit="%")
    svg = line_chart(series, Band(0.99, 0.985, higher_is_better=True), wording)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Availability & more"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert desc == "2026-08: 99.9%; 2026-09: no data; 2026-10: 98%"
    points = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]  # type: ignore[union-attr]
    assert points == ["2026-08: 99.9%", "2026-10: 98%"]
    assert len(root.find(f"{SVG}polyline").get("points", "").split()) == 2  # type: ignore[union-attr]
    assert "style=" not in svg  # colours are attributes: a strict CSP allows them


def test_the_band_is_shaded_between_target_and_tolerance() -> None:
    series = Series(labels=["a", "b"], values=[0.995, 0.97])
    svg = line_chart(series, Band(0.99, 0.98, higher_is_better=True), Wording("t", ["", ""]))
    [target] = _ys(svg, "#1a7f37")
    [tolerance] = _ys(svg, "#b42318")
    assert target < tolerance  # higher values are drawn higher up
    rect = ET.fromstring(svg).find(f"{SVG}rect")
    assert float(rect.get("y", "")) == target  # type: ignore[union-attr]
    assert float(rect.get("height", "")) == round(tolerance - target, 1)  # type: ignore[union-attr]
    assert ">target</text>" in svg
    assert ">tolerance</text>" in svg


def test_without_a_band_only_the_values_are_drawn_within_fixed_bounds() -> None:
    series = Series(labels=["w1", "w2", "w3"], values=[100.0, 60.0, 10.0])
    wording = Wording("Budget left", ["100", "60", "10"], unit="%", bounds=(0.0, 100.0))
    svg = line_chart(series, None, wording)
    assert "<rect" not in svg
    assert "target" not in svg
    ticks = re.findall(r">([0-9.]+)%</text>", svg)
    assert ticks == ["0", "50", "100"]
