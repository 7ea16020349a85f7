"""Benchmark the recorder: CPU while recording, start-to-first-block latency, dropouts under load.

Runs real PortAudio against a private PulseAudio null sink (tests/audio_rig.py) that plays speech in
real time, as a microphone would. Targets: under 5% of one core while recording, under 100 ms from
the start request to the first captured block.

    python bench/recording.py [--seconds 10] [--starts 10] [--json]

CPU is this process's user+system time (every thread: PortAudio's, the writer) over wall time,
from resource.getrusage. Figures are noisy on a shared machine; run it on an idle one.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewcoach.core.audio.recorder import SoundDeviceRecorder  # noqa: E402
from tests.audio_rig import PulseMic, align, load_mono, reinit_portaudio, wait_for  # noqa: E402

SHARED_SPEECH = ROOT.parent / "shared" / "audio" / "jfk.flac"


def speech_wav(folder: Path) -> Path:
    """Human speech when the shared clip is there, else a generated answer; as 16 kHz mono WAV."""
    import subprocess

    out = folder / "speech16k.wav"
    if SHARED_SPEECH.exists():
        subprocess.run(
            ["sox", "-D", str(SHARED_SPEECH), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True
        )
        return out
    from tests.audio_rig import ANSWER_TEXT
    from tests.speech import SpeechMaker

    return SpeechMaker(folder / "speech").say(ANSWER_TEXT).path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def first_block_latency(recorder: SoundDeviceRecorder, folder: Path, starts: int) -> list[float]:
    latencies = []
    for i in range(starts):
        recording = recorder.start(folder / f"start-{i}.wav")
        wait_for(lambda r=recording: r.first_block_at is not None, timeout=5)
        recording.stop()
        if recording.first_block_latency_s is not None:
            latencies.append(recording.first_block_latency_s)
    return latencies


def record_while_playing(
    mic: PulseMic,
    recorder: SoundDeviceRecorder,
    speech: Path,
    path: Path,
    seconds: float,
    load: threading.Thread | None = None,
) -> dict[str, float]:
    """Record `seconds` while speech plays (looped); CPU share of one core and fidelity."""
    recording = recorder.start(path)
    wait_for(lambda: recording.first_block_at is not None, timeout=5)
    wall0, cpu0 = time.monotonic(), cpu_seconds()
    if load is not None:
        load.start()
    deadline = wall0 + seconds
    while time.monotonic() < deadline:
        player = mic.play(speech)
        while player.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if player.poll() is None:
            player.terminate()
            player.wait()
    answer = recording.stop()
    cpu, wall = cpu_seconds() - cpu0, time.monotonic() - wall0
    if load is not None:
        load.join()
    reference = load_mono(speech)
    _, corr = align(load_mono(answer.path)[: len(reference) + 16000], reference)
    return {
        "wall_s": round(wall, 2),
        "cpu_percent_of_one_core": round(100 * cpu / wall, 2),
        "overflows": recording.overflows,
        "correlation_first_pass": round(corr, 5),
    }


def spacy_load() -> None:
    """What the app does while you answer: load the language model (holds the GIL in long stretches)."""
    from interviewcoach.core.scoring.analysis import get_nlp

    get_nlp()


def run_one(latency: str, seconds: float, starts: int, resample: bool) -> dict[str, object]:
    """One latency setting in a fresh process, so each pays for its own model load."""
    import os

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-recording-") as tmp:
        folder = Path(tmp)
        speech = speech_wav(folder)
        mic = PulseMic(folder / "pulse")
        try:
            os.environ.update(mic.env)
            reinit_portaudio()
            recorder = SoundDeviceRecorder(latency=latency)
            lat = first_block_latency(recorder, folder, starts)
            results["first_block_ms"] = {
                "median": round(1000 * statistics.median(lat), 1),
                "max": round(1000 * max(lat), 1),
                "n": len(lat),
            }
            results["recording"] = record_while_playing(mic, recorder, speech, folder / "rec.wav", seconds)
            results["recording_while_loading_spacy"] = record_while_playing(
                mic, recorder, speech, folder / "load.wav", seconds, load=threading.Thread(target=spacy_load)
            )
            if resample:
                results["recording_48k_capture_resampled"] = record_while_playing(
                    mic,
                    SoundDeviceRecorder(latency=latency, samplerate=48000),
                    speech,
                    folder / "rec-48k.wav",
                    seconds,
                )
        finally:
            mic.stop()
    return results


def main() -> None:
    import subprocess

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--latency", action="append", help="low, high (default: both)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seconds, args.starts, resample=args.one == "low")))
        return
    results = {}
    for latency in args.latency or ["low", "high"]:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                latency,
                "--seconds",
                str(args.seconds),
                "--starts",
                str(args.starts),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results[latency] = json.loads(out.stdout.strip().splitlines()[-1])
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for latency, figures in results.items():
        for key, value in figures.items():
            print(f"latency={latency:5} {key:34} {value}")


if __name__ == "__main__":
    main()
