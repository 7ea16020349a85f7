"""Help (`?`): every key on every screen, built from the screens' own bindings so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
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
    return " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def _bindings(items: list[BindingType]) -> list[Binding]:
    return [b for b in items if isinstance(b, Binding)]


def _section(title: str, rows: list[tuple[str, str]]) -> list[RenderableType]:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, width=13)
    table.add_column(ratio=1)
    for key, what in rows:
        table.add_row(Text(key, "bold cyan"), what)
    return [Text(title, "bold underline"), table, Text("")]


def keys_table(sections: list[tuple[str, list[BindingType]]]) -> Group:
    """Each screen's keys under its name; one key with several meanings lists them all."""
    parts: list[RenderableType] = []
    for title, bindings in sections:
        merged: dict[str, list[str]] = {}
        for binding in _bindings(bindings):
            if binding.description:
                meanings = merged.setdefault(key_label(binding), [])
                if binding.description not in meanings:
                    meanings.append(binding.description)
        parts += _section(title, [(key, " / ".join(meanings)) for key, meanings in merged.items()])
    parts += _section("Everywhere", GENERAL)
    return Group(*parts[:-1])


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
