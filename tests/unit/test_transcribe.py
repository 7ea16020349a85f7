"""Transcription with the real tiny.en weights on generated speech: words, timings, pauses, silence,
model resolution, both engines agreeing, and the `transcribe` and `score --audio` commands."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.errors import NoSpeechError, UserError
from interviewcoach.core.models import Transcript, Word
from interviewcoach.core.protocols import Transcriber
from interviewcoach.core.settings import update_settings
from interviewcoach.core.speech import transcribe as tr
from interviewcoach.core.speech.acoustics import speech_regions
from interviewcoach.core.speech.streaming import decoder_for
from tests.speech import Clip, Silence, SpeechMaker

ANSWER = [
    "My Step two score went up by twenty points.",
    Silence(1.4),
    "I spent a month on the interventional radiology service.",
]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> SpeechMaker:
    return SpeechMaker(tmp_path_factory.mktemp("speech"))


@pytest.fixture(scope="module")
def answer(speech: SpeechMaker) -> Clip:
    return speech.clip(ANSWER, noise_dbfs=-60)


@pytest.fixture(scope="module")
def fw() -> Transcriber:
    transcriber = tr.make_transcriber("faster-whisper")
    transcriber.load()
    return transcriber


@pytest.fixture(scope="module")
def fw_answer(fw: Transcriber, answer: Clip) -> Transcript:
    return fw.transcribe(answer.path)


def _words(transcript: Transcript) -> list[str]:
    return [re.sub(r"[^\w']", "", w.word.lower()) for w in transcript.words]


# ---------------------------------------------------------------------------- faster-whisper


def test_words_come_with_timings_inside_the_speech(fw_answer: Transcript, answer: Clip) -> None:
    words = _words(fw_answer)
    expected = ("step", "score", "went", "up", "20", "points", "month", "radiology", "service")
    # tiny.en on synthetic speech sits near a tie on a word or two ("score"/"store") and int8
    # threading can tip it either way; the transcript must still hold nearly all of them.
    heard = [w for w in expected if w in words]
    assert len(heard) >= len(expected) - 1, fw_answer.text
    assert fw_answer.engine == "faster-whisper"
    assert fw_answer.model == "tiny.en"
    assert fw_answer.language == "en"
    assert fw_answer.duration_s == pytest.approx(answer.duration_s, abs=0.01)
    starts = [w.start for w in fw_answer.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= answer.duration_s for w in fw_answer.words)
    assert all(0 < w.probability <= 1 for w in fw_answer.words)
    # Words of the second sentence are timed after the inserted silence.
    silence_end = answer.spoken[1][0]
    month = fw_answer.words[words.index("month")]
    assert month.start >= silence_end - 0.2
    assert fw_answer.segments
    assert fw_answer.text.startswith(fw_answer.words[0].word)


def test_speech_time_is_the_spoken_span_not_the_recording(fw_answer: Transcript, answer: Clip) -> None:
    spoken = answer.spoken[-1][1] - answer.spoken[0][0]
    assert fw_answer.speech_s == pytest.approx(spoken, abs=0.35)
    assert fw_answer.speech_s < fw_answer.duration_s


def test_the_inserted_silence_is_the_one_long_pause(fw_answer: Transcript, answer: Clip) -> None:
    gap_start, gap_end = answer.spoken[0][1], answer.spoken[1][0]
    long = [p for p in fw_answer.pauses if p.duration >= 1.0]
    assert len(long) == 1, fw_answer.pauses
    assert long[0].start == pytest.approx(gap_start, abs=0.2)
    assert long[0].end == pytest.approx(gap_end, abs=0.2)


def _word(text: str, start: float, end: float) -> Word:
    return Word(word=text, start=start, end=end)


def test_voice_between_words_with_no_word_on_it_is_a_missed_stretch() -> None:
    words = [_word(" One", 0.5, 0.9), _word(" two.", 1.0, 1.4), _word(" Five", 9.0, 9.4)]
    # 1.6-4.0 s and 5.0-6.0 s of voice between "two." and "Five": decoded again, voice to voice.
    regions = [(0.45, 1.45), (1.6, 4.0), (5.0, 6.0), (8.95, 9.5)]
    assert tr.missed_stretches(words, regions, 10.0) == [(1.6, 6.0)]
    # Silence or a breath between words is not speech Whisper skipped.
    assert tr.missed_stretches(words, [(0.45, 1.45), (3.0, 3.5), (8.95, 9.5)], 10.0) == []
    # Voice that runs a little past a word's end belongs to that word.
    assert tr.missed_stretches(words, [(0.45, 2.4), (8.95, 9.5)], 10.0) == []
    # Voice after the last word, or before the first, counts too.
    assert tr.missed_stretches(words, [(0.45, 1.45), (8.95, 9.5), (10.5, 13.0)], 14.0) == [(10.5, 13.0)]


def test_a_long_missed_stretch_is_decoded_in_pieces_cut_in_its_silences() -> None:
    words = [_word(" One", 0.0, 0.4), _word(" two", 70.0, 70.4)]
    regions = [(1.0 + 5 * i, 5.0 + 5 * i) for i in range(13)]  # 64 s of speech in 4 s runs
    stretches = tr.missed_stretches(words, regions, 80.0)
    assert stretches[0][0] == 1.0 and stretches[-1][1] == 65.0
    assert all(b - a <= tr.STRETCH_MAX_S for a, b in stretches) and len(stretches) == 3
    # Pieces meet in silences: together they hold every region.
    assert all(any(a <= s and e <= b for a, b in stretches) for s, e in regions)


def test_speech_whisper_skipped_is_decoded_again(fw: Transcriber, answer: Clip) -> None:
    samples = tr.load_audio(answer.path)
    regions = speech_regions(samples)
    decoder = decoder_for(fw)
    assert decoder is not None
    full = decoder.decode(samples, prompt="", cancel=None)
    assert tr.fill_missed(full, samples, regions, lambda part, before: full) is full  # nothing missed
    # As Whisper's long-form loop does when a window ends on one timestamp: the second sentence,
    # after the pause, never decoded.
    pause = max(b for a, b in regions if a < 3.0)
    first = [w for w in full.words if w.start < pause]
    skipped = tr.RawResult(words=first, segments=[("text", 0.0, pause, first)])
    filled = tr.fill_missed(
        skipped, samples, regions, lambda part, before: decoder.decode(part, prompt=before, cancel=None)
    )
    said = " ".join(re.sub(r"[^\w']", "", w.word.lower()) for w in filled.words)
    assert "interventional radiology service" in said
    assert said.count("step") == 1  # what was heard is not heard twice
    assert [w.start for w in filled.words] == sorted(w.start for w in filled.words)
    assert all(w.start >= pause - 0.3 for w in filled.words[len(first) :])


def test_a_stretch_decoded_into_a_loop_is_tried_without_the_text_before_it_then_left() -> None:
    samples = np.zeros(10 * tr.SAMPLE_RATE, dtype=np.float32)
    heard = tr.RawResult(
        words=[_word(" One.", 0.5, 0.9)], segments=[(" One.", 0.5, 0.9, [_word(" One.", 0.5, 0.9)])]
    )
    regions = [(0.45, 0.95), (2.0, 5.0)]
    loop = [_word(" me", 1.0 + 0.1 * i, 1.05 + 0.1 * i) for i in range(30)]
    looped = tr.RawResult(words=loop, segments=[("me" * 30, 1.0, 4.0, loop)])
    said = [_word(" Two", 1.9, 2.3), _word(" three.", 2.4, 2.9)]
    plain = tr.RawResult(words=said, segments=[(" Two three.", 1.9, 2.9, said)])
    prompts: list[str] = []

    def decode(audio: npt.NDArray[np.float32], prompt: str) -> tr.RawResult:
        prompts.append(prompt)
        return looped if prompt else plain

    filled = tr.fill_missed(heard, samples, regions, decode)
    assert prompts == ["One.", ""]
    assert [w.word for w in filled.words] == [" One.", " Two", " three."]
    # Both decodes loop: the stretch stays as it was rather than filled with a loop.
    left = tr.fill_missed(heard, samples, regions, lambda audio, prompt: looped)
    assert [w.word for w in left.words] == [" One."]


def _run(text: str, start: float, step: float = 0.3) -> list[Word]:
    return [_word(" " + t, start + step * i, start + step * i + 0.25) for i, t in enumerate(text.split())]


def test_a_run_of_six_words_said_again_word_for_word_is_a_restart() -> None:
    first = _run("On my sub-internship a man came in that evening.", 0.0)
    again = _run("On my sub-internship, a man came in", 20.0)
    assert tr.restarts(first + _run("The fellow called.", 4.0) + again) == [len(first) + 3]
    # Five words again, a phrase said twice, or a loop over its own words is not a restart.
    assert tr.restarts(first + _run("On my sub-internship a man left.", 20.0)) == []
    assert tr.restarts(_run("I knew it then, I knew it then, I knew it was wrong.", 0.0)) == []
    assert tr.restarts(_run("a b c a b c a b c a b c a b c", 0.0)) == []
    # Against the text before a chunk (its prompt), punctuation and case aside.
    before = "On my sub-internship a man came"
    assert tr.restarts(_run("on my sub-internship A MAN came in late", 30.0), before=before) == [0]
    assert tr.restarts(_run("the fellow called the blood bank", 30.0), before=before) == []


def test_words_written_over_speech_are_dropped_to_the_end_of_their_segment() -> None:
    first = _run("On my sub-internship a man came in.", 0.0)
    said = _run("The fellow called.", 3.0)
    again = _run("On my sub-internship a man came in. For the next", 20.0)
    after = _run("Since then I write the plan.", 30.0)
    raw = tr.RawResult(
        words=first + said + again + after,
        segments=[
            ("", 0.0, 3.9, first + said),
            ("", 20.0, 23.25, again),
            ("", 30.0, 31.75, after),
        ],
    )
    spans = tr.misheard_stretches(raw, [(0.0, 32.0)], 32.0)
    assert spans == [(20.0, again[-1].end)]
    kept = tr.drop_stretches(raw, spans)
    assert [w.word for w in kept.words] == [w.word for w in first + said + after]
    assert [s[1] for s in kept.segments] == [0.0, 30.0]
    # So does a decoding loop, from its first repeat: the speech under it is decoded again.
    looped = _run("the poster " + "original " * 30, 55.0, step=0.5)
    tail = _run("Talk to the statistician first.", 72.0)
    both = tr.RawResult(words=looped + tail, segments=[("", 55.0, 70.0, looped), ("", 72.0, 73.5, tail)])
    assert tr.misheard_stretches(both, [(55.0, 74.0)], 74.0) == [(looped[3].start, looped[-1].end)]
    # A word stretched over more than two seconds stands over speech too; one held for two does not.
    held = [_word(" I", 15.5, 28.6), _word(" so", 29.0, 30.9)]
    stretched = tr.RawResult(words=held, segments=[(" I so", 15.5, 30.9, held)])
    assert tr.misheard_stretches(stretched, [(15.4, 28.7), (29.0, 30.9)], 31.0) == [(15.5, 28.6)]
    # Stretched over a pause, it stands over no speech: kept, as nothing would be decoded again.
    assert tr.misheard_stretches(stretched, [(15.4, 15.9), (29.0, 30.9)], 31.0) == []
    assert tr.drop_stretches(raw, []) is raw


def test_a_stretch_decoded_into_the_text_before_it_is_tried_without_that_text() -> None:
    samples = np.zeros(10 * tr.SAMPLE_RATE, dtype=np.float32)
    opening = _run("On my sub-internship a man came in.", 0.0, step=0.1)
    heard = tr.RawResult(words=opening, segments=[("", 0.0, 0.85, opening)])
    regions = [(0.0, 0.9), (2.0, 5.0)]
    prompts: list[str] = []

    def decode(audio: npt.NDArray[np.float32], prompt: str) -> tr.RawResult:
        prompts.append(prompt)
        words = _run("On my sub-internship a man came in." if prompt else "The fellow called.", 1.9)
        return tr.RawResult(words=words, segments=[("", 1.9, 4.0, words)])

    filled = tr.fill_missed(heard, samples, regions, decode)
    assert prompts == ["On my sub-internship a man came in.", ""]
    assert " ".join(w.word.strip() for w in filled.words).endswith("came in. The fellow called.")


def test_a_stretch_decoded_again_inside_an_earlier_segment_keeps_the_words_in_time_order() -> None:
    """A segment whose decode skipped a stretch spans it; the stretch, decoded again, is a segment
    of its own after it in the list. The words still read in the order they were said."""
    outer = _run("Trust is built early.", 0.0) + _run("I also stay late.", 20.0)
    inner = _run("I always treat everyone the same.", 5.0)
    raw = tr.RawResult(
        words=sorted(outer + inner, key=lambda w: w.start),
        segments=[("", 0.0, 21.2, outer), ("", 5.0, 6.8, inner)],
    )
    said = "Trust is built early. I always treat everyone the same. I also stay late."
    assert " ".join(w.word.strip() for w in tr.correct_terms(raw, ["ESIR"]).words) == said
    kept = tr.drop_stretches(raw, [(20.0, 20.2)])
    assert " ".join(w.word.strip() for w in kept.words) == said.replace("same. I also", "same. also")


def test_a_decode_that_starts_the_answer_over_is_decoded_again_where_it_wrote_over_speech(
    fw: Transcriber, answer: Clip, fw_answer: Transcript, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the prompted decode of a whole answer sometimes does: the opening written again over the
    second sentence. The transcript has the second sentence, and the opening once."""
    engine = tr._engine_for("faster-whisper", fw.source)  # type: ignore[attr-defined]
    real = engine.run
    calls: list[int] = []

    def run(
        audio: npt.NDArray[np.float32], cancel: threading.Event | None, vocabulary: str = ""
    ) -> tr.RawResult:
        raw = real(audio, cancel, vocabulary)
        calls.append(audio.size)
        if len(calls) > 1:
            return raw
        pause = answer.spoken[1][0]
        first = [w for w in raw.words if w.end <= pause]
        step = (answer.spoken[1][1] - pause) / len(first)
        again = [
            tr.make_word(w.word, pause + i * step, pause + (i + 1) * step - 0.02, w.probability)
            for i, w in enumerate(first)
        ]
        return tr.RawResult(
            words=first + again, segments=[("", 0.0, first[-1].end, first), ("", pause, again[-1].end, again)]
        )

    monkeypatch.setattr(engine, "run", run)
    restarted = fw.transcribe(answer.path)
    assert len(calls) == 2  # the whole file, then the stretch written over
    assert _words(restarted) == _words(fw_answer)
    assert " ".join(_words(restarted)).count("step") == 1


