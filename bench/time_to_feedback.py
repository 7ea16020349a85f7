"""Time from the end of an answer to its complete scored feedback, with transcription while recording.

Generated answers of about 30 s, 90 s and 180 s (espeak-ng, pauses between sentences, different
pauses in each run) are played
through a private PulseAudio null-sink microphone (tests/audio_rig.py) into the real recorder
(PortAudio), with a StreamingTranscriber on the recorder's tap, exactly as `record --question` runs.
The recording is stopped when playback ends (the end of speech plus the clip's 0.3 s tail; `--quiet S`
adds S seconds of silence first, as a student takes a moment to reach for the stop key), and the
clock runs from that stop request to a complete Score (recording finalised, last chunk decoded,
delivery measured over the whole answer, scored). The figure is the median of --runs runs.

Accuracy: word error rate (Whisper's English normaliser) of the streamed transcript against the
script, beside the WER of the same recorded audio transcribed whole after the stop (the old path).
Targets on a 2-core machine with faster-whisper: median at most 1.0 s for every length; streamed
WER at most 1 point above whole-file.

    python bench/time_to_feedback.py                         # faster-whisper, 3 runs per length
    python bench/time_to_feedback.py --engine openai-whisper
    python bench/time_to_feedback.py --lengths 30 --runs 1 --json
    python bench/time_to_feedback.py --model base          # once its packages are installed

Beside each wall-clock figure, the process's CPU time over the same span (all threads): on a
machine shared with other work the wall clock includes waiting for a core, the CPU time does not.

`--feed wav` skips the microphone and feeds the WAV's blocks in real time (for machines without
PulseAudio); the default `--feed pulse` goes through PortAudio. Timings on a shared machine vary with
whatever else runs: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.speech import DEFAULT_JOIN_S as JOIN_S  # noqa: E402
from tests.speech import Clip, Piece, Say, Silence, SpeechMaker  # noqa: E402

QUESTION_ID = "low-score"
BLOCK = 800  # 50 ms, the recorder's block

# An applicant's answer about a failed Step 1, long enough for three minutes.
SCRIPT = (
    "Thank you for asking about my Step one score.",
    "I failed Step one on my first attempt, and I want to be direct about that.",
    "At the time I was studying passively, rereading notes and watching lectures late at night.",
    "After the result came back, I met with our learning specialist the same week.",
    "We looked at my practice exams together and found that I was missing the same topics again and again.",
    "I rebuilt my schedule around active recall and spaced repetition.",
    "Every morning I did forty timed questions before clinic.",
    "Every evening I reviewed each question I missed and wrote a one line lesson.",
    "I also joined a small study group that met twice a week.",
    "Teaching those topics out loud showed me where my understanding was thin.",
    "Three months later I passed Step one comfortably.",
    "Then I took Step two and scored two hundred and fifty one, well above the national mean.",
    "That change in method carried over into my clinical work.",
    "On my surgery rotation I prepared for every case the night before.",
    "I read the imaging myself before looking at the report.",
    "During my interventional radiology elective, I spent four weeks on the service.",
    "I learned to scrub in, prepare the sterile field, and set up the wires and catheters.",
    "The fellows taught me how to place ultrasound guided peripheral lines.",
    "By the end of the month I was placing them on my own under supervision.",
    "I saw how a single procedure could spare a patient a major operation.",
    "One patient with a bleeding ulcer was stabilized with an embolization in under an hour.",
    "That case stayed with me, and it is a big reason I want this specialty.",
    "I also started a research project on outcomes after liver tumor ablation.",
    "We reviewed two hundred cases and presented a poster at the regional meeting.",
    "I handled the data collection, and I wrote the first draft of the abstract.",
    "That project taught me to be careful and consistent with details.",
    "Outside of research, I mentor first year students in anatomy.",
    "I hold review sessions before each exam and share the study methods that worked for me.",
    "Several of them have told me it changed how they prepare.",
    "I think my setback made me a better teacher because I know what struggling feels like.",
    "Looking back, failing that exam was the hardest moment of medical school.",
    "It forced me to be honest about what was not working.",
    "It also taught me to ask for help early instead of waiting.",
    "Those habits now shape how I approach every new rotation.",
    "I track my progress with practice tests and adjust my plan every two weeks.",
    "My evaluations on the medicine and surgery clerkships were both honors.",
    "My attendings commented on my preparation and my follow through.",
    "In residency, I know the learning curve will be steep.",
    "The boards will come again, and I am confident I can pass them on the first attempt.",
    "I already have a study plan for the radiology core exam.",
    "More than the scores, I want to bring steady work and good judgment to the team.",
    "I want to be the resident who reads the chart, knows the images, and talks with the family.",
    "Interventional radiology combines imaging, procedures, and patient care in a way I love.",
    "I have seen the field grow, and I want to help it keep growing.",
    "I would be grateful for the chance to train in your program.",
    "Your program's focus on clinical care and early procedural training fits how I learn best.",
    "I believe I can contribute to your research on venous disease as well.",
    "Thank you for the chance to explain my path and what I learned from it.",
    "I am happy to talk more about any part of my application.",
    "That is the whole story of how I turned a setback into a better way to work.",
)


def make_answer(maker: SpeechMaker, seconds: float, *, seed: int = 1) -> Clip:
    """The script's first sentences, at least `seconds` long, with a 0.1-0.6 s pause after each."""
    rng = random.Random(seed)
    pieces: list[Piece | str] = []
    total = 0.6 - JOIN_S  # the clip's lead and tail silence
    for sentence in SCRIPT:
        if total >= seconds:
            break
        spoken = maker.say(sentence).duration_s - 0.6  # without that clip's lead and tail
        pause = rng.uniform(0.1, 0.6)
        pieces += [Say(sentence), Silence(pause)]
        total += spoken + pause + JOIN_S
    return maker.clip(pieces[:-1])


