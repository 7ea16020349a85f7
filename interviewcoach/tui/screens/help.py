"""Help (`?`): every key on every screen, built from the screens' own bindings so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "space": "Space",
    "enter": "Enter",
    "escape": "Esc",
    "question_mark": "?",
    "ctrl+q": "Ctrl+Q",
    "ctrl+c": "Ctrl+C",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}

GENERAL = [
    ("↑ ↓ PgUp PgDn", "move in lists, scroll feedback"),
    ("Tab", "move between parts of a screen"),
]


def key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " / ".join(
        KEY_NAMES.get(k.strip(), k.strip().upper() if len(k.strip()) == 1 else k.strip())
        for k in binding.key.split(",")
    )


def _bindings(items: list[BindingType]) -> list[Binding]:
    return [b for b in items if isinstance(b, Binding)]


def keys_table(sections: list[tuple[str, list[BindingType]]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, "bold underline"), "")
        merged: dict[str, list[str]] = {}
        for binding in _bindings(bindings):
            if not binding.description:
                continue
            merged.setdefault(key_label(binding), [])
            if binding.description not in merged[key_label(binding)]:
                merged[key_label(binding)].append(binding.description)
        for key, descriptions in merged.items():
            table.add_row(Text(key, "bold cyan"), " or ".join(descriptions))
        table.add_row("", "")
    table.add_row(Text("Everywhere", "bold underline"), "")
    for key, what in GENERAL:
        table.add_row(Text(key, "bold cyan"), what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(keys_table(self.sections))

    def on_mount(self) -> None:
        scroll = self.query_one("#help", VerticalScroll)
        scroll.border_title = "Keys"
        scroll.border_subtitle = "Esc closes"
        scroll.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