def test_samples_and_file_give_the_same_transcript(
    fw: Transcriber, fw_answer: Transcript, answer: Clip
) -> None:
    from_array = fw.transcribe(answer.samples())
    assert from_array.text == fw_answer.text
    assert [w.start for w in from_array.words] == [w.start for w in fw_answer.words]


def test_other_rates_and_stereo_transcribe_alike(
    fw: Transcriber, fw_answer: Transcript, answer: Clip, tmp_path: Path
) -> None:
    from difflib import SequenceMatcher

    from interviewcoach.core.audio.files import resample

    stereo = np.repeat(resample(answer.samples(), 16000, 44100)[:, None], 2, axis=1)
    path = tmp_path / "answer-44k-stereo.flac"
    sf.write(path, stereo, 44100)
    words = _words(fw.transcribe(path))
    # Resampling there and back changes the samples slightly; greedy decoding may then hear one
    # unclear word differently, but not the answer.
    assert SequenceMatcher(a=words, b=_words(fw_answer)).ratio() >= 0.85, words
    # int8 decoding on several threads can tip one near-tie word either way under load (seen in CI:
    # "radiology" once heard otherwise), as test_words_come_with_timings_inside_the_speech allows.
    key = {"month", "radiology", "service", "points"}
    assert len(key & set(words)) >= 3, words


