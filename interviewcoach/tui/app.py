"""The interviewcoach Textual app: screens for home, interview, feedback and summary over the core services.

Everything the app drives comes through the constructor (built by `session.build_services`), so tests
hand it fakes and end-to-end tests the real recorder and transcriber. Models warm up in a thread
worker once the home screen is on screen.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from interviewcoach.core import session
from interviewcoach.core.content.sets import list_sets
from interviewcoach.core.errors import UserError
from interviewcoach.core.history.doctor import repair
from interviewcoach.core.protocols import Transcriber, history_of, recordings_of
from interviewcoach.tui import follow_up, mock_state, speech
from interviewcoach.tui import plan as plans
from interviewcoach.tui.messages import ModelsWarmed, RecoveryChecked, SetsLoaded, WarmUpFailed
from interviewcoach.tui.preferences import Preferences
from interviewcoach.tui.screens.confirm import Choice, ConfirmScreen
from interviewcoach.tui.screens.help import HelpScreen
from interviewcoach.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet
    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.protocols import RecordedAnswer
    from interviewcoach.core.session import Services
    from interviewcoach.tui.coach import Coach


WARM_UP_DELAY_S = 0.6
VOICE_HEAD_START_S = 1.5


class InterviewCoachApp(App[None]):
    # Absolute, so subclasses defined elsewhere (tests, tools) find it too.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "interviewcoach"
    SUB_TITLE = "IR residency mock interview"
    ENABLE_COMMAND_PALETTE = False
    # Wide terminals get two columns of criterion cards, narrow ones (60 columns) no side panel on
    # home; short ones a shorter trend panel.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-medium"), (110, "-wide")]  # noqa: RUF012 (textual declares its type)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012 (textual declares its type)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        # Priority, so that it reaches the app over a dialog (Help, Settings) too; it asks first.
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    models_status: reactive[str] = reactive("Speech model: waiting to load")

    def __init__(
        self,
        services: Services,
        *,
        preferences: Preferences | None = None,
        start_set: PracticeSet | None = None,
        load_sets: bool = True,
        warm_up: Callable[[Services], None] | None = session.warm_up,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        # Without explicit preferences the app reads the user's settings and saves changes to them.
        self.persist_preferences = preferences is None
        self._settings_problem = ""
        if preferences is None:
            preferences, self._settings_problem = Preferences.load(services.data_dir)
        self.preferences = preferences
        self.practice_sets: list[PracticeSet] = [start_set] if start_set is not None else []
        self._start_set = start_set
        self._load_sets = load_sets
        self._warm_up = warm_up
        self.rng = rng or random.Random()
        self.models_ready = False
        self._warm_started = False
        # Until then the speech model waits: the voice reading a mock's first question loads first.
        self._warm_not_before = 0.0

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        if self._settings_problem:
            self.notify(
                f"Settings not read, using defaults: {self._settings_problem}",
                severity="warning",
                markup=False,
            )
        # After the first paint, so loading models never delays the home screen.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._warm_up is not None:
            self.models_status = "Speech model: loading in the background…"
            # Loading spaCy and Whisper holds the GIL in long stretches; a short delay keeps the
            # first keys on the home screen snappy, and no answer is over before it finishes.
            self.set_timer(WARM_UP_DELAY_S, self.start_warm_up)
        else:
            self.models_status = ""
        if self._load_sets:
            self._read_sets()
        self.set_timer(WARM_UP_DELAY_S, self._recover)
        saved = mock_state.load(self.services.data_dir)
        if saved is not None and self._start_set is None:
            self.notify(
                f"Your mock interview stopped at {saved.where}: press m to resume it.",
                title="Mock interview not finished",
                timeout=12,
            )
        if self._start_set is not None:
            self.start_plan(self.set_plan(self._start_set.id))

    def start_warm_up(self) -> None:
        """Load the models in the background, once (an interview starting early calls it too)."""
        if self._warm_up is not None and not self._warm_started:
            wait = self._warm_not_before - time.monotonic()
            if wait > 0:
                self.set_timer(wait, self.start_warm_up)
                return
            self._warm_started = True
            self._warm(self._warm_up)

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def _recover(self) -> None:
        """Answers an earlier session left behind (a crash, a cancel) become pending attempts."""
        # Only a store with files on disk can have answers left behind (the audio without a row).
        store = recordings_of(self.services.store)
        if store is None:
            return
        try:
            report = repair(store)
        except Exception as exc:  # the history's own problems must not stop practice
            self.post_message(RecoveryChecked(0, f"history check failed: {exc}"))
            return
        problem = f"{len(report.problems)} problem(s) in the history" if report.problems else ""
        self.post_message(RecoveryChecked(len(report.imported), problem))

    def on_recovery_checked(self, message: RecoveryChecked) -> None:
        if message.found:
            self.notify(
                f"{message.found} answer(s) from an earlier session were not scored yet: "
                "open History (h) and press Enter on one marked 'new' to score it.",
                timeout=12,
            )
        if message.problem:
            self.notify(
                f"{message.problem}: run `interviewcoach doctor`.",
                severity="warning",
                timeout=10,
                markup=False,
            )

    @work(thread=True, exclusive=True, group="sets", exit_on_error=False)
    def _read_sets(self) -> None:
        try:
            listings = list_sets(
                self.services.data_dir, bank=self.services.bank, rubrics=self.services.rubrics
            )
        except Exception as exc:  # a broken sets folder must not stop practice
            self.post_message(SetsLoaded([], [f"advisor sets could not be read: {exc}"]))
            return
        loaded = [item.practice_set for item in listings if item.practice_set is not None]
        problems = [f"set {item.id!r} no longer loads: {item.problem}" for item in listings if item.problem]
        self.post_message(SetsLoaded(loaded, problems))

    def on_sets_loaded(self, message: SetsLoaded) -> None:
        known = {s.id for s in self.practice_sets}
        self.practice_sets.extend(s for s in message.sets if s.id not in known)
        for problem in message.problems:
            self.notify(problem, severity="warning", timeout=8, markup=False)
        if message.sets:
            home = self.screen_stack[0]
            if isinstance(home, HomeScreen):
                home.refresh_choices()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm(self, warm_up: Callable[[Services], None]) -> None:
        started = time.monotonic()
        transcriber = self.services.transcriber
        loading = transcriber.model_name if transcriber is not None else ""
        try:
            warm_up(self.services)
            if self.preferences.read_aloud:
                # After the speech model, not beside it: loading both at once slowed the first keys
                # on home. The first question is then spoken at once (a failure: espeak-ng reads).
                speech.warm()
        except Exception as exc:  # the first answer will load them again and report the problem
            self.post_message(WarmUpFailed(str(exc)))
            return
        self.post_message(ModelsWarmed(time.monotonic() - started, loading))

    def use_model(self, name: str) -> None:
        """Transcribe with `name` from the next answer on, and save the choice; it loads in the background.

        Raises UserError (before changing anything) when the model cannot be used.
        """
        current = self.services.transcriber
        engine = current.engine if current is not None else "faster-whisper"
        transcriber = session.make_transcriber(engine, name)
        self.services.transcriber = transcriber
        self.models_ready = False
        self.models_status = f"Speech model: loading {transcriber.model_name}…"
        self.preferences.model = None if name == session.DEFAULT_MODEL else name
        self.save_preferences()
        self._load_model(transcriber)

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def _load_model(self, transcriber: Transcriber) -> None:
        started = time.monotonic()
        try:
            transcriber.load()
        except Exception as exc:  # the next answer would load it again and report the problem
            self.post_message(WarmUpFailed(str(exc)))
            return
        self.post_message(ModelsWarmed(time.monotonic() - started, transcriber.model_name))

    def on_models_warmed(self, message: ModelsWarmed) -> None:
        transcriber = self.services.transcriber
        if transcriber is not None and message.model_name not in ("", transcriber.model_name):
            return  # a model the student has since switched from: the new one is still loading
        self.models_ready = True
        name = f"{transcriber.engine} {transcriber.model_name}" if transcriber is not None else "models"
        self.models_status = f"Speech model ready ({name})"

    def on_warm_up_failed(self, message: WarmUpFailed) -> None:
        self.models_status = f"Speech model did not load: {message.message}"
        self.notify(
            f"The speech model did not load: {message.message}", severity="error", timeout=10, markup=False
        )

    # -- navigation (screens call these; they never wire each other) ---------------------------

    def go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def leave_plan(self, plan: plans.PracticePlan | None) -> None:
        """Esc towards home: straight there, except out of a mock interview, which asks first."""
        if plan is None or plan.kind != "mock" or plan.done:
            self.go_home()
            return

        def chosen(choice: str | None) -> None:
            if choice == "leave":
                self.go_home()

        self.push_screen(
            ConfirmScreen(
                "Leave the mock interview?",
                f"You are at {plan.position.lower()}. The interview is kept: press m on the home screen "
                "to resume it where you left off.",
                [Choice("y", "Leave", "leave"), Choice("n", "Stay", "stay")],
                cancel_value="stay",
            ),
            chosen,
        )

    def start_plan(self, plan: plans.PracticePlan) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.interview import InterviewScreen

        self.go_home()
        if self.preferences.read_aloud and not self._warm_started:
            # A mock started the moment home appears: the voice loads alone first (side by side
            # with spaCy and Whisper it took 1.5 s to say the first word); the speech model is
            # only needed once the question has been read and thought about.
            self._warm_not_before = time.monotonic() + VOICE_HEAD_START_S
        self.start_warm_up()
        if plan.kind == "set" and plan.set_id is not None:
            instructions = next((s.instructions for s in self.practice_sets if s.id == plan.set_id), "")
            if instructions:
                self.notify(instructions, title=plan.title, timeout=15, markup=False)
        mock_state.save(self.services.data_dir, plan)
        self.push_screen(InterviewScreen(plan))

    def start_mock(self) -> None:
        """A new mock interview, or (when one was left unfinished) the choice to resume it."""
        saved = mock_state.load(self.services.data_dir)
        if saved is None:
            self._new_mock()
            return

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self._resume_mock(saved)
            elif choice == "new":
                self._new_mock()

        self.push_screen(
            ConfirmScreen(
                "Mock interview not finished",
                f"Your last mock interview stopped at {saved.where}. Resume it where it stopped, "
                "or start a new one?",
                [Choice("r", "Resume", "resume"), Choice("n", "New mock", "new")],
                cancel_value="",
            ),
            chosen,
        )

    def _new_mock(self) -> None:
        mock_state.clear(self.services.data_dir)
        self.start_plan(plans.mock_interview(self.services.bank, self.preferences.mock_length, self.rng))

    def _resume_mock(self, saved: mock_state.SavedMock) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.summary import SummaryScreen

        plan = mock_state.restore(saved, self.services.bank, self.services.store)
        if plan is None:
            self.notify("That mock interview's questions are no longer in the bank: starting a new one.")
            self._new_mock()
            return
        if plan.done:
            mock_state.clear(self.services.data_dir)
            self.go_home()
            self.push_screen(SummaryScreen(plan))
            return
        self.start_plan(plan)

    def set_plan(self, set_id: str) -> plans.PracticePlan:
        for practice_set in self.practice_sets:
            if practice_set.id == set_id:
                return plans.PracticePlan(
                    practice_set.title,
                    "set",
                    list(practice_set.questions),
                    set_id=set_id,
                    rubrics=practice_set.rubrics,
                    set_version=practice_set.version,
                )
        return plans.PracticePlan(set_id, "set", [], set_id=set_id)

    def services_for(self, plan: plans.PracticePlan) -> Services:
        """The services with the plan's rubrics (an advisor set may bring its own)."""
        if plan.rubrics is None:
            return self.services
        return dataclasses.replace(self.services, rubrics=plan.rubrics)

    def show_feedback(
        self, plan: plans.PracticePlan, score: Score, answer: RecordedAnswer, attempt_id: int | None
    ) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.feedback import FeedbackScreen

        audio = answer.path if self.preferences.keep_audio else None
        plan.record(
            plans.Answer(plan.current, score, attempt_id, answer.duration_s, answer.interrupted, audio)
        )
        mock_state.save(self.services.data_dir, plan)
        self.switch_screen(
            FeedbackScreen(
                score, plan.current, plan=plan, rubrics=plan.rubrics, audio=audio, attempt_id=attempt_id
            )
        )

    def retry(self, plan: plans.PracticePlan) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.interview import InterviewScreen

        self.switch_screen(InterviewScreen(plan))

    def next_question(self, plan: plans.PracticePlan) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.interview import InterviewScreen
        from interviewcoach.tui.screens.summary import SummaryScreen

        self._ask_follow_up(plan)
        if plan.advance():
            mock_state.save(self.services.data_dir, plan)
            self.switch_screen(InterviewScreen(plan))
        elif plan.finite:
            if plan.kind == "mock":
                mock_state.clear(self.services.data_dir)
            self.switch_screen(SummaryScreen(plan))
        else:
            self.go_home()

    def _ask_follow_up(self, plan: plans.PracticePlan) -> None:
        """In a mock, before moving on: the interviewer's follow-up to what the answer lacked."""
        answer = plan.answers.get(plan.index)
        if plan.kind != "mock" or not self.preferences.follow_ups or plan.has_follow_up or answer is None:
            return
        rubrics = plan.rubrics or self.services.rubrics
        question = plan.current
        rubric = rubrics.get(question.rubric) if question.rubric in rubrics else None
        text = follow_up.choose(question, answer.score, rubric)
        if text:
            plan.add_follow_up(follow_up.follow_up_question(question, text))

    def open_history(self) -> None:
        if history_of(self.services.store) is None:
            self.notify("History is off for this session.", severity="warning")
            return
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def open_advisor(self) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.advisor import AdvisorScreen

        self.push_screen(AdvisorScreen())

    def open_settings(self) -> None:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def save_preferences(self) -> None:
        if not self.persist_preferences:
            return
        try:
            self.preferences.save(self.services.data_dir)
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)

    def quit_risk(self) -> str:
        """What quitting now would interrupt, in words for the question; empty when nothing is."""
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.feedback import FeedbackScreen
        from interviewcoach.tui.screens.interview import InterviewScreen

        # The screen under Help or Settings counts: Ctrl+Q there still ends the answer below.
        screen = next(
            (s for s in reversed(self.screen_stack) if isinstance(s, InterviewScreen | FeedbackScreen)),
            self.screen,
        )
        if isinstance(screen, InterviewScreen) and screen.phase in ("recording", "processing"):
            return (
                "You are in the middle of an answer. If you quit now it is not scored; the recording "
                "is kept and offered in History next time you start."
            )
        plan = getattr(screen, "plan", None)
        in_mock = isinstance(plan, plans.PracticePlan) and plan.kind == "mock" and not plan.done
        if isinstance(screen, InterviewScreen | FeedbackScreen) and in_mock:
            assert isinstance(plan, plans.PracticePlan)
            return (
                f"Your mock interview is at {plan.position.lower()}. It is kept: press m next time to "
                "resume it."
            )
        return ""

    async def action_quit(self) -> None:
        """Ctrl+Q (and q on home): ask first when an answer or a mock interview would be cut short."""
        if isinstance(self.screen, ConfirmScreen):
            return
        risk = self.quit_risk()
        if not risk:
            self.exit()
            return

        def chosen(choice: str | None) -> None:
            if choice == "quit":
                self.exit()

        self.push_screen(
            ConfirmScreen(
                "Quit interviewcoach?",
                risk,
                [Choice("y", "Quit", "quit"), Choice("n", "Keep going", "stay")],
                cancel_value="stay",
            ),
            chosen,
        )

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, list[BindingType]]]:
        # Lazy: a screen beyond home loads when first shown (all of them: ~0.1 s more start-up).
        from interviewcoach.tui.screens.advisor import AdvisorScreen, StudentAnswersScreen
        from interviewcoach.tui.screens.compare import CompareScreen
        from interviewcoach.tui.screens.feedback import FeedbackScreen
        from interviewcoach.tui.screens.history import HistoryScreen
        from interviewcoach.tui.screens.interview import InterviewScreen
        from interviewcoach.tui.screens.summary import SummaryScreen
        from interviewcoach.tui.widgets.delivery_timeline import DeliveryTimeline

        return [
            ("Home", list(HomeScreen.BINDINGS)),
            ("Answering a question", list(InterviewScreen.BINDINGS)),
            ("Feedback", list(FeedbackScreen.BINDINGS)),
            ("Playing an answer back (after p)", list(DeliveryTimeline.BINDINGS)),
            ("End of a mock interview", list(SummaryScreen.BINDINGS)),
            ("History", list(HistoryScreen.BINDINGS)),
            ("Comparing two attempts", list(CompareScreen.BINDINGS)),
            ("Advisor: students and questions", list(AdvisorScreen.BINDINGS)),
            ("Advisor: one student's answers", list(StudentAnswersScreen.BINDINGS)),
            ("Anywhere", list(self.BINDINGS)),
        ]

    # -- the store (called from the scoring worker: the Store opens a connection per call) -------

    def save_attempt(
        self, score: Score, answer: RecordedAnswer, plan: plans.PracticePlan, question: Question
    ) -> tuple[int | None, str]:
        store = self.services.store
        if store is None:
            return None, ""
        rubrics = plan.rubrics or self.services.rubrics
        version = rubrics.get(score.rubric_id).version if score.rubric_id in rubrics else 1
        try:
            # The store removes the WAV once the row is saved when audio is not kept.
            attempt_id = store.save_attempt(
                score,
                audio_path=answer.path,
                interrupted=answer.interrupted,
                set_id=plan.set_id,
                rubric_version=version,
                question=question,
                keep_audio=self.preferences.keep_audio,
                set_version=plan.set_version,
            )
        except Exception as exc:  # practice goes on; the student is told the attempt was not kept
            return None, str(exc)  # its recording stays claimed: the next start offers it again
        session.release_recording(answer.path)
        return attempt_id, ""


if TYPE_CHECKING:
    # The screens depend on the Coach contract, not on this module: mypy checks the app honours it.
    _app_is_a_coach: type[Coach] = InterviewCoachApp
