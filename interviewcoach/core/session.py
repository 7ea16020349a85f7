"""One practice attempt end to end (record -> transcribe -> score -> save), shared by CLI and TUI.

`build_services` is the single factory for the real services; interfaces call the functions here
rather than wiring engines themselves, so `interviewcoach record --question` and the TUI behave alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

# What the interfaces use of the layers below, named in one place: the CLI and the TUI take the
# core's working parts only from here and from the leaf modules (an import contract checks it).
# Importing these costs nothing heavy: each loads its libraries (spaCy, Whisper, PortAudio) on use.
from interviewcoach.core.audio.recorder import (
    AudioUnavailableError as AudioUnavailableError,
)
from interviewcoach.core.audio.recorder import (
    SoundDeviceRecorder as SoundDeviceRecorder,
)
from interviewcoach.core.audio.recorder import (
    discard_recording as discard_recording,
)
from interviewcoach.core.audio.recorder import (
    forget_recording_elsewhere as forget_recording_elsewhere,
)
from interviewcoach.core.audio.recorder import (
    list_devices as list_devices,
)
from interviewcoach.core.audio.recorder import (
    note_recording_elsewhere as note_recording_elsewhere,
)
from interviewcoach.core.audio.recorder import (
    recover_interrupted as recover_interrupted,
)
from interviewcoach.core.audio.recorder import (
    release_recording as release_recording,
)
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import load_content
from interviewcoach.core.errors import Cancelled, UserError
from interviewcoach.core.history.store import Store
from interviewcoach.core.models import Question, Score, Transcript, Word
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.paths import ensure_private_dir
from interviewcoach.core.protocols import AttemptStore, Recorder, Transcriber
from interviewcoach.core.scoring.analysis import (
    analyze_many as analyze_many,
)
from interviewcoach.core.scoring.analysis import warm_up as warm_up_analysis
from interviewcoach.core.scoring.detectors.delivery import (
    FillerParams as FillerParams,
)
from interviewcoach.core.scoring.detectors.delivery import (
    PaceParams as PaceParams,
)
from interviewcoach.core.scoring.detectors.delivery import (
    PauseParams as PauseParams,
)
from interviewcoach.core.scoring.detectors.delivery import (
    pauses_allowed as pauses_allowed,
)
from interviewcoach.core.scoring.detectors.substance import warm_up as warm_up_questions
from interviewcoach.core.scoring.detectors.talking_points import (
    talking_points_json as talking_points_json,
)
from interviewcoach.core.scoring.detectors.talking_points import (
    talking_points_report as talking_points_report,
)
from interviewcoach.core.scoring.engine import prepare as prepare_score
from interviewcoach.core.scoring.engine import (
    score as score,
)
from interviewcoach.core.scoring.engine import (
    score_many as score_many,
)
from interviewcoach.core.scoring.rubrics import (
    Criterion as Criterion,
)
from interviewcoach.core.scoring.rubrics import (
    Rubric as Rubric,
)
from interviewcoach.core.scoring.rubrics import (
    RubricSet as RubricSet,
)
from interviewcoach.core.scoring.verbal import (
    hedge_report as hedge_report,
)
from interviewcoach.core.scoring.verbal import (
    repetition_report as repetition_report,
)
from interviewcoach.core.settings import load_settings
from interviewcoach.core.speech.prosody import (
    variety_report as variety_report,
)
from interviewcoach.core.speech.streaming import (
    StreamingTranscriber as StreamingTranscriber,
)
from interviewcoach.core.speech.streaming import (
    StreamState as StreamState,
)
from interviewcoach.core.speech.streaming import decoder_for
from interviewcoach.core.speech.transcribe import DEFAULT_FILLERS, tidy_words
from interviewcoach.core.speech.transcribe import DEFAULT_MODEL as DEFAULT_MODEL
from interviewcoach.core.speech.transcribe import (
    ModelChoice as ModelChoice,
)
from interviewcoach.core.speech.transcribe import (
    make_transcriber as make_transcriber,
)
from interviewcoach.core.speech.transcribe import (
    model_choices as model_choices,
)
from interviewcoach.core.speech.transcribe import (
    transcribe_answer as transcribe_answer,
)
from interviewcoach.core.speech.vocabulary import (
    vocabulary_for as vocabulary_for,
)

if TYPE_CHECKING:
    from interviewcoach.core.protocols import Recording


@dataclass
class Services:
    """What an interface drives: the content, and the recorder, transcriber and store if any."""

    bank: QuestionBank
    rubrics: RubricSet
    data_dir: Path
    transcriber: Transcriber | None = None
    recorder: Recorder | None = None
    store: AttemptStore | None = None

    def transcript_for(self, transcript: Transcript) -> Transcript:
        return transcript


def build_services(
    *,
    data_dir: Path | str | None = None,
    engine: str = "faster-whisper",
    model: str | None = None,
    device: str | int | None = None,
    with_store: bool = True,
    fillers: str | None = None,
) -> Services:
    """The real services. Nothing heavy loads here: models load on first use or in `warm_up`."""
    bank, rubrics = load_content()
    directory = resolve_data_dir(data_dir)
    store = None
    if with_store:
        store = Store(directory)
    return Services(
        bank=bank,
        rubrics=rubrics,
        data_dir=directory,
        transcriber=make_transcriber(engine, model, fillers=fillers or DEFAULT_FILLERS),
        recorder=SoundDeviceRecorder(device=device),
        store=store,
    )


def model_to_use(
    data_dir: Path | str | None, engine: str, chosen: str | None = None
) -> tuple[str | None, str]:
    """The Whisper model to transcribe with: `chosen` (a `--model`) if given, else the saved one.

    Returns the model (None: the bundled tiny.en) and a note for the student, empty unless the saved
    model cannot be used: a model whose packages were since uninstalled, or a settings file that
    cannot be read, must not keep the student from practising, so tiny.en is used and that is said.
    An explicit choice is returned as is; loading it reports its own problem.
    """
    if chosen is not None:
        return chosen, ""
    try:
        saved = load_settings(data_dir).model
    except UserError:
        return None, ""  # a bad settings file is reported where the settings are used
    if saved is None:
        return None, ""
    try:
        make_transcriber(engine, saved)
    except UserError as exc:
        return None, f"the saved model cannot be used ({exc}); using tiny.en"
    return saved, ""


def vocabulary(services: Services, question: Question | None) -> list[str]:
    """Terms for Whisper's prompt: the question's own, then the IR list and the bank's."""

    return vocabulary_for(question, services.bank)


