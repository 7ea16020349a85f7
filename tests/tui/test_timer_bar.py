"""The live timer judges what the Brief verdict judges (speaking time) and labels its ticks."""

from __future__ import annotations

from textual.app import App, ComposeResult

from interviewcoach.core.protocols import Level
from interviewcoach.tui.widgets.recording_panel import RecordingPanel
from interviewcoach.tui.widgets.timer_bar import TimerBar

SILENT = Level(rms_dbfs=-62.0, peak_dbfs=-55.0, too_quiet=True)
SPEAKING = Level(rms_dbfs=-22.0, peak_dbfs=-8.0, too_quiet=False)


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        # A 60-90 s target with brevity's 10% slack: too long after 99 s.
        yield RecordingPanel(60, 90, 99, id="panel")


async def test_timer_follows_speaking_time_not_recorded_time() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 10)) as pilot:
        panel = app.query_one(RecordingPanel)
        # 4 s before the first word, 55 s of answer, 3 s of silence before the stop: 62 s recorded.
        for tenth in range(621):
            seconds = tenth / 10
            panel.show(SPEAKING if 4 <= seconds <= 59 else SILENT, seconds)
        await pilot.pause()
        timer = app.query_one(TimerBar)
        # Brevity measures 55 s here (first to last word) and says "falls short": so must the timer.
        assert timer.zone == "short"
        text = str(timer.render())
        assert "0:55 speaking (1:02 recorded)" in text and "keep going" in text


async def test_timer_ticks_are_labelled() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        lines = str(app.query_one(TimerBar).render()).split("\n")
        assert len(lines) == 3
        bar, labels = lines[1], lines[2]
        ticks = [i for i, c in enumerate(bar) if c == "│"]
        for tick, label in zip(ticks, ["1:00", "1:30", "1:39"], strict=True):
            start = labels.find(label)
            assert start >= 0 and tick in (start, start + len(label) - 1), (labels, tick)
