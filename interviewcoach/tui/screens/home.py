"""Home: choose a question, a category, a mock interview or an advisor's set; see recent attempts."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from interviewcoach.core.questions import CATEGORY_TITLES
from interviewcoach.tui import plan as plans
from interviewcoach.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from interviewcoach.core.services import AttemptSummary
    from interviewcoach.tui.app import InterviewCoachApp

RECENT = 5


class HistoryLoaded(Message):
    def __init__(self, recent: list[AttemptSummary], averages: dict[str, float], error: str) -> None:
        super().__init__()
        self.recent = recent
        self.averages = averages
        self.error = error


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


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Start"),
        Binding("m", "mock", "Mock interview"),
        Binding("h", "history", "History"),
        Binding("s", "settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    @property
    def coach(self) -> InterviewCoachApp:
        from interviewcoach.tui.app import InterviewCoachApp

        assert isinstance(self.app, InterviewCoachApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield TitleBar("mock-interview practice for IR residency")
        with Horizontal(id="home-body"):
            yield ChoiceList(*self._options(), id="choices")
            with Vertical(id="side"):
                yield Static(id="recent", classes="panel")
                yield Static(id="weakest", classes="panel")
                yield Static(id="status")
        yield Footer()

    def _options(self) -> list[Option | None]:
        bank = self.coach.services.bank
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
        for name in bank.categories():
            count = len(bank.by_category(name))
            options.append(Option(f"{CATEGORY_TITLES.get(name, name)} ({count})", id=f"cat:{name}"))
        options.append(None)
        options.append(Option(Text("One question", style="bold"), disabled=True))
        options.extend(Option(Text(q.text), id=f"q:{q.id}") for q in bank)
        return options

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.border_title = "What to practise"
        choices.highlighted = 1
        choices.focus()
        self.query_one("#recent", Static).border_title = "Recent attempts"
        self.query_one("#weakest", Static).border_title = "Weakest so far"
        self.watch(self.coach, "models_status", self._show_status)
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
        except Exception as exc:  # a damaged database must not stop practice
            self.post_message(HistoryLoaded([], {}, f"History unavailable: {exc}"))
            return
        self.post_message(HistoryLoaded(recent, averages, ""))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
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
            name = plans.criterion_name(self.coach.services.rubrics, cid)
            weakest.update(Text.assemble((name, "bold"), f"  average {mean:.0%}"))

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

    def _start(self, choice: str | None) -> None:
        if not choice:
            return
        bank = self.coach.services.bank
        if choice == "mock":
            plan = plans.mock_interview(bank, self.coach.preferences.mock_length, self.coach.rng)
        elif choice.startswith("cat:"):
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
