"""Plain-text rendering of a scored answer for an 80-column terminal (the CLI's readable report).

Layout, top to bottom: the question, the overall score with the one thing to work on first, each
content criterion (verdict, quoted evidence, advice), delivery, the answer's numbers, and the
question's tips. Plain ASCII, so it reads the same in any terminal, pager or log file.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from interviewcoach.core.session import hedge_report, repetition_report, variety_report
from interviewcoach.core.wording import counted

if TYPE_CHECKING:
    from interviewcoach.core.models import CriterionResult, Evidence, Metrics, Question, Score
    from interviewcoach.core.session import Criterion, Rubric

WIDTH = 80
BAR = 10
# Evidence labels shown as quotes; an answer's whole text (too_short) is not worth quoting back.
MAX_QUOTES = 4
QUOTE_CHARS = 48
INDENT = " " * 9


def _wrap(text: str, first: str, rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest if rest is not None else " " * len(first),
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _bar(score: float) -> str:
    filled = round(score * BAR)
    return "#" * filled + "." * (BAR - filled)


def _verdict(outcome: CriterionResult) -> str:
    return "PASS " if outcome.passed else "SHORT"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 3].rstrip() + "..."
    return f'"{text}"'


def _evidence_lines(evidence: list[Evidence], answer: str) -> list[str]:
    """Quotes grouped by label: `in favour: "a", "b"`; spans covering most of the answer are skipped."""
    by_label: dict[str, list[str]] = {}
    for ev in evidence:
        if answer and len(ev.text) > 0.6 * len(answer):
            continue
        quotes = by_label.setdefault(ev.label.replace("_", " "), [])
        quote = _quote(ev.text)
        if quote not in quotes:
            quotes.append(quote)
    lines: list[str] = []
    for label, quotes in by_label.items():
        shown = quotes[:MAX_QUOTES]
        more = f" (+{len(quotes) - len(shown)} more)" if len(quotes) > len(shown) else ""
        lines.extend(_wrap(f"{label}: {', '.join(shown)}{more}", INDENT, INDENT + "  "))
    return lines


def _criterion_block(criterion: Criterion, outcome: CriterionResult, answer: str) -> list[str]:
    head = f"  {_verdict(outcome)}  {criterion.name}"
    score = f"{_bar(outcome.score)} {outcome.score:.2f}"
    gap = WIDTH - len(head) - len(score)
    lines = [head + " " * gap + score if gap >= 2 else head[: WIDTH - len(score) - 2] + "  " + score]
    lines.extend(_evidence_lines(outcome.evidence, answer))
    lines.extend(_wrap(outcome.feedback, INDENT[:-2] + "> ", INDENT))
    return lines


def _unscored_block(name: str, reason: str) -> list[str]:
    head = f"  n/a    {name}"
    tail = "not scored"
    return [
        head + " " * max(2, WIDTH - len(head) - len(tail)) + tail,
        *_wrap(reason, INDENT[:-2] + "> ", INDENT),
    ]


def _habit_lines(m: Metrics, *, header: bool) -> list[str]:
    """Hedges and repetition: a report beside the delivery verdicts, not a scored criterion."""
    lines = ["", "DELIVERY"] if header else []
    for report in (hedge_report(m), repetition_report(m)):
        head = f"  {report.band.upper():5}  {report.name}"
        lines.append(head)
        lines.extend(_wrap(report.value, INDENT, INDENT + "  "))
        lines.extend(_wrap(report.advice, INDENT[:-2] + "> ", INDENT))
    variety = variety_report(m)
    if variety is not None:
        lines.append(f"  {(variety.band or 'n/a').upper():5}  {variety.name}")
        lines.extend(_wrap(variety.value, INDENT, INDENT + "  "))
        lines.extend(_wrap(variety.advice, INDENT[:-2] + "> ", INDENT))
    return lines


def _numbers(m: Metrics) -> str:
    parts = [counted(m.word_count, "word"), counted(m.sentence_count, "sentence")]
    if m.duration_s is not None:
        parts.append(f"{m.duration_s:.0f} s")
        if m.words_per_minute is not None:
            parts.append(f"{m.words_per_minute:.0f} words/min")
        if m.long_pause_count is not None:
            parts.append(counted(m.long_pause_count, "long pause"))
    else:
        parts.append(f"about {m.word_count / 150 * 60:.0f} s spoken")
    parts.append(counted(m.filler_count, "filler"))
    parts.append(f"reading grade {m.readability_grade:.1f}")
    return ", ".join(parts)


def _work_on_first(result: Score, rubric: Rubric) -> str | None:
    """The failed content criterion that costs the most: where practice pays first."""
    failed = [
        (c.weight * (1 - result.criteria[c.id].score), c)
        for c in rubric.criteria
        if c.id in result.criteria and not result.criteria[c.id].passed
    ]
    if not failed:
        return None
    content = [item for item in failed if not item[1].delivery] or failed
    # The learned reading says that an answer reads weak; the other criteria say what is missing,
    # which is the thing to practise. It is named first only when nothing else fails.
    named = [item for item in content if item[1].detector != "reads_strong"] or content
    return max(named, key=lambda item: item[0])[1].name


def render_score(result: Score, question: Question, rubric: Rubric) -> str:
    low, high = question.target_seconds
    lines = _wrap(question.text, "Q  ")
    lines.append(f"   {question.category}, target {low}-{high} s, {rubric.rubric.title} rubric")
    lines.append("=" * WIDTH)
    if result.no_answer:
        lines.extend(_wrap(result.message or "No answer to score.", ""))
        lines.extend(_tips(question))
        return "\n".join(lines)

    passed = sum(1 for c in result.criteria.values() if c.passed)
    lines.append(
        f"OVERALL {result.overall}/100   {passed} of {len(result.criteria)} criteria met   "
        f"[{_bar(result.overall / 100)}]"
    )
    first = _work_on_first(result, rubric)
    if first:
        lines.extend(_wrap(f"Work on first: {first}.", ""))
    else:
        lines.append("Every scored criterion is met.")

    reasons = {u.id: u.reason for u in result.unscored}
    # A content criterion not scored (one the question does not ask for) is named in its place.
    content = [c for c in rubric.criteria if not c.delivery and (c.id in result.criteria or c.id in reasons)]
    delivery = [c for c in rubric.criteria if c.delivery]
    if content:
        lines += ["", "CONTENT"]
        for criterion in content:
            if criterion.id in result.criteria:
                lines.extend(_criterion_block(criterion, result.criteria[criterion.id], result.answer))
            else:
                lines.extend(_unscored_block(criterion.name, reasons[criterion.id]))
            lines.append("")
        lines.pop()
    if delivery:
        lines += ["", "DELIVERY"]
        for criterion in delivery:
            if criterion.id in result.criteria:
                lines.extend(_criterion_block(criterion, result.criteria[criterion.id], result.answer))
            elif criterion.id in reasons:
                lines.extend(_unscored_block(criterion.name, reasons[criterion.id]))
    for item in result.unscored:
        if item.id not in {c.id for c in rubric.criteria}:
            lines.extend(_unscored_block(item.id, item.reason))
    lines.extend(_habit_lines(result.metrics, header=not delivery))

    lines += ["", "NUMBERS"]
    lines.extend(_wrap(_numbers(result.metrics), "  "))
    lines.extend(_tips(question))
    return "\n".join(lines)


def _tips(question: Question) -> list[str]:
    if not question.tips:
        return []
    lines = ["", "WHAT A STRONG ANSWER DOES"]
    for tip in question.tips:
        lines.extend(_wrap(tip, "  - ", "    "))
    return lines