# ---------------------------------------------------------------------------- word error rate


def _normaliser() -> Any:
    try:
        from whisper.normalizers import EnglishTextNormalizer
    except ImportError:  # openai-whisper not installed: a plain normaliser (numbers stay as said)
        import re

        return lambda text: re.sub(r"[^a-z0-9' ]+", " ", text.lower())
    return EnglishTextNormalizer()


NORMALISE = _normaliser()


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word errors, reference words) after Whisper's English normalisation."""
    ref = NORMALISE(reference).split()
    hyp = NORMALISE(hypothesis).split()
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1], len(ref)


# ---------------------------------------------------------------------------- one answer


@dataclass
class Run:
    length: str
    audio_s: float
    feedback_s: float  # stop request -> complete Score
    feedback_cpu_s: float  # this process's CPU time over the same span
    stop_s: float  # of which: finalising the recording
    whole_s: float  # the old path: transcribe the file after the stop, then score
    errors: int
    whole_errors: int
    words: int
    chunks: int
    tail_s: float
    wait_s: float  # waiting for the chunk being decoded at the stop
    tail_decode_s: float  # decoding the last chunk
    tail_ready: bool  # the last chunk was decoded before the stop, while the student was quiet
    provisional: bool  # the chunk before it was decoded before its whole lookahead (PROVISIONAL_S)
    mode: str
    overall: int


def _load() -> str:
    with open("/proc/loadavg") as f:  # noqa: PTH123 - Linux only, like the rest of the bench
        return " ".join(f.read().split()[:3])


