"""End of a mock interview, category or set: each answer, strongest and weakest criteria, next steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.plan import summarize
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.timer_bar import clock
from interviewcoach.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from interviewcoach.tui.plan import PracticePlan


class AnswerTable(DataTable[str | Text]):
    """The answers; its Enter is shown in the footer as "Open answer"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Open answer")]


class SummaryScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open answer"),
        Binding("m", "mock", "New mock interview"),
        # The answers table has the focus (Enter opens one); these scroll the page past it.
        Binding("pagedown", "page_down", "More", key_display="PgDn", priority=True),
        Binding("pageup", "page_up", "Back up", key_display="PgUp", show=False, priority=True),
        Binding("escape", "home", "Home"),
    ]

    def action_page_down(self) -> None:
        self.query_one("#summary", VerticalScroll).scroll_page_down()

    def action_page_up(self) -> None:
        self.query_one("#summary", VerticalScroll).scroll_page_up()

    def __init__(self, plan: PracticePlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        summary = summarize(self.plan, self.plan.rubrics or self.coach.services.rubrics)
        yield TitleBar("summary")
        with VerticalScroll(id="summary"):
            head = Text.assemble(
                (f"Done: {self.plan.title}", "bold"),
                f"   average {summary.mean_overall:.0f}/100 over {len(summary.answers)} answers",
            )
            if summary.strongest is not None and summary.weakest is not None:
                head.append("\nStrongest: ", "bold green")
                head.append(f"{summary.strongest.name} ({summary.strongest.mean:.0%})")
                head.append("   Weakest: ", "bold red")
                head.append(f"{summary.weakest.name} ({summary.weakest.mean:.0%})")
            yield Static(head, id="summary-head")
            yield AnswerTable(id="answers", cursor_type="row", zebra_stripes=True)
            steps = Text("\n").join(Text(f"• {step}") for step in summary.practise_next)
            nxt = Static(steps, id="practise-next", classes="panel")
            nxt.border_title = "What to practise next"
            yield nxt
            criteria = Text()
            for mean in summary.criteria:
                style = "green" if mean.mean >= 0.8 else "#ffaf00" if mean.mean >= 0.5 else "red"
                criteria.append(f"{mean.name:<32}")
                criteria.append(f"{mean.mean:>5.0%}\n", style)
            criteria.rstrip()
            if not summary.criteria:
                criteria.append("No answer was long enough to score.")
            panel = Static(criteria, id="criteria-summary", classes="panel")
            panel.border_title = "Criteria across answers, strongest first"
            yield panel
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#answers", DataTable)
        table.add_columns("#", "Score", "Length", "Question")
        for i in sorted(self.plan.answers):
            answer = self.plan.answers[i]
            length = clock(answer.duration_s) if answer.duration_s is not None else "-"
            overall = "-" if answer.score.no_answer else str(answer.score.overall)
            question = Text(answer.question.text, no_wrap=True)
            # Leave room for the other columns and the scrollbar: the table never scrolls sideways.
            question.truncate(max(20, self.size.width - 28), overflow="ellipsis")
            table.add_row(self.plan.number(i), overall, length, question, key=str(i))
        table.focus()

    @on(DataTable.RowSelected, "#answers")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one("#answers", DataTable)
        keys = sorted(self.plan.answers)
        if 0 <= table.cursor_row < len(keys):
            self._open(keys[table.cursor_row])

    def _open(self, index: int) -> None:
        answer = self.plan.answers[index]
        subtitle = f"{self.plan.position_of(index)} in {self.plan.title}"
        screen = FeedbackScreen(
            answer.score,
            answer.question,
            mode="review",
            subtitle=subtitle,
            rubrics=self.plan.rubrics,
            audio=answer.audio_path,
        )
        self.app.push_screen(screen)

    def action_mock(self) -> None:
        self.coach.start_mock()

    def action_home(self) -> None:
        self.coach.go_home()
