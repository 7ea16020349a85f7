"""The cohort report as one self-contained HTML page: summary, sortable grid, each student's answers.

Rendered from a Jinja2 template with autoescaping on, and every string first passed through
safetext.escape, so a bundle's text (names, transcripts, evidence) is shown and never read as markup
or control characters. The page loads nothing; its only script (sorting the grid's columns, opening
every answer before printing) is allowed by its hash in the Content-Security-Policy, and everything
is readable without it.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from interviewcoach.core.history.cohort import AttemptView, Cell, Grid, Quote, StudentInfo, script_hash
from interviewcoach.core.safetext import escape

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class _Piece:
    text: str
    kind: str  # "" plain, "e" evidence, "n" the nearest sentence to a missed point
    ends: str  # numbers of the verdicts whose quote ends here ("1,4")


@dataclass(frozen=True)
class _Numbered:
    number: int
    item: Any
    # The quote, when it cannot be found at its offsets in the transcript (shown beside the verdict).
    unplaced: list[str]


@dataclass(frozen=True)
class _AttemptHtml:
    """An attempt shown in full: its transcript with every quote marked in place and numbered, so
    evidence reads in context and is not printed twice (the page stays small for a whole cohort)."""

    attempt: AttemptView
    pieces: list[_Piece]
    criteria: list[_Numbered]
    points: list[_Numbered]


def _attempt_html(attempt: AttemptView) -> _AttemptHtml:
    text = attempt.transcript
    spans: list[tuple[int, int, int, str]] = []

    def place(quote: Quote | None, number: int, kind: str) -> list[str]:
        if quote is None:
            return []
        if 0 <= quote.start < quote.end <= len(text) and text[quote.start : quote.end] == quote.text:
            spans.append((quote.start, quote.end, number, kind))
            return []
        return [quote.text]

    criteria = []
    for number, verdict in enumerate(attempt.criteria, 1):
        unplaced = [q for quote in verdict.evidence for q in place(quote, number, "e")]
        criteria.append(_Numbered(number, verdict, unplaced))
    points = []
    for number, point in enumerate(attempt.points, len(criteria) + 1):
        quote = point.evidence if point.evidence is not None else point.nearest
        points.append(_Numbered(number, point, place(quote, number, "e" if point.evidence else "n")))
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    pieces: list[_Piece] = []
    for start, end in itertools.pairwise(cuts):
        inside = [s for s in spans if s[0] <= start and end <= s[1]]
        kind = "e" if any(s[3] == "e" for s in inside) else ("n" if inside else "")
        ends = ",".join(str(s[2]) for s in spans if s[1] == end)
        if pieces and pieces[-1].kind == kind and not pieces[-1].ends:
            # One mark across overlapping quotes, not one per fragment.
            pieces[-1] = _Piece(pieces[-1].text + text[start:end], kind, ends)
        else:
            pieces.append(_Piece(text[start:end], kind, ends))
    return _AttemptHtml(attempt, pieces, criteria, points)


@dataclass(frozen=True)
class _CellView:
    attempts: list[AttemptView]
    latest: int | None
    best: int | None
    required: int
    points_covered: int
    points_total: int
    # Newest first: attempts shown in full (the latest scored one, any the advisor commented on or
    # overrode, or all of them), and the rest, shown as a date, a score and the start of the uid.
    shown: list[_AttemptHtml]
    earlier: list[AttemptView]


@dataclass(frozen=True)
class _RowView:
    student: StudentInfo
    sort_name: str
    exported_at: str
    cells: list[_CellView]


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value


def _utc_minute(stamp: str) -> str:
    """A stored ISO stamp as the page gives times ("2026-12-05 17:15 UTC"); as stored if unreadable."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["utc_minute"] = _utc_minute
    return env


def _cell_view(cell: Cell, all_attempts: bool) -> _CellView:
    latest = cell.latest_attempt
    full = {a.uid for a in cell.attempts if a.comments or any(p.overridden for p in a.points)}
    if latest is not None:
        full.add(latest.uid)
    elif cell.attempts:
        full.add(cell.attempts[-1].uid)
    newest_first = list(reversed(cell.attempts))
    return _CellView(
        cell.attempts,
        cell.latest,
        cell.best,
        cell.required,
        cell.points_covered,
        cell.points_total,
        [_attempt_html(a) for a in newest_first if all_attempts or a.uid in full],
        [a for a in newest_first if not all_attempts and a.uid not in full],
    )


def render_html(grid: Grid, *, all_attempts: bool = False, generated: datetime | None = None) -> str:
    """The whole report page for one set."""
    script = (TEMPLATES / "cohort_report.js").read_text(encoding="utf-8")
    questions = [{"id": q.id, "text": q.text, "stats": grid.question_stats(q.id)} for q in grid.set.questions]
    rows = [
        _RowView(
            row.student,
            row.student.name.casefold(),
            row.exported_at,
            [_cell_view(row.cells[q.id], all_attempts) for q in grid.set.questions],
        )
        for row in grid.rows
    ]
    complete = sum(1 for row in grid.rows if all(len(c.attempts) >= c.required for c in row.cells.values()))
    untouched = sum(1 for row in grid.rows if any(not c.attempts for c in row.cells.values()))
    moment = generated or datetime.now(UTC)
    return str(
        _environment()
        .get_template("cohort_report.html.j2")
        .render(
            set=grid.set,
            questions=questions,
            rows=rows,
            attempts=sum(len(c.attempts) for row in grid.rows for c in row.cells.values()),
            complete=complete,
            untouched=untouched,
            generated=moment.strftime("%Y-%m-%d %H:%M UTC"),
            all_attempts=all_attempts,
            script=script,
            # Base64 and quotes only, made here: no escaping needed, and the CSP must read it as is.
            script_hash=Markup(script_hash(script)),
        )
    )
