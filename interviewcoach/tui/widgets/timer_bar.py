"""Elapsed time against the question's target: a bar that turns amber past the target, red past the maximum.

The target is the question's [min, max] seconds. The maximum is where the scorer starts calling the
answer too long (the target's upper end plus the brevity criterion's slack), so the bar's red means
the same thing as the verdict the student will read afterwards. The bar and its words follow the
speaking time (first to last moment of speech, what brevity measures from the word timings), not the
recorded time, so "keep going" and "on target" agree with the Brief verdict; the recorded time is
shown beside it when the two differ. The three ticks are labelled with their times.
"""

from __future__ import annotations

import itertools

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
    TimerBar { height: 3; width: 1fr; }
    """

    elapsed: reactive[float] = reactive(0.0)
    # Seconds from the first to the latest moment of speech; None until speech is heard.
    speaking: reactive[float | None] = reactive(None)

    def __init__(self, low: float, high: float, maximum: float, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.low = low
        self.high = high
        self.maximum = max(maximum, high)

    @property
    def judged(self) -> float:
        """The time the verdict will be about: speaking time once speech is heard."""
        return self.speaking if self.speaking is not None else 0.0

    @property
    def zone(self) -> str:
        return zone(self.judged, self.low, self.high, self.maximum)

    def render(self) -> Text:
        current = self.zone
        style = ZONE_STYLES[current]
        head = Text()
        head.append(f"{clock(self.judged)}", f"bold {style}")
        head.append(" speaking")
        if self.elapsed - self.judged >= 1:
            head.append(f" ({clock(self.elapsed)} recorded)", "grey62")
        head.append("  ")
        head.append(ZONE_WORDS[current], style)
        width = max(10, self.size.width)
        scale = self.maximum * 1.15
        ticks = [
            (round(self.low / scale * width), clock(self.low)),
            (round(self.high / scale * width), clock(self.high)),
            (round(self.maximum / scale * width), f"{clock(self.maximum)} too long"),
        ]
        cells = {cell for cell, _ in ticks}
        filled = round(min(self.judged, scale) / scale * width)
        bar = Text()
        for i in range(width):
            if i < filled:
                bar.append("█", style)
            elif i in cells:
                bar.append("│", "grey62")
            else:
                bar.append("░", "grey30")
        return Text("\n").join([head, bar, tick_labels(ticks, width)])


def tick_labels(ticks: list[tuple[int, str]], width: int) -> Text:
    """Each tick's time under it, starting or ending at the tick, a space between labels.

    Of the placements that fit, the one showing the most labels (then the most words) wins; a label
    with no room at all is left out rather than run into its neighbour.
    """
    options: list[list[tuple[int, str] | None]] = []
    for cell, label in ticks:
        here: list[tuple[int, str] | None] = [None]
        for text in dict.fromkeys([label, label.split()[0]]):
            for start in (cell, cell - len(text) + 1):
                if start >= 0 and start + len(text) <= width:
                    here.append((start, text))
        options.append(here)
    best: list[tuple[int, str]] = []
    for combo in itertools.product(*options):
        placed = [p for p in combo if p is not None]
        fits = all(a[0] + len(a[1]) < b[0] for a, b in itertools.pairwise(placed))
        if fits and (len(placed), sum(len(t) for _, t in placed)) > (len(best), sum(len(t) for _, t in best)):
            best = placed
    row = [" "] * width
    for start, text in best:
        row[start : start + len(text)] = list(text)
    return Text("".join(row), "grey62")
