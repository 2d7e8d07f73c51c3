"""The console's activity chart: grouped columns per week, server-rendered SVG with no
style attributes (colours from classes in static/css/facilitation.css). The page shows
the same figures in a table beside it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from facilitation.selectors.health import Activity

HEIGHT, BASE, TOP_SPACE = 200, 170, 150
SLOT, BAR = 44, 10


def activity_chart(activity: Activity, *, title: str, labels: dict[str, str]) -> SafeString:
    """One group of bars per week: threads, replies, readers (and value events)."""
    series = ["threads", "replies", "readers"] + (["value"] if activity.shows_value else [])
    top = activity.top or 1
    width = 30 + len(activity.weeks) * SLOT
    parts = []
    for index, week in enumerate(activity.weeks):
        x = 30 + index * SLOT
        for position, name in enumerate(series):
            value = getattr(week, name)
            height = round(TOP_SPACE * value / top)
            parts.append(
                (
                    f"bar-{name}",
                    x + position * BAR,
                    BASE - height,
                    BAR - 1,
                    height,
                    f"{labels[name]}: {value}",
                )
            )
    bars = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        parts,
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-label" text-anchor="middle">{}</text>',
        (
            (30 + i * SLOT + BAR * len(series) / 2, BASE + 18, week.start.strftime("%d/%m"))
            for i, week in enumerate(activity.weeks)
            if i % 2 == 0
        ),
    )
    axis = format_html(
        '<line class="chart-axis" x1="26" y1="{}" x2="{}" y2="{}"></line>'
        '<text x="2" y="{}" class="chart-label">{}</text>',
        BASE,
        width,
        BASE,
        BASE - TOP_SPACE + 4,
        top,
    )
    return format_html(
        '<svg class="chart activity-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="activity-chart-title" preserveAspectRatio="xMinYMin meet">'
        '<title id="activity-chart-title">{}</title>{}{}{}</svg>',
        width,
        HEIGHT,
        title,
        axis,
        bars,
        ticks,
    )