@pytest.mark.parametrize("kind", ["silence", "quiet hiss", "loud white noise"])
def test_no_speech_gives_no_transcript(fw: Transcriber, speech: SpeechMaker, kind: str) -> None:
    path = {
        "silence": speech.silence(4.0),
        "quiet hiss": speech.noise(4.0, dbfs=-50),
        "loud white noise": speech.noise(4.0, dbfs=-15),
    }[kind]
    with pytest.raises(NoSpeechError, match="no speech detected"):
        fw.transcribe(path)


def test_an_empty_array_is_no_speech(fw: Transcriber) -> None:
    with pytest.raises(NoSpeechError):
        fw.transcribe(np.zeros(0, dtype=np.float32))


def test_a_cancelled_transcription_stops(fw: Transcriber, answer: Clip) -> None:
    from interviewcoach.core.errors import Cancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        fw.transcribe(answer.path, cancel=cancel)


def test_decoding_stops_at_the_next_window_once_cancelled(fw: Transcriber, answer: Clip) -> None:
    from interviewcoach.core.errors import Cancelled

    cancel = threading.Event()
    cancel.set()
    engine = tr._engine_for("faster-whisper", fw.source)  # type: ignore[attr-defined]
    with pytest.raises(Cancelled):
        engine.run(answer.samples(), cancel)


