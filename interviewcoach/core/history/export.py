"""Reports of saved attempts as Markdown, standalone HTML or JSON, for the student or an advisor.

A report names the student, opens with a one-page summary (per question: attempts, first, latest and
best overall, and the set's questions not attempted yet), shows progress per question (a question is
only ever compared with itself), then every attempt with its verdicts under the rubric's own
criterion names, its evidence (each quote once), the set version it was made with and any advisor
comments.

Everything that comes from a person (transcripts, evidence quotes, question and set text, comments)
is escaped: the HTML is a Jinja2 template (history/templates/report.html.j2) with autoescaping on, carries no
script, loads nothing and forbids both in its Content-Security-Policy; Markdown reports escape the
characters a renderer would read as markup or raw HTML. Local file paths are left out, since a report
is meant to be sent to someone else.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from markupsafe import Markup

from interviewcoach.core.content.sets import rubric_label, set_summary
from interviewcoach.core.errors import UserError
from interviewcoach.core.history.store import local_time
from interviewcoach.core.models import Evidence, Score
from interviewcoach.core.records import AdvisorComment, AdvisorOverride, Attempt, Trend, TrendPoint

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet

Format = Literal["md", "html", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "json")
EXPORT_VERSION = 1
_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class ReportInfo:
    """What the report is about: a title, labelled facts (set, author, selection) and notes."""

    title: str
    facts: Mapping[str, str] = field(default_factory=dict)
    notes: Sequence[str] = ()
    # Criterion id -> display name, from the rubrics (ids are shown when a name is unknown).
    criterion_names: Mapping[str, str] = field(default_factory=dict)
    # Whose answers these are: {"name", "email", "cohort"} (values may be None).
    student: Mapping[str, str | None] = field(default_factory=dict)
    # The advisor set the attempts were made at, when the report is of one set.
    practice_set: PracticeSet | None = None
    # Advisor comments and talking-point verdicts by attempt uid.
    comments: Mapping[str, Sequence[AdvisorComment]] = field(default_factory=dict)
    overrides: Mapping[str, Sequence[AdvisorOverride]] = field(default_factory=dict)
    # Rubric id -> criterion id -> name: each attempt's verdicts read under its own rubric's names.
    rubric_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        """The title with the student's name first, so two students' reports never look alike."""
        name = self.student.get("name")
        return f"{name}: {self.title}" if name else self.title

    @property
    def student_line(self) -> str:
        name = self.student.get("name")
        if not name:
            return ""
        extras = [v for v in (self.student.get("email"), self.student.get("cohort")) if v]
        return f"{name} ({', '.join(extras)})" if extras else name


def trend_of(attempts: Sequence[Attempt]) -> Trend:
    """Overall and per-criterion scores of scored answers, oldest first (as `Store.trend`)."""
    judged = (a for a in attempts if a.score is not None and not a.no_answer)
    ordered = sorted(judged, key=lambda a: (a.created_at, a.id))
    overall = [TrendPoint(a.id, a.created_at, float(a.overall or 0)) for a in ordered]
    criteria: dict[str, list[TrendPoint]] = {}
    for a in ordered:
        assert a.score is not None
        for cid, result in a.score.criteria.items():
            criteria.setdefault(cid, []).append(TrendPoint(a.id, a.created_at, result.score))
    return Trend(overall=overall, criteria=criteria)


def sparkline(values: Sequence[float], top: float = 1.0) -> str:
    """Values from 0 to `top` as block characters, one per value."""
    last = len(_BARS) - 1
    return "".join(_BARS[max(0, min(last, round(v / top * last)))] for v in values)


def render(attempts: Sequence[Attempt], fmt: Format, info: ReportInfo) -> str:
    if fmt == "json":
        return _json(attempts, info)
    if fmt == "html":
        return _html(attempts, info)
    if fmt == "md":
        return _markdown(attempts, info)
    raise UserError(f"unknown export format {fmt!r}; choose md, html or json")


def write_report(text: str, out: Path) -> None:
    """Write atomically and privately: a report holds the student's answers."""
    out = out.expanduser()
    if out.is_dir():
        raise UserError(f"{out}: is a folder; give a file name for --out")
    if not out.parent.is_dir():
        raise UserError(f"{out.parent}: no such folder")
    part = out.with_name(f".{out.name}.part")
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        part.replace(out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise UserError(f"{out}: cannot write ({exc.strerror})") from None


# ---------------------------------------------------------------------------------------------------
# What every format shows, built once


@dataclass(frozen=True)
class Quote:
    """The quotes that earned one kind of evidence ("IR setting": "IR suite", "angio suite")."""

    label: str
    texts: list[str]


@dataclass(frozen=True)
class Verdict:
    name: str
    score: float
    passed: bool
    feedback: str
    evidence: list[Quote]


@dataclass(frozen=True)
class AttemptView:
    id: int
    uid: str
    when: str
    question: str
    overall: str
    facts: list[str]
    state: Literal["pending", "no_answer", "scored"]
    message: str
    verdicts: list[Verdict]
    unscored: list[str]
    delivery: str
    transcript: str
    comments: list[AdvisorComment]
    # "Dr. Okafor marks talking point “...” as covered", one line each.
    overrides: list[str]


@dataclass(frozen=True)
class QuestionRow:
    """One line of the summary: a question, how often it was answered, first, latest and best."""

    question_id: str
    text: str
    follow_ups: list[str]
    attempts: int
    first: int | None
    latest: int | None
    best: int | None
    attempt_ids: list[int]


@dataclass(frozen=True)
class Progress:
    """First against latest answer of one question: overall and each criterion, with a sparkline."""

    question_id: str
    text: str
    rows: list[tuple[str, str, str, str, str]]


@dataclass(frozen=True)
class Report:
    title: str
    student: str
    facts: list[tuple[str, str]]
    instructions: str
    notes: list[str]
    questions: list[QuestionRow]
    progress: list[Progress]
    attempts: list[AttemptView]


def _name(info: ReportInfo, rubric_id: str, criterion_id: str) -> str:
    own = info.rubric_names.get(rubric_id, {})
    return own.get(criterion_id) or info.criterion_names.get(criterion_id, criterion_id)


def _when(attempt: Attempt) -> str:
    return local_time(attempt.created_at)


def _overall(attempt: Attempt) -> str:
    if attempt.pending:
        return "not scored yet"
    if attempt.no_answer:
        return "no answer"
    return f"{attempt.overall}/100"


def _duration(attempt: Attempt) -> str:
    return f"{attempt.duration_s:.0f} s" if attempt.duration_s is not None else "typed"


def _metrics_line(score: Score) -> str:
    m = score.metrics
    parts = [f"{m.word_count} words", f"{m.sentence_count} sentences"]
    if m.duration_s is not None:
        parts.append(f"{m.duration_s:.0f} s")
    if m.words_per_minute is not None:
        parts.append(f"{m.words_per_minute:.0f} words/min")
    parts.append(f"{m.filler_count} fillers")
    if m.long_pause_count is not None:
        parts.append(f"{m.long_pause_count} long pauses")
    parts.append(f"reading grade {m.readability_grade:.1f}")
    return ", ".join(parts)


def _date_range(attempts: Sequence[Attempt]) -> str:
    if not attempts:
        return "no attempts"
    first, last = _when(attempts[0])[:10], _when(attempts[-1])[:10]
    return first if first == last else f"{first} to {last}"


def _quotes(evidence: Sequence[Evidence], answer: str) -> list[Quote]:
    """Quotes grouped by label, each once: the same words matched twice are one piece of evidence.

    A quote of the whole answer (a length verdict's) is left out: the transcript follows anyway.
    """
    grouped: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = {(ev.label, " ".join(answer.lower().split())) for ev in evidence}
    for ev in evidence:
        key = (ev.label, " ".join(ev.text.lower().split()))
        if key not in seen:
            seen.add(key)
            grouped.setdefault(ev.label, []).append(ev.text)
    return [Quote(label.replace("_", " "), texts) for label, texts in grouped.items()]


def _attempt_view(a: Attempt, info: ReportInfo) -> AttemptView:
    facts = [f"Overall {_overall(a)}", _duration(a)]
    if a.interrupted:
        facts.append("interrupted")
    if a.rubric_id:
        facts.append(f"rubric {rubric_label(a.rubric_id)} v{a.rubric_version}")
    if a.engine:
        facts.append(f"transcribed by {a.engine} {a.model}".strip())
    if a.set_id:
        facts.append(f"set {a.set_id}" + (f" v{a.set_version}" if a.set_version is not None else ""))
    score = a.score
    state: Literal["pending", "no_answer", "scored"] = (
        "pending" if score is None else "no_answer" if score.no_answer else "scored"
    )
    verdicts = []
    if score is not None and not score.no_answer:
        verdicts = [
            Verdict(
                _name(info, a.rubric_id, cid),
                r.score,
                r.passed,
                r.feedback,
                _quotes(r.evidence, score.answer),
            )
            for cid, r in score.criteria.items()
        ]
    return AttemptView(
        id=a.id,
        uid=a.uid,
        when=_when(a),
        question=a.question_text or a.question_id,
        overall=_overall(a),
        facts=facts,
        state=state,
        message=score.message if score is not None else "",
        verdicts=verdicts,
        unscored=[
            f"{_name(info, a.rubric_id, u.id)}: {u.reason}"
            for u in (score.unscored if score is not None else [])
        ],
        delivery=_metrics_line(score) if score is not None else "",
        transcript=score.answer if score is not None else "",
        comments=list(info.comments.get(a.uid, ())) if a.uid else [],
        overrides=[
            f"{o.author} marks talking point “{o.point}” as {'covered' if o.covered else 'not covered'}"
            for o in (info.overrides.get(a.uid, ()) if a.uid else ())
        ],
    )


def _judged(attempts: Sequence[Attempt]) -> list[Attempt]:
    return [a for a in attempts if a.score is not None and not a.no_answer and a.overall is not None]


def question_rows(attempts: Sequence[Attempt], info: ReportInfo) -> list[QuestionRow]:
    """The summary: the set's questions in its order (attempted or not), then any other question."""
    order: dict[str, tuple[str, list[str]]] = {}
    if info.practice_set is not None:
        for q in info.practice_set.questions:
            order[q.id] = (q.text, list(q.follow_ups))
    for a in sorted(attempts, key=lambda a: (a.created_at, a.id)):
        order.setdefault(a.question_id, (a.question_text or a.question_id, []))
    rows = []
    for question_id, (text, follow_ups) in order.items():
        mine = sorted(
            (a for a in attempts if a.question_id == question_id), key=lambda a: (a.created_at, a.id)
        )
        judged = _judged(mine)
        rows.append(
            QuestionRow(
                question_id=question_id,
                text=text,
                follow_ups=follow_ups,
                attempts=len(mine),
                first=judged[0].overall if judged else None,
                latest=judged[-1].overall if judged else None,
                best=max(a.overall or 0 for a in judged) if judged else None,
                attempt_ids=[a.id for a in mine],
            )
        )
    return rows


def progress_of(attempts: Sequence[Attempt], info: ReportInfo) -> list[Progress]:
    """For each question answered (and scored) more than once: its first answer against its latest."""
    out = []
    for row in question_rows(attempts, info):
        mine = [a for a in attempts if a.question_id == row.question_id]
        trend = trend_of(mine)
        if len(trend.overall) < 2:
            continue
        rubric_id = _judged(sorted(mine, key=lambda a: (a.created_at, a.id)))[-1].rubric_id
        rows: list[tuple[str, str, str, str, str]] = []
        values = [p.value for p in trend.overall]
        rows.append(
            (
                "Overall",
                f"{values[0]:.0f}",
                f"{values[-1]:.0f}",
                f"{values[-1] - values[0]:+.0f}",
                sparkline(values, 100.0),
            )
        )
        for cid, points in trend.criteria.items():
            v = [p.value for p in points]
            change = f"{v[-1] - v[0]:+.2f}" if len(v) > 1 else ""
            rows.append((_name(info, rubric_id, cid), f"{v[0]:.2f}", f"{v[-1]:.2f}", change, sparkline(v)))
        out.append(Progress(row.question_id, row.text, rows))
    return out


def build_report(attempts: Sequence[Attempt], info: ReportInfo) -> Report:
    facts = list(info.facts.items())
    facts.append(("Attempts", f"{len(attempts)} ({_date_range(attempts)})"))
    return Report(
        title=info.heading,
        student=info.student_line,
        facts=facts,
        instructions=info.practice_set.instructions if info.practice_set is not None else "",
        notes=list(info.notes),
        questions=question_rows(attempts, info),
        progress=progress_of(attempts, info),
        attempts=[_attempt_view(a, info) for a in attempts],
    )


# ---------------------------------------------------------------------------------------------------
# JSON


def _json(attempts: Sequence[Attempt], info: ReportInfo) -> str:

    def points(items: list[TrendPoint]) -> list[dict[str, object]]:
        return [{"attempt_id": p.attempt_id, "created_at": p.created_at, "value": p.value} for p in items]

    trend = trend_of(attempts)
    items = []
    for attempt in attempts:
        item = attempt.to_json_dict()
        item.pop("audio_path")  # a local path means nothing to the reader and names the user's folders
        item["advisor_comments"] = [
            {"author": c.author, "created_at": c.created_at, "text": c.text}
            for c in info.comments.get(attempt.uid, ())
        ]
        item["advisor_overrides"] = [
            {"author": o.author, "point": o.point, "covered": o.covered}
            for o in info.overrides.get(attempt.uid, ())
        ]
        items.append(item)
    data = {
        "format": "interviewcoach-export",
        "version": EXPORT_VERSION,
        "title": info.heading,
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "student": dict(info.student) if info.student else None,
        "set": set_summary(info.practice_set) if info.practice_set is not None else None,
        "facts": dict(info.facts),
        "notes": list(info.notes),
        "criterion_names": dict(info.criterion_names),
        # Rubrics share criterion ids under different names: this says which name each rubric uses.
        "rubric_names": {rid: dict(names) for rid, names in info.rubric_names.items()},
        "questions": [
            {
                "question_id": r.question_id,
                "text": r.text,
                "attempts": r.attempts,
                "first": r.first,
                "latest": r.latest,
                "best": r.best,
                "attempt_ids": r.attempt_ids,
            }
            for r in question_rows(attempts, info)
        ],
        "attempts": items,
        # Every judged answer's scores in time order (per question: filter by the attempt's question).
        "trends": {
            "overall": points(trend.overall),
            "criteria": {cid: points(p) for cid, p in trend.criteria.items()},
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------------
# Markdown

# Inline markup anywhere; block markup (headings, lists, quotes) only where a line starts.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+(?=[.)]))")


def md(text: str) -> str:
    """Text that a Markdown renderer shows as written: no markup, no raw HTML, one line."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    match = _MD_LINE_START.match(text)
    if match is not None:
        if match.group(2)[0].isdigit():
            end = match.end()
            text = f"{text[:end]}\\{text[end:]}"
        else:
            text = f"{match.group(1)}\\{text[match.start(2) :]}"
    return text


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


def _markdown(attempts: Sequence[Attempt], info: ReportInfo) -> str:
    report = build_report(attempts, info)
    out = [f"# {md(report.title)}", ""]
    if report.student:
        out.append(f"- **Student:** {md(report.student)}")
    out += [f"- **{md(label)}:** {md(value)}" for label, value in report.facts]
    out.append("")
    if report.instructions:
        out += [f"**Instructions:** {md(report.instructions)}", ""]
    out.extend(md(note) + "\n" for note in report.notes)
    out += ["## Summary", "", "| Question | Attempts | First | Latest | Best |", "|---|---|---|---|---|"]
    for r in report.questions:
        question = md(r.text) + ("" if r.attempts else " (not attempted yet)")
        question += "".join(f"<br>Follow-up: {md(f)}" for f in r.follow_ups)
        out.append(f"| {question} | {r.attempts} | {_cell(r.first)} | {_cell(r.latest)} | {_cell(r.best)} |")
    out.append("")
    if report.progress:
        out += ["## Progress by question", ""]
        for p in report.progress:
            out += [
                f"**{md(p.text)}**",
                "",
                "| Measure | First | Latest | Change | Over time |",
                "|---|---|---|---|---|",
            ]
            out += [f"| {md(n)} | {f} | {last} | {c} | {s} |" for n, f, last, c, s in p.rows]
            out.append("")
    for a in report.attempts:
        out += _markdown_attempt(a)
    return "\n".join(out).rstrip() + "\n"


def _markdown_attempt(a: AttemptView) -> list[str]:
    out = [
        f"## Attempt {a.id}: {md(a.when)}",
        "",
        f"**Question:** {md(a.question)}",
        "",
        md(", ".join(a.facts)),
        "",
    ]
    if a.state == "pending":
        return [*out, "Not transcribed or scored yet.", ""]
    if a.state == "no_answer":
        out += [md(a.message), ""]
    for v in a.verdicts:
        mark = "passes" if v.passed else "falls short"
        out += [f"### {md(v.name)}: {v.score:.2f} ({mark})", "", md(v.feedback), ""]
        out += [f"- {md(q.label)}: " + ", ".join(f"“{md(t)}”" for t in q.texts) for q in v.evidence]
        if v.evidence:
            out.append("")
    out += [f"- Not scored: {md(item)}" for item in a.unscored]
    if a.unscored:
        out.append("")
    out += [f"**Delivery:** {md(a.delivery)}", "", "**Transcript:**", "", f"> {md(a.transcript)}", ""]
    if a.comments or a.overrides:
        out += ["**Advisor's comments:**", ""]
        out += [f"- {md(c.author)}, {md(c.created_at[:10])}: {md(c.text)}" for c in a.comments]
        out += [f"- {md(line)}" for line in a.overrides]
        out.append("")
    return out


# ---------------------------------------------------------------------------------------------------
# HTML

_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@cache
def _templates() -> jinja2.Environment:
    # Autoescaping is on for every template: no value reaches the page unescaped.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("interviewcoach.core.history", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _html(attempts: Sequence[Attempt], info: ReportInfo) -> str:
    # The policy is this module's constant, not data: marked safe so its quotes stay quotes.
    context: dict[str, Any] = {"report": build_report(attempts, info), "csp": Markup(_CSP)}
    return _templates().get_template("report.html.j2").render(context).rstrip() + "\n"
