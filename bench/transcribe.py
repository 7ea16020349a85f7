"""Transcription speed, memory and accuracy for each engine, measured in a fresh process per engine.

For faster-whisper and openai-whisper (tiny.en, the bundled weights): model load time (imports
included), real-time factor of the whole pipeline (audio loading, voice activity, Whisper, filler
and pause analysis; after one warm-up answer, as in the app; best and median of three runs), peak
resident memory, and word error
rate on a generated ~60 s answer and on ../shared/audio/jfk.flac when that file is present.

    python bench/transcribe.py               # both engines
    python bench/transcribe.py --engine faster-whisper

Targets on a 2-core laptop CPU: faster-whisper RTF <= 0.12, openai-whisper RTF <= 0.5, WER on jfk
<= 5% with both. Timings are noisy on a shared machine: run it on an idle one for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JFK = ROOT.parent / "shared" / "audio" / "jfk.flac"
JFK_TEXT = " ".join(
    [
        "And so my fellow Americans, ask not what your country can do for you,",
        "ask what you can do for your country.",
    ]
)
ANSWER = [
    "My Step one score was lower than I wanted, and I took a hard look at how I studied.",
    "I built a schedule and did questions every morning before my rotations.",
    "My Step two score went up by twenty points, which showed me the change worked.",
    "I spent a month on the interventional radiology service at my home program.",
    "I learned to place ports and drains under supervision.",
    "I presented a poster on embolization outcomes at a regional meeting.",
    "That experience showed me how much I enjoy procedures and working with imaging.",
    "I also mentor first year students in anatomy, which keeps my fundamentals sharp.",
    "Looking back, the setback made me a better learner, and I now track my progress with practice exams.",
    "I am confident I can pass the boards on the first attempt.",
    "I would bring that same discipline to residency, and I would ask for feedback early and often.",
    "Our team reviewed every case at a weekly conference, and I learned from each complication.",
]
# Each clip is transcribed this many times; the best run is the machine's speed, the median shows the noise.
REPEATS = 3
TARGET_RTF = {"faster-whisper": 0.12, "openai-whisper": 0.5}
TARGET_WER_JFK = 0.05

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _say_number(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + _say_number(rest))
    return str(n)


def normalise(text: str) -> list[str]:
    """Lower case, no punctuation, hyphens as spaces, numbers as words: WER on words, not style."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"\d+", lambda m: " " + _say_number(int(m.group())) + " ", text)
    text = re.sub(r"[^a-z' ]+", " ", text)
    return text.split()


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[len(hyp)] / max(len(ref), 1)


def child(engine: str, clips: list[tuple[str, str, str]]) -> dict[str, object]:
    """Runs in its own process so that load time and peak memory are this engine's alone."""
    from interviewcoach.core.audiofile import load_audio

    started = time.perf_counter()
    from interviewcoach.core.transcribe import make_transcriber

    transcriber = make_transcriber(engine)
    transcriber.load()
    load_s = time.perf_counter() - started
    # The app warms the language model and the first-call paths before the first answer.
    transcriber.transcribe(load_audio(clips[0][1])[: 16000 * 5])
    results = []
    for name, path, reference in clips:
        duration = len(load_audio(path)) / 16000
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            transcript = transcriber.transcribe(Path(path))
            times.append(time.perf_counter() - t0)
        times.sort()
        results.append(
            {
                "clip": name,
                "duration_s": round(duration, 1),
                "rtf": round(times[0] / duration, 3),
                "rtf_median": round(times[len(times) // 2] / duration, 3),
                "wer": round(wer(reference, transcript.text), 3),
                "text": transcript.text,
            }
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "load_s": round(load_s, 2), "peak_mb": round(peak_mb), "clips": results}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=sorted(TARGET_RTF), action="append")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--clips", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, json.loads(args.clips))))
        return

    from tests.speech import SpeechMaker

    work = Path(tempfile.mkdtemp(prefix="bench-transcribe-"))
    answer = SpeechMaker(work / "speech").clip(ANSWER)
    clips = [("generated answer", str(answer.path), answer.text)]
    if JFK.is_file():
        clips.append(("jfk.flac", str(JFK), JFK_TEXT))
    else:
        print(f"({JFK} not found: measuring the generated answer only)")
    env = dict(os.environ, INTERVIEWCOACH_CACHE=str(work / "cache"))

    # The openai-whisper checkpoint is converted once per user; time that separately from loading.
    engines = args.engine or ["faster-whisper", "openai-whisper"]
    if "openai-whisper" in engines:
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from interviewcoach.core.whisper_convert import convert; "
                "from interviewcoach.core.transcribe import bundled_model_path; "
                "convert(bundled_model_path())",
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
        print(f"one-time conversion for openai-whisper: {time.perf_counter() - t0:.1f} s (process included)")

    failed = False
    for engine in engines:
        out = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--clips", json.dumps(clips)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        if out.returncode != 0:
            print(f"{engine}: failed\n{out.stderr}")
            failed = True
            continue
        report = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"\n{engine}: load {report['load_s']} s (imports included), peak memory {report['peak_mb']} MB")
        for clip in report["clips"]:
            rtf_ok = clip["rtf"] <= TARGET_RTF[engine]
            line = f"  {clip['clip']:<17} {clip['duration_s']:>5} s  RTF {clip['rtf']:.3f}"
            line += f" (median {clip['rtf_median']:.3f})"
            line += f" (target {TARGET_RTF[engine]}: {'ok' if rtf_ok else 'MISSED'})  WER {clip['wer']:.1%}"
            if clip["clip"] == "jfk.flac":
                line += (
                    f" (target {TARGET_WER_JFK:.0%}: {'ok' if clip['wer'] <= TARGET_WER_JFK else 'MISSED'})"
                )
            print(line)
            print(f"    {clip['text'][:150]}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