def test_the_model_loads_once_per_process(fw: Transcriber) -> None:
    before = dict(tr._ENGINES)
    other = tr.make_transcriber("faster-whisper", "tiny.en")
    other.load()
    assert before == tr._ENGINES
    assert isinstance(other, Transcriber)


def test_making_a_transcriber_imports_no_speech_library() -> None:
    """Start-up stays fast: CTranslate2, torch and whisper load with the model, not before."""
    import subprocess
    import sys

    code = (
        "import sys; from interviewcoach.core.speech.transcribe import make_transcriber; "
        "make_transcriber('faster-whisper'); make_transcriber('openai-whisper'); "
        "print(sorted(m for m in ('faster_whisper', 'ctranslate2', 'torch', 'whisper') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------- model resolution


def test_model_resolution(tmp_path: Path) -> None:
    bundled = tr.bundled_model_path()
    assert tr.resolve_model("faster-whisper", None) == tr.ModelSource("tiny.en", "ct2", path=bundled)
    assert tr.resolve_model("openai-whisper", "tiny.en").path == bundled
    assert tr.resolve_model("faster-whisper", str(bundled)).kind == "ct2"
    assert tr.resolve_model("faster-whisper", str(bundled / "model.bin")).path == bundled
    checkpoint = tmp_path / "small.pt"
    checkpoint.write_bytes(b"x")
    assert tr.resolve_model("openai-whisper", str(checkpoint)) == tr.ModelSource(
        str(checkpoint), "pt", path=checkpoint
    )
    assert tr.resolve_model("openai-whisper", "base.en").kind == "name"


@pytest.mark.parametrize(
    ("engine", "model", "message"),
    [
        ("whisper.cpp", None, "unknown engine"),
        ("faster-whisper", "EMPTY_DIR", "no model.bin"),
        ("faster-whisper", "PT_FILE", "cannot load an openai-whisper .pt"),
        ("faster-whisper", "TEXT_FILE", "not a model"),
        ("faster-whisper", "tiny-but-wrong", "unknown model"),
        ("openai-whisper", "nowhere/model.pt", "no such model file"),
    ],
)
def test_models_that_cannot_be_used_are_explained(
    tmp_path: Path, engine: str, model: str | None, message: str
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "model.pt").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    paths = {
        "EMPTY_DIR": tmp_path / "empty",
        "PT_FILE": tmp_path / "model.pt",
        "TEXT_FILE": tmp_path / "notes.txt",
    }
    value = str(paths[model]) if model in paths else model
    with pytest.raises(UserError, match=message):
        tr.make_transcriber(engine, value)


def test_a_model_name_that_needs_a_download_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty hub cache: faster-whisper must not go to the network for it.
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    with pytest.raises(UserError, match="never downloads models") as caught:
        tr.make_transcriber("faster-whisper", "base.en").load()
    assert "tiny.en" in str(caught.value)


@pytest.mark.openai
def test_an_openai_model_name_not_in_its_cache_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("whisper")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(UserError, match=r"never downloads models.*whisper/small\.en\.pt"):
        tr.make_transcriber("openai-whisper", "small.en").load()


# ---------------------------------------------------------------------------- openai-whisper


@pytest.fixture(scope="module")
def ow() -> Transcriber:
    pytest.importorskip("whisper", reason="the openai-whisper engine is not installed")
    transcriber = tr.make_transcriber("openai-whisper")
    transcriber.load()
    return transcriber


@pytest.mark.openai
@pytest.mark.slow
def test_both_engines_give_the_same_words(ow: Transcriber, fw_answer: Transcript, answer: Clip) -> None:
    theirs = ow.transcribe(answer.path)
    assert theirs.engine == "openai-whisper"
    assert theirs.model == "tiny.en"
    ours, other = _words(fw_answer), _words(theirs)
    # Same words in the same order. One near-tie on synthetic speech ("score"/"store") can tip
    # either way between int8 and float32 runs, so a single substituted word is tolerated.
    assert len(ours) == len(other), (ours, other)
    assert sum(a != b for a, b in zip(ours, other, strict=True)) <= 1, (ours, other)
    # int8 (faster-whisper) against float32 (openai-whisper): starts agree; a word before a
    # silence may end anywhere in that silence, so ends agree for most words only.
    pairs = list(zip(theirs.words, fw_answer.words, strict=True))
    assert all(abs(a.start - b.start) <= 0.15 for a, b in pairs), pairs
    assert sum(abs(a.end - b.end) <= 0.15 for a, b in pairs) >= 0.85 * len(pairs), pairs
    assert [round(p.start, 1) for p in theirs.pauses] == [round(p.start, 1) for p in fw_answer.pauses]


@pytest.mark.openai
def test_openai_decoding_stops_at_the_next_window_once_cancelled(ow: Transcriber, answer: Clip) -> None:
    from interviewcoach.core.errors import Cancelled

    cancel = threading.Event()
    cancel.set()
    engine = tr._engine_for("openai-whisper", ow.source)  # type: ignore[attr-defined]
    with pytest.raises(Cancelled):
        engine.run(answer.samples(), cancel)
    # The stand-in progress bar stays harmless for the next, uncancelled answer.
    assert engine.run(answer.samples()[: 16000 * 4], None).words


@pytest.mark.openai
def test_openai_engine_reports_no_speech_too(ow: Transcriber, speech: SpeechMaker) -> None:
    with pytest.raises(NoSpeechError):
        ow.transcribe(speech.noise(3.0, dbfs=-40))


# ---------------------------------------------------------------------------- commands


TRANSCRIBE_KEYS = {"text", "duration_s", "speech_s", "engine", "model", "words", "fillers", "pauses"}


def test_transcribe_json_contract(answer: Clip) -> None:
    result = CliRunner().invoke(app, ["transcribe", str(answer.path), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == TRANSCRIBE_KEYS
    assert data["engine"] == "faster-whisper"
    assert data["model"] == "tiny.en"
    assert all(set(w) == {"word", "start", "end", "probability"} for w in data["words"])
    assert all(set(f) == {"text", "kind", "start", "end"} for f in data["fillers"])
    assert all(f["kind"] in ("filled_pause", "lexical") for f in data["fillers"])
    assert [set(p) for p in data["pauses"]] and all(set(p) == {"start", "end"} for p in data["pauses"])
    assert "radiology" in data["text"].lower()


def test_transcribe_text_report(answer: Clip) -> None:
    result = CliRunner().invoke(app, ["transcribe", str(answer.path)])
    assert result.exit_code == 0, result.stderr
    assert "radiology" in result.stdout.lower()
    assert "Pauses of 1 s or more: 1" in result.stdout


def test_transcribe_uses_the_saved_model(answer: Clip, tmp_path: Path) -> None:
    # The model saved with `interviewcoach model` is the one every command transcribes with.
    data = tmp_path / "saved"
    folder = tmp_path / "my-whisper"
    shutil.copytree(tr.bundled_model_path(), folder)
    update_settings(data, model=str(folder))
    result = CliRunner().invoke(app, ["transcribe", str(answer.path), "--json", "--data-dir", str(data)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["model"] == str(folder)
    result = CliRunner().invoke(
        app, ["transcribe", str(answer.path), "--json", "--model", "tiny.en", "--data-dir", str(data)]
    )
    assert json.loads(result.stdout)["model"] == "tiny.en"


def test_transcribe_falls_back_to_tiny_en_when_the_saved_model_is_gone(answer: Clip, tmp_path: Path) -> None:
    data = tmp_path / "saved"
    update_settings(data, model=str(tmp_path / "gone"))
    result = CliRunner().invoke(app, ["transcribe", str(answer.path), "--json", "--data-dir", str(data)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["model"] == "tiny.en"
    assert "the saved model cannot be used" in result.stderr


def test_transcribe_silence_exits_2(speech: SpeechMaker) -> None:
    result = CliRunner().invoke(app, ["transcribe", str(speech.silence(3.0))])
    assert result.exit_code == 2
    assert "no speech detected" in result.stderr
    assert "Traceback" not in result.stderr


def test_score_with_audio_fills_delivery_metrics(speech: SpeechMaker, bank: QuestionBank) -> None:
    question = (
        next(q for q in bank if q.rubric == "setback")
        if any(q.rubric == "setback" for q in bank)
        else next(iter(bank))
    )
    clip = speech.clip(
        [
            "I failed Step one on my first attempt because I studied passively.",
            Silence(1.3),
            "I switched to a fixed question schedule and practice exams every two weeks.",
            "Then I scored two hundred and forty eight on Step two.",
        ]
    )
    result = CliRunner().invoke(
        app, ["score", "--question", question.id, "--audio", str(clip.path), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    metrics = data["metrics"]
    assert metrics["duration_s"] == pytest.approx(clip.duration_s, abs=0.01)
    assert 100 < metrics["words_per_minute"] < 220
    assert metrics["long_pause_count"] == 1
    heard = [f for f in data["transcript"]["fillers"] if f["kind"] == "filled_pause"]
    assert metrics["filled_pause_count"] == len(heard)
    assert metrics["filler_count"] >= metrics["filled_pause_count"]
    assert "transcript" in data and data["transcript"]["words"]
    assert data["transcript"]["engine"] == "faster-whisper"


def test_score_silence_exits_2_without_a_score(speech: SpeechMaker, bank: QuestionBank) -> None:
    question = next(iter(bank)).id
    result = CliRunner().invoke(app, ["score", "-q", question, "--audio", str(speech.silence(3.0)), "--json"])
    assert result.exit_code == 2
    assert "no speech detected" in result.stderr
    assert result.stdout == ""
