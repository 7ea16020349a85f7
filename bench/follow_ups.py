"""How often the mock interviewer's follow-up asks for what a coach said a weak answer lacked.

Usage: python bench/follow_ups.py [PATH] [--show]

PATH defaults to ../shared/eval/dev_other.jsonl relative to the repository root: one JSON object per
line with "id", "question_id", "answer", "tier" and "flaw" (the coach's tag for what is wrong). Each
weak answer is scored as typed (the scorer the app uses), the follow-up is chosen as in a mock
(`tui/follow_up.py`), and what it asks for (what happened / what would you do differently / one
specific time / what exactly you did / what you learned) is compared with what the coach's flaw
tag names. Flaw tags that name none of these (a weak link to IR, overclaiming, hedging...) are
counted apart: no follow-up of these kinds could answer them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "dev_other.jsonl"
sys.path.insert(0, str(ROOT))

# What each coach's flaw tag asks the student to supply, in the follow-up's terms. A vague own part
# is answered by "what exactly did you do" or, when the answer has no story to have a part in, by
# "one specific time" first (the interviewer's order).
ROLE_FLAW = ("role", "specific")
FLAW_INTENTS: dict[str, str | tuple[str, ...]] = {
    "keyword_stuffed_no_story": "specific",
    "no_story": "specific",
    "missing_specifics": "specific",
    "partly_generic": "specific",
    "vague_role": ROLE_FLAW,
    "vague_role_list": ROLE_FLAW,
    "observer_only": ROLE_FLAW,
    "passive_only": ROLE_FLAW,
    "case_report_no_self": ROLE_FLAW,
    "cv_recitation": "specific",
    "missing_result": "happened",
    "no_result": "happened",
    "vague_changes": "happened",
    "defensive_blame": "differently",
    "disparages_others": "differently",
    "minimising": "differently",
    "long_excuse": "differently",
    "thin_reflection": "reflect",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", action="store_true", help="print each weak answer's flaw and follow-up")
    args = parser.parse_args(argv)
    path: Path = args.path
    if not path.is_file():
        print(f"follow_ups: no labelled answers at {path} (pass a JSONL path)", file=sys.stderr)
        return 2

    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.scoring.analysis import warm_up
    from interviewcoach.core.scoring.engine import score
    from interviewcoach.tui.follow_up import choose, intent_for

    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    weak = [item for item in items if item.get("tier") == "weak"]
    bank, rubrics = load_content()
    warm_up()
    matched = mapped = 0
    unmapped: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    for item in weak:
        question = bank.get(item["question_id"])
        rubric = rubrics.get(question.rubric)
        result = score(question, rubric, text=item["answer"], answer_id=item.get("id"))
        intent = intent_for(result, rubric)
        asks = intent.name if intent is not None else "bank's first"
        asked[asks] += 1
        wanted = FLAW_INTENTS.get(item["flaw"])
        if wanted is None:
            unmapped[item["flaw"]] += 1
        else:
            mapped += 1
            matched += asks in wanted if isinstance(wanted, tuple) else asks == wanted
        if args.show:
            text = choose(question, result, rubric)
            wants = "/".join(wanted) if isinstance(wanted, tuple) else wanted or "-"
            print(f"{item['id']} {item['flaw']:<26} wants {wants:<13} asks {asks:<12} {text}")
    print(f"{len(weak)} weak answers of {len(items)} in {path}")
    share = matched / mapped if mapped else 0.0
    print(f"follow-up asks for what the flaw tag names: {matched}/{mapped} = {share:.0%}", end="")
    print(" (of the weak answers whose flaw a follow-up can ask for)")
    print(f"follow-ups asked: {dict(asked)}")
    print(f"flaw tags no follow-up kind names ({sum(unmapped.values())}): {dict(unmapped)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
