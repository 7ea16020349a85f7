"""CLI commands: `cohort import|list|report|attempts|comment|override|comments`, the advisor's side.

An advisor imports the bundles students send, reads the cohort as a report (HTML page or JSON rows),
comments on attempts or overrides a talking-point verdict, and writes each student a comments file
to import. Every name and text from a bundle is escaped before it reaches the terminal.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.options import DataDirOpt
from interviewcoach.core.safetext import escape
from interviewcoach.core.wording import counted

cohort_app = typer.Typer(
    name="cohort",
    help="The advisor's side: import students' bundles, report on a set, comment and send back.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(cohort_app, name="cohort")

SetOpt = Annotated[str, typer.Option("--set", help="The set's id (see cohort list).")]
AuthorOpt = Annotated[str, typer.Option("--author", help="Your name, as the student will see it.")]


def _line(text: str) -> str:
    return escape(text, keep_newlines=False)


@cohort_app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Bundles students exported (.json).")],
    data_dir: DataDirOpt = None,
) -> None:
    """Import students' bundles; a bad file is one line on stderr and the others are still imported."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.bundle import BundleError
    from interviewcoach.core.history.cohort import CohortStore

    store = CohortStore(data_dir)
    failed = 0
    for path, result in zip(files, store.import_bundles(files), strict=True):
        if isinstance(result, BundleError):
            failed += 1
            typer.echo(f"interviewcoach: {result}", err=True)
            continue
        kept = f", {result.kept} kept as imported before" if result.kept else ""
        typer.echo(
            _line(
                f"{path}: {result.student}, set {result.set_id}: {result.added} new, "
                f"{result.updated} updated{kept}"
            )
        )
    if failed:
        typer.echo(f"interviewcoach: {failed} of {len(files)} bundles not imported", err=True)
        raise typer.Exit(2)


@cohort_app.command("list")
def list_cmd(data_dir: DataDirOpt = None) -> None:
    """The imported sets and, under each, its students and how many attempts each sent."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.cohort import CohortStore

    store = CohortStore(data_dir)
    sets = store.sets()
    if not sets:
        typer.echo("no bundles imported; import some with: interviewcoach cohort import FILE...")
        return
    for item in sets:
        typer.echo(
            _line(
                f"{item.id} (version {item.version}): {item.title} - {counted(item.students, 'student')}, "
                f"{counted(item.attempts, 'attempt')}"
            )
        )
        grid = store.grid(item.id, details=False)
        for row in grid.rows:
            made = sum(len(c.attempts) for c in row.cells.values())
            email = f" <{row.student.email}>" if row.student.email else ""
            typer.echo(_line(f"  {row.student.name}{email}: {counted(made, 'attempt')}"))


@cohort_app.command("report")
def report_cmd(
    set_id: SetOpt,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (.html or .json).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON rows, one per student.")] = False,
    all_attempts: Annotated[
        bool, typer.Option("--all-attempts", help="Every answer in full in the HTML (larger page).")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """The set's students x questions: an HTML page (--out FILE.html) or JSON rows (--json)."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.cohort import CohortStore, dumps, write_private

    if out is not None and out.suffix.lower() == ".json":
        as_json = True
    if not as_json and out is None:
        raise fail("give --out FILE.html for the page, or --json for JSON rows")
    store = CohortStore(data_dir)
    if as_json:
        text = dumps(store.report_rows(set_id)) + "\n"
        if out is None:
            typer.echo(text, nl=False)
            return
        write_private(out, text.encode())
    else:
        # Lazy: Jinja2 and the report template load only for the HTML report.
        from interviewcoach.core.history.cohort_report import render_html

        assert out is not None
        grid = store.grid(set_id)
        write_private(out, render_html(grid, all_attempts=all_attempts).encode())
    typer.echo(_line(f"wrote {out}"))


