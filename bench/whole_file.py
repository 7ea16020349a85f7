"""Word errors of whole-file transcripts of generated answers: the app's path, the same path with
its repair of misheard stretches turned off, and no vocabulary at all.

Answers of the project's tiered sets (heldout_rank10 .. heldout_rank15, every tier, in a fixed order
for the seed) are spoken by generated voices and transcribed as `transcribe` and `score --audio` do
(faster-whisper tiny.en, the question's IR vocabulary as Whisper's prompt, whole file). Prompted,
tiny.en sometimes starts the answer over partway through a window, writing its opening again over
the speech that follows, or falls into a loop: `transcribe.misheard_stretches` finds such stretches
and decodes them again. Per voice: mean WER for each way, and every answer whose WER the repair
changed.

    python bench/whole_file.py                      # 16 answers x 4 voices (about 10 minutes)
    python bench/whole_file.py --answers 8 --voices en-us,piper --seed 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score_rank import _load, question_of  # noqa: E402
from bench.time_to_feedback import wer  # noqa: E402

SETS = tuple(ROOT / "bench" / "data" / f"heldout_rank{n}.jsonl" for n in range(10, 16))
VOICES = ("en-us", "en-gb-scotland", "festival:kal_diphone", "piper")
WAYS = ("app", "no repair", "no vocabulary")


def _sample(count: int, seed: int) -> list[dict[str, Any]]:
    items = [item for path in SETS for item in _load(path)]
    random.Random(seed).shuffle(items)
    return items[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=16)
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.session import build_services, vocabulary
    from interviewcoach.core.speech import transcribe as tr
    from tests.speech import SpeechMaker

    bank, _ = load_content()
    items = _sample(args.answers, args.seed)
    repair = (tr.misheard_stretches, tr.restarts)
    print("| voice | " + " | ".join(f"WER, {way}" for way in WAYS) + " |")
    print("|---|---|---|---|")
    changed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="whole-file-") as tmp:
        folder = Path(tmp)
        services = build_services(data_dir=folder / "data", model="tiny.en", with_store=False)
        transcriber = services.transcriber
        assert transcriber is not None
        for voice in args.voices.split(","):
            maker = SpeechMaker(folder / "speech", voice=voice, rate=150)
            rates: dict[str, list[float]] = {way: [] for way in WAYS}
            for item in items:
                question = question_of(item, bank)
                clip = maker.say(item["answer"])
                for way in WAYS:
                    if way == "no repair":
                        tr.misheard_stretches = lambda *_a, **_k: []
                        tr.restarts = lambda *_a, **_k: []
                    terms = [] if way == "no vocabulary" else vocabulary(services, question)
                    try:
                        transcript = tr.transcribe_answer(transcriber, clip.path, vocabulary=terms)
                    finally:
                        tr.misheard_stretches, tr.restarts = repair
                    errors, words = wer(item["answer"], transcript.text)
                    rates[way].append(100 * errors / max(words, 1))
                if rates["app"][-1] != rates["no repair"][-1]:
                    changed.append(
                        f"{voice} {item['id']}: {rates['no repair'][-1]:.1f}% -> {rates['app'][-1]:.1f}%"
                    )
            cells = " | ".join(f"{statistics.mean(rates[way]):.1f}%" for way in WAYS)
            print(f"| {voice} | {cells} |", flush=True)
    print(f"\n{len(items)} answers a voice (seed {args.seed}); the repair changed {len(changed)}:")
    for line in changed:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
