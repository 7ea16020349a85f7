"""Two attempts at one question side by side: criteria, delivery figures and both transcripts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.highlights import spans_for
from interviewcoach.tui.plan import criterion_name
from interviewcoach.tui.screens.home import short_date
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.title_bar import TitleBar
from interviewcoach.tui.widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from interviewcoach.core.records import Attempt, Comparison

METRICS = {
    "word_count": ("Words", "{:.0f}"),
    "duration_s": ("Length (s)", "{:.0f}"),
    "words_per_minute": ("Pace (wpm)", "{:.0f}"),
    "filler_count": ("Fillers", "{:.0f}"),
    "long_pause_count": ("Long pauses", "{:.0f}"),
}
# Fewer is better for these; for the rest the change is shown without a verdict colour.
FEWER_IS_BETTER = {"filler_count", "long_pause_count"}


def _fmt(value: float | None, pattern: str = "{:.0%}") -> str:
    return "-" if value is None else pattern.format(value)


def _delta(value: float | None, *, better_when_lower: bool = False, percent: bool = True) -> Text:
    if value is None:
        return Text("-", "grey62")  # not known for one or both answers (typed, or a new criterion)
    if abs(value) < 1e-9:
        return Text("=", "grey62")
    good = value < 0 if better_when_lower else value > 0
    shown = f"{value * 100:+.0f}" if percent else f"{value:+.0f}"
    return Text(shown, "green" if good else "red")


def label(attempt: Attempt) -> str:
    overall = "-" if attempt.overall is None or attempt.no_answer else f"{attempt.overall}"
    return f"{short_date(attempt.created_at)} ({overall})"


class CompareScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        c = self.comparison
        rubrics = self.coach.services.rubrics
        yield TitleBar("compare")
        with VerticalScroll(id="compare"):
            head = Text.assemble(
                (c.after.question_text or c.after.question_id, "bold"),
                "\nOverall ",
                (label(c.before), ""),
                " → ",
                (label(c.after), "bold"),
                "  ",
                _delta(c.overall_delta, percent=False),
            )
            yield Static(head, id="compare-head")
            table = Table(box=None, padding=(0, 1), expand=False)
            table.add_column("Criterion")
            table.add_column("Before", justify="right")
            table.add_column("After", justify="right")
            table.add_column("Change", justify="right")
            rubric_id = c.after.rubric_id
            for delta in c.criteria:
                table.add_row(
                    criterion_name(rubrics, delta.criterion_id, rubric_id),
                    _fmt(delta.before),
                    _fmt(delta.after),
                    _delta(delta.delta),
                )
            table.add_row("", "", "", "")
            for key, (name, pattern) in METRICS.items():
                before, after = c.metrics.get(key, (None, None))
                change = after - before if before is not None and after is not None else None
                table.add_row(
                    name,
                    _fmt(before, pattern),
                    _fmt(after, pattern),
                    _delta(change, better_when_lower=key in FEWER_IS_BETTER, percent=False)
                    if key in FEWER_IS_BETTER
                    else Text("-" if change is None else "=" if not change else f"{change:+.0f}", "grey62"),
                )
            panel = Static(table, id="compare-table", classes="panel")
            panel.border_title = "Side by side"
            yield panel
            with Horizontal(id="compare-transcripts"):
                for attempt in (c.before, c.after):
                    if attempt.score is not None:
                        view = TranscriptView(attempt.score.answer, spans_for(attempt.score, rubrics))
                        view.border_title = label(attempt)
                        yield view
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#compare", VerticalScroll).focus()
