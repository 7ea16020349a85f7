"""Interview: the question, optional read-aloud and think time, recording with live level and timer.

Phases: checking the microphone -> reading aloud -> thinking -> ready -> recording -> processing
(transcribe and score in a thread worker) -> the feedback screen. Problems (no microphone, no speech)
become a notice that says what to do; Space tries again, Esc goes home.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Static

from interviewcoach.core.models import CATEGORY_TITLES
from interviewcoach.tui import memory, speech
from interviewcoach.tui.attempt import (
    finish_attempt,
    maximum_seconds,
    microphone_problem,
    open_recording,
    start_stream,
)
from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.messages import (
    AnswerScored,
    LastTryFound,
    MicrophoneChecked,
    QuestionRead,
    RecordingFailed,
    RecordingStarted,
    RecordingStopped,
    ScoringFailed,
    cancelled,
)
from interviewcoach.tui.screens.confirm import Choice, ConfirmScreen
from interviewcoach.tui.screens.home import short_date
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.recording_panel import ProgressPanel, RecordingPanel
from interviewcoach.tui.widgets.think_panel import ThinkPanel
from interviewcoach.tui.widgets.timer_bar import clock
from interviewcoach.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from interviewcoach.core.protocols import RecordedAnswer, Recording
    from interviewcoach.core.session import StreamingTranscriber
    from interviewcoach.tui.plan import PracticePlan

Phase = Literal["checking", "reading", "thinking", "ready", "starting", "recording", "processing", "notice"]

POLL_S = 0.1
BEFORE_ANSWERING = frozenset({"checking", "reading", "thinking", "ready", "notice"})


def finish_elsewhere(recording: Recording) -> threading.Thread:
    """Stop a recording on a thread of its own and return the thread.

    `stop()` joins the audio thread and fsyncs the WAV, which must never hold up the screen. Not a
    daemon, so quitting waits for the file to be complete; the audio so far is kept either way.
    """

    def stop() -> None:
        with contextlib.suppress(Exception):
            recording.stop()

    thread = threading.Thread(target=stop, name="finish-recording")
    thread.start()
    return thread


class InterviewScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "start", "Start answering"),
        Binding("enter", "start", "Start answering", show=False),
        Binding("space", "stop", "Stop and score"),
        Binding("enter", "stop", "Stop and score", show=False),
        Binding("space", "retry", "Try again"),
        Binding("escape", "cancel", "Cancel"),
        Binding("escape", "discard", "Stop without scoring"),
        Binding("escape", "home", "Home"),
        Binding("t", "skip_think", "Skip think time"),
    ]

    phase: reactive[Phase] = reactive("checking")

    def __init__(self, plan: PracticePlan) -> None:
        super().__init__()
        self.plan = plan
        self.question = plan.current
        self._recording: Recording | None = None
        # Recordings being stopped off the UI thread: the next one starts after them (one device).
        self._finishing: list[threading.Thread] = []
        self._stream: StreamingTranscriber | None = None
        self._poll_timer: Timer | None = None
        self._tick_timer: Timer | None = None
        self._cancel: threading.Event | None = None
        self._reading: threading.Event | None = None
        self._processing_since = 0.0
        self._recorded: RecordedAnswer | None = None
        self._has_last_time = False
        self._reading_done = False
        self._microphone_ok = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        q = self.question
        low, high = q.target_seconds
        yield TitleBar("answer out loud")
        with VerticalScroll(id="interview"):
            where = " · ".join(
                p for p in (self.plan.position, CATEGORY_TITLES.get(q.category, q.category)) if p
            )
            yield Static(Text(where, "grey62"), id="position")
            yield Static(Text(q.text), id="question")
            last_time = Static(id="last-time")
            last_time.display = False
            yield last_time
            with ContentSwitcher(id="stage", initial="ready-panel"):
                yield Static(id="ready-panel", classes="stage")
                yield ThinkPanel(id="think-panel", classes="stage")
                maximum = maximum_seconds(self.coach.services_for(self.plan).rubrics, q)
                yield RecordingPanel(low, high, maximum, id="record-panel")
                yield ProgressPanel(id="process-panel")
                yield Static(id="notice-panel", classes="stage")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#question", Static).border_title = "Question"
        if self.coach.preferences.read_aloud and speech.reader() is not None:
            # The interviewer asks at once, while the microphone is checked (a problem with it
            # stops the reading and says so).
            self.phase = "reading"
            self._reading = threading.Event()
            self._read_question(self._reading)
        self._check_microphone()
        self._find_last_try()

    @work(thread=True, exclusive=True, group="last-try", exit_on_error=False)
    def _find_last_try(self) -> None:
        try:
            found = memory.last_try(self.coach.services.store, self.question.id)
        except Exception:  # a reminder only: without history the question stands alone
            found = None
        if not cancelled():
            self.post_message(LastTryFound(found))

    def on_last_try_found(self, message: LastTryFound) -> None:
        attempt = message.attempt
        if attempt is None or attempt.score is None:
            return
        points = memory.weakest(attempt.score, self.coach.services_for(self.plan).rubrics)
        if not points:
            return
        text = Text(
            f"Last time ({short_date(attempt.created_at)}, {attempt.score.overall}/100), work on:", "bold"
        )
        for point in points:
            text.append(f"\n• {point.name} ({point.score:.0%}): ", "#ffaf00")
            text.append(point.advice)
        panel = self.query_one("#last-time", Static)
        panel.update(text)
        self._has_last_time = True
        panel.display = self.phase in BEFORE_ANSWERING

    def on_unmount(self) -> None:
        # Leaving the screen (or quitting) mid-answer keeps the audio: stop cleanly, never drop it.
        self._stop_timers()
        if self._reading is not None:
            self._reading.set()
        if self._cancel is not None:
            self._cancel.set()
        if self._recording is not None:
            finish_elsewhere(self._recording)
            self._recording = None
        self._close_stream()

    def _close_stream(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    # -- phases --------------------------------------------------------------------------------

    def watch_phase(self, phase: Phase) -> None:
        panel = {
            "checking": "ready-panel",
            "reading": "ready-panel",
            "ready": "ready-panel",
            "starting": "ready-panel",
            "thinking": "think-panel",
            "recording": "record-panel",
            "processing": "process-panel",
            "notice": "notice-panel",
        }[phase]
        self.query_one("#stage", ContentSwitcher).current = panel
        # Last time's weak points are a reminder before answering; while answering the timer needs the room.
        self.query_one("#last-time", Static).display = self._has_last_time and phase in BEFORE_ANSWERING
        low, high = self.question.target_seconds
        target = f"Aim for {clock(low)}-{clock(high)}."
        words = {
            "checking": "Checking the microphone…",
            "reading": "Reading the question aloud… (Space to start answering now)",
            "ready": f"Press Space to start answering. {target}",
            "starting": "Starting the microphone…",
        }
        if phase in words:
            self.query_one("#ready-panel", Static).update(Text(words[phase]))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = {
            "start": {"ready", "thinking", "reading"},
            "stop": {"recording"},
            "retry": {"notice"},
            "cancel": {"processing"},
            "discard": {"recording"},
            "home": {"checking", "reading", "thinking", "ready", "notice"},
            "skip_think": {"thinking"},
        }
        if action in allowed:
            return self.phase in allowed[action]
        return True

    @work(thread=True, exclusive=True, group="mic-check", exit_on_error=False)
    def _check_microphone(self) -> None:
        self.post_message(MicrophoneChecked(microphone_problem(self.coach.services)))

    def on_microphone_checked(self, message: MicrophoneChecked) -> None:
        if message.problem:
            if self._reading is not None:
                self._reading.set()
            self._notice(
                "No microphone",
                message.problem,
                "Once it is connected press Space to try again (or restart with --device). Esc goes home.",
            )
            return
        self._microphone_ok = True
        if self.phase == "reading" and not self._reading_done:
            return  # the question is still being asked; think time follows it
        if self.phase in {"checking", "reading"}:
            self._after_reading()

    @work(thread=True, exclusive=True, group="read-aloud", exit_on_error=False)
    def _read_question(self, cancel: threading.Event) -> None:
        try:
            # Synthesis (the neural voice) starts here and speech with its first short piece.
            speech.prepare(self.question.text).play(cancel)
        finally:
            self.post_message(QuestionRead())

    def on_question_read(self, _: QuestionRead) -> None:
        self._reading_done = True
        if self.phase == "reading" and not self._microphone_ok:
            self.phase = "checking"  # the microphone check has still to answer
        elif self.phase == "reading":
            self._after_reading()

    def _after_reading(self) -> None:
        # A follow-up comes at once, as across a real table (the think time setting is for questions).
        think = 0 if self.plan.at_follow_up else self.coach.preferences.think_for(self.question.think_seconds)
        if think > 0:
            self.phase = "thinking"
            self.query_one(ThinkPanel).start(think)
        else:
            self.phase = "ready"

    def on_think_panel_think_time_over(self, _: ThinkPanel.ThinkTimeOver) -> None:
        if self.phase == "thinking":
            self.action_start()

    def action_skip_think(self) -> None:
        self.action_start()

    # -- recording -----------------------------------------------------------------------------

    def action_start(self) -> None:
        if self.phase not in {"ready", "thinking", "reading"}:
            return
        self._stop_timers()
        if self._reading is not None:
            self._reading.set()
        self.phase = "starting"
        self._finishing = [t for t in self._finishing if t.is_alive()]
        self._start_recording(list(self._finishing))

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def _start_recording(self, finishing: list[threading.Thread]) -> None:
        for thread in finishing:  # the answer discarded just before still has the device
            thread.join()
        opened = open_recording(self.coach.services, self.question)
        if isinstance(opened, str):
            self.post_message(RecordingFailed(opened))
        else:
            stream = start_stream(self.coach.services_for(self.plan), opened, self.question)
            self.post_message(RecordingStarted(opened, stream))

    def on_recording_started(self, message: RecordingStarted) -> None:
        if not self.is_attached or self.phase != "starting":
            self._finishing.append(finish_elsewhere(message.recording))
            if message.stream is not None:
                message.stream.close()
            return
        self._recording = message.recording
        self._stream = message.stream
        self.phase = "recording"
        self._poll()
        self._poll_timer = self.set_interval(POLL_S, self._poll)

    def on_recording_failed(self, message: RecordingFailed) -> None:
        self._notice(
            "Could not record",
            message.message,
            "Check the microphone is connected and not used by another program, then press Space "
            "to try again. Esc goes home.",
        )

    def _poll(self) -> None:
        recording = self._recording
        if recording is None:
            return
        panel = self.query_one(RecordingPanel)
        panel.show(recording.level(), recording.elapsed_s)
        if self._stream is not None:
            panel.show_stream(self._stream.state(), live=self.coach.preferences.live_transcript)
        if recording.finished:
            if isinstance(self.app.screen, ConfirmScreen) and self.app.screen_stack[-2] is self:
                self.app.pop_screen()  # "stop this answer?" is moot: it stopped by itself
            self.action_stop()

    def action_stop(self) -> None:
        recording = self._recording
        if recording is None or self.phase != "recording":
            return
        self._stop_timers()
        self._recording = None
        stream, self._stream = self._stream, None
        self._cancel = threading.Event()
        self._processing_since = time.monotonic()
        self.phase = "processing"
        self._show_progress("Saving the recording…")
        self._tick_timer = self.set_interval(0.5, self._progress_tick)
        self._process(recording, self._cancel, stream)

    def action_discard(self) -> None:
        """Esc while recording: ask, then stop without scoring; the audio is kept, never lost."""
        recording = self._recording
        if recording is None:
            return

        def chosen(choice: str | None) -> None:
            # The answer may have ended by itself (maximum length) while the question was open.
            if choice == "stop" and self._recording is recording and self.phase == "recording":
                self._discard(recording)

        self.app.push_screen(
            ConfirmScreen(
                "Stop this answer?",
                "Stop recording without scoring this answer? The recording is kept, and History "
                "offers to score it next time you start.",
                [Choice("y", "Stop, do not score", "stop"), Choice("n", "Keep answering", "stay")],
                cancel_value="stay",
            ),
            chosen,
        )

    def _discard(self, recording: Recording) -> None:
        self._stop_timers()
        self._recording = None
        self._close_stream()
        self._finishing.append(finish_elsewhere(recording))
        self.notify(
            "Stopped without scoring: the recording is kept, and History offers to score it next time "
            "you start. Press Space to answer again.",
            timeout=6,
        )
        self.phase = "ready"

    # -- transcribe and score ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="transcribe", exit_on_error=False)
    def _process(
        self, recording: Recording, cancel: threading.Event, stream: StreamingTranscriber | None
    ) -> None:
        outcome = finish_attempt(
            recording,
            self.coach.services_for(self.plan),
            self.question,
            cancel,
            on_stopped=self._stopped,
            stream=stream,
        )
        if outcome.kind == "cancelled":
            return
        if outcome.score is None or outcome.answer is None:
            self.post_message(ScoringFailed(outcome.message, outcome.kind, outcome.answer))
            return
        attempt_id, save_error = self.coach.save_attempt(
            outcome.score, outcome.answer, self.plan, self.question
        )
        self.post_message(AnswerScored(outcome.answer, outcome.score, attempt_id, save_error))

    def _stopped(self, answer: RecordedAnswer) -> None:
        self.post_message(RecordingStopped(answer))

    def on_recording_stopped(self, message: RecordingStopped) -> None:
        self._recorded = message.answer
        if message.answer.interrupted and message.answer.stop_reason:
            self.notify(
                f"Recording stopped early: {message.answer.stop_reason}. The audio so far is kept.",
                severity="warning",
                timeout=8,
                markup=False,
            )
        if self.phase == "processing":
            self._show_progress("Transcribing and scoring your answer…")

    def _show_progress(self, what: str) -> None:
        self.query_one(ProgressPanel).show(what, time.monotonic() - self._processing_since)

    def _progress_tick(self) -> None:
        if self.phase == "processing":
            what = "Transcribing and scoring your answer…" if self._recorded else "Saving the recording…"
            self._show_progress(what)

    def action_cancel(self) -> None:
        if self.phase != "processing":
            return
        if self._cancel is not None:
            self._cancel.set()
        self.workers.cancel_group(self, "transcribe")
        self._stop_timers()
        self.notify(
            "Cancelled: not scored. The recording is kept; History offers to score it next time you start.",
            timeout=6,
        )
        self.phase = "ready"

    def on_answer_scored(self, message: AnswerScored) -> None:
        if self.phase != "processing":
            return
        self._stop_timers()
        if message.save_error:
            self.notify(
                f"Not saved to history: {message.save_error}", severity="warning", timeout=8, markup=False
            )
        self.coach.show_feedback(self.plan, message.score, message.answer, message.attempt_id)

    def on_scoring_failed(self, message: ScoringFailed) -> None:
        if self.phase != "processing":
            return
        self._stop_timers()
        if message.kind == "no_speech":
            self._notice(
                "No speech detected",
                "Nothing was heard in that recording, so there is nothing to score.",
                "Check the microphone is on, unmuted and close to you, speak up, then press Space "
                "to answer again. Esc goes home.",
            )
        else:
            self._notice(
                "Could not score the answer",
                message.message,
                "Press Space to answer again, or Esc to go home.",
            )

    # -- notices and navigation ----------------------------------------------------------------

    def _notice(self, title: str, problem: str, todo: str) -> None:
        panel = self.query_one("#notice-panel", Static)
        panel.border_title = title
        panel.update(Text.assemble((problem, "bold"), "\n\n", todo))
        self.phase = "notice"

    def action_retry(self) -> None:
        self.phase = "checking"
        self._check_microphone()

    def action_home(self) -> None:
        self.coach.leave_plan(self.plan)

    def _stop_timers(self) -> None:
        for timer in (self._poll_timer, self._tick_timer):
            if timer is not None:
                timer.stop()
        self._poll_timer = self._tick_timer = None
        with contextlib.suppress(NoMatches):
            self.query_one(ThinkPanel).stop()
