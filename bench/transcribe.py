"""Transcription speed, memory and accuracy for each engine, measured in a fresh process per engine.

For faster-whisper and openai-whisper and each model asked for (tiny.en, the bundled weights, by
default; `--model base` once its packages are installed): model load time (imports included),
real-time factor of the whole pipeline (audio loading, voice activity, Whisper, filler and pause
analysis; after one warm-up answer, as in the app; best and median of three runs) in wall-clock
time and in CPU time (the process's, all threads: on a machine shared with other work the CPU
figure moves less), peak resident memory, and word error rate on a generated ~60 s answer and on
../shared/audio/jfk.flac when that file is present.

    python bench/transcribe.py               # both engines, tiny.en
    python bench/transcribe.py --engine faster-whisper --model tiny.en --model base
    python bench/transcribe.py --accuracy    # only the voices part below

Accuracy on voices from two synthesiser families (espeak-ng in several voices; Festival's HTS and
diphone voices when installed), per family and voice: IR-term accuracy on 30 generated sentences
with and without the vocabulary prompt (target >= 90% with it), negations kept on 30 sentences with
"not", "never", "n't" (target: all), negations added where the script has none more (over all 60
sentences), and WER over both sets.

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

from interviewcoach.core.speech.term_correction import say_number  # noqa: E402

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


def normalise(text: str) -> list[str]:
    """Lower case, no punctuation, hyphens as spaces, numbers as words: WER on words, not style."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"\d+", lambda m: " " + say_number(int(m.group())) + " ", text)
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


