"""Server-rendered SVG charts: no JavaScript, no style attributes (colours come from
classes in static/css/value.css). Each chart has a title and description; pages show
the same figures as a table beside it."""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
# Bars are drawn phone first: a 360-unit wide picture with each label above its bar,
# so that at 360 px the text keeps its size instead of shrinking with a wide drawing.
BARS_WIDTH = 360
LABEL_HEIGHT = 16
BAR_HEIGHT = 16
GAP = 10
VALUE_ROOM = 50


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, css: Sequence[str] = ()
) -> SafeString:
    """Horizontal bars, one per row, each under its label; `css` gives each bar a class
    (cycle colours)."""
    top = max((value for _label, value in rows), default=0) or 1
    row_height = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = max(len(rows), 1) * row_height
    span = BARS_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * row_height
        length = round(span * value / top) if value else 0
        bars.append(
            (
                y + LABEL_HEIGHT - 4,
                label,
                css[index] if index < len(css) else "bar",
                y + LABEL_HEIGHT,
                length,
                BAR_HEIGHT,
                length + 6,
                y + LABEL_HEIGHT + BAR_HEIGHT * 0.75,
                _number(value),
            )
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect class="{}" x="0" y="{}" width="{}" height="{}"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        bars,
    )
    return _svg(title, BARS_WIDTH, height, body, css_class="chart chart-bars")


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
    # A year of months does not fit 360 px at a readable size: the columns keep a
    # minimum width and scroll within their own box (the table beside has the figures).
    return format_html(
        '<div class="chart-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
        title,
        _svg(title, width, height, SafeString("".join(parts)), css_class="chart chart-columns"),
    )


def _svg(
    title: str, width: int, height: int, body: SafeString, *, css_class: str = "chart"
) -> SafeString:
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}">{}</title>{}</svg>',
        css_class,
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
