"""Reports of saved attempts as Markdown, standalone HTML or JSON, for the student or an advisor.

Everything that comes from a person (transcripts, evidence quotes, question and set text) is escaped:
HTML reports carry no script, load nothing and forbid both in their Content-Security-Policy, and
Markdown reports escape the characters a renderer would read as markup or raw HTML. Local file paths
are left out, since a report is meant to be sent to someone else.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from interviewcoach.core.errors import UserError
from interviewcoach.core.models import Score
from interviewcoach.core.store import AdvisorComment, Attempt, Trend, TrendPoint, local_time

if TYPE_CHECKING:
    from interviewcoach.core.sets import PracticeSet

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
    # Advisor comments by attempt uid.
    comments: Mapping[str, Sequence[AdvisorComment]] = field(default_factory=dict)


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
# Shared pieces


def _name(info: ReportInfo, criterion_id: str) -> str:
    return info.criterion_names.get(criterion_id, criterion_id)


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


def _trend_rows(trend: Trend, info: ReportInfo) -> list[tuple[str, str, str, str, str]]:
    """(name, first, last, change, sparkline) for overall then each criterion."""
    rows: list[tuple[str, str, str, str, str]] = []
    if trend.overall:
        values = [p.value for p in trend.overall]
        change = values[-1] - values[0]
        rows.append(
            ("Overall", f"{values[0]:.0f}", f"{values[-1]:.0f}", f"{change:+.0f}", sparkline(values, 100.0))
        )
    for cid, points in trend.criteria.items():
        values = [p.value for p in points]
        change = values[-1] - values[0]
        rows.append(
            (_name(info, cid), f"{values[0]:.2f}", f"{values[-1]:.2f}", f"{change:+.2f}", sparkline(values))
        )
    return rows


def _date_range(attempts: Sequence[Attempt]) -> str:
    if not attempts:
        return "no attempts"
    first, last = _when(attempts[0])[:10], _when(attempts[-1])[:10]
    return first if first == last else f"{first} to {last}"


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
        items.append(item)
    data = {
        "format": "interviewcoach-export",
        "version": EXPORT_VERSION,
        "title": info.title,
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "facts": dict(info.facts),
        "notes": list(info.notes),
        "criterion_names": dict(info.criterion_names),
        "attempts": items,
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


def _markdown(attempts: Sequence[Attempt], info: ReportInfo) -> str:
    out = [f"# {md(info.title)}", ""]
    for label, value in info.facts.items():
        out.append(f"- **{md(label)}:** {md(value)}")
    out.append(f"- **Attempts:** {len(attempts)} ({md(_date_range(attempts))})")
    out.append("")
    out.extend(md(note) + "\n" for note in info.notes)
    if attempts:
        out += [
            "## Attempts",
            "",
            "| # | When | Question | Overall | Length | Interrupted |",
            "|---|---|---|---|---|---|",
        ]
        for a in attempts:
            question = a.question_text or a.question_id
            out.append(
                f"| {a.id} | {md(_when(a))} | {md(question)} | {md(_overall(a))} | {md(_duration(a))} | "
                f"{'yes' if a.interrupted else 'no'} |"
            )
        out.append("")
    rows = _trend_rows(trend_of(attempts), info)
    if len(trend_of(attempts).overall) > 1:
        out += ["## Trends", "", "| Measure | First | Latest | Change | Over time |", "|---|---|---|---|---|"]
        out += [f"| {md(n)} | {f} | {last} | {c} | {s} |" for n, f, last, c, s in rows]
        out.append("")
    for a in attempts:
        out += _markdown_attempt(a, info)
    return "\n".join(out).rstrip() + "\n"


def _markdown_attempt(a: Attempt, info: ReportInfo) -> list[str]:
    out = [
        f"## Attempt {a.id}: {md(_when(a))}",
        "",
        f"**Question:** {md(a.question_text or a.question_id)}",
        "",
    ]
    facts = [f"Overall {_overall(a)}", _duration(a)]
    if a.interrupted:
        facts.append("interrupted")
    if a.rubric_id:
        facts.append(f"rubric {a.rubric_id} v{a.rubric_version}")
    if a.engine:
        facts.append(f"transcribed by {a.engine} {a.model}".strip())
    if a.set_id:
        facts.append(f"set {a.set_id}")
    out += [md(", ".join(facts)), ""]
    score = a.score
    if score is None:
        return [*out, "Not transcribed or scored yet.", ""]
    if score.no_answer:
        out += [md(score.message), ""]
    else:
        for cid, result in score.criteria.items():
            mark = "passes" if result.passed else "falls short"
            out.append(f"### {md(_name(info, cid))}: {result.score:.2f} ({mark})")
            out.append("")
            out.append(md(result.feedback))
            out.append("")
            out += [f"- {md(ev.label)}: “{md(ev.text)}”" for ev in result.evidence]
            if result.evidence:
                out.append("")
        for item in score.unscored:
            out += [f"- Not scored: {md(_name(info, item.id))}: {md(item.reason)}", ""]
    out += [
        f"**Delivery:** {md(_metrics_line(score))}",
        "",
        "**Transcript:**",
        "",
        f"> {md(score.answer)}",
        "",
    ]
    return out


# ---------------------------------------------------------------------------------------------------
# HTML

_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d232a; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #d5dbe1; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .2rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e4e8ec; vertical-align: top; }
th { background: #f3f5f7; }
.facts { color: #4a5560; margin: .2rem 0; padding: 0; list-style: none; }
.pass { color: #17663a; font-weight: 600; } .short { color: #a3361b; font-weight: 600; }
.spark { font-size: 1.1rem; letter-spacing: 1px; color: #2b5c9e; }
blockquote { margin: .5rem 0; padding: .5rem .9rem; background: #f6f7f9; border-left: 4px solid #9fb3c8;
             white-space: pre-wrap; }
.evidence { margin: .2rem 0 .6rem 1.2rem; padding: 0; } .label { color: #5b6670; font-size: .9rem; }
.meta { color: #5b6670; font-size: .9rem; }
@media print { body { margin: 0; } h2 { break-before: auto; } }
"""


