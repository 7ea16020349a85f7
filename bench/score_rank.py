"""Does the overall score rank answers like a coach? Pairs in tier order, strong above keyword-stuffed,
and agreement of the story reading with hand-labelled facets.

Usage: python bench/score_rank.py [PATH ...] [--show]

Each PATH is a JSONL file of tiered answers (`../shared/eval/dev_other.jsonl` by default, when present;
`bench/data/heldout_rank.jsonl` and `bench/data/heldout_rank2.jsonl` hold answers written to other
questions; `heldout_rank2` (40 answers to 10 questions outside the bank, other voices) was written
before the story reading's second round of rules and is kept out of tuning entirely;
`heldout_rank3` (40 answers to 10 more questions outside the bank, plain, chatty, non-native and
spoken voices) was written before the third round, likewise never read for tuning;
`heldout_rank4` (40 answers to 10 more questions outside the bank and the other sets, with a
transcript run on without punctuation among its voices) was written before the fourth round and is
measured only before and after it; from the fifth round heldout_rank2 and heldout_rank3 are tuned on
with dev_other and heldout_rank, and `heldout_rank5` (40 answers to 10 more such questions) was
written before the fifth round and is measured only before and after it, like heldout_rank4; from
the sixth round heldout_rank4 is tuned on as well, heldout_rank5 is measured only at a round's
end, summary only, and `heldout_rank6`, written by a new writer before the sixth round, likewise;
from the seventh round heldout_rank5 is tuned on too and heldout_rank6 alone is held out; from the
eighth round heldout_rank6 and heldout_rank7 are tuned on as well (eight sets), `heldout_rank8` is
measured exactly once at the round's end, with its final code, summary only, and `heldout_rank9`
only after the round, by someone who did not tune; from the ninth round heldout_rank8 is tuned on
too (nine sets), `heldout_rank9` is measured exactly once at the round's end, with its final code,
summary only, and `heldout_rank10` only after the round, by someone who did not tune; from the tenth
round heldout_rank9 is tuned on too (ten sets), and `heldout_rank10` and `heldout_rank11` are never
run during a round: the lead measures them after it, summary only; from the eleventh round both are
tuned on (twelve sets) and `heldout_rank12`, by a twelfth writer, is measured by the lead before and
after it, summary only; from the twelfth round heldout_rank12 is tuned on too (thirteen sets) and
`heldout_rank13`, by a thirteenth writer, is measured likewise; from the thirteenth round
heldout_rank13 is tuned on too (fourteen sets), and `heldout_rank14` and `heldout_rank15`, by two
more writers, are measured by the lead only, summary only; from the fourteenth round heldout_rank14
is tuned on too (fifteen sets) and heldout_rank15 alone is held out; from the fifteenth round
heldout_rank15 is tuned on too (sixteen sets) and `heldout_rank16`, by a sixteenth writer, alone is
held out; from round 19 the tuning pool is dev_other and heldout_rank to heldout_rank19, and
`heldout_rank20`, by a twentieth writer, is measured before and after the round, summary only; from
round 20 heldout_rank20 is tuned on too, and `heldout_rank21`, by a twenty-first writer, is measured
before and after the round, summary only): one
object per line with "id", "question_id", "question", "tier" (strong / adequate / weak), "flaw",
"answer", optional "rubric" (for questions not in the bank) and "facets".

Within a question every (higher tier, lower tier) pair counts once; a tie counts as out of order.
--show prints each question's scores and every facet disagreement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "dev_other.jsonl"
sys.path.insert(0, str(ROOT))

TIER_RANK = {"strong": 2, "adequate": 1, "weak": 0}
STUFFED = "keyword_stuffed_no_story"
BOOL_FACETS = ("story", "result", "reflection", "ir_link", "blames_others", "hedging", "generic_claims")


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def question_of(item: dict[str, Any], bank: Any) -> Any:
    """The bank question an item answers, or one made from its own text and rubric (a question
    outside the bank, as an advisor would write it)."""
    from interviewcoach.core.errors import UnknownQuestionError
    from interviewcoach.core.models import Question

    try:
        return bank.get(item["question_id"])
    except UnknownQuestionError:
        category = {"setback": "setbacks"}.get(item["rubric"], item["rubric"])
        if category not in {"setbacks", "fit", "motivation", "pathway", "behavioural", "research"}:
            category = "general"
        return Question(
            id=item["question_id"],
            text=item["question"],
            category=category,
            rubric=item["rubric"],
            target_seconds=(45, 90),
        )


# Labelled facets the scorer's second reading (core/scoring/facet_model.py) settles, by its name.
SECOND_READING = {
    "result": "result",
    "reflection": "reflection",
    "blames_others": "blame",
    "story": "story",
    "generic_claims": "generic",
}


def facet_predictions(reading: Any) -> dict[str, object]:
    """The story reading's answer to each labelled facet."""
    return {
        "story": reading.has_story,
        "own_action": reading.own_action_level,
        "result": reading.has_result,
        "reflection": reading.has_reflection,
        "ir_link": reading.has_ir_link,
        "blames_others": reading.blames_others,
        "hedging": reading.hedges,
        "generic_claims": reading.mostly_generic,
    }