def _local_minute(stamp: str) -> str:
    """An ISO stamp from a bundle in the reader's time zone, to the minute (as it was if unreadable)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


@cohort_app.command("attempts")
def attempts_cmd(
    set_id: SetOpt,
    student: Annotated[str, typer.Option("--student", help="The student's name or email.")],
    data_dir: DataDirOpt = None,
) -> None:
    """One student's attempts on a set, newest first, with the uids comment and override take."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.cohort import CohortStore

    store = CohortStore(data_dir)
    who = store.find_student(set_id, student)
    grid = store.grid(set_id)
    row = next(r for r in grid.rows if r.student.id == who.id)
    for question in grid.set.questions:
        cell = row.cells[question.id]
        typer.echo(_line(f"{question.id}: {question.text}"))
        if not cell.attempts:
            typer.echo("  not yet attempted")
        for attempt in reversed(cell.attempts):
            score = "no answer" if attempt.no_answer else f"score {attempt.overall}"
            points = f", {attempt.points_covered}/{len(attempt.points)} points" if attempt.points else ""
            notes = f", {len(attempt.comments)} comment(s)" if attempt.comments else ""
            # Local time to the minute, as `history` and `show` give it (the bundle stores UTC).
            when = _local_minute(attempt.created_at)
            typer.echo(_line(f"  {attempt.uid}  {when}  {score}{points}{notes}"))


@cohort_app.command("comment")
def comment_cmd(
    attempt_uid: Annotated[str, typer.Argument(metavar="ATTEMPT_UID", help="The attempt's uid.")],
    text: Annotated[str, typer.Argument(help="Your comment.")],
    author: AuthorOpt = "Advisor",
    data_dir: DataDirOpt = None,
) -> None:
    """Comment on one attempt (it goes back to the student in the comments file)."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.cohort import CohortStore

    comment = CohortStore(data_dir).add_comment(attempt_uid, text, author)
    typer.echo(f"comment added to attempt {comment.attempt_uid}")


@cohort_app.command("override")
def override_cmd(
    attempt_uid: Annotated[str, typer.Argument(metavar="ATTEMPT_UID", help="The attempt's uid.")],
    point: Annotated[str, typer.Option("--point", help="The talking point, as the report shows it.")],
    covered: Annotated[
        bool | None,
        typer.Option("--covered/--not-covered", help="Your verdict on the point."),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Drop your verdict: the app's stands.")] = False,
    author: AuthorOpt = "Advisor",
    data_dir: DataDirOpt = None,
) -> None:
    """Override the app's verdict on one talking point of an attempt (or --clear your override)."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.cohort import CohortStore

    store = CohortStore(data_dir)
    if clear:
        if covered is not None:
            raise fail("--clear takes no --covered or --not-covered")
        store.clear_override(attempt_uid, point)
        typer.echo(_line(f"override cleared: {point}"))
        return
    if covered is None:
        raise fail("give --covered or --not-covered (or --clear)")
    text = store.set_override(attempt_uid, point, covered, author)
    typer.echo(_line(f"{'covered' if covered else 'not covered'} (your verdict): {text}"))


@cohort_app.command("comments")
def comments_cmd(
    set_id: SetOpt,
    student: Annotated[str, typer.Option("--student", help="The student's name or email.")],
    out: Annotated[Path, typer.Option("--out", help="The comments file to write (.json).")],
    author: AuthorOpt = "Advisor",
    data_dir: DataDirOpt = None,
) -> None:
    """Write the comments file for one student: your comments and overrides on their attempts."""
    # Lazy: the bundle and cohort models (about 60 ms) load only for cohort commands.
    from interviewcoach.core.history.cohort import CohortStore, dumps, write_private

    document = CohortStore(data_dir).comments_file(set_id, student, author)
    write_private(out, (dumps(document) + "\n").encode())
    count = len(document["comments"]), len(document["overrides"])
    typer.echo(_line(f"wrote {out}: {count[0]} comment(s), {count[1]} override(s)"))
