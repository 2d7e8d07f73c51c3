"""Server-rendered SVG charts: no JavaScript, no style attributes (colours come from
classes in static/css/value.css). Each chart has a title and description; pages show
the same figures as a table beside it."""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, css: Sequence[str] = ()
) -> SafeString:
    """Horizontal bars, one per row; `css` gives each bar a class (cycle colours)."""
    top = max((value for _label, value in rows), default=0) or 1
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(span * value / top) if value else 0
        bars.append(
            (
                LABEL_WIDTH - 6,
                y + BAR_HEIGHT * 0.7,
                label,
                css[index] if index < len(css) else "bar",
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT * 0.7,
                _number(value),
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>'
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        bars,
    )
    return _svg(title, WIDTH, height, body)


def stacked_columns(
    columns: Sequence[tuple[str, Sequence[int]]], *, title: str, css: Sequence[str]
) -> SafeString:
    """One column per label (a month), stacked by series (the cycles)."""
    height, base, column = 220, 190, 36
    width = max(WIDTH, len(columns) * (column + 12) + 40)
    top = max((sum(values) for _label, values in columns), default=0) or 1
    parts = []
    for index, (label, values) in enumerate(columns):
        x = 30 + index * (column + 12)
        y = base
        for series, value in enumerate(values):
            h = round(170 * value / top)
            if h:
                y -= h
                parts.append(
                    format_html(
                        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>',
                        css[series],
                        x,
                        y,
                        column,
                        h,
                    )
                )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" class="chart-value" text-anchor="middle">{}</text>',
                x + column / 2,
                base + 18,
                label,
                x + column / 2,
                y - 4,
                sum(values),
            )
        )
    return _svg(title, width, height, SafeString("".join(parts)))


def _svg(title: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}">{}</title>{}</svg>',
        width,
        height,
        _id(title),
        _id(title),
        title,
        body,
    )


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())[:40]


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
