"""Chart geometry for server-drawn SVG: horizontal bars, a funnel, a line.

Each function turns numbers into positions in a fixed coordinate box (`viewBox`); the
templates under templates/reports/charts/ draw them as inline SVG that scales to its box's
width, so the same chart works without JavaScript, at any screen width, and in a PDF
(weasyprint renders inline SVG). Every bar and point carries its number as text.
"""

import datetime
from dataclasses import dataclass

WIDTH = 520  # the viewBox width every chart is drawn in (about its width on screen)
PAD = 8
BLUE, GREEN, GREY, INK, MUTED = "#1d4ed8", "#047857", "#9aa5b1", "#1f2933", "#616e7c"
LABEL_LINE = 16  # a group's label, written above its bars
BAR = 14
BAR_GAP = 3
GROUP_GAP = 10
TEXT_ROOM = 130  # right of the longest bar, for its number


@dataclass(frozen=True)
class Series:
    label: str
    color: str  # a fill, as an attribute: a PDF renderer may not apply the page's stylesheet


@dataclass(frozen=True)
class Bar:
    series: Series
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float = BAR

    @property
    def text_x(self) -> float:
        return self.x + self.width + 4

    @property
    def text_y(self) -> float:
        return self.y + self.height - 3


@dataclass(frozen=True)
class Group:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class BarChart:
    title: str
    series: list[Series]
    groups: list[Group]
    height: float
    width: float = WIDTH
    # a vertical line at a value (the 100% of a target), or None
    mark_x: float | None = None
    mark_text: str = ""
    plot_top: float = 0

    @property
    def legend(self) -> list[tuple[Series, float, float]]:
        """(series, its swatch's x, its label's x), left to right."""
        return [(serie, PAD + n * 200, PAD + n * 200 + 14) for n, serie in enumerate(self.series)]

    @property
    def description(self) -> str:
        parts = []
        for group in self.groups:
            values = ", ".join(f"{bar.series.label} {bar.text}" for bar in group.bars)
            parts.append(f"{group.label}: {values}")
        return "; ".join(parts)


def bar_chart(
    title: str,
    series: list[Series],
    groups: list[tuple[str, list[tuple[float, str]]]],
    scale_max: float | None = None,
    mark: tuple[float, str] | None = None,
) -> BarChart:
    """groups: (label, [(value, text) per series]); bars start at the left edge and reach
    value / scale_max of the plot's width (scale_max: the largest value, when not given)."""
    values = [value for _label, bars in groups for value, _text in bars]
    scale_max = scale_max or max(values, default=0) or 1
    plot = WIDTH - 2 * PAD - TEXT_ROOM
    y = PAD + LABEL_LINE  # room for the legend
    laid = []
    for label, bars in groups:
        label_y = y + LABEL_LINE - 4
        y += LABEL_LINE
        placed = []
        for serie, (value, text) in zip(series, bars, strict=True):
            width = plot * min(value, scale_max) / scale_max
            placed.append(Bar(serie, value, text, PAD, y, round(width, 1)))
            y += BAR + BAR_GAP
        laid.append(Group(label, label_y, placed))
        y += GROUP_GAP
    chart = BarChart(title, series, laid, height=y + PAD, plot_top=PAD + LABEL_LINE)
    if mark is not None:
        chart.mark_x = PAD + plot * mark[0] / scale_max
        chart.mark_text = mark[1]
    return chart


@dataclass(frozen=True)
class Step:
    label: str
    value: int
    x: float
    y: float
    width: float
    href: str
    color: str
    height: float = 22

    @property
    def middle(self) -> float:
        return WIDTH / 2

    @property
    def text_y(self) -> float:
        return self.y + self.height - 7


@dataclass
class Funnel:
    title: str
    steps: list[Step]
    height: float
    width: float = WIDTH

    @property
    def description(self) -> str:
        return "; ".join(f"{step.label}: {step.value}" for step in self.steps)


def funnel(title: str, steps: list[tuple[str, int, str, str]]) -> Funnel:
    """steps: (label, value, link, fill colour), top to bottom; each bar centred, as wide as its
    share of the largest (never narrower than its text needs)."""
    largest = max((value for _l, value, _h, _c in steps), default=0) or 1
    least = 180  # the label and number stay inside the bar
    room = WIDTH - 2 * PAD - least
    laid, y = [], PAD
    for label, value, href, color in steps:
        width = least + room * value / largest
        x = round((WIDTH - width) / 2, 1)
        laid.append(Step(label, value, x, y, round(width, 1), href, color))
        y += 22 + 4
    return Funnel(title, laid, height=y + PAD)


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: int
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass
class LineChart:
    title: str
    points: list[Point]
    ticks: list[Tick]
    height: float
    left: float
    right: float
    bottom: float
    width: float = WIDTH

    @property
    def tick_x(self) -> float:
        return self.left - 6

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def description(self) -> str:
        return "; ".join(f"{p.day:%Y-%m-%d}: {p.value}" for p in self.points)


def nice_ticks(largest: int, count: int = 4) -> list[int]:
    """0 and whole-number steps (1, 2 or 5 times a power of ten) reaching at least largest."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    power = 1
    while power * 10 <= raw:
        power *= 10
    step = next(power * f for f in (1, 2, 5, 10) if power * f >= raw)
    ticks, value = [0], 0
    while value < largest:
        value += step
        ticks.append(value)
    return ticks


def line_chart(
    title: str, values: list[tuple[datetime.date, int]], height: float = 200
) -> LineChart:
    """One value per day (oldest first) as a line with its points, a y axis from zero and each
    point's number written above it."""
    left, right, top, bottom = 40, WIDTH - 16, 20, height - 28
    ticks = nice_ticks(max((v for _d, v in values), default=0))
    top_value = ticks[-1]

    def y_of(value):
        return round(bottom - (bottom - top) * value / top_value, 1)

    step = (right - left) / max(len(values) - 1, 1)
    points = [
        Point(day, value, round(left + n * step, 1), y_of(value))
        for n, (day, value) in enumerate(values)
    ]
    return LineChart(
        title,
        points,
        [Tick(value, y_of(value)) for value in ticks],
        height=height,
        left=left,
        right=right,
        bottom=bottom,
    )
