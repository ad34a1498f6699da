"""The report's server-side SVG chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

from bot.officer.chart import stacked_bars

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_stack_per_period_and_text_is_escaped() -> None:
    """One rect per non-zero count, a legend entry per series, every label escaped."""
    svg = stacked_bars(
        chart_id="c1",
        title="Innspel <per> veke",
        description="Tal & tabell",
        periods=["Veke 1", "Veke 2", "Veke 3"],
        series={"web": [2, 0, 1], "telegram": [1, 3, 0]},
        series_labels={"web": "<script>alert(1)</script>", "telegram": "Telegram"},
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{SVG}title").text == "Innspel <per> veke"
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 4  # 2+1, 0+3, 1+0: zero counts draw nothing
    heights = {b.find(f"{SVG}title").text: float(b.get("height")) for b in bars}
    assert heights["Veke 2: Telegram 3"] == 3 * heights["Veke 1: Telegram 1"]
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert "Telegram" in legend and "<script>alert(1)</script>" in legend


def test_empty_chart_is_still_valid_svg() -> None:
    """No periods gives an empty but well-formed chart."""
    svg = stacked_bars(
        chart_id="c2", title="t", description="d", periods=[], series={}, series_labels={}
    )
    assert ET.fromstring(svg).tag == f"{SVG}svg"  # noqa: S314


def test_axis_titles_and_short_labels_that_never_touch() -> None:
    """52 weeks: short labels under their own bars, spaced apart; tooltips keep the full
    week; both axes have a title (review: the week axis could not be read)."""
    weeks = list(range(1, 53))
    svg = stacked_bars(
        chart_id="c3",
        title="t",
        description="d",
        periods=[f"Veke {w}/2026" for w in weeks],
        series={"web": [1] * 52},
        series_labels={"web": "Nettsida"},
        axis_labels=[f"v. {w}" for w in weeks],
        x_title="Veke",
        y_title="Tal på innspel",
    )
    root = ET.fromstring(svg)  # noqa: S314
    texts = list(root.iter(f"{SVG}text"))
    under = [t for t in texts if (t.text or "").startswith("v. ")]
    assert under and under[0].text == "v. 1"
    xs = [float(t.get("x")) for t in under]
    assert all(b - a >= len("v. 52") * 6 for a, b in pairwise(xs))
    bars = {
        b.find(f"{SVG}title").text: float(b.get("x")) + float(b.get("width")) / 2
        for b in root.iter(f"{SVG}rect")
        if b.find(f"{SVG}title") is not None
    }
    for label in under:  # each label sits under its own bar
        week = int(label.text.removeprefix("v. "))
        assert abs(bars[f"Veke {week}/2026: Nettsida 1"] - float(label.get("x"))) < 0.2
    assert {"Veke", "Tal på innspel"} <= {t.text for t in texts}
