"""History: every saved attempt as a table, filterable, openable, comparable, with a trend per criterion.

The store is read in thread workers (one short query each); the table shows the newest attempts first.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Select, Static

from interviewcoach.core.content.questions import question_for_attempt
from interviewcoach.core.errors import NoSpeechError, UserError
from interviewcoach.core.history.store import rescore_attempt
from interviewcoach.core.models import CATEGORY_TITLES, Question
from interviewcoach.core.protocols import history_of, recordings_of
from interviewcoach.core.records import Filter
from interviewcoach.core.wording import noun_for
from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.messages import (
    AttemptOpened,
    AttemptRemoved,
    AttemptsCompared,
    HistoryFailed,
    HistoryRead,
    cancelled,
)
from interviewcoach.tui.plan import criterion_name
from interviewcoach.tui.screens.compare import CompareScreen
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.screens.home import short_date
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.tables import fill_sized
from interviewcoach.tui.widgets.timer_bar import clock
from interviewcoach.tui.widgets.title_bar import TitleBar
from interviewcoach.tui.widgets.trend_panel import POINTS as TREND_POINTS
from interviewcoach.tui.widgets.trend_panel import TrendPanel

if TYPE_CHECKING:
    from interviewcoach.core.protocols import HistoryStore
    from interviewcoach.core.records import Attempt, AttemptSummary

PAGE = 500
# Cells the table's other columns (mark, date, score, length, interrupted) take with their padding,
# plus the question column's padding, the scrollbar and the screen's own padding.
QUESTION_MARGIN = 50
COLUMNS = [
    (" ", "mark"),
    ("Date", "date"),
    ("Score", "score"),
    ("Length", "length"),
    ("Interrupted", "interrupted"),
    ("Question", "question"),
]


def shorten(text: str, limit: int = 64) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class AttemptTable(DataTable[Any]):
    """The attempts; its Enter is shown in the footer as "Open"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Open")]


def filter_for(value: str) -> Filter:
    if value.startswith("q:"):
        return Filter(question_id=value[2:], include_pending=True)
    if value.startswith("c:"):
        return Filter(category=value[2:])
    if value.startswith("s:"):
        return Filter(set_id=value[2:])
    return Filter()


class HistoryScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("f", "filter", "Filter"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter = "all"
        self._marked: AttemptSummary | None = None
        self._rows: dict[int, AttemptSummary] = {}
        # Request counters: a worker's result carries the number it was started with, and only the
        # latest read (or open) is shown; a slow, stale one arriving later is dropped.
        self._reads = 0
        self._opens = 0

    @property
    def store(self) -> HistoryStore:
        store = history_of(self.coach.services.store)
        assert store is not None, "the history screen is opened only over a store that keeps a history"
        return store

    def compose(self) -> ComposeResult:
        yield TitleBar("history")
        with Vertical(id="history"):
            yield Select[str](
                [("All attempts", "all")], value="all", allow_blank=False, compact=True, id="history-filter"
            )
            yield AttemptTable(id="attempts", cursor_type="row", zebra_stripes=True)
            yield Static(id="history-count")
            busy = Static(id="history-busy")
            busy.display = False
            yield busy
            yield TrendPanel(id="trend")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#attempts", DataTable)
        fill_sized(table, COLUMNS, [])
        table.focus()
        self._read()

    # -- reading -------------------------------------------------------------------------------

    def _read(self) -> None:
        self._reads += 1
        self._read_worker(self._reads, self._filter)

    @work(thread=True, exclusive=True, group="history-read", exit_on_error=False)
    def _read_worker(self, request: int, chosen: str) -> None:
        try:
            store = self.store
            where = filter_for(chosen)
            rows = store.list_attempts(where, limit=PAGE)
            total = store.count(where)
            trend = store.trend(where, last=TREND_POINTS)
            filters = [("All attempts", "all")]
            bank = self.coach.services.bank
            filters += [(f"Category: {CATEGORY_TITLES.get(c, c)}", f"c:{c}") for c in store.categories()]
            filters += [(f"Set: {s}", f"s:{s}") for s in store.set_ids()]
            for qid, text, n in store.questions():
                label = text or (bank.get(qid).text if qid in bank else qid)
                filters.append((shorten(f"Question ({n}): {label}"), f"q:{qid}"))
        except Exception as exc:  # a damaged database is reported, never a crash
            if not cancelled():
                self.post_message(HistoryFailed(str(exc)))
            return
        if not cancelled():
            self.post_message(HistoryRead(rows, total, trend, filters, request=request))

    def on_history_read(self, message: HistoryRead) -> None:
        if message.request != self._reads:
            return  # a newer read (another filter) was asked for since
        select = self.query_one("#history-filter", Select)
        with self.prevent(Select.Changed):
            select.set_options(message.filters)
            select.value = self._filter if any(v == self._filter for _, v in message.filters) else "all"
        table = self.query_one("#attempts", DataTable)
        self._rows = {row.id: row for row in message.rows}
        fill_sized(table, COLUMNS, [(str(row.id), self._cells(row)) for row in message.rows])
        shown = (
            f"{len(message.rows)} of {message.total}"
            if message.total > len(message.rows)
            else str(message.total)
        )
        hint = " · Space marks one, c compares with it" if message.rows else ""
        noun = noun_for(message.total, "attempt")
        self.query_one("#history-count", Static).update(Text(f"{shown} {noun}{hint}", "grey62"))
        self.query_one(TrendPanel).show(
            message.trend, self.coach.services.rubrics, self._criterion_names(message)
        )

    def _criterion_names(self, message: HistoryRead) -> dict[str, str]:
        """Each trend criterion named as the rubric of its latest attempt names it.

        Rubrics share criterion ids under different names ("own_role" is "What you did" in one,
        "Your own action" in another); the name must be one the student's feedback showed.
        """
        if message.trend is None:
            return {}
        bank, rubrics = self.coach.services.bank, self.coach.services.rubrics
        question_of = {row.id: row.question_id for row in message.rows}
        names: dict[str, str] = {}
        for cid, points in message.trend.criteria.items():
            for point in reversed(points):
                question_id = question_of.get(point.attempt_id)
                if question_id is None or question_id not in bank:
                    continue
                rubric_id = bank.get(question_id).rubric
                if any(c.id == cid for r in rubrics if r.id == rubric_id for c in r.criteria):
                    names[cid] = criterion_name(rubrics, cid, rubric_id)
                    break
        return names

    def _cells(self, row: AttemptSummary) -> list[Any]:
        marked = self._marked is not None and self._marked.id == row.id
        if row.pending:
            score = Text("new", "cyan")
        elif row.no_answer:
            score = Text("-", "grey62")
        else:
            score = Text(f"{row.overall:>3}", "bold")
        mark = Text("●" if marked else "", "bold magenta")
        interrupted = Text("yes", "#ffaf00") if row.interrupted else ""
        # As `interviewcoach history` says it: an answer with no timing and no audio was typed.
        typed = "-" if row.has_audio or row.pending else "typed"
        length = clock(row.duration_s) if row.duration_s is not None else typed
        question = Text(row.question_text or row.question_id, no_wrap=True)
        # The question takes what is left of the width, so the table never scrolls sideways and a cut
        # question ends in "…": the other columns and their padding take QUESTION_MARGIN cells.
        question.truncate(max(8, self.size.width - QUESTION_MARGIN), overflow="ellipsis")
        return [mark, short_date(row.created_at), score, length, interrupted, question]

    def on_attempt_removed(self, _: AttemptRemoved) -> None:
        self._read()

    def on_history_failed(self, message: HistoryFailed) -> None:
        self._busy("")
        if message.problem:
            self.notify(f"History unavailable: {message.message}", severity="error", timeout=10, markup=False)
        else:
            self.notify(message.message, timeout=6, markup=False)

    # -- actions -------------------------------------------------------------------------------

    @on(Select.Changed, "#history-filter")
    def _filter_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self._filter:
            self._filter = event.value
            self._read()
        self.query_one("#attempts", DataTable).focus()

    def action_filter(self) -> None:
        select = self.query_one("#history-filter", Select)
        select.focus()
        select.action_show_overlay()

    def _current(self) -> AttemptSummary | None:
        table = self.query_one("#attempts", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._rows.get(int(key)) if key is not None else None

    @on(DataTable.RowSelected, "#attempts")
    def _row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.pending:
            # A line on the screen rather than a toast: it goes exactly when the result is shown.
            self._busy(f"Transcribing and scoring the answer from {short_date(row.created_at)}…")
            self._opens += 1
            self._score_pending(row.id, self._opens)
            return
        self._opens += 1
        self._get(row.id, self._opens)

    @work(thread=True, exclusive=True, group="history-open", exit_on_error=False)
    def _score_pending(self, attempt_id: int, request: int) -> None:
        """An answer a crash left unscored (doctor found its audio): transcribe and score it now."""
        services = self.coach.services
        store = recordings_of(services.store)
        try:
            if store is None:  # only a store with the recordings on disk can transcribe one again
                raise ValueError("this history keeps no recordings to score")
            attempt = rescore_attempt(
                store,
                attempt_id,
                bank=services.bank,
                rubrics=services.rubrics,
                transcriber=services.transcriber,
            )
        except NoSpeechError:
            # A silent clip is junk, not an answer: left, it would stay "new" in the history forever.
            try:
                self.store.delete(attempt_id)
            except Exception as exc:
                self.post_message(HistoryFailed(f"no speech in that recording; not removed: {exc}"))
                return
            self.post_message(
                HistoryFailed("No speech in that recording: removed from your history.", problem=False)
            )
            self.post_message(AttemptRemoved())
            return
        except Exception as exc:  # unknown question, engine failure: all notices
            if not cancelled():
                self.post_message(
                    HistoryFailed(f"attempt {attempt_id} could not be scored: {exc}", problem=False)
                )
            return
        if not cancelled():
            self.post_message(AttemptOpened(attempt, self._try_number(attempt), request=request))

    @work(thread=True, exclusive=True, group="history-open", exit_on_error=False)
    def _get(self, attempt_id: int, request: int) -> None:
        try:
            attempt = self.store.get(attempt_id)
        except Exception as exc:
            if not cancelled():
                self.post_message(HistoryFailed(str(exc)))
            return
        if not cancelled():
            self.post_message(AttemptOpened(attempt, self._try_number(attempt), request=request))

    def _try_number(self, attempt: Attempt) -> int | None:
        """1 for the first try at its question, counting every attempt made before it."""
        try:
            return self.store.count(Filter(question_id=attempt.question_id, until=attempt.created_at)) + 1
        except Exception:  # only a label: the attempt opens without it
            return None

    def _busy(self, what: str) -> None:
        line = self.query_one("#history-busy", Static)
        line.update(Text(what, "bold"))
        line.display = bool(what)

    def on_attempt_opened(self, message: AttemptOpened) -> None:
        if message.request != self._opens:
            return  # the student asked again since: the newer request's result is the one shown
        self._busy("")
        attempt = message.attempt
        if attempt.score is None and attempt.damaged:
            # A damaged row says so and how to mend it; the rest of the history works as usual.
            self.notify(
                f"Attempt {attempt.id}: {attempt.damaged}. `interviewcoach rescore {attempt.id}` scores "
                "it again from its audio.",
                severity="warning",
                markup=False,
            )
            return
        if attempt.score is None:
            self.notify("This attempt has no score yet.", severity="warning")
            return
        flags = " · interrupted" if attempt.interrupted else ""
        which = f"Try {message.try_number} of this question" if message.try_number else "Answer"
        subtitle = f"{which} · {short_date(attempt.created_at)}{flags}"
        question = self.question_for(attempt)
        screen = FeedbackScreen(
            attempt.score,
            question,
            mode="review",
            subtitle=subtitle,
            audio=attempt.audio_path,
            attempt_uid=attempt.uid,
        )
        self.app.push_screen(screen)

    def question_for(self, attempt: Attempt) -> Question:
        """The question as practised: its stored text, with tips from the bank or an advisor set."""
        found: Question | None = None
        bank = self.coach.services.bank
        if attempt.question_id in bank:
            found = bank.get(attempt.question_id)
        for practice_set in self.coach.practice_sets:
            for question in practice_set.questions:
                if found is None and question.id == attempt.question_id:
                    found = question
        if found is None and attempt.question_id not in bank:
            # A mock's follow-up: its question's rubric, the follow-up's short target.
            with contextlib.suppress(UserError):
                found = question_for_attempt(bank, attempt.question_id, attempt.question_text)
        if found is not None:
            return found.model_copy(update={"text": attempt.question_text or found.text})
        return Question.model_construct(
            id=attempt.question_id,
            text=attempt.question_text or attempt.question_id,
            category=attempt.category or "general",
            rubric=attempt.rubric_id,
            target_seconds=(30, 90),
            think_seconds=0,
            follow_ups=[],
            tips=[],
            talking_points=[],
        )

    def action_mark(self) -> None:
        row = self._current()
        if row is None:
            return
        previous = self._marked
        self._marked = None if previous is not None and previous.id == row.id else row
        table = self.query_one("#attempts", DataTable)
        for changed in {r for r in (previous, row) if r is not None}:
            table.update_cell(str(changed.id), "mark", self._cells(changed)[0])

    def action_compare(self) -> None:
        row = self._current()
        if row is None:
            return
        if self._marked is not None and self._marked.id != row.id:
            if self._marked.question_id != row.question_id:
                self.notify("Compare two attempts at the same question.", severity="warning")
                return
            self._compare(self._marked.id, row.id)
        else:
            self._compare(row.id, None)

    @work(thread=True, exclusive=True, group="history-compare", exit_on_error=False)
    def _compare(self, first: int, second: int | None) -> None:
        try:
            store = self.store
            if second is None:
                second = store.previous(first)
                if second is None:
                    notice = "No earlier attempt at this question: mark one with Space, or answer it again."
                    self.post_message(HistoryFailed(notice, problem=False))
                    return
            comparison = store.compare(first, second)
        except Exception as exc:
            if not cancelled():
                self.post_message(HistoryFailed(str(exc)))
            return
        if not cancelled():
            self.post_message(AttemptsCompared(comparison))

    def on_attempts_compared(self, message: AttemptsCompared) -> None:
        self.app.push_screen(CompareScreen(message.comparison))

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_screen_resume(self) -> None:
        self._read()