def evaluate(path: Path, show: bool) -> None:
    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.scoring.engine import score

    bank, rubrics = load_content()
    items = _load(path)
    others = tuple(bank)
    by_question: dict[str, list[tuple[dict[str, Any], int]]] = defaultdict(list)
    facet_agree: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    facet_misses: dict[str, list[str]] = defaultdict(list)
    started = time.perf_counter()
    for item in items:
        question = question_of(item, bank)
        result = score(
            question, rubrics.get(question.rubric), text=item["answer"], answer_id=item["id"], others=others
        )
        by_question[item["question_id"]].append((item, result.overall))
        try:
            from interviewcoach.core.scoring.analysis import analyze
            from interviewcoach.core.scoring.story import read
        except ImportError:  # before the story reading existed: ranking only
            continue
        analysis = analyze(item["answer"])
        predicted = facet_predictions(read(analysis))
        # The facets the second reading settles where it is sure, as the scorer takes them.
        try:
            from interviewcoach.core.scoring.facet_model import settled
        except ImportError:  # before the second reading existed
            pass
        else:
            for name, facet in SECOND_READING.items():
                predicted[name] = settled(analysis, facet, bool(predicted[name]))
        for name, label in item.get("facets", {}).items():
            if name not in predicted:
                continue
            tally = facet_agree[name]
            tally[1] += 1
            if predicted[name] == label:
                tally[0] += 1
            else:
                facet_misses[name].append(f"{item['id']}({item['tier'][0]}):{predicted[name]}")
    elapsed = time.perf_counter() - started

    pairs = in_order = 0
    stuffed_total = stuffed_below = 0
    out_of_order: list[str] = []
    for qid, rows in by_question.items():
        for a, score_a in rows:
            for b, score_b in rows:
                if TIER_RANK[a["tier"]] > TIER_RANK[b["tier"]]:
                    pairs += 1
                    if score_a > score_b:
                        in_order += 1
                    else:
                        out_of_order.append(f"{a['id']}>{b['id']} ({score_a} vs {score_b})")
        strong = [s for item, s in rows if item["tier"] == "strong"]
        stuffed = [s for item, s in rows if item.get("flaw") == STUFFED]
        if strong and stuffed:
            stuffed_total += 1
            stuffed_below += all(strong[0] > s for s in stuffed)
        if show:
            cells = "  ".join(
                f"{item['id']} {item['tier'][:3]}{'*' if item.get('flaw') == STUFFED else ''} {s:3d}"
                for item, s in sorted(rows, key=lambda r: -TIER_RANK[r[0]["tier"]])
            )
            print(f"{qid:<24} {cells}")

    print(f"{len(items)} answers, {len(by_question)} questions from {path.name}")
    print(f"pairs in coach order        {in_order / max(pairs, 1):.2f} ({in_order}/{pairs})")
    print(f"strong above keyword-stuffed {stuffed_below}/{stuffed_total}")
    for name, (agree, total) in facet_agree.items():
        print(f"facet {name:<14} {agree / max(total, 1):.2f} ({agree}/{total})")
        if show and facet_misses[name]:
            print("    disagree: " + ", ".join(facet_misses[name]))
    if show and out_of_order:
        print("out of order: " + "; ".join(out_of_order))
    print(f"scored in {elapsed:.1f} s ({elapsed / max(len(items), 1) * 1000:.0f} ms per answer)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--show", action="store_true", help="print scores per question and every miss")
    args = parser.parse_args(argv)
    paths: list[Path] = args.paths or [p for p in (DEFAULT,) if p.is_file()]
    if not paths:
        print(f"score_rank: no tiered answers at {DEFAULT} (pass a JSONL path)", file=sys.stderr)
        return 2
    from interviewcoach.core.scoring.analysis import warm_up

    warm_up()
    for path in paths:
        if not path.is_file():
            print(f"score_rank: no file {path}", file=sys.stderr)
            return 2
        evaluate(path, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
