"""One rubric criterion's result: verdict, quoted evidence and the advice for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from interviewcoach.tui.highlights import kind_for

if TYPE_CHECKING:
    from interviewcoach.core.models import CriterionResult

MAX_QUOTES = 3
QUOTE_CHARS = 64

KIND_STYLES = {
    "filler": "black on #d7af00",
    "negative": "white on #870000",
    "change": "black on #5faf5f",
    "strength": "white on #005faf",
}


def verdict(result: CriterionResult) -> tuple[str, str]:
    if result.passed and result.score >= 0.999:
        return "PASS", "bold green"
    if result.passed:
        return "FAIR", "bold #ffaf00"
    return "FALLS SHORT", "bold red"


def score_bar(value: float, width: int = 10) -> Text:
    filled = round(max(0.0, min(1.0, value)) * width)
    style = "green" if value >= 0.8 else "#ffaf00" if value >= 0.5 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "grey30"))


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ScoreCard(Static):
    """A bordered card; the transcript text inside is plain Text, never parsed as markup."""

    DEFAULT_CSS = """
    ScoreCard {
        border: round $secondary;
        padding: 0 1;
        margin: 0 0 1 0;
        height: auto;
    }
    ScoreCard.-fail { border: round $error; }
    ScoreCard.-fair { border: round $warning; }
    """

    def __init__(self, name: str, result: CriterionResult, *, detector: str | None = None) -> None:
        word, _ = verdict(result)
        classes = {"PASS": "-pass", "FAIR": "-fair"}.get(word, "-fail")
        super().__init__(self._body(result, detector), classes=classes)
        self.criterion_name = name
        self.verdict = word
        self.border_title = Text(name)  # rubric text: never parsed as markup

    @staticmethod
    def _body(result: CriterionResult, detector: str | None) -> Text:
        word, style = verdict(result)
        lines = [Text.assemble((f"{word:<12}", style), score_bar(result.score), f" {result.score:.0%}")]
        # The same words said twice under the same label are one line ("x2"), not two lines that
        # look like a repeat; the transcript still marks each place they were said.
        shown: dict[tuple[str, str], tuple[str, int]] = {}
        for ev in result.evidence:
            key = (ev.label, " ".join(ev.text.lower().split()))
            text, times = shown.get(key, (ev.text, 0))
            shown[key] = (text, times + 1)
        for (raw_label, _), (text, times) in list(shown.items())[:MAX_QUOTES]:
            kind = kind_for(raw_label, detector)
            label = raw_label.replace("_", " ")
            line = Text("  ")
            line.append(f"{label}: ", "italic")
            # Short enough to stay on one line of a card in an 80-column terminal.
            limit = max(24, QUOTE_CHARS - len(label))
            line.append(f'"{quote(text, limit)}"', KIND_STYLES.get(kind or "", ""))
            if times > 1:
                line.append(f" x{times}", "grey62")
            lines.append(line)
        if len(shown) > MAX_QUOTES:
            lines.append(Text(f"  … and {len(shown) - MAX_QUOTES} more in the transcript", "grey62"))
        if result.feedback:
            lines.append(Text.assemble(("→ ", "bold"), result.feedback))
        return Text("\n").join(lines)


class UnscoredCard(Static):
    DEFAULT_CSS = """
    UnscoredCard {
        border: round $panel-lighten-2;
        padding: 0 1;
        margin: 0 0 1 0;
        height: auto;
        color: $text-muted;
    }
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(Text(f"Not scored: {reason}"))
        self.border_title = Text(name)  # rubric text: never parsed as markup
