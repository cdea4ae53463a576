"""Geometry of the dashboard's horizontal bar charts, drawn as SVG by a template.

Server-rendered so the page needs no JavaScript and no chart library from a CDN; colours are
SVG presentation attributes, which the Content Security Policy allows.
"""

from dataclasses import dataclass

LABEL_WIDTH = 220
BAR_AREA = 300
ROW_HEIGHT = 24
BAR_HEIGHT = 16


@dataclass
class Bar:
    label: str
    value: int
    shown: str  # the value as written next to the bar
    y: int
    width: int

    @property
    def bar_y(self):
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) // 2

    @property
    def text_y(self):
        return self.y + ROW_HEIGHT // 2 + 5

    @property
    def value_x(self):
        return LABEL_WIDTH + self.width + 6


@dataclass
class BarChart:
    slug: str
    title: str
    bars: list

    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT
    label_x = LABEL_WIDTH - 6

    @property
    def width(self):
        return LABEL_WIDTH + BAR_AREA + 120

    @property
    def height(self):
        return max(len(self.bars), 1) * ROW_HEIGHT


def bar_chart(slug, title, items, *, scale_to=None):
    """`items` is [(label, value, shown)]; bars are scaled to the largest value (or scale_to)."""
    items = list(items)
    largest = scale_to or max((value for _label, value, _shown in items), default=0) or 1
    bars = [
        Bar(
            label=_shorten(str(label)),
            value=value,
            shown=str(shown),
            y=index * ROW_HEIGHT,
            width=round(BAR_AREA * min(value, largest) / largest),
        )
        for index, (label, value, shown) in enumerate(items)
    ]
    return BarChart(slug, title, bars)


def _shorten(label, limit=32):
    return label if len(label) <= limit else label[: limit - 1] + "…"