class Answerer:
    """Answers a question by playing a clip into the microphone (or feeding it), times the feedback."""

    def __init__(
        self,
        engine: str,
        feed: str,
        folder: Path,
        fillers: str | None = None,
        model: str | None = None,
        quiet_s: float = 0.0,
        keep: Path | None = None,
    ) -> None:
        from interviewcoach.core.session import build_services, warm_up

        self.feed = feed
        self.keep = keep
        self.quiet_s = quiet_s
        self.folder = folder
        self.pulse: Any = None
        if feed == "pulse":
            from tests.audio_rig import PulseMic, reinit_portaudio

            self.pulse = PulseMic(folder / "pulse")
            os.environ.update(self.pulse.env)
            reinit_portaudio()
        self.services = build_services(
            data_dir=folder / "data", engine=engine, model=model, with_store=False, fillers=fillers
        )
        assert self.services.transcriber is not None
        # As the app does in the background at start-up: Whisper and the whole analysis (spaCy, the
        # readability counts, the noun table, the sentence model the other-question check uses).
        warm_up(self.services)
        self.question = self.services.bank.get(QUESTION_ID)
        self.rubric = self.services.rubrics.get(self.question.rubric)
        from interviewcoach.core.scoring.engine import score

        score(self.question, self.rubric, text="A first answer warms the scorer: I failed Step one once.")

    def close(self) -> None:
        if self.pulse is not None:
            self.pulse.stop()

    def answer(self, clip: Clip, length: str, index: int) -> Run:
        from interviewcoach.core.session import stream_answer, transcribe_and_score
        from tests.audio_rig import wait_for

        services = self.services
        path = self.folder / f"answer-{length}-{index}.wav"
        if self.feed == "pulse":
            recorder = services.recorder
            assert recorder is not None
            recording = recorder.start(path, max_seconds=clip.duration_s + 60)
            stream = stream_answer(services, recording, question=self.question)
            assert stream is not None, "the recorder has no audio tap"
            wait_for(lambda: recording.elapsed_s > 0.2, timeout=10)
            self.pulse.play(clip.path).wait(timeout=clip.duration_s + 60)
            time.sleep(self.quiet_s)  # the student, quiet, reaching for the stop key
            began, cpu_began = time.monotonic(), time.process_time()
            answer = recording.stop()
            stopped = time.monotonic()
            audio_path = answer.path
        else:
            from interviewcoach.core.session import start_stream

            stream = start_stream(services, self.question)
            samples = np.concatenate([clip.samples(), np.zeros(round(self.quiet_s * 16000), np.float32)])
            start = time.monotonic()
            for i in range(0, len(samples), BLOCK):
                stream.feed(samples[i : i + BLOCK])
                time.sleep(max(0.0, start + (i + BLOCK) / 16000 - time.monotonic()))
            began = stopped = time.monotonic()
            cpu_began = time.process_time()
            audio_path = clip.path
        result = transcribe_and_score(services, self.question, audio_path, stream=stream)
        done, cpu_done = time.monotonic(), time.process_time()
        assert result.transcript is not None

        # The old path on the same audio: the whole file transcribed after the stop, as the app
        # does it (with the question's vocabulary in Whisper's prompt, as the stream has).
        whole_began = time.monotonic()
        whole_score = transcribe_and_score(services, self.question, audio_path)
        whole_s = time.monotonic() - whole_began
        whole = whole_score.transcript
        assert whole is not None

        errors, words = wer(clip.text, result.transcript.text)
        whole_errors, _ = wer(clip.text, whole.text)
        if self.keep is not None:
            # What a look at the streamed errors needs: the audio, both transcripts, where it was cut.
            self.keep.mkdir(parents=True, exist_ok=True)
            name = f"{length}-{index}"
            shutil.copyfile(audio_path, self.keep / f"{name}.wav")
            record = {
                "script": clip.text,
                "streamed": result.transcript.text,
                "whole": whole.text,
                "spans": stream.outcome.spans,
                "mode": stream.outcome.mode,
                "words": [(w.word, w.start, w.end) for w in result.transcript.words],
            }
            (self.keep / f"{name}.json").write_text(json.dumps(record, indent=1))
        return Run(
            length=length,
            audio_s=round(result.transcript.duration_s, 1),
            feedback_s=round(done - began, 3),
            feedback_cpu_s=round(cpu_done - cpu_began, 3),
            stop_s=round(stopped - began, 3),
            whole_s=round(whole_s, 2),
            errors=errors,
            whole_errors=whole_errors,
            words=words,
            chunks=stream.outcome.chunks,
            tail_s=stream.outcome.tail_s,
            wait_s=stream.outcome.wait_s,
            tail_decode_s=stream.outcome.tail_decode_s,
            tail_ready=stream.outcome.tail_ready,
            provisional=stream.outcome.provisional,
            mode=stream.outcome.mode,
            overall=result.overall,
        )


# ---------------------------------------------------------------------------- the table


