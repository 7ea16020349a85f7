"""A small question the app asks before doing something that cannot be undone (leave a mock, quit).

Each choice has its own key, shown on its button; Esc always means the safe choice (stay where you
are), so pressing Esc twice never does what one press asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Static


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    value: str


class ConfirmScreen(ModalScreen[str]):
    """Returns the chosen Choice's value, or `cancel_value` on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Stay")]

    def __init__(self, title: str, message: str, choices: list[Choice], *, cancel_value: str) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self.choices = choices
        self.cancel_value = cancel_value

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self._message), id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                for i, choice in enumerate(self.choices):
                    yield Button(
                        f"{choice.label} ({choice.key})",
                        id=f"choice-{i}",
                        variant="primary" if i == 0 else "default",
                    )

    def on_mount(self) -> None:
        self.query_one("#confirm", Vertical).border_title = self._title
        # Enter on the focused button takes the safe choice unless the student moves to another.
        safe = next((i for i, c in enumerate(self.choices) if c.value == self.cancel_value), 0)
        self.query_one(f"#choice-{safe}", Button).focus()

    def on_key(self, event: Key) -> None:
        for choice in self.choices:
            if event.key == choice.key:
                event.stop()
                self.dismiss(choice.value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        index = int((event.button.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self.choices[index].value)

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_value)
