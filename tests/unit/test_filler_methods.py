"""Filled pauses by each method: found in the audio, written by a verbatim-prompted Whisper, or both
(real tiny.en on generated speech)."""

from __future__ import annotations

import re

import pytest

from interviewcoach.core.errors import UserError
from interviewcoach.core.models import Transcript
from interviewcoach.core.speech import transcribe as tr
from tests.speech import Clip, Silence, SpeechMaker, Um

SCRIPT = [
    "My Step one score was lower than I wanted.",
    Um("um"),
    "I took a hard look at how I studied.",
    Silence(0.3),
    Um("uh"),
    "I built a schedule and did questions every morning.",
    Um("um"),
    "My Step two score went up by twenty points.",
]


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    return SpeechMaker(tmp_path_factory.mktemp("speech")).clip(SCRIPT)  # type: ignore[arg-type]


def _filled(transcript: Transcript) -> list[tuple[float, float, bool]]:
    return [
        (f.start or 0.0, f.end or 0.0, f.char_start is not None)
        for f in transcript.fillers
        if f.kind == "filled_pause"
    ]


def _hits(clip: Clip, found: list[tuple[float, float, bool]]) -> int:
    return sum(any(s < e0 + 0.1 and e > s0 - 0.1 for s, e, _ in found) for s0, e0, _ in clip.fillers)


@pytest.fixture(scope="module")
def transcripts(clip: Clip) -> dict[str, Transcript]:
    return {
        m: tr.make_transcriber("faster-whisper", fillers=m).transcribe(clip.path) for m in tr.FILLER_METHODS
    }


def test_prompted_whisper_writes_the_filled_pauses_itself(
    clip: Clip, transcripts: dict[str, Transcript]
) -> None:
    written = transcripts["whisper"]
    assert len(re.findall(r"\b(?:um+|uh+)\b", written.text.lower())) >= 2, written.text
    found = _filled(written)
    assert all(in_text for _, _, in_text in found)  # only what Whisper wrote
    assert _hits(clip, found) >= 2
    # Without the verbatim prompt Whisper leaves them out of the text.
    assert not re.search(r"\b(?:um+|uh+)\b", transcripts["acoustic"].text.lower())


def test_both_takes_what_either_method_found(transcripts: dict[str, Transcript]) -> None:
    both = {(round(s, 2), round(e, 2)) for s, e, _ in _filled(transcripts["both"])}
    written = {(round(s, 2), round(e, 2)) for s, e, _ in _filled(transcripts["whisper"])}
    assert written <= both


def test_an_unknown_filler_method_is_refused() -> None:
    with pytest.raises(UserError, match="filler method"):
        tr.make_transcriber("faster-whisper", fillers="guess")
