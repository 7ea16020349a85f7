"""The recording panel says when live transcription falls behind, and shows the words if asked."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from interviewcoach.core.speech.streaming import StreamState
from interviewcoach.tui.widgets.recording_panel import FALLBACK, RecordingPanel


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RecordingPanel(30, 85, 93.5, id="panel")


def state(*, pending: float = 0.0, keeping_up: bool = True, fallback: bool = False) -> StreamState:
    return StreamState(
        received_s=40.0,
        transcribed_s=40.0 - pending,
        pending_s=pending,
        keeping_up=keeping_up,
        fallback=fallback,
        chunks=3,
        text="I took Step 1 in my second year and scored a 209",
    )


@pytest.mark.parametrize(
    ("stream", "live", "shown", "visible"),
    [
        (state(), False, "", False),
        (state(), True, "scored a 209", True),
        (state(pending=31.0, keeping_up=False), False, "Still transcribing: 31 s behind", True),
        (state(fallback=True, keeping_up=False), False, FALLBACK, True),
    ],
)
async def test_stream_line(stream: StreamState, live: bool, shown: str, visible: bool) -> None:
    app = PanelApp()
    async with app.run_test(size=(100, 20)) as pilot:
        panel = app.query_one(RecordingPanel)
        panel.show_stream(stream, live=live)
        await pilot.pause()
        line = app.query_one("#stream", Static)
        assert line.display is visible
        assert shown in str(line.render())
