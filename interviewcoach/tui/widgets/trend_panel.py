"""Scores over time for the history screen: overall and each criterion as a sparkline, weakest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from interviewcoach.tui.plan import criterion_name
from interviewcoach.tui.widgets.sparkline import sparkline

if TYPE_CHECKING:
    from collections.abc import Mapping

    from interviewcoach.core.records import Trend
    from interviewcoach.core.session import RubricSet

POINTS = 20


# Sparkline, latest score and change after the name: " 100%" and "  +70".
AFTER_NAME = POINTS + 10
NAME_WIDTH = 27


def trend_line(name: str, values: list[float], width: int | None = None) -> Text:
    last = values[-1]
    style = "green" if last >= 0.8 else "#ffaf00" if last >= 0.5 else "red"
    # The name gives way on a narrow terminal (ending in "…"), so each line stays one line.
    room = NAME_WIDTH if width is None else max(8, min(NAME_WIDTH, width - AFTER_NAME))
    label = name if len(name) < room else name[: room - 2].rstrip() + "…"
    line = Text(f"{label:<{room}}", "bold" if name == "Overall" else "")
    line.append(f"{sparkline(values, POINTS):<{POINTS}}", style)
    line.append(f" {last:>4.0%}")
    if len(values) > 1:
        delta = values[-1] - values[0]
        line.append(f"  {'+' if delta >= 0 else ''}{delta * 100:.0f}", "green" if delta >= 0 else "red")
    return line


class TrendPanel(Static):
    DEFAULT_CSS = """
    TrendPanel { border: round $primary; padding: 0 1; height: auto; }
    """

    def on_mount(self) -> None:
        self.border_title = "Trend, oldest → newest (weakest first)"

    _shown: tuple[Trend | None, RubricSet, Mapping[str, str]] | None = None

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, trend: Trend | None, rubrics: RubricSet, names: Mapping[str, str] | None = None) -> None:
        """`names`: criterion id -> name as the attempts' own rubrics call it (ids are shared)."""
        names = names or {}
        self._shown = (trend, rubrics, names)
        width = self.content_size.width or None
        if trend is None or not trend.overall:
            self.update(Text("No scored attempts here yet.", "grey62"))
            return

        def name(cid: str) -> str:
            return names.get(cid) or criterion_name(rubrics, cid)

        lines = [trend_line("Overall", [p.value / 100 for p in trend.overall], width)]
        # Weakest (by the latest attempt) first: a short terminal cuts the list from the bottom.
        ranked = sorted(trend.criteria.items(), key=lambda kv: (kv[1][-1].value, name(kv[0])))
        lines += [trend_line(name(cid), [p.value for p in points], width) for cid, points in ranked]
        self.update(Text("\n").join(lines))
