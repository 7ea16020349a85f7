"""The answer's transcript with evidence highlighted by kind, and a legend of the kinds present."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from interviewcoach.tui.highlights import KIND_TITLES, Highlights, Span
from interviewcoach.tui.widgets.score_card import KIND_STYLES


def highlighted(text: str, spans: list[Span]) -> Text:
    out = Text(text)
    for span in spans:
        out.stylize(KIND_STYLES[span.kind], span.start, span.end)
    return out


def legend(highlights: Highlights) -> Text:
    out = Text()
    for kind, title in KIND_TITLES.items():
        count = highlights.counts.get(kind, 0)
        if count:
            if out:
                out.append("  ")
            out.append(f" {title} ({count}) ", KIND_STYLES[kind])
    return out if out else Text("Nothing highlighted in this answer.", "grey62")


class TranscriptView(Static):
    DEFAULT_CSS = """
    TranscriptView { border: round $primary; padding: 0 1; height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, text: str, highlights: Highlights, *, id: str | None = None) -> None:
        body = Text("\n").join([legend(highlights), Text(""), highlighted(text, highlights.runs)])
        super().__init__(body, id=id)
        self.border_title = "What you said"
