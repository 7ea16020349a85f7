"""History: every saved attempt, filterable, openable in the feedback view, comparable, with trends."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from interviewcoach.tui.widgets.title_bar import TitleBar


class HistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar("history")
        yield Static("History")
        yield Footer()
