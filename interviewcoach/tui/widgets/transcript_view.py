"""The answer's transcript with evidence highlighted by kind, and a legend of the kinds present."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from interviewcoach.core.wording import counted
from interviewcoach.tui.highlights import KIND_TITLES, Highlights, Span
from interviewcoach.tui.widgets.score_card import KIND_STYLES


def highlighted(text: str, spans: list[Span]) -> Text:
    out = Text(text)
    for span in spans:
        out.stylize(KIND_STYLES[span.kind], span.start, span.end)
    return out


def legend(highlights: Highlights, fillers_counted: int | None = None) -> Text:
    """The kinds highlighted and how many of each.

    Fillers are counted as the delivery figures count them (`fillers_counted`): some "um"s are heard
    in the audio between words and have no place in the text to mark, so the legend says how many of
    them are marked rather than showing a smaller number than the Fillers card.
    """
    pieces: list[Text] = []
    for kind, title in KIND_TITLES.items():
        count = highlights.counts.get(kind, 0)
        label = f"{title} ({count})"
        if kind == "filler" and fillers_counted is not None and fillers_counted > count:
            if not count:
                pieces.append(
                    Text(f"{counted(fillers_counted, 'filler')} heard between words (not marked)", "grey62")
                )
                continue
            label = f"{title} ({fillers_counted}, {count} marked)"
        if count:
            pieces.append(Text(f" {label} ", KIND_STYLES[kind]))
    out = Text("  ").join(pieces)
    return out if out else Text("Nothing highlighted in this answer.", "grey62")


class TranscriptView(Static):
    DEFAULT_CSS = """
    TranscriptView { border: round $primary; padding: 0 1; height: auto; margin: 0 0 1 0; }
    """

    def __init__(
        self, text: str, highlights: Highlights, *, fillers_counted: int | None = None, id: str | None = None
    ) -> None:
        body = Text("\n").join(
            [legend(highlights, fillers_counted), Text(""), highlighted(text, highlights.runs)]
        )
        super().__init__(body, id=id)
        self.border_title = "What you said"
