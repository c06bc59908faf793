"""Small inline SVG bar charts: no script, no network, readable on a phone."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT = 22
LABEL_WIDTH = 110
CHART_WIDTH = 420


def bar_chart(items: list[tuple[str, int]], colour: str = "#3b6ea8") -> Markup:
    top = max((value for _, value in items), default=0) or 1
    height = BAR_HEIGHT * len(items) + 4
    parts = [f'<svg role="img" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" style="max-width:{CHART_WIDTH}px" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(items):
        y = i * BAR_HEIGHT + 2
        width = (CHART_WIDTH - LABEL_WIDTH - 40) * value / top
        parts.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR_HEIGHT - 8}" fill="{colour}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
