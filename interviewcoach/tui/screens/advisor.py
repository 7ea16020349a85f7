"""Advisor: the imported cohort as a students x questions grid, and one student's answers to a question.

The same data as `interviewcoach cohort report` (core/cohort.py), read in thread workers. Every load
carries a request number and a result that arrives after a newer request was made is dropped, so a
slow read never overwrites what the advisor asked for since. Text from students' bundles is shown as
plain Text (never markup) with control characters made visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from interviewcoach.core.safetext import escape
from interviewcoach.core.wording import counted
from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.tables import fill_sized
from interviewcoach.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from interviewcoach.core.history.cohort import (
        AttemptView,
        Cell,
        CohortStore,
        Grid,
        SetSummary,
        StudentInfo,
    )


def inert(text: str) -> str:
    """Bundle text for the screen: one line per line, control characters shown, never interpreted."""
    return escape(text)


def plain(text: str, style: str = "") -> Text:
    return Text(inert(text), style)


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def cell_text(cell: Cell) -> Text:
    if not cell.attempts:
        return Text("not yet", "grey62")
    text = Text(f"{_score(cell.latest):>3}", "bold")
    text.append(f"/{_score(cell.best):<3}", "grey62")
    short = len(cell.attempts) < cell.required
    text.append(f" {len(cell.attempts)}x", "#ffaf00" if short else "")
    return text


def _sort_value(cell: Cell) -> tuple[int, int]:
    if not cell.attempts:
        return (0, -1)
    return (1, cell.latest if cell.latest is not None else -1)


class CohortLoaded(Message):
    def __init__(self, request: int, sets: list[SetSummary], grid: Grid | None, error: str) -> None:
        super().__init__()
        self.request = request
        self.sets = sets
        self.grid = grid
        self.error = error


class GridTable(DataTable[Any]):
    """The grid; its Enter is shown in the footer as "Open"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Open")]


class AdvisorScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("o", "sort", "Sort by column"),
        Binding("f", "choose_set", "Set"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    DEFAULT_CSS = """
    AdvisorScreen #advisor { padding: 0 1; }
    AdvisorScreen #advisor-set { width: 1fr; margin-bottom: 1; }
    AdvisorScreen #grid { height: 1fr; }
    AdvisorScreen #advisor-status { height: auto; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.request = 0
        self.set_id: str | None = None
        self.grid: Grid | None = None
        self._sort: tuple[int, bool] | None = None

    def store(self) -> CohortStore:
        # Lazy: the cohort's pydantic models cost ~70 ms, paid here in a worker, not when help lists keys.
        from interviewcoach.core.history.cohort import CohortStore

        return CohortStore(self.coach.services.data_dir)

    def compose(self) -> ComposeResult:
        yield TitleBar("advisor: your students' answers")
        with Vertical(id="advisor"):
            yield Select[str]([], prompt="No sets imported", compact=True, id="advisor-set")
            yield GridTable(id="grid", cursor_type="cell", zebra_stripes=True)
            yield Static(Text("Reading the cohort…", "grey62"), id="advisor-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#grid", DataTable).focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown, so the cohort is read once on opening, not twice
        # (a second read refilled the table after the first, and a screenshot could catch it mid-way).
        self.load()

    # -- reading -----------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the cohort in a worker; only the newest request's result is shown."""
        self.request += 1
        self._read(self.request, self.set_id)

    @work(thread=True, group="advisor-read", exit_on_error=False)
    def _read(self, request: int, set_id: str | None) -> None:
        try:
            store = self.store()
            sets = store.sets()
            if set_id is None or all(s.id != set_id for s in sets):
                set_id = sets[0].id if sets else None
            grid = store.grid(set_id) if set_id is not None else None
        except Exception as exc:  # a damaged cohort database is reported, never a crash
            self.post_message(CohortLoaded(request, [], None, str(exc)))
            return
        self.post_message(CohortLoaded(request, sets, grid, ""))

    def on_cohort_loaded(self, message: CohortLoaded) -> None:
        if message.request != self.request:
            return  # an older read finished after a newer one was asked for
        status = self.query_one("#advisor-status", Static)
        if message.error:
            status.update(plain(f"Cohort unavailable: {message.error}", "#ff8787"))
            return
        select = self.query_one("#advisor-set", Select)
        with self.prevent(Select.Changed):
            select.set_options([(inert(f"{s.title} ({s.id})"), s.id) for s in message.sets])
            if message.grid is not None:
                select.value = message.grid.set.id
        self.grid = message.grid
        self.set_id = message.grid.set.id if message.grid is not None else None
        self._fill()
        if message.grid is None:
            status.update(Text("No bundles imported yet: interviewcoach cohort import FILE...", "grey62"))
            return
        grid = message.grid
        students = counted(len(grid.rows), "student")
        status.update(
            Text(
                f"{students} · cell: latest/best score, attempts made "
                "(amber: fewer than required) · Enter opens a cell",
                "grey62",
            )
        )

    def _fill(self) -> None:
        table = self.query_one("#grid", DataTable)
        cursor = table.cursor_coordinate
        grid = self.grid
        if grid is None:
            table.clear(columns=True)
            return
        columns = [("Student", "student")]
        columns += [(f"Q{number}", question.id) for number, question in enumerate(grid.set.questions, 1)]
        rows = list(grid.rows)
        if self._sort is not None:
            column, descending = self._sort
            if column == 0:
                rows.sort(key=lambda r: r.student.name.casefold(), reverse=descending)
            else:
                qid = grid.set.questions[column - 1].id
                rows.sort(key=lambda r: _sort_value(r.cells[qid]), reverse=descending)
        lines: list[tuple[str, list[Text]]] = []
        for row in rows:
            name = plain(row.student.name)
            name.truncate(24, overflow="ellipsis")
            lines.append(
                (str(row.student.id), [name, *(cell_text(row.cells[q.id]) for q in grid.set.questions)])
            )
        fill_sized(table, columns, lines)
        if table.row_count and table.is_valid_coordinate(cursor):
            table.cursor_coordinate = cursor

    # -- actions -----------------------------------------------------------------------------------

    @on(Select.Changed, "#advisor-set")
    def _set_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.set_id:
            self.set_id = event.value
            self._sort = None
            self.load()
        self.query_one("#grid", DataTable).focus()

    def action_choose_set(self) -> None:
        self.query_one("#advisor-set", Select).focus()

    def action_reload(self) -> None:
        self.load()

    def action_sort(self) -> None:
        self._sort_by(self.query_one("#grid", DataTable).cursor_column)

    @on(DataTable.HeaderSelected, "#grid")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self._sort_by(event.column_index)

    def _sort_by(self, column: int) -> None:
        if self.grid is None:
            return
        # Scores sort highest first on the first press, names A to Z; pressing again reverses.
        first = column != 0
        if self._sort is not None and self._sort[0] == column:
            self._sort = (column, not self._sort[1])
        else:
            self._sort = (column, first)
        self._fill()
        table = self.query_one("#grid", DataTable)
        table.cursor_coordinate = Coordinate(0, column)

    @on(DataTable.CellSelected, "#grid")
    def _cell_selected(self, _: DataTable.CellSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#grid", DataTable)
        if self.grid is None or not table.row_count:
            return
        coordinate = table.cursor_coordinate
        column = max(1, coordinate.column)
        row_key = table.coordinate_to_cell_key(Coordinate(coordinate.row, 0)).row_key.value
        row = next(r for r in self.grid.rows if str(r.student.id) == row_key)
        question = self.grid.set.questions[column - 1]
        self.app.push_screen(StudentAnswersScreen(self.grid.set.id, row.student, question.id, question.text))

    def action_back(self) -> None:
        self.dismiss()


# ---------------------------------------------------------------------------------------------------
# One student's answers to one question


class CellLoaded(Message):
    def __init__(self, request: int, attempts: list[AttemptView], error: str) -> None:
        super().__init__()
        self.request = request
        self.attempts = attempts
        self.error = error


class AdvisorSaved(Message):
    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what = what
        self.error = error


class CommentScreen(ModalScreen[str | None]):
    """One line of comment for an attempt: Enter saves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    CommentScreen { align: center middle; }
    CommentScreen #comment-box { width: 80%; max-width: 90; height: auto; border: round $accent;
        padding: 0 1; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-box"):
            yield Static(Text("Your comment on this answer (Enter saves, Esc cancels)", "bold"))
            yield Input(placeholder="e.g. Lead with the Step 2 CK number.", id="comment", max_length=5000)

    def on_mount(self) -> None:
        self.query_one("#comment", Input).focus()

    @on(Input.Submitted, "#comment")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StudentAnswersScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "comment", "Comment"),
        Binding("t", "toggle_point", "Toggle point"),
        Binding("escape", "back", "Back"),
    ]

    DEFAULT_CSS = """
    StudentAnswersScreen #answers { height: 1fr; }
    StudentAnswersScreen #answer-items { width: 38%; min-width: 24; height: 1fr; }
    StudentAnswersScreen #answer-scroll { width: 1fr; height: 1fr; padding: 0 1; }
    """

    def __init__(self, set_id: str, student: StudentInfo, question_id: str, question_text: str) -> None:
        super().__init__()
        self.set_id = set_id
        self.student = student
        self.question_id = question_id
        self.question_text = question_text
        self.request = 0
        self.attempts: list[AttemptView] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(f"advisor: {inert(self.student.name)}")
        yield Static(plain(self.question_text, "bold"), id="answer-question")
        with Horizontal(id="answers"):
            yield OptionList(id="answer-items")
            with VerticalScroll(id="answer-scroll"):
                yield Static(Text("Reading…", "grey62"), id="answer-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        items = self.query_one("#answer-items", OptionList)
        items.border_title = "Answers, newest first"
        items.focus()
        self.load()

    def load(self) -> None:
        self.request += 1
        self._read(self.request)

    @work(thread=True, group="advisor-cell", exit_on_error=False)
    def _read(self, request: int) -> None:
        # Lazy: the cohort's pydantic models cost ~70 ms, paid here in a worker, not when help lists keys.
        from interviewcoach.core.history.cohort import CohortStore

        try:
            grid = CohortStore(self.coach.services.data_dir).grid(self.set_id)
            row = next((r for r in grid.rows if r.student.id == self.student.id), None)
            attempts = list(reversed(row.cells[self.question_id].attempts)) if row is not None else []
        except Exception as exc:  # reported on screen, never a crash
            self.post_message(CellLoaded(request, [], str(exc)))
            return
        self.post_message(CellLoaded(request, attempts, ""))

    def on_cell_loaded(self, message: CellLoaded) -> None:
        if message.request != self.request:
            return
        if message.error:
            self.query_one("#answer-detail", Static).update(plain(message.error, "#ff8787"))
            return
        self.attempts = message.attempts
        items = self.query_one("#answer-items", OptionList)
        current = items.highlighted
        items.clear_options()
        options: list[Option] = []
        for attempt in self.attempts:
            label = Text(attempt.created_at[:16].replace("T", " "), "bold")
            label.append("  no answer" if attempt.no_answer else f"  {_score(attempt.overall):>3}")
            options.append(Option(label, id=f"a:{attempt.uid}"))
            for index, point in enumerate(attempt.points):
                mark = Text("  ✓ " if point.covered else "  ✗ ", "green" if point.covered else "red")
                mark.append_text(plain(point.text))
                if point.overridden:
                    mark.append(" (yours)", "#ffaf00")
                mark.truncate(60, overflow="ellipsis")
                options.append(Option(mark, id=f"p:{attempt.uid}:{index}"))
        if not options:
            options.append(Option(Text("Not yet attempted.", "grey62"), disabled=True))
        items.add_options(options)
        if options and not options[0].disabled:
            items.highlighted = min(current or 0, len(options) - 1)
        self._show()

    @on(OptionList.OptionHighlighted, "#answer-items")
    def _highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._show()

    def _focused(self) -> tuple[AttemptView | None, int | None]:
        option = self.query_one("#answer-items", OptionList).highlighted_option
        if option is None or option.id is None:
            return None, None
        parts = option.id.split(":")
        attempt = next((a for a in self.attempts if a.uid == parts[1]), None)
        return attempt, int(parts[2]) if parts[0] == "p" else None

    def _show(self) -> None:
        attempt, _ = self._focused()
        detail = self.query_one("#answer-detail", Static)
        if attempt is None:
            detail.update(Text("Not yet attempted.", "grey62"))
            return
        text = Text()
        score = "no answer" if attempt.no_answer else f"score {_score(attempt.overall)}"
        text.append(f"{attempt.created_at[:16].replace('T', ' ')} · {score}\n", "bold")
        text.append(f"uid {attempt.uid}\n\n", "grey62")
        text.append_text(plain(attempt.transcript or "(no transcript)"))
        text.append("\n\nVerdicts\n", "bold underline")
        for verdict in attempt.criteria:
            text.append("✓ " if verdict.passed else "✗ ", "green" if verdict.passed else "red")
            text.append_text(plain(f"{verdict.name} {verdict.score:.0%}"))
            for quote in verdict.evidence:
                text.append_text(plain(f"  “{quote.text}”", "italic grey70"))
            text.append("\n")
        if attempt.points:
            text.append(
                f"\nTalking points {attempt.points_covered}/{len(attempt.points)}\n", "bold underline"
            )
            for point in attempt.points:
                text.append("✓ " if point.covered else "✗ ", "green" if point.covered else "red")
                text.append_text(plain(point.text))
                if point.overridden:
                    text.append(" (your verdict)", "#ffaf00")
                shown = point.evidence or point.nearest
                if shown is not None:
                    label = "" if point.evidence else "nearest: "
                    text.append_text(plain(f"  {label}“{shown.text}”", "italic grey70"))
                text.append("\n")
        if attempt.comments:
            text.append("\nComments\n", "bold underline")
            for comment in attempt.comments:
                text.append_text(plain(f"{comment.author} ({comment.created_at[:10]}): ", "bold"))
                text.append_text(plain(comment.text))
                text.append("\n")
        detail.update(text)

    # -- the advisor's words -------------------------------------------------------------------------

    def action_comment(self) -> None:
        attempt, _ = self._focused()
        if attempt is None:
            self.notify("No answer to comment on.", severity="warning")
            return

        def chosen(text: str | None) -> None:
            if text:
                self._save_comment(attempt.uid, text)

        self.app.push_screen(CommentScreen(), chosen)

    def action_toggle_point(self) -> None:
        attempt, index = self._focused()
        if attempt is None or index is None:
            self.notify("Highlight a talking point (✓ or ✗) to toggle it.", severity="warning")
            return
        point = attempt.points[index]
        self._save_override(attempt.uid, point.text, not point.covered)

    @work(thread=True, group="advisor-write", exit_on_error=False)
    def _save_comment(self, uid: str, text: str) -> None:
        # Lazy: the cohort's pydantic models cost ~70 ms, paid here in a worker, not when help lists keys.
        from interviewcoach.core.history.cohort import CohortStore

        try:
            CohortStore(self.coach.services.data_dir).add_comment(uid, text)
        except Exception as exc:
            self.post_message(AdvisorSaved("comment", str(exc)))
            return
        self.post_message(AdvisorSaved("Comment saved.", ""))

    @work(thread=True, group="advisor-write", exit_on_error=False)
    def _save_override(self, uid: str, point: str, covered: bool) -> None:
        # Lazy: the cohort's pydantic models cost ~70 ms, paid here in a worker, not when help lists keys.
        from interviewcoach.core.history.cohort import CohortStore

        try:
            CohortStore(self.coach.services.data_dir).set_override(uid, point, covered)
        except Exception as exc:
            self.post_message(AdvisorSaved("override", str(exc)))
            return
        self.post_message(AdvisorSaved(f"Marked {'covered' if covered else 'missed'} (your verdict).", ""))

    def on_advisor_saved(self, message: AdvisorSaved) -> None:
        if message.error:
            self.notify(f"Not saved: {message.error}", severity="error", markup=False)
            return
        self.notify(message.what, markup=False)
        self.load()

    def action_back(self) -> None:
        self.dismiss()
