"""Does an answer get the same content verdicts spoken as typed, on many answers and voices?

`tests/unit/test_spoken_typed.py` holds five answers to that; this measures it wider. Answers of
the project's own tiered sets (`bench/data/heldout_rank2` .. `heldout_rank9`, every tier, to
questions outside the bank, scored as an advisor's question is) are spoken by generated voices of
three synthesiser families, transcribed by the app's own path (faster-whisper tiny.en with the IR
vocabulary, as a whole file) and scored beside their typed text. Per voice it reports:

- content verdicts kept: the share of (answer, content criterion) verdicts, pass or fall short, the
  same spoken as typed (brevity left out: it reads the spoken length, which the voice sets);
- answers with every content verdict the same;
- the mean and largest difference of the overall score;
- WER of the transcript against the text (Whisper's English normalisation);
- which criteria flip most, and in which direction.

A difference comes from the transcript: words Whisper got wrong, and sentences cut elsewhere.

Usage: python bench/spoken_typed.py [--answers N] [--voices V,V,...] [--seed S]
   (voices as tests/speech.py names them: an espeak-ng voice, festival:NAME, flite:NAME, piper)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score_rank import _load, question_of  # noqa: E402
from bench.time_to_feedback import wer  # noqa: E402

SETS = tuple(ROOT / "bench" / "data" / f"heldout_rank{n}.jsonl" for n in range(2, 10))
VOICES = ("en-us", "en-gb-scotland", "festival:kal_diphone", "festival:cmu_us_slt_arctic_hts", "piper")
# About the 150 words a minute the typed length estimate assumes.
RATES = {"en-us": 150, "en-gb-scotland": 150, "piper": 150}


def _sample(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` answers drawn evenly from the sets, every tier, in a fixed order for the seed."""
    items = [item for path in SETS for item in _load(path)]
    random.Random(seed).shuffle(items)
    return items[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=12)
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)

    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.scoring.analysis import warm_up
    from interviewcoach.core.scoring.engine import score
    from interviewcoach.core.session import build_services, vocabulary
    from tests.speech import SpeechMaker

    warm_up()
    bank, rubrics = load_content()
    others = tuple(bank)
    items = _sample(args.answers, args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="spoken-typed-") as tmp:
        folder = Path(tmp)
        services = build_services(data_dir=folder / "data", model="tiny.en", with_store=False)
        transcriber = services.transcriber
        assert transcriber is not None
        typed: list[tuple[dict[str, Any], Any, Any, dict[str, bool]]] = []
        for item in items:
            question = question_of(item, bank)
            rubric = rubrics.get(question.rubric)
            content = [c.id for c in rubric.criteria if not c.delivery and c.id != "brevity"]
            result = score(question, rubric, text=item["answer"], others=others)
            typed.append((item, question, rubric, {c: result.criteria[c].passed for c in content}))
        print("| voice | content verdicts kept | answers all kept | overall: mean / largest change | WER |")
        print("|---|---|---|---|---|")
        flips: dict[str, Counter[str]] = {}
        for voice in args.voices.split(","):
            maker = SpeechMaker(folder / "speech", voice=voice, rate=RATES.get(voice, 150))
            kept = total = whole = 0
            diffs: list[float] = []
            errors = words = 0
            flips[voice] = Counter()
            for item, question, rubric, verdicts in typed:
                clip = maker.say(item["answer"])
                transcript = transcriber.transcribe(clip.path, vocabulary=vocabulary(services, question))
                spoken = score(question, rubric, transcript=transcript, others=others)
                typed_overall = score(question, rubric, text=item["answer"], others=others).overall
                same = 0
                for cid, passed in verdicts.items():
                    now = spoken.criteria[cid].passed
                    same += now == passed
                    if now != passed:
                        flips[voice][f"{cid} {'pass->short' if passed else 'short->pass'}"] += 1
                kept += same
                total += len(verdicts)
                whole += same == len(verdicts)
                diffs.append(abs(spoken.overall - typed_overall))
                e, n = wer(item["answer"], transcript.text)
                errors, words = errors + e, words + n
            print(
                f"| {voice} | {kept / total:.2f} ({kept}/{total}) | {whole}/{len(typed)} "
                f"| {statistics.mean(diffs):.1f} / {max(diffs):.0f} | {100 * errors / max(words, 1):.1f}% |",
                flush=True,
            )
    print(f"\n{len(items)} answers (seed {args.seed}), {time.perf_counter() - started:.0f} s")
    for voice, counter in flips.items():
        common = ", ".join(f"{name} x{n}" for name, n in counter.most_common(5)) or "none"
        print(f"  {voice}: {common}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
