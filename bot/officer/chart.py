"""Server-side SVG charts for the printable report (no scripts, no outside files).

Every text in the SVG is escaped. Each chart carries a title and a
description for screen readers; the same numbers are also in a table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "stacked_bars"]

# Colour-blind safe (Okabe–Ito), dark enough against white for the bars.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

_WIDTH = 720
_HEIGHT = 276
_LEFT = 56
_RIGHT = 170
_TOP = 16
_BOTTOM = 56
# About how wide one character of the 11 px axis labels is, to keep labels apart.
_CHAR_WIDTH = 6.5


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    periods: Sequence[str],
    series: Mapping[str, Sequence[int]],
    series_labels: Mapping[str, str],
    axis_labels: Sequence[str] | None = None,
    x_title: str = "",
    y_title: str = "",
) -> str:
    """A stacked bar chart: one bar per period, one colour per series, with a legend.

    `axis_labels` (default: the periods) go under the bars, as many as fit without
    touching (every n-th, always under its own bar); the bars' tooltips name the full
    period. `x_title` and `y_title` name the axes.
    """
    labels = list(axis_labels) if axis_labels is not None else list(periods)
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    totals = [sum(values[i] for values in series.values()) for i in range(len(periods))]
    top = _nice_max(max(totals, default=0) or 1)
    slot = plot_w / max(1, len(periods))
    bar_w = max(2.0, min(40.0, slot * 0.7))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for tick in range(5):
        value = top * tick // 4
        y = _TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot_w}" y2="{y:.1f}" '
            'stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#222">{value}</text>'
        )
    widest = max((len(label) for label in labels), default=0) * _CHAR_WIDTH + 8
    label_every = max(1, math.ceil(widest / slot))
    for index, period in enumerate(periods):
        x = _LEFT + slot * index + (slot - bar_w) / 2
        y = _TOP + plot_h
        for colour_index, (name, values) in enumerate(series.items()):
            count = values[index]
            if not count:
                continue
            height = plot_h * count / top
            y -= height
            colour = PALETTE[colour_index % len(PALETTE)]
            label = escape(f"{period}: {series_labels.get(name, name)} {count}")
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{colour}"><title>{label}</title></rect>'
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{_TOP + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" fill="#222">{escape(labels[index])}</text>'
            )
    if x_title:
        parts.append(
            f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_HEIGHT - 8}" text-anchor="middle" '
            f'font-size="12" fill="#222">{escape(x_title)}</text>'
        )
    if y_title:
        middle = _TOP + plot_h / 2
        parts.append(
            f'<text x="14" y="{middle:.1f}" transform="rotate(-90 14 {middle:.1f})" '
            f'text-anchor="middle" font-size="12" fill="#222">{escape(y_title)}</text>'
        )
    for colour_index, name in enumerate(series):
        y = _TOP + 14 + colour_index * 20
        colour = PALETTE[colour_index % len(PALETTE)]
        parts.append(
            f'<rect x="{_LEFT + plot_w + 16}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_LEFT + plot_w + 34}" y="{y}" font-size="12" fill="#222">'
            f"{escape(series_labels.get(name, name))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
