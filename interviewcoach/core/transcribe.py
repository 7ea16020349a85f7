"""Speech to text: the Transcriber engines (faster-whisper, openai-whisper) and model resolution."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewcoach.core.services import Transcriber


def make_transcriber(engine: str = "faster-whisper", model: str | None = None) -> Transcriber:
    raise NotImplementedError
