"""The delivery table under the feedback: what a student reads about pace, pauses and length."""

from __future__ import annotations

import pytest
from rich.console import Console

from interviewcoach.core.models import Metrics
from interviewcoach.tui.widgets.delivery_panel import delivery_table


def _text(metrics: Metrics) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(delivery_table(metrics, None))
    return console.export_text()


def _spoken(**changes: object) -> Metrics:
    base = {
        "word_count": 74,
        "duration_s": 31.0,
        "words_per_minute": 161.0,
        "long_pause_count": 0,
        "longest_pause_s": 0.0,
    }
    return Metrics.model_validate(base | changes)


def test_length_is_the_speaking_time_the_brevity_verdict_judges() -> None:
    text = _text(_spoken())
    # 74 words at 161 wpm: 28 s from the first word to the last, in a 31 s recording.
    assert "74 words, 28 s spoken (31 s recorded)" in text


def test_no_pause_has_no_longest_pause() -> None:
    assert "0 over 1 s " in _text(_spoken())
    assert "longest" not in _text(_spoken())
    assert "1 over 1 s, longest 1.4 s" in _text(_spoken(long_pause_count=1, longest_pause_s=1.4))


@pytest.mark.parametrize(("wpm", "said"), [(179.0, "179 wpm (fast)"), (110.0, "110 wpm (slow)")])
def test_a_pace_outside_the_good_band_is_poor_as_its_verdict_fails(wpm: float, said: str) -> None:
    # Seen: "179 wpm (fast) ... fair" beside "Pace: FALLS SHORT" (the verdict fails outside the band).
    [row] = [line for line in _text(_spoken(words_per_minute=wpm)).splitlines() if line.startswith("Pace")]
    assert said in row and row.split()[-1] == "poor", row


def test_a_typed_answer_has_no_timing() -> None:
    text = _text(Metrics(word_count=40))
    assert "40 words, typed" in text
    assert "unknown (no audio)" in text


@pytest.mark.parametrize("width", [56, 76, 116])
async def test_the_panel_wraps_between_phrases_never_inside_one(width: int) -> None:
    from textual.app import App, ComposeResult

    from interviewcoach.tui.widgets.delivery_panel import DeliveryPanel
    from tests.tui.conftest import plain

    metrics = _spoken(filler_count=1, filler_ratio=0.008, long_pause_count=1, longest_pause_s=1.4)

    class PanelApp(App[None]):
        def compose(self) -> ComposeResult:
            yield DeliveryPanel(metrics, None)

    app = PanelApp()
    async with app.run_test(size=(width + 4, 20)) as pilot:
        await pilot.pause()
        text = plain(app.query_one(DeliveryPanel), width + 4)
    phrases = [
        "good under 2%",
        "fair under 5%",
        "at most 2/min",
        "none over 4 s",
        "longest 1.4 s",
        "1 over 1 s",
    ]
    for phrase in phrases:
        assert any(phrase in line for line in text.splitlines()), (phrase, text)


def test_one_long_pause_in_a_short_answer_is_good_as_the_pauses_verdict_says() -> None:
    """The pauses criterion allows one long pause however short the answer; the table agrees."""
    line = next(
        row
        for row in _text(_spoken(duration_s=27.0, long_pause_count=1, longest_pause_s=1.4)).splitlines()
        if "Long pauses" in row
    )
    assert line.rstrip().endswith("good"), line
    two = next(
        row
        for row in _text(_spoken(duration_s=27.0, long_pause_count=2, longest_pause_s=1.4)).splitlines()
        if "Long pauses" in row
    )
    assert two.rstrip().endswith("poor"), two


async def test_columns_stay_apart_when_a_value_fills_its_column() -> None:
    # Seen at 120 columns: "loudness varies 13 dB monotone under 2.75 st", the value running into
    # the band as if "13 dB monotone" were one phrase.
    from textual.app import App, ComposeResult

    from interviewcoach.core.models import VocalVariety
    from interviewcoach.tui.widgets.delivery_panel import DeliveryPanel
    from tests.tui.conftest import plain

    variety = VocalVariety(voiced_s=20.0, pitch_median_hz=120.0, pitch_range_st=4.1, energy_spread_db=13.0)
    metrics = _spoken(filler_count=1, filler_ratio=0.016, vocal_variety=variety)

    class PanelApp(App[None]):
        def compose(self) -> ComposeResult:
            yield DeliveryPanel(metrics, None)

    app = PanelApp()
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        text = plain(app.query_one(DeliveryPanel), 120)
    assert "13 dB  " in text and "st  " in text and "13 dB monotone" not in text, text