def h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html(attempts: Sequence[Attempt], info: ReportInfo) -> str:
    trend = trend_of(attempts)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # Defence in depth: even if some text escaped escaping, nothing could run or be fetched.
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(info.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{h(info.title)}</h1>",
        '<ul class="facts">',
    ]
    out += [f"<li><strong>{h(label)}:</strong> {h(value)}</li>" for label, value in info.facts.items()]
    out.append(f"<li><strong>Attempts:</strong> {len(attempts)} ({h(_date_range(attempts))})</li>")
    out.append("</ul>")
    out += [f"<p>{h(note)}</p>" for note in info.notes]
    if attempts:
        out += [
            "<h2>Attempts</h2>",
            "<table><thead><tr><th>#</th><th>When</th><th>Question</th><th>Overall</th><th>Length</th>"
            "<th>Interrupted</th></tr></thead><tbody>",
        ]
        for a in attempts:
            out.append(
                f'<tr><td><a href="#attempt-{a.id}">{a.id}</a></td><td>{h(_when(a))}</td>'
                f"<td>{h(a.question_text or a.question_id)}</td><td>{h(_overall(a))}</td>"
                f"<td>{h(_duration(a))}</td><td>{'yes' if a.interrupted else 'no'}</td></tr>"
            )
        out.append("</tbody></table>")
    if len(trend.overall) > 1:
        out += [
            "<h2>Trends</h2>",
            "<table><thead><tr><th>Measure</th><th>First</th><th>Latest</th><th>Change</th>"
            "<th>Over time</th></tr></thead><tbody>",
        ]
        for name, first, last, change, spark in _trend_rows(trend, info):
            out.append(
                f"<tr><td>{h(name)}</td><td>{first}</td><td>{last}</td><td>{change}</td>"
                f'<td class="spark" aria-label="{h(name)} over time">{spark}</td></tr>'
            )
        out.append("</tbody></table>")
    for a in attempts:
        out += _html_attempt(a, info)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_attempt(a: Attempt, info: ReportInfo) -> list[str]:
    out = [
        f'<h2 id="attempt-{a.id}">Attempt {a.id}: {h(_when(a))}</h2>',
        f"<p><strong>Question:</strong> {h(a.question_text or a.question_id)}</p>",
    ]
    facts = [f"<strong>Overall {h(_overall(a))}</strong>", h(_duration(a))]
    if a.interrupted:
        facts.append("interrupted")
    if a.rubric_id:
        facts.append(f"rubric {h(a.rubric_id)} v{a.rubric_version}")
    if a.engine:
        facts.append(f"transcribed by {h(a.engine)} {h(a.model)}")
    if a.set_id:
        facts.append(f"set {h(a.set_id)}")
    out.append(f'<p class="meta">{" · ".join(facts)}</p>')
    score = a.score
    if score is None:
        out.append("<p>Not transcribed or scored yet.</p>")
        return out
    if score.no_answer:
        out.append(f"<p>{h(score.message)}</p>")
    else:
        for cid, result in score.criteria.items():
            cls, mark = ("pass", "passes") if result.passed else ("short", "falls short")
            out.append(
                f'<h3>{h(_name(info, cid))}: {result.score:.2f} <span class="{cls}">{mark}</span></h3>'
            )
            out.append(f"<p>{h(result.feedback)}</p>")
            if result.evidence:
                out.append('<ul class="evidence">')
                out += [
                    f'<li><span class="label">{h(ev.label)}:</span> “{h(ev.text)}”</li>'
                    for ev in result.evidence
                ]
                out.append("</ul>")
        for item in score.unscored:
            out.append(f'<p class="meta">Not scored: {h(_name(info, item.id))}: {h(item.reason)}</p>')
    out.append(f'<p class="meta">{h(_metrics_line(score))}</p>')
    out.append(f"<blockquote>{h(score.answer)}</blockquote>")
    return out
