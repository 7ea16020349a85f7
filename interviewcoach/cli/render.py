"""Plain-text rendering of a scored answer for the terminal (the CLI's readable report)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewcoach.core.models import Score
    from interviewcoach.core.questions import Question
    from interviewcoach.core.rubrics import Rubric

WIDTH = 88


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def render_score(result: Score, question: Question, rubric: Rubric) -> str:
    lines = [_wrap(question.text, "Q: "), ""]
    if result.no_answer:
        lines.append(result.message)
        return "\n".join(lines)
    lines.append(f"Overall {result.overall}/100   ({rubric.rubric.title} rubric)")
    lines.append("")
    for criterion in rubric.criteria:
        outcome = result.criteria.get(criterion.id)
        if outcome is None:
            continue
        mark = "PASS" if outcome.passed else "FALLS SHORT"
        lines.append(f"[{mark}] {criterion.name}  {outcome.score:.2f}")
        for ev in outcome.evidence[:4]:
            quote = ev.text if len(ev.text) <= 90 else ev.text[:87] + "..."
            lines.append(_wrap(f'{ev.label}: "{quote}"', "    "))
        lines.append(_wrap(outcome.feedback, "  > "))
        lines.append("")
    for item in result.unscored:
        lines.append(f"[NOT SCORED] {item.id}: {item.reason}")
    m = result.metrics
    pace = f"{m.words_per_minute:.0f} wpm" if m.words_per_minute is not None else "pace unknown"
    duration = f"{m.duration_s:.0f} s" if m.duration_s is not None else "no audio"
    lines.append(
        f"{m.word_count} words, {m.sentence_count} sentences, {duration}, {pace}, "
        f"{m.filler_count} fillers, reading grade {m.readability_grade:.1f}"
    )
    if question.tips:
        lines.append("")
        lines.append("What a strong answer does:")
        lines.extend(
            textwrap.fill(tip, WIDTH, initial_indent="  - ", subsequent_indent="    ")
            for tip in question.tips
        )
    return "\n".join(lines)
