"""The dashboard's charts read on a phone: bars are drawn 360 units wide with each label
above its bar (so they scale to the screen without shrinking the text); a year of
columns keeps a readable width and scrolls within its own labelled box."""

import re

from value_cycles.charts import BARS_WIDTH, bar_chart, stacked_columns


def test_bars_are_drawn_phone_wide_with_labels_above_the_bars() -> None:
    svg = bar_chart([("Immediate value", 3), ("Applied value", 1)], title="Cycles")
    assert f'viewBox="0 0 {BARS_WIDTH} ' in svg and 'class="chart chart-bars"' in svg
    labels = [float(y) for y in re.findall(r'<text x="0" y="([\d.]+)" class="chart-label"', svg)]
    bars = [float(y) for y in re.findall(r'<rect class="[^"]+" x="0" y="([\d.]+)"', svg)]
    assert len(labels) == len(bars) == 2
    assert all(label < bar for label, bar in zip(labels, bars, strict=True))
    assert "style=" not in svg


def test_a_year_of_columns_scrolls_within_a_labelled_box() -> None:
    months = [(f"{m:02d}", [m, 1, 0, 0, 0]) for m in range(1, 13)]
    html = stacked_columns(months, title="Over time", css=[f"cycle-{c}" for c in range(1, 6)])
    assert html.startswith('<div class="chart-scroll" role="region" tabindex="0"')
    assert 'aria-label="Over time"' in html and 'class="chart chart-columns"' in html
