"""Elapsed time against the question's target: a bar that turns amber past the target, red past the maximum.

The target is the question's [min, max] seconds. The maximum is where the scorer starts calling the
answer too long (the target's upper end plus the brevity criterion's slack), so the bar's red means
the same thing as the verdict the student will read afterwards.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def zone(elapsed: float, low: float, high: float, maximum: float) -> str:
    """ "short", "good", "over" (past the target) or "too_long" (past the maximum)."""
    if elapsed > maximum:
        return "too_long"
    if elapsed > high:
        return "over"
    if elapsed >= low:
        return "good"
    return "short"


ZONE_STYLES = {"short": "cyan", "good": "green", "over": "#ffaf00", "too_long": "bold red"}
ZONE_WORDS = {
    "short": "keep going",
    "good": "on target",
    "over": "past the target: wrap up",
    "too_long": "too long: finish now",
}


class TimerBar(Widget):
    DEFAULT_CSS = """
    TimerBar { height: 2; width: 1fr; }
    """

    elapsed: reactive[float] = reactive(0.0)

    def __init__(self, low: float, high: float, maximum: float, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.low = low
        self.high = high
        self.maximum = max(maximum, high)

    @property
    def zone(self) -> str:
        return zone(self.elapsed, self.low, self.high, self.maximum)

    def render(self) -> Text:
        current = self.zone
        style = ZONE_STYLES[current]
        head = Text()
        head.append(f"{clock(self.elapsed)}", f"bold {style}")
        head.append(f"  target {clock(self.low)}-{clock(self.high)}  ")
        head.append(ZONE_WORDS[current], style)
        width = max(10, self.size.width)
        scale = self.maximum * 1.15
        cells = [round(self.low / scale * width), round(self.high / scale * width)]
        cells.append(round(self.maximum / scale * width))
        filled = round(min(self.elapsed, scale) / scale * width)
        bar = Text()
        for i in range(width):
            if i < filled:
                bar.append("█", style)
            elif i in cells:
                bar.append("│", "grey62")
            else:
                bar.append("░", "grey30")
        return Text("\n").join([head, bar])
