"""Word errors on long answers: the whole file transcribed at once against the same audio streamed.

Generated answers (espeak-ng; `bench/time_to_feedback.py`'s script about a failed Step 1, its
sentences with a different pause after each in every answer) are transcribed two ways with the
app's model: whole, as `transcribe`, `score --audio` and the after-stop fallback do, and chunk by
chunk as the app does while the student speaks (the streamer unthreaded, so the chunks depend on
the audio alone, as on an idle machine). For each, the word error rate against the script and the
stretches of detected voice left without a word (speech Whisper skipped; `transcribe.missed_stretches`).

Whisper's long-form loop can move on to the next 30 s window and leave the rest of the one before it
undecoded; the whole-file path decodes those stretches again (`transcribe.fill_missed`).
`--no-fill` shows the whole-file figures without that.

    python bench/long_answers.py                      # 12 answers of 180 s
    python bench/long_answers.py --seconds 90 --answers 6 --seed 100
    python bench/long_answers.py --voice festival:cmu_us_slt_arctic_hts --answers 6 --seed 301
    python bench/long_answers.py --full-window        # chunks encoded in Whisper's whole 30 s window
    python bench/long_answers.py --no-provisional     # the stop decodes all audio since the last cut
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.time_to_feedback import QUESTION_ID, make_answer, wer  # noqa: E402
from tests.speech import SpeechMaker  # noqa: E402

BLOCK = 800  # 50 ms, the recorder's block


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="length of each answer")
    parser.add_argument("--answers", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1, help="the first answer's seed (its pauses)")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument(
        "--voice", default="en-us", help="espeak-ng voice, or festival:NAME / flite:NAME (tests/speech.py)"
    )
    parser.add_argument("--no-fill", action="store_true", help="whole files without decoding skipped speech")
    parser.add_argument(
        "--full-window",
        action="store_true",
        help="streamed chunks encoded in a full 30 s window, as before encoder_window (for before/after)",
    )
    parser.add_argument(
        "--no-provisional",
        action="store_true",
        help="no chunk decoded before its whole lookahead (streaming.PROVISIONAL_S), for before/after",
    )
    args = parser.parse_args()

    from interviewcoach.core.session import build_services, vocabulary
    from interviewcoach.core.speech import transcribe as tr
    from interviewcoach.core.speech.acoustics import speech_regions
    from interviewcoach.core.speech.streaming import PROVISIONAL_S, StreamingTranscriber

    if args.full_window:
        from interviewcoach.core.speech import encoder_window

        encoder_window.FLOOR_FRAMES = encoder_window.WINDOW_FRAMES
    if args.no_fill:
        tr.fill_missed = lambda raw, *_: raw  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="long-") as tmp:
        folder = Path(tmp)
        maker = SpeechMaker(folder / "speech", voice=args.voice)
        services = build_services(data_dir=folder / "data", model=args.model, with_store=False)
        transcriber = services.transcriber
        assert transcriber is not None
        terms = vocabulary(services, services.bank.get(QUESTION_ID))
        totals = {"whole": 0, "streamed": 0}
        per_answer: dict[str, list[int]] = {"whole": [], "streamed": []}
        words = 0
        provisional = 0
        print("| answer | words | errors, whole file | errors, streamed | voice left without words (s) |")
        print("|---|---|---|---|---|")
        for seed in range(args.seed, args.seed + args.answers):
            clip = make_answer(maker, args.seconds, seed=seed)
            audio, _ = sf.read(clip.path, dtype="float32")
            whole = transcriber.transcribe(clip.path, vocabulary=terms)
            stream = StreamingTranscriber(
                transcriber,
                threaded=False,
                vocabulary=terms,
                provisional_s=None if args.no_provisional else PROVISIONAL_S,
            )
            for i in range(0, len(audio), BLOCK):
                stream.feed(audio[i : i + BLOCK])
            streamed = stream.finish()
            provisional += stream.outcome.provisional
            regions = speech_regions(audio)
            missed = []
            for name, transcript in (("whole", whole), ("streamed", streamed)):
                errors, count = wer(clip.text, transcript.text)
                totals[name] += errors
                per_answer[name].append(errors)
                stretches = tr.missed_stretches(transcript.words, regions, len(audio) / 16000)
                missed.append(sum(b - a for a, b in stretches))
            words += count
            print(
                f"| {seed} | {count} | {per_answer['whole'][-1]} | {per_answer['streamed'][-1]} "
                f"| {missed[0]:.1f} / {missed[1]:.1f} |",
                flush=True,
            )
        print(
            f"\n{args.answers} answers of {args.seconds:g} s, {words} words, {args.model}, voice {args.voice}"
            f"{' (no fill)' if args.no_fill else ''}: WER whole file {100 * totals['whole'] / words:.1f}% "
            f"(median {statistics.median(per_answer['whole']):g} errors an answer), streamed "
            f"{100 * totals['streamed'] / words:.1f}% "
            f"(median {statistics.median(per_answer['streamed']):g}); "
            f"the chunk before the tail was provisional in {provisional} of {args.answers}"
        )


if __name__ == "__main__":
    main()
