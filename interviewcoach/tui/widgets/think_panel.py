"""Think time before recording: a countdown that posts ThinkTimeOver when it reaches zero."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from interviewcoach.tui.widgets.timer_bar import clock


class ThinkPanel(Static):
    DEFAULT_CSS = """
    ThinkPanel { height: auto; padding: 0 1; }
    """

    class ThinkTimeOver(Message):
        """The countdown reached zero: recording starts."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.left = 0
        self._timer: Timer | None = None

    def start(self, seconds: int) -> None:
        self.left = seconds
        self._show()
        self.stop()
        self._timer = self.set_interval(1.0, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.stop()
            self.post_message(self.ThinkTimeOver())
        else:
            self._show()

    def _show(self) -> None:
        self.update(
            Text.assemble(
                ("Think time ", "bold"),
                (clock(self.left), "bold cyan"),
                "  Recording starts at 0:00. Space starts now, t skips.",
            )
        )