def child(engine: str, model: str, clips: list[tuple[str, str, str]]) -> dict[str, object]:
    """Runs in its own process so that load time and peak memory are this engine's and model's alone."""
    from interviewcoach.core.audio.files import load_audio

    started, cpu_started = time.perf_counter(), time.process_time()
    from interviewcoach.core.speech.transcribe import make_transcriber

    transcriber = make_transcriber(engine, model)
    transcriber.load()
    load_s, load_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    # The app warms the language model and the first-call paths before the first answer.
    transcriber.transcribe(load_audio(clips[0][1])[: 16000 * 5])
    results = []
    for name, path, reference in clips:
        duration = len(load_audio(path)) / 16000
        times, cpu_times = [], []
        for _ in range(REPEATS):
            t0, c0 = time.perf_counter(), time.process_time()
            transcript = transcriber.transcribe(Path(path))
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
        times.sort()
        cpu_times.sort()
        results.append(
            {
                "clip": name,
                "duration_s": round(duration, 1),
                "rtf": round(times[0] / duration, 3),
                "rtf_median": round(times[len(times) // 2] / duration, 3),
                "cpu_rtf": round(cpu_times[len(cpu_times) // 2] / duration, 3),
                "wer": round(wer(reference, transcript.text), 3),
                "text": transcript.text,
            }
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "engine": engine,
        "model": model,
        "load_s": round(load_s, 2),
        "load_cpu_s": round(load_cpu_s, 2),
        "peak_mb": round(peak_mb),
        "clips": results,
    }


ESPEAK_VOICES = (("en-us", 160), ("en-gb", 150), ("en-us+f3", 175))
TARGET_TERMS = 0.90


def voice_family(voice: str) -> str:
    if voice.startswith("festival:"):
        return "festival-hts" if voice.endswith("_hts") else "festival-diphone"
    return "espeak-ng"


def accuracy_clips(work: Path, only: list[str] | None = None) -> list[dict[str, object]]:
    """One clip per sentence and voice (all, or those in `only`): {voice, kind, sentence, path}."""
    from bench.ir_speech import NEGATION_SENTENCES, TERM_SENTENCES, spoken
    from tests.speech import SpeechMaker, festival_voices

    maker = SpeechMaker(work / "speech")
    voices = [*ESPEAK_VOICES, *((v, 160) for v in festival_voices())]
    voices = [(v, rate) for v, rate in voices if not only or v in only]
    clips = []
    for voice, rate in voices:
        for kind, sentences in (("term", TERM_SENTENCES), ("negation", NEGATION_SENTENCES)):
            for sentence in sentences:
                clip = maker.clip([spoken(sentence)], voice=voice, rate=rate)
                clips.append({"voice": voice, "kind": kind, "sentence": sentence, "path": str(clip.path)})
    return clips


def accuracy_child(engine: str, model: str, clips: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each clip transcribed without and with the vocabulary for the question bank."""
    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.speech.transcribe import make_transcriber
    from interviewcoach.core.speech.vocabulary import vocabulary_for

    bank, _ = load_content()
    vocabulary = vocabulary_for(None, bank)
    transcriber = make_transcriber(engine, model)
    out = []
    for clip in clips:
        row = dict(clip)
        for label, terms in (("plain", ()), ("vocab", vocabulary)):
            t0 = time.perf_counter()
            row[label] = transcriber.transcribe(Path(str(clip["path"])), vocabulary=terms).text  # type: ignore[call-arg]
            row[label + "_s"] = round(time.perf_counter() - t0, 3)
        out.append(row)
    return out


def report_accuracy(engine: str, rows: list[dict[str, object]]) -> None:
    from bench.ir_speech import negation_added, negation_kept, reference, terms_found

    print(
        f"\n{engine}: IR terms right (30 sentences), negations kept (30), negations added (60), WER; "
        "without / with vocabulary"
    )
    groups: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(voice_family(str(row["voice"])), []).append(row)
        groups.setdefault("  " + str(row["voice"]), []).append(row)
    for name in sorted(groups, key=lambda g: (voice_family(g.strip()), g.startswith(" "), g)):
        members = groups[name]
        cells = []
        for label in ("plain", "vocab"):
            found = total = kept = negs = added = 0
            errors: list[float] = []
            for row in members:
                sentence, text = str(row["sentence"]), str(row[label])
                errors.append(wer(reference(sentence), text))
                added += negation_added(sentence, text)
                if row["kind"] == "term":
                    f, t = terms_found(sentence, text, normalise)
                    found, total = found + f, total + t
                else:
                    kept, negs = kept + negation_kept(sentence, text), negs + 1
            cells.append(
                f"terms {found / max(total, 1):.0%} ({found}/{total}), negations {kept}/{negs}, "
                f"added {added}/{len(members)}, WER {sum(errors) / len(errors):.1%}"
            )
        print(f"  {name:<34} {cells[0]}  |  {cells[1]}")
    slow = [float(str(r["vocab_s"])) / max(float(str(r["plain_s"])), 1e-6) for r in rows]
    if not slow:
        print("  no clips: no voice matched --voices")
        return
    print(f"  decode time with the vocabulary: {sorted(slow)[len(slow) // 2]:.2f}x without (median)")
    misses = [
        (r["voice"], reference(str(r["sentence"])), r["vocab"])
        for r in rows
        if (r["kind"] == "term" and len(set(terms_found(str(r["sentence"]), str(r["vocab"]), normalise))) > 1)
        or (r["kind"] == "negation" and not negation_kept(str(r["sentence"]), str(r["vocab"])))
        or negation_added(str(r["sentence"]), str(r["vocab"]))
    ]
    for voice, ref, got in misses[:12]:
        print(f"    miss ({voice}): {ref!r} -> {got!r}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=sorted(TARGET_RTF), action="append")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--clips", help=argparse.SUPPRESS)
    parser.add_argument("--accuracy", action="store_true", help="only the voices and vocabulary part")
    parser.add_argument("--accuracy-child", help=argparse.SUPPRESS)
    parser.add_argument("--voices", help="comma-separated voices for --accuracy (default: all)")
    parser.add_argument(
        "--model", action="append", help="a model to measure, repeatable (default: tiny.en; e.g. base)"
    )
    args = parser.parse_args()
    models = args.model or ["tiny.en"]
    if args.child:
        print(json.dumps(child(args.child, models[0], json.loads(args.clips))))
        return
    if args.accuracy_child:
        clips = json.loads(Path(args.clips).read_text())
        print(json.dumps(accuracy_child(args.accuracy_child, models[0], clips)))
        return
    engines = args.engine or ["faster-whisper", "openai-whisper"]
    runs = [(engine, model) for engine in engines for model in models]
    if not args.accuracy:
        speed(runs)
    accuracy(runs, args.voices.split(",") if args.voices else None)


def accuracy(runs: list[tuple[str, str]], only: list[str] | None = None) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-accuracy-"))
    clips = accuracy_clips(work, only)
    listing = work / "clips.json"
    listing.write_text(json.dumps(clips))
    env = dict(os.environ, INTERVIEWCOACH_CACHE=str(work / "cache"))
    for engine, model in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--accuracy-child", engine, "--model", model, "--clips", str(listing)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        if out.returncode != 0:
            print(f"{engine} {model}: failed\n{out.stderr[-2000:]}")
            continue
        report_accuracy(f"{engine} {model}", json.loads(out.stdout.strip().splitlines()[-1]))


def speed(runs: list[tuple[str, str]]) -> None:

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
    if any(engine == "openai-whisper" for engine, _ in runs):
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from interviewcoach.core.speech.whisper_convert import convert; "
                "from interviewcoach.core.speech.transcribe import bundled_model_path; "
                "convert(bundled_model_path())",
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
        print(f"one-time conversion for openai-whisper: {time.perf_counter() - t0:.1f} s (process included)")

    # A model from packages is joined from its parts once per user; time that apart from loading too.
    for model in dict.fromkeys(model for _, model in runs if model != "tiny.en"):
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from interviewcoach.core.speech import model_packages as m; "
                "sys.argv[1] in m.PACKAGES and m.assembled_folder(sys.argv[1])",
                model,
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
        print(
            f"one-time assembly of {model} from its packages: {time.perf_counter() - t0:.1f} s "
            "(process included)"
        )

    failed = False
    for engine, model in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--model", model, "--clips", json.dumps(clips)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        if out.returncode != 0:
            print(f"{engine} {model}: failed\n{out.stderr}")
            failed = True
            continue
        report = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"\n{engine} {model}: load {report['load_s']} s (CPU {report['load_cpu_s']} s; imports "
            f"included), peak memory {report['peak_mb']} MB"
        )
        for clip in report["clips"]:
            rtf_ok = clip["rtf"] <= TARGET_RTF[engine]
            line = f"  {clip['clip']:<17} {clip['duration_s']:>5} s  RTF {clip['rtf']:.3f}"
            line += f" (median {clip['rtf_median']:.3f}, CPU {clip['cpu_rtf']:.3f})"
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
