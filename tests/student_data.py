"""A small advisor set with a custom rubric ("Length", not the built-in "Brief"), and real scored attempts.

Used by the bundle and per-student report tests: the set is imported and answers are scored with the
real scorer (spaCy), then saved as the practice screen saves them.
"""

from __future__ import annotations

from pathlib import Path

from interviewcoach.core.content.sets import PracticeSet, import_set, load_content
from interviewcoach.core.history.store import Store
from interviewcoach.core.scoring.engine import score

ROOT = Path(__file__).resolve().parents[1]
ADVISOR_RUBRIC = ROOT / "question_bank" / "sets" / "advisor-ir.toml"

SET_TOML = """
[set]
id = "cohort-a"
title = "IR interviews, cohort A"
author = "Dr. Okafor"
description = "Three questions."
instructions = "Answer aloud; one calm sentence of fact first."
rubrics = ["custom-ir.toml"]

[[questions]]
id = "dr-backup-plan"
text = "If you match diagnostic radiology and not IR, what is your long-term plan?"
category = "pathway"
rubric = "custom-ir"
follow_ups = ["Would you be happy as a diagnostic radiologist?"]
talking_points = ["long-term goal is interventional radiology", "ESIR or the independent IR pathway"]

[[questions]]
ref = "low-score"
talking_points = ["Step 2 CK improvement | better board score"]

[[questions]]
ref = "angio-suite-2am"
rubric = "custom-ir"
"""

DR_WEAK = (
    "I would be fine with diagnostic radiology, I think. I like imaging and I like the hours, so I would "
    "probably stay in it and see what happens later on."
)
DR_STRONG = (
    "My long-term goal is interventional radiology. If I match diagnostic radiology, I would apply for "
    "ESIR during residency, or the independent IR pathway after it. I did a month on the IR service and "
    "placed ports under supervision, and that is the work I want to do."
)
LOW_SCORE = (
    "My Step 1 score was 221, below the range for IR. I rebuilt my study system around question banks "
    "and spaced repetition, and my Step 2 CK score rose to 255."
)


def write_set(folder: Path, text: str = SET_TOML) -> Path:
    """The set file and its custom rubric (the advisor's, with 'Brief' renamed 'Length')."""
    folder.mkdir(parents=True, exist_ok=True)
    rubric = ADVISOR_RUBRIC.read_text(encoding="utf-8")
    rubric = rubric.replace('id = "advisor-ir"', 'id = "custom-ir"').replace(
        'name = "Brief"', 'name = "Length"'
    )
    (folder / "custom-ir.toml").write_text(rubric, encoding="utf-8")
    path = folder / "cohort-a.toml"
    path.write_text(text, encoding="utf-8")
    return path


def practise(
    data: Path,
    folder: Path,
    answers: list[tuple[str, str]],
    *,
    set_version: int = 1,
    first_day: int = 1,
    text: str = SET_TOML,
) -> PracticeSet:
    """Import the set into `data` and save each (question id, answer) scored, oldest first."""
    bank, rubrics = load_content()
    practice_set = import_set(write_set(folder, text), data, replace=True, bank=bank, rubrics=rubrics)
    store = Store(data)
    for n, (question_id, text) in enumerate(answers):
        question = practice_set.get(question_id)
        rubric = practice_set.rubric_for(question)
        result = score(question, rubric, text=text)
        store.save_attempt(
            result,
            set_id=practice_set.id,
            rubric_version=rubric.version,
            question=question,
            created_at=f"2026-11-{n + first_day:02d}T10:00:00.000000Z",
            set_version=set_version,
        )
    return practice_set
