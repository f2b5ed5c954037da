"""Bar charts as SVG geometry, drawn on the server: no script, no library, no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 420  # drawn at about this width: its 14px text stays readable from 360px up
ROW = 28
BAR = 20
LABEL_CHARS = 20
CHAR_WIDTH = 8.8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str
    y: float
    text_y: float
    width: float
    height: float
    tone: str


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: its title, description and the geometry of its bars."""

    id: str
    title: str
    description: str
    label_name: str
    value_name: str
    width: int
    height: int
    plot_x: float
    bars: tuple[Bar, ...]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    label_name: str = "Group",
    value_name: str = "Students",
    unit: str = "",
    maximum: float | None = None,
    tones: Sequence[str] | None = None,
    texts: Sequence[str] | None = None,
) -> Chart:
    """Bars for `items` (label, value), scaled to the largest value (or `maximum`); `texts`
    replaces the value printed after each bar."""
    labels = [_short(label) for label, _ in items]
    longest = max((len(label) for label in labels), default=4)
    plot_x = min(WIDTH * 0.5, 16 + longest * CHAR_WIDTH)
    room = WIDTH - plot_x - 60  # the value's text after the longest bar
    top = maximum if maximum else max((value for _, value in items), default=0)
    bars = []
    for index, ((_, value), label) in enumerate(zip(items, labels, strict=True)):
        y = index * ROW + (ROW - BAR) / 2
        width = 0.0 if top <= 0 else max(0.0, min(1.0, value / top)) * room
        text = texts[index] if texts else f"{value:g}{unit}"
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=text,
                y=y,
                text_y=y + BAR - 5,
                width=round(width, 1),
                height=BAR,
                tone=tones[index] if tones else "",
            )
        )
    total = sum(value for _, value in items)
    description = f"{title}: " + ", ".join(f"{b.label} {b.value_text}" for b in bars)
    if not unit:
        description += f" (total {total:g})"
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        label_name=label_name,
        value_name=value_name,
        width=WIDTH,
        height=max(ROW, len(bars) * ROW),
        plot_x=round(plot_x, 1),
        bars=tuple(bars),
    )