def summarise(engine: str, runs: list[Run], model: str = "tiny.en") -> list[dict[str, Any]]:
    rows = []
    for length in dict.fromkeys(r.length for r in runs):
        mine = [r for r in runs if r.length == length]
        words = sum(r.words for r in mine)
        rows.append(
            {
                "engine": engine,
                "model": model,
                "length": length,
                "audio_s": mine[0].audio_s,
                "runs": len(mine),
                "feedback_median_s": round(statistics.median(r.feedback_s for r in mine), 2),
                "feedback_max_s": round(max(r.feedback_s for r in mine), 2),
                "feedback_cpu_median_s": round(statistics.median(r.feedback_cpu_s for r in mine), 2),
                "whole_file_median_s": round(statistics.median(r.whole_s for r in mine), 2),
                "wer_streamed": round(sum(r.errors for r in mine) / words, 4),
                "wer_whole": round(sum(r.whole_errors for r in mine) / words, 4),
                "chunks": round(statistics.mean(r.chunks for r in mine), 1),
                "tail_s": round(statistics.mean(r.tail_s for r in mine), 1),
                "after_stop_runs": sum(r.mode != "streamed" for r in mine),
                "tail_ready_runs": sum(r.tail_ready for r in mine),
                "provisional_runs": sum(r.provisional for r in mine),
                "tail_decode_s": (min(r.tail_decode_s for r in mine), max(r.tail_decode_s for r in mine)),
            }
        )
    return rows


def print_table(rows: list[dict[str, Any]], load: str, feed: str) -> None:
    print(f"\nfeed: {feed}; load average (1, 5, 15 min) at the end: {load}")
    print(
        "| engine | model | answer | stop -> scored feedback, median (max) | CPU time, median "
        "| old path: whole file after stop | WER streamed | WER whole file | chunks | last chunk "
        "| decoded after the stop in | fell back | last chunk ready at the stop "
        "| chunk before it provisional |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['engine']} | {r['model']} | {r['audio_s']:.0f} s | {r['feedback_median_s']:.2f} s "
            f"({r['feedback_max_s']:.2f} s) | {r['feedback_cpu_median_s']:.2f} s "
            f"| {r['whole_file_median_s']:.1f} s "
            f"| {100 * r['wer_streamed']:.1f}% | {100 * r['wer_whole']:.1f}% | {r['chunks']:g} "
            f"| {r['tail_s']:.1f} s | {r['tail_decode_s'][0]:.2f}-{r['tail_decode_s'][1]:.2f} s "
            f"| {r['after_stop_runs']}/{r['runs']} "
            f"| {r['tail_ready_runs']}/{r['runs']} | {r['provisional_runs']}/{r['runs']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="faster-whisper", choices=("faster-whisper", "openai-whisper"))
    parser.add_argument("--lengths", default="30,90,180", help="answer lengths in seconds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.0,
        help="seconds of silence after the answer before the stop (the student reaching for the key)",
    )
    parser.add_argument("--feed", default="pulse", choices=("pulse", "wav"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--fillers", choices=("acoustic", "whisper", "both"), help="filled-pause method")
    parser.add_argument("--model", default="tiny.en", help="the Whisper model (tiny.en, base, a folder)")
    parser.add_argument(
        "--keep", type=Path, help="save each run's recording, both transcripts and the chunk spans here"
    )
    args = parser.parse_args()

    lengths = [float(x) for x in args.lengths.split(",")]
    with tempfile.TemporaryDirectory(prefix="ttf-") as tmp:
        folder = Path(tmp)
        maker = SpeechMaker(folder / "speech")
        # Each run its own answer (the same sentences, other pauses): tiny.en's errors on one
        # recording repeat run after run, so one clip played three times would be one sample.
        clips = {
            (f"{length:g}s", index): make_answer(maker, length, seed=index + 1)
            for length in lengths
            for index in range(args.runs)
        }
        answerer = Answerer(args.engine, args.feed, folder, args.fillers, args.model, args.quiet, args.keep)
        runs: list[Run] = []
        try:
            for (length, index), clip in clips.items():
                run = answerer.answer(clip, length, index)
                runs.append(run)
                if not args.json:
                    print(
                        f"{args.engine} {args.model} {length} run {index + 1}: "
                        f"feedback {run.feedback_s:.2f} s (CPU {run.feedback_cpu_s:.2f} s) "
                        f"(stop {run.stop_s:.2f} s, waited {run.wait_s:.2f} s, last chunk "
                        f"{run.tail_s:.1f} s decoded in {run.tail_decode_s:.2f} s, {run.mode}), "
                        f"whole-file path {run.whole_s:.1f} s, WER {run.errors}/{run.words} "
                        f"vs whole {run.whole_errors}/{run.words}",
                        flush=True,
                    )
        finally:
            answerer.close()
    rows = summarise(args.engine, runs, args.model)
    if args.json:
        print(json.dumps({"load": _load(), "feed": args.feed, "rows": rows}, indent=2))
    else:
        print_table(rows, _load(), args.feed)


if __name__ == "__main__":
    main()
