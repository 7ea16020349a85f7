"""Home: choose a question, a category, a mock interview or an advisor's set; see recent attempts.

The setback questions come first (the reason most students come), `/` filters the questions by their
words, each question shows its best score, and the focused row's full text and progress (tries, best,
last) sit under the list.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from interviewcoach.core.models import CATEGORY_TITLES
from interviewcoach.core.protocols import history_of
from interviewcoach.core.wording import counted
from interviewcoach.tui import plan as plans
from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.messages import cancelled
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from interviewcoach.core.models import Question
    from interviewcoach.core.records import AttemptSummary

RECENT = 5


# The category students most often come to practise is listed (and its questions offered) first.
FIRST_CATEGORY = "setbacks"


@dataclass(frozen=True)
class Progress:
    """One question's record in the history."""

    tries: int
    best: int | None
    last: int | None
    last_at: str


class HistoryLoaded(Message):
    def __init__(
        self,
        recent: list[AttemptSummary],
        averages: dict[str, float],
        error: str,
        progress: dict[str, Progress] | None = None,
    ) -> None:
        super().__init__()
        self.recent = recent
        self.averages = averages
        self.error = error
        self.progress = progress or {}


def progress_by_question(attempts: list[AttemptSummary]) -> dict[str, Progress]:
    """Tries, best and latest score per question, from summaries newest first."""
    out: dict[str, Progress] = {}
    for item in reversed(attempts):  # oldest first, so the last one seen is the latest
        before = out.get(item.question_id)
        scored = None if item.pending or item.no_answer else item.overall
        best = before.best if before is not None else None
        if scored is not None:
            best = scored if best is None else max(best, scored)
        last = scored if scored is not None else (before.last if before is not None else None)
        out[item.question_id] = Progress((before.tries if before else 0) + 1, best, last, item.created_at)
    return out


def matches(query: str, *texts: str) -> bool:
    """Every word of the query appears in one of the texts (case-insensitive)."""
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in query.lower().split())


def short_date(stamp: str) -> str:
    """ "2025-06-01T14:03:22" -> "06-01 14:03"; anything unparseable is shown as given."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp[:11]
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%m-%d %H:%M")


class ChoiceList(OptionList):
    """The home list; its Enter is shown in the footer as "Start"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Start")]


class HomeScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Start"),
        Binding("m", "mock", "Mock"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("h", "history", "History"),
        Binding("s", "settings", "Settings"),
        # Shown in Help, not the footer: most users are students; advisors read their cohort here.
        Binding("a", "advisor", "Advisor: your students' answers", show=False),
        # Shown in Help, not the footer: Ctrl+Q quits anywhere, and a 60-column footer needs the room.
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._progress: dict[str, Progress] = {}
        self._query = ""

    def compose(self) -> ComposeResult:
        yield TitleBar("mock-interview practice for IR residency")
        with Horizontal(id="home-body"):
            with Vertical(id="home-main"):
                search = Input(placeholder="Search: type words · Enter picks · Esc clears", id="search")
                search.display = False
                yield search
                yield ChoiceList(*self._options(), id="choices")
                yield Static(id="focused")
            with Vertical(id="side"):
                yield Static(id="recent", classes="panel")
                yield Static(id="weakest", classes="panel")
                yield Static(id="status")
        yield KeyFooter()

    def _questions(self) -> list[Question]:
        """The bank's questions, setbacks first, each category in the bank's own order."""
        bank = self.coach.services.bank
        return sorted(bank, key=lambda q: q.category != FIRST_CATEGORY)

    def _question_label(self, question: Question) -> Text:
        progress = self._progress.get(question.id)
        label = Text(no_wrap=True, overflow="ellipsis")
        if progress is not None and progress.best is not None:
            label.append(f"{progress.best:>3} ", "bold")
        else:
            label.append("  - ", "grey50")
        label.append(question.text)
        return label

    def _options(self) -> list[Option | None]:
        bank = self.coach.services.bank
        query = self._query
        if query:
            found = [
                Option(self._question_label(q), id=f"q:{q.id}")
                for q in self._questions()
                if matches(query, q.text, CATEGORY_TITLES.get(q.category, q.category), q.id)
            ]
            heading = (
                f"{counted(len(found), 'question')} matching “{query}”"
                if found
                else f"No question matches “{query}”"
            )
            return [Option(Text(heading, style="bold"), disabled=True), *found]
        n = min(self.coach.preferences.mock_length, len(bank))
        options: list[Option | None] = [
            Option(Text("Practise", style="bold"), disabled=True),
            Option(f"Mock interview: {n} questions, mixed categories", id="mock"),
        ]
        sets = self.coach.practice_sets
        if sets:
            options.append(None)
            options.append(Option(Text("Advisor sets", style="bold"), disabled=True))
            for practice_set in sets:
                label = f"{practice_set.title} ({len(practice_set.questions)})"
                options.append(Option(Text(label), id=f"set:{practice_set.id}"))
        options.append(None)
        options.append(Option(Text("By category", style="bold"), disabled=True))
        for name in sorted(bank.categories(), key=lambda c: c != FIRST_CATEGORY):
            count = len(bank.by_category(name))
            options.append(Option(f"{CATEGORY_TITLES.get(name, name)} ({count})", id=f"cat:{name}"))
        options.append(None)
        options.append(
            Option(Text("One question · your best score, the question", style="bold"), disabled=True)
        )
        options.extend(Option(self._question_label(q), id=f"q:{q.id}") for q in self._questions())
        return options

    def on_mount(self) -> None:
        self._show_focused()
        choices = self.query_one("#choices", OptionList)
        choices.border_title = "What to practise"
        choices.highlighted = 1
        choices.focus()
        self.query_one("#recent", Static).border_title = "Recent attempts"
        self.query_one("#weakest", Static).border_title = "Weakest so far"
        self.watch(self.app, "models_status", self._show_status)
        self._load_history()

    def on_screen_resume(self) -> None:
        self.refresh_choices()
        self._load_history()

    def refresh_choices(self) -> None:
        """Rebuild the list (sets arrived, mock length changed), keeping the highlighted choice."""
        choices = self.query_one("#choices", OptionList)
        current = choices.highlighted_option.id if choices.highlighted_option is not None else None
        choices.clear_options()
        choices.add_options(self._options())
        if current is not None:
            with contextlib.suppress(Exception):
                choices.highlighted = choices.get_option_index(current)

    # -- history panel -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="home-history", exit_on_error=False)
    def _load_history(self) -> None:
        store = self.coach.services.store
        if store is None:
            self.post_message(HistoryLoaded([], {}, "History is off for this session."))
            return
        try:
            recent = store.recent(RECENT)
            averages = store.criterion_averages()
            # A history lists every attempt (5,000 in about 20 ms); other stores give their recent ones.
            history = history_of(store)
            attempts = history.list_attempts() if history is not None else store.recent(1000)
        except Exception as exc:  # a damaged database must not stop practice
            if not cancelled():
                self.post_message(HistoryLoaded([], {}, f"History unavailable: {exc}"))
            return
        if not cancelled():  # a newer load (the screen shown again) replaced this one
            self.post_message(HistoryLoaded(recent, averages, "", progress_by_question(attempts)))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        if message.progress != self._progress:
            self._progress = message.progress
            self.refresh_choices()
            self._show_focused()
        recent = self.query_one("#recent", Static)
        weakest = self.query_one("#weakest", Static)
        if message.error:
            recent.update(Text(message.error, "grey62"))
            weakest.update(Text("-", "grey62"))
            return
        bank = self.coach.services.bank
        if not message.recent:
            recent.update(Text("No attempts yet. Pick a question and answer it out loud.", "grey62"))
        else:
            lines = []
            for item in message.recent:
                label = item.question_text or (
                    bank.get(item.question_id).text if item.question_id in bank else item.question_id
                )
                line = Text()
                line.append(f"{short_date(item.created_at)} ", "grey62")
                line.append("  - " if item.no_answer else f"{item.overall:>3} ", "bold")
                line.append(label)
                lines.append(line)
            recent.update(Text("\n").join(lines))
        if not message.averages:
            weakest.update(Text("Scores appear after your first answer.", "grey62"))
        else:
            cid, mean = min(message.averages.items(), key=lambda kv: kv[1])
            name = self._name_as_answered(cid, message.progress)
            weakest.update(Text.assemble((name, "bold"), f"  average {mean:.0%}"))

    def _name_as_answered(self, criterion_id: str, progress: dict[str, Progress]) -> str:
        """The criterion's name in the rubric of the latest answered question that scores it.

        Rubrics share criterion ids under different names ("own_role" is "What you did" in one,
        "Your own action" in another): the name must be one the student's feedback showed.
        """
        bank, rubrics = self.coach.services.bank, self.coach.services.rubrics
        for question_id, _ in sorted(progress.items(), key=lambda kv: kv[1].last_at, reverse=True):
            if question_id not in bank:
                continue
            rubric_id = bank.get(question_id).rubric
            if any(c.id == criterion_id for r in rubrics if r.id == rubric_id for c in r.criteria):
                return plans.criterion_name(rubrics, criterion_id, rubric_id)
        return plans.criterion_name(rubrics, criterion_id)

    # -- the focused row ---------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#choices")
    def _highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._show_focused()

    def _show_focused(self) -> None:
        """The focused choice in full (the list cuts long questions) and, for a question, its record."""
        choices = self.query_one("#choices", OptionList)
        option = choices.highlighted_option
        choice = option.id if option is not None else None
        focused = self.query_one("#focused", Static)
        bank = self.coach.services.bank
        if choice and choice.startswith("q:") and choice[2:] in bank:
            question = bank.get(choice[2:])
            text = Text(question.text, "bold")
            progress = self._progress.get(question.id)
            text.append("\n")
            if progress is None:
                text.append("Not tried yet.", "grey62")
            else:
                tries = counted(progress.tries, "try", "tries")
                best = f" · best {progress.best}" if progress.best is not None else ""
                last = f" · last {progress.last}" if progress.last is not None else ""
                text.append(f"{tries}{best}{last} ({short_date(progress.last_at)})", "grey62")
            focused.update(text)
        elif choice == "mock":
            focused.update(
                Text("Questions from different categories, one after another, then a summary.", "grey62")
            )
        elif choice and choice.startswith("cat:"):
            focused.update(Text("Every question of this category in turn, then a summary.", "grey62"))
        elif choice and choice.startswith("set:"):
            focused.update(
                Text("An advisor's set of questions, with their own targets and talking points.", "grey62")
            )
        else:
            focused.update("")

    # -- search ----------------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._query = event.value.strip()
        self.refresh_choices()
        choices = self.query_one("#choices", OptionList)
        if self._query and choices.option_count > 1:
            choices.highlighted = 1
        self._show_focused()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, _: Input.Submitted) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.focus()
        if self._query and choices.option_count > 1:
            self._start(choices.get_option_at_index(choices.highlighted or 1).id)

    def on_key(self, event: Key) -> None:
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.display:
            event.stop()
            search.value = ""
            search.display = False
            self.query_one("#choices", OptionList).focus()
        elif event.key == "down" and search.has_focus:
            event.stop()
            self.query_one("#choices", OptionList).focus()

    def _show_status(self, status: str) -> None:
        self.query_one("#status", Static).update(Text(status, "grey62"))

    # -- choices -------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._start(event.option_id)

    def action_choose(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None:
            self._start(choices.get_option_at_index(choices.highlighted).id)

    def action_mock(self) -> None:
        self._start("mock")

    def action_history(self) -> None:
        self.coach.open_history()

    def action_settings(self) -> None:
        self.coach.open_settings()

    def action_advisor(self) -> None:
        self.coach.open_advisor()

    def _start(self, choice: str | None) -> None:
        if not choice:
            return
        bank = self.coach.services.bank
        if choice == "mock":
            self.coach.start_mock()
            return
        if choice.startswith("cat:"):
            plan = plans.category(bank, choice[4:])
        elif choice.startswith("q:"):
            plan = plans.single(bank, choice[2:])
        elif choice.startswith("set:"):
            plan = self.coach.set_plan(choice[4:])
        else:
            return
        if not plan.questions:
            self.notify("Nothing to practise there.", severity="warning")
            return
        self.coach.start_plan(plan)
