"""A live input level meter: RMS as a bar, peak as a tick, and the level in dBFS."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

FLOOR_DBFS = -60.0
# Above this the input is close to clipping.
HOT_DBFS = -6.0
# Below this the meter is dim: speech this quiet transcribes badly.
QUIET_DBFS = -45.0


def fraction(dbfs: float) -> float:
    return min(1.0, max(0.0, (dbfs - FLOOR_DBFS) / -FLOOR_DBFS))


class LevelMeter(Widget):
    """Shows the last level read from the recording; the screen updates it on a timer."""

    DEFAULT_CSS = """
    LevelMeter { height: 1; width: 1fr; }
    """

    rms_dbfs: reactive[float] = reactive(FLOOR_DBFS)
    peak_dbfs: reactive[float] = reactive(FLOOR_DBFS)

    def set_level(self, rms_dbfs: float, peak_dbfs: float) -> None:
        self.rms_dbfs = rms_dbfs
        self.peak_dbfs = peak_dbfs

    def render(self) -> Text:
        label = f" {max(self.rms_dbfs, FLOOR_DBFS):4.0f} dB"
        width = max(4, self.size.width - len(label) - 6)
        filled = round(fraction(self.rms_dbfs) * width)
        peak = min(width - 1, round(fraction(self.peak_dbfs) * width))
        if self.rms_dbfs >= HOT_DBFS:
            style = "bold red"
        elif self.rms_dbfs < QUIET_DBFS:
            style = "grey50"
        else:
            style = "green"
        text = Text("Level ")
        for i in range(width):
            if i < filled:
                text.append("█", style)
            elif i == peak and self.peak_dbfs > FLOOR_DBFS:
                text.append("▏", "yellow")
            else:
                text.append("·", "grey35")
        text.append(label)
        return text
