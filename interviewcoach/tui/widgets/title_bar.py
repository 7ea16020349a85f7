"""A one-line title bar (the app's name and where the student is), lighter than textual's Header."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, where: str = "") -> None:
        title = Text.assemble(("interviewcoach", "bold"), (f" · {where}" if where else "", ""))
        super().__init__(title)