def warm_up(services: Services) -> None:
    """Load the speech and language models now, so the first answer does not wait for them: spaCy,
    the readability counts, the story reading's noun table and the sentence model (every answer is
    checked against the bank's other questions with it), then Whisper, then the bank's questions
    as that check reads them."""
    warm_up_analysis()
    if services.transcriber is not None:
        services.transcriber.load()
    warm_up_questions(list(services.bank))


def new_recording_path(services: Services, question: Question) -> Path:
    """A fresh, private WAV path for an answer to `question`."""
    folder = ensure_private_dir(services.data_dir / "audio")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{stamp}-{question.id}.wav"


def stream_answer(
    services: Services,
    recording: Recording,
    *,
    on_partial: Callable[[str], None] | None = None,
    question: Question | None = None,
) -> StreamingTranscriber | None:
    """Start transcribing `recording` while the student speaks; call right after `recorder.start`.

    Whisper is prompted with the IR vocabulary: `question`'s own terms first when given.

    Returns None when this recording or transcriber cannot stream (then `transcribe_and_score`
    transcribes the file after the stop, as before). Pass the result to `transcribe_and_score`
    as `stream=`, or call its `close()` when the answer is discarded.
    """
    add_listener = getattr(recording, "add_listener", None)
    if services.transcriber is None or add_listener is None or decoder_for(services.transcriber) is None:
        return None
    stream = start_stream(services, question, on_partial=on_partial)
    add_listener(stream.feed)
    return stream


def start_stream(
    services: Services, question: Question | None = None, *, on_partial: Callable[[str], None] | None = None
) -> StreamingTranscriber:
    """The streaming transcriber `stream_answer` feeds from the recording (feed it yourself to stream
    audio from elsewhere). After each chunk it also works out ahead what scoring will need again
    (`prepare_score`), so less is left for after the stop."""
    assert services.transcriber is not None
    return StreamingTranscriber(
        services.transcriber,
        on_partial=on_partial,
        on_words=_prepare_score,
        vocabulary=vocabulary(services, question),
    )


def _prepare_score(words: list[Word]) -> None:
    kept, text = tidy_words(words)
    prepare_score(text, kept)


def transcribe_and_score(
    services: Services,
    question: Question,
    audio: Path,
    *,
    cancel: threading.Event | None = None,
    stream: StreamingTranscriber | None = None,
) -> Score:
    """Transcribe a recorded answer and score it; raises NoSpeechError on silence.

    With `stream` (from `stream_answer`, the recording already stopped) most of the answer is
    transcribed already; `stream.outcome.message` then says if it fell back to after the stop.
    """

    if services.transcriber is None:
        raise UserError("no transcriber configured")
    if stream is not None:
        transcript = _finish_stream(services, stream, audio, cancel, question)
    else:
        transcript = transcribe_answer(
            services.transcriber, audio, cancel=cancel, vocabulary=vocabulary(services, question)
        )
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    return score(
        question, services.rubrics.get(question.rubric), transcript=transcript, others=tuple(services.bank)
    )


def _finish_stream(
    services: Services,
    stream: StreamingTranscriber,
    audio: Path,
    cancel: threading.Event | None,
    question: Question,
) -> Transcript:

    try:
        return stream.finish(cancel)
    except UserError:
        raise
    except Exception as exc:
        # A fault in live transcription must not cost the feedback: the file is complete.
        assert services.transcriber is not None
        transcript = transcribe_answer(
            services.transcriber, audio, cancel=cancel, vocabulary=vocabulary(services, question)
        )
        stream.outcome.mode = "after_stop"
        stream.outcome.message = (
            f"Live transcription failed ({type(exc).__name__}); the answer was transcribed after you stopped."
        )
        return transcript


def score_text(services: Services, question_id: str, text: str) -> Score:
    """Score a typed answer to a question in the bank (the CLI's `score --text-file`)."""
    question = services.bank.get(question_id)
    return score(question, services.rubrics.get(question.rubric), text=text, others=tuple(services.bank))
