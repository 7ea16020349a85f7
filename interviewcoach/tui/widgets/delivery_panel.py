"""Delivery figures (pace, fillers, pauses, hedges, repetition, vocal variety) shown against their bands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from rich.table import Table
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from interviewcoach.core.session import (
    FillerParams,
    PaceParams,
    PauseParams,
    hedge_report,
    pauses_allowed,
    repetition_report,
    variety_report,
)

if TYPE_CHECKING:
    from interviewcoach.core.models import Metrics
    from interviewcoach.core.session import Rubric

P = TypeVar("P", bound=BaseModel)

GOOD, FAIR, POOR, UNKNOWN = ("good", "green"), ("fair", "#ffaf00"), ("poor", "red"), ("n/a", "grey62")
_BANDS = {"good": GOOD, "fair": FAIR, "poor": POOR}


def band_params(rubric: Rubric | None, detector: str, model: type[P]) -> P:
    """The rubric's parameters for a delivery detector, or the detector's defaults."""
    if rubric is not None:
        for criterion in rubric.criteria:
            if criterion.detector == detector:
                parsed: Any = criterion.parsed
                if isinstance(parsed, model):
                    return parsed
                return model.model_validate(criterion.params)
    return model()


def pace_row(m: Metrics, p: PaceParams) -> tuple[str, str, tuple[str, str]]:
    band = f"good {p.good_min_wpm:.0f}-{p.good_max_wpm:.0f} wpm"
    if m.words_per_minute is None:
        return "unknown (no audio)", band, UNKNOWN
    wpm = m.words_per_minute
    value = f"{wpm:.0f} wpm"
    if p.good_min_wpm <= wpm <= p.good_max_wpm:
        return value, band, GOOD
    # Outside the good band the pace verdict fails, so the table says "poor" too, never "fair" beside
    # a fall-short (seen: "179 wpm (fast) ... fair" under "Pace: FALLS SHORT").
    if p.flag_below_wpm <= wpm <= p.flag_above_wpm:
        return value + (" (slow)" if wpm < p.good_min_wpm else " (fast)"), band, POOR
    return value + (" (too slow)" if wpm < p.good_min_wpm else " (too fast)"), band, POOR


def filler_row(m: Metrics, p: FillerParams) -> tuple[str, str, tuple[str, str]]:
    band = f"good under {p.good_max_ratio:.0%}, fair under {p.fair_max_ratio:.0%}"
    value = f"{m.filler_count} ({m.filler_ratio:.1%} of words)"
    if m.filler_ratio <= p.good_max_ratio:
        return value, band, GOOD
    if m.filler_ratio <= p.fair_max_ratio:
        return value, band, FAIR
    return value, band, POOR


def pause_row(m: Metrics, p: PauseParams) -> tuple[str, str, tuple[str, str]]:
    band = f"at most {p.max_long_pauses_per_minute:g}/min, none over {p.max_pause_s:g} s"
    if m.long_pause_count is None or m.duration_s is None:
        return "unknown (no audio)", band, UNKNOWN
    longest = m.longest_pause_s or 0.0
    value = f"{m.long_pause_count} over {p.long_pause_s:g} s"
    # No pause at all is no pause, not a "longest 0.0 s" one.
    if longest:
        value += f", longest {longest:.1f} s"
    # The same rule as the pauses verdict, so the table never says "poor" beside a pass.
    ok = m.long_pause_count <= pauses_allowed(p, m.duration_s) and longest <= p.max_pause_s
    return value, band, GOOD if ok else POOR


def delivery_rows(m: Metrics, rubric: Rubric | None) -> list[tuple[str, str, str, tuple[str, str]]]:
    """(what, value, band, (verdict, style)) per delivery figure, then the answer's length."""
    rows = [
        ("Pace", *pace_row(m, band_params(rubric, "pace", PaceParams))),
        ("Fillers", *filler_row(m, band_params(rubric, "fillers", FillerParams))),
        ("Long pauses", *pause_row(m, band_params(rubric, "pauses", PauseParams))),
    ]
    for report in (hedge_report(m), repetition_report(m)):
        rows.append((report.name, report.value, report.band_text, _BANDS[report.band]))
    variety = variety_report(m)
    if variety is not None:
        # Only a spoken answer has a voice to measure; a typed one shows no row at all.
        verdict = _BANDS[variety.band] if variety.band is not None else UNKNOWN
        rows.append((variety.name, variety.value, variety.band_text, verdict))
    duration = f"{m.duration_s:.0f} s" if m.duration_s is not None else "typed"
    if m.duration_s is not None and m.words_per_minute:
        # The length the brevity verdict judges is the speaking time (first word to last), which
        # pace already divides by; the recording also holds the silence before and after.
        spoken = m.word_count / m.words_per_minute * 60
        duration = f"{spoken:.0f} s spoken ({m.duration_s:.0f} s recorded)"
    rows.append(
        ("Length", f"{m.word_count} words, {duration}", f"reading grade {m.readability_grade:.1f}", ("", ""))
    )
    return rows


def delivery_table(m: Metrics, rubric: Rubric | None, width: int | None = None) -> Table:
    """The figures in four columns. When one line per figure does not fit `width`, each phrase of a
    value or a band gets its own line, so the table wraps between phrases ("fair under 5%"), never
    inside one."""
    rows = delivery_rows(m, rubric)
    # Two cells between columns: with one, a value that fills its column runs into the band
    # ("loudness varies 13 dB monotone under 2.75 st").
    gap = 2
    need = sum(max(len(row[i]) for row in rows) for i in range(3)) + max(len(r[3][0]) for r in rows) + 3 * gap
    split = width is not None and need > width
    table = Table.grid(padding=(0, gap))
    table.add_column("what", style="bold", no_wrap=True)
    table.add_column("value")
    table.add_column("band", style="grey62")
    table.add_column("verdict", no_wrap=True)
    for name, value, band, (word, style) in rows:
        if split:
            value, band = value.replace(", ", ",\n"), band.replace(", ", ",\n")
        table.add_row(name, value, band, Text(word, style))
    return table


class DeliveryPanel(Static):
    DEFAULT_CSS = """
    DeliveryPanel { border: round $primary; padding: 0 1; height: auto; margin: 0 0 1 0; }
    """

    def __init__(self, metrics: Metrics, rubric: Rubric | None) -> None:
        super().__init__(delivery_table(metrics, rubric))
        self._figures = (metrics, rubric)
        self.border_title = "Delivery"

    def on_resize(self, event: Resize) -> None:
        self.update(delivery_table(*self._figures, width=self.content_size.width))
