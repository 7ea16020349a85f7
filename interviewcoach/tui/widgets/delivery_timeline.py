"""A strip across the answer's length marking fillers, long pauses and fast stretches, that plays along.

Each kind of moment has its own character as well as its colour (nothing is told by colour alone),
a legend says which, and a caret under the strip follows the recording as it plays. The widget owns
the playback of the recording (`tui.playback.Player`): Space plays and pauses, left and right move
5 s (before playing too, to start from there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from interviewcoach.core.errors import UserError
from interviewcoach.tui.playback import SEEK_S, Player, clock

if TYPE_CHECKING:
    from interviewcoach.core.models import Transcript

Kind = Literal["filler", "pause", "fast", "speech", "silence"]

# What each kind looks like; a cell holding several shows the first of these that it holds.
MARKS: dict[Kind, tuple[str, str]] = {
    "filler": ("f", "bold #ffaf00"),
    "pause": ("_", "bold red"),
    "fast": ("»", "bold magenta"),
    "speech": ("─", "grey62"),
    "silence": ("·", "grey37"),
}
LEGEND: tuple[tuple[Kind, str], ...] = (
    ("filler", "filler"),
    ("pause", "long pause"),
    ("fast", "fast"),
    ("speech", "speaking"),
)
CARET = "▲"
# A fast stretch: the pace over this many seconds around a word (at least FAST_MIN_WORDS words).
FAST_WINDOW_S = 6.0
FAST_MIN_WORDS = 6
REFRESH_S = 0.1


@dataclass(frozen=True)
class Moment:
    kind: Kind
    start: float
    end: float


def moments(transcript: Transcript, *, long_pause_s: float, fast_wpm: float) -> list[Moment]:
    """The fillers, long pauses and fast stretches of an answer, in seconds from its start."""
    out: list[Moment] = []
    words = [w for w in transcript.words if w.end > w.start or w.word.strip()]
    spans = _word_chars(transcript)
    for filler in transcript.fillers:
        if filler.start is not None and filler.end is not None:
            out.append(Moment("filler", filler.start, max(filler.end, filler.start)))
        elif filler.char_start is not None:
            # A word filler ("like") known by its place in the text: its word's time.
            for (start, end), word in zip(spans, transcript.words, strict=False):
                if start <= filler.char_start < max(end, start + 1):
                    out.append(Moment("filler", word.start, word.end))
                    break
    out += [Moment("pause", p.start, p.end) for p in transcript.pauses if p.duration >= long_pause_s]
    # Fast: the pace over a few seconds around each word, pauses included, as the pace verdict
    # counts it (words over the time they span), so its "too fast" line applies as it is.
    half = FAST_WINDOW_S / 2
    middles = [(w.start + w.end) / 2 for w in words]
    for word, middle in zip(words, middles, strict=True):
        near = [w for w, m in zip(words, middles, strict=True) if abs(m - middle) <= half]
        span = max(w.end for w in near) - min(w.start for w in near)
        if len(near) >= FAST_MIN_WORDS and span > 0 and len(near) / span * 60 > fast_wpm:
            out.append(Moment("fast", word.start, word.end))
    return out


def _word_chars(transcript: Transcript) -> list[tuple[int, int]]:
    """Each word's character span in the transcript text, found in order (-1 when not found)."""
    spans = []
    at = 0
    lowered = transcript.text.lower()
    for word in transcript.words:
        token = word.word.strip().lower()
        found = lowered.find(token, at) if token else -1
        if found < 0:
            spans.append((-1, -1))
            continue
        spans.append((found, found + len(token)))
        at = found + len(token)
    return spans


def cells(transcript: Transcript, found: list[Moment], width: int, duration: float) -> list[Kind]:
    """The strip: one kind per column, each column `duration / width` seconds of the answer."""
    if width <= 0 or duration <= 0:
        return []
    step = duration / width
    order: tuple[Kind, ...] = ("filler", "pause", "fast", "speech")
    out: list[Kind] = []
    for column in range(width):
        start, end = column * step, (column + 1) * step
        present = {m.kind for m in found if m.start < end and m.end > start}
        if any(w.start < end and w.end > start for w in transcript.words):
            present.add("speech")
        out.append(next((kind for kind in order if kind in present), "silence"))
    return out


def column_of(position: float, duration: float, width: int) -> int:
    if duration <= 0 or width <= 0:
        return 0
    return min(width - 1, max(0, math.floor(position / duration * width)))


