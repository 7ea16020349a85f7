"""What the student sees while answering: elapsed time against the target, the level, a quiet warning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from interviewcoach.tui.widgets.level_meter import LevelMeter
from interviewcoach.tui.widgets.timer_bar import TimerBar

if TYPE_CHECKING:
    from interviewcoach.core.protocols import Level
    from interviewcoach.core.session import StreamState

TOO_QUIET = "Too quiet: move closer to the microphone or raise its input volume."
FALLBACK = "Live transcription paused (this machine is busy): your answer is transcribed when you stop."
LIVE_WORDS = 24
# Louder than this is taken as speech for the live speaking time: speech into a working microphone
# sits around -35 to -15 dBFS, a quiet room near -60 (the level meter's scale).
SPEECH_DBFS = -45.0


class RecordingPanel(Vertical):
    DEFAULT_CSS = """
    RecordingPanel { height: auto; border: round $error; padding: 0 1; }
    RecordingPanel > .one-line { height: 1; }
    RecordingPanel > .stream { height: auto; max-height: 3; }
    """

    def __init__(self, low: float, high: float, maximum: float, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._target = (low, high, maximum)
        # Recorded seconds at the first and the latest level loud enough to be speech.
        self._first_speech: float | None = None
        self._last_speech = 0.0

    def compose(self) -> ComposeResult:
        yield Static(Text("● Recording", "bold red"), classes="one-line")
        yield TimerBar(*self._target, id="timer")
        yield LevelMeter(id="level")
        yield Static(id="quiet", classes="one-line")
        # Hidden until there is something to say, so the panel keeps its size in the usual case.
        stream = Static(id="stream", classes="stream")
        stream.display = False
        yield stream

    def show(self, level: Level, elapsed_s: float) -> None:
        self.query_one(LevelMeter).set_level(level.rms_dbfs, level.peak_dbfs)
        if level.rms_dbfs > SPEECH_DBFS:
            if self._first_speech is None:
                self._first_speech = elapsed_s
            self._last_speech = elapsed_s
        timer = self.query_one(TimerBar)
        timer.elapsed = elapsed_s
        if self._first_speech is not None:
            timer.speaking = self._last_speech - self._first_speech
        self.query_one("#quiet", Static).update(Text(TOO_QUIET, "bold #ffaf00") if level.too_quiet else "")

    def show_stream(self, state: StreamState, *, live: bool) -> None:
        """Whether transcription keeps up with the answer and, if wanted, the latest words."""
        line = Text()
        if state.fallback:
            line.append(FALLBACK, "#ffaf00")
        elif not state.keeping_up:
            line.append(f"Still transcribing: {state.pending_s:.0f} s behind", "#ffaf00")
        if live and state.text:
            words = state.text.split()
            tail = " ".join(words[-LIVE_WORDS:])
            if line:
                line.append("\n")
            line.append(("… " if len(words) > LIVE_WORDS else "") + tail, "grey70")
        widget = self.query_one("#stream", Static)
        widget.update(line)
        widget.display = bool(line)


class ProgressPanel(Vertical):
    """Transcribing and scoring: what is happening, for how long, and that Esc cancels."""

    DEFAULT_CSS = """
    ProgressPanel { height: auto; border: round $primary; padding: 0 1; }
    ProgressPanel > ProgressBar { margin: 1 0 0 0; }
    ProgressPanel Bar { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="process-label")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False)

    def show(self, what: str, waited_s: float) -> None:
        self.query_one("#process-label", Static).update(
            Text.assemble((what, "bold"), f"  {waited_s:.0f} s", ("   Esc cancels", "grey62"))
        )
