"""The cohort report as one self-contained HTML page: summary, sortable grid, each student's answers.

Rendered from a Jinja2 template with autoescaping on, and every string first passed through
safetext.escape, so a bundle's text (names, transcripts, evidence) is shown and never read as markup
or control characters. The page loads nothing; its only script (sorting the grid's columns, opening
every answer before printing) is allowed by its hash in the Content-Security-Policy, and everything
is readable without it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from interviewcoach.core.cohort import AttemptView, Cell, Grid, StudentInfo, script_hash
from interviewcoach.core.safetext import escape

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class _CellView:
    attempts: list[AttemptView]
    latest: int | None
    best: int | None
    required: int
    points_covered: int
    points_total: int
    # Attempts shown in full: the latest scored one, and any the advisor commented on or overrode.
    full: frozenset[str]


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


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _cell_view(cell: Cell) -> _CellView:
    latest = cell.latest_attempt
    full = {a.uid for a in cell.attempts if a.comments or any(p.overridden for p in a.points)}
    if latest is not None:
        full.add(latest.uid)
    elif cell.attempts:
        full.add(cell.attempts[-1].uid)
    return _CellView(
        cell.attempts,
        cell.latest,
        cell.best,
        cell.required,
        cell.points_covered,
        cell.points_total,
        frozenset(full),
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
            [_cell_view(row.cells[q.id]) for q in grid.set.questions],
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