class DeliveryTimeline(Widget, can_focus=True):
    DEFAULT_CSS = """
    DeliveryTimeline { border: round $primary; padding: 0 1; height: auto; margin: 0 0 1 0; }
    DeliveryTimeline:focus { border: round $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play_pause", "Play/pause"),
        # p too (the page's own key for it), hidden so the footer names the action once.
        Binding("p", "play_pause", "Play/pause", show=False),
        Binding("left", "back", "\N{MINUS SIGN}5 s", key_display="←"),
        Binding("right", "forward", "+5 s", key_display="→"),
    ]

    class PlaybackFailed(Message):
        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    class PlaybackStarted(Message):
        pass

    def __init__(
        self,
        transcript: Transcript,
        audio: Path | None,
        *,
        long_pause_s: float,
        fast_wpm: float,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.transcript = transcript
        self.found = moments(transcript, long_pause_s=long_pause_s, fast_wpm=fast_wpm)
        self.player: Player | None = None
        if audio is not None:
            try:
                self.player = Player(audio)
            except UserError:
                self.player = None  # the strip still shows the delivery; only playback is gone
        self.position = 0.0
        self._timer: Timer | None = None
        self._starting = False
        self.border_title = "Delivery timeline"

    @property
    def duration(self) -> float:
        if self.player is not None and self.player.duration_s > 0:
            return self.player.duration_s
        return self.transcript.duration_s

    @property
    def playing(self) -> bool:
        return self.player is not None and self.player.playing

    def readout(self) -> str:
        return f"{clock(self.position)} / {clock(self.duration)}"

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 4

    def render(self) -> Text:
        width = max(1, self.content_size.width)
        strip = cells(self.transcript, self.found, width, self.duration)
        text = Text(no_wrap=True, overflow="ellipsis")
        state = "playing" if self.playing else "paused" if self.position > 0 else "stopped"
        text.append(self.readout(), "bold")
        text.append(f"  {state}" if self.player is not None else "  (no recording to play)", "grey62")
        if self.player is not None:
            text.append("  Space play/pause · ←/→ 5 s" if self.has_focus else "  p plays", "grey62")
        text.append("\n")
        for kind in strip:
            char, style = MARKS[kind]
            text.append(char, style)
        text.append("\n")
        text.append(" " * column_of(self.position, self.duration, width) + CARET, "bold")
        text.append("\n")
        for i, (kind, words) in enumerate(LEGEND):
            char, style = MARKS[kind]
            text.append("  " if i else "")
            text.append(char, style)
            text.append(f" {words}")
        text.append("  ")
        text.append(CARET, "bold")
        text.append(" now")
        return text

    # -- playback ------------------------------------------------------------------------------

    def action_play_pause(self) -> None:
        if self.player is None or self._starting:
            return
        if self.player.playing:
            self.player.pause()
            self._sync()
        else:
            self._starting = True
            self._start(self.player)

    def action_back(self) -> None:
        self._skip(-SEEK_S)

    def action_forward(self) -> None:
        self._skip(SEEK_S)

    def _skip(self, seconds: float) -> None:
        if self.player is not None:
            self.player.skip(seconds)
        else:
            self.position = max(0.0, min(self.duration, self.position + seconds))
        self._sync()

    def stop(self) -> None:
        if self.player is not None:
            self.player.close()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @work(thread=True, exclusive=True, group="playback", exit_on_error=False)
    def _start(self, player: Player) -> None:
        # Opening the output device can take a moment: never on the UI thread.
        try:
            player.play()
        except UserError as exc:
            self.post_message(self.PlaybackFailed(str(exc)))
        except Exception as exc:  # an audio stack failure is a notice, not a crash
            self.post_message(self.PlaybackFailed(f"the recording could not be played: {exc}"))
        else:
            self.post_message(self.PlaybackStarted())

    def on_delivery_timeline_playback_started(self, _: PlaybackStarted) -> None:
        self._starting = False
        if self._timer is None:
            self._timer = self.set_interval(REFRESH_S, self._sync)
        self._sync()

    def on_delivery_timeline_playback_failed(self, message: PlaybackFailed) -> None:
        self._starting = False
        self.notify(message.problem, severity="warning", timeout=8, markup=False)
        self._sync()

    def _sync(self) -> None:
        if self.player is not None:
            self.position = self.player.position_s
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_unmount(self) -> None:
        self.stop()
