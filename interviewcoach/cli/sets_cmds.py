"""CLI commands: `sets validate|pack|import|list|remove|test` for advisor question sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interviewcoach.cli import app
from interviewcoach.cli.options import DataDirOpt
from interviewcoach.core.safetext import escape

if TYPE_CHECKING:
    from interviewcoach.core.sets import PracticeSet

sets_app = typer.Typer(
    name="sets",
    help=(
        "Advisor question sets: check a set, pack it into one file to send, import it, try its rubrics "
        "on sample answers, list and remove imported sets."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(sets_app, name="sets")


def _details(practice_set: PracticeSet) -> str:
    due = f", due {practice_set.due.isoformat()}" if practice_set.due is not None else ""
    return f"version {practice_set.version}{due}"


@sets_app.command("validate")
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="The set file (.toml), its folder, or a pack (.icset).")],
) -> None:
    """Check a set and its rubric files: a one-line summary, or every problem as FILE:LINE."""
    from interviewcoach.core.sets import PACK_SUFFIX, find_set_file, load_pack, load_set_file

    practice_set = load_pack(file) if file.name.endswith(PACK_SUFFIX) else load_set_file(find_set_file(file))
    _warn(practice_set)
    typer.echo(escape(f"{file}: ok: {practice_set.summary()}", keep_newlines=False))


def _warn(practice_set: PracticeSet) -> None:
    for warning in practice_set.warnings[:20]:
        typer.echo(str(warning), err=True)  # FileProblem's text is escaped, one line


@sets_app.command("pack")
def pack_cmd(
    source: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="The set's folder (or its set file), rubric files beside it."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The pack to write: NAME.icset.")],
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            help="The set's version (default: the file's own, else one more than the pack at --out "
            "when the set changed, else 1).",
        ),
    ] = None,
) -> None:
    """Check a set and write it, with its rubric files, as one versioned file to send to students."""
    from interviewcoach.core.sets import write_pack

    result = write_pack(source, out, version=version)
    ps = result.practice_set
    _warn(ps)
    was = ""
    if result.replaced_version is not None:
        was = (
            " (unchanged)"
            if result.replaced_version == result.version
            else f" (was {result.replaced_version})"
        )
    typer.echo(escape(f"packed {ps.summary()}", keep_newlines=False))
    typer.echo(escape(f"wrote {result.out}: {_details(ps)}{was}", keep_newlines=False))
    typer.echo(escape(f"students import it with: interviewcoach sets import {result.out.name}"))


@sets_app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="A pack (.icset), or a set file (.toml) with its rubric files beside it.")
    ],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace an imported set of the same id that differs from this one."),
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Check a set and copy it (with its rubric files) into your data directory.

    The same set again keeps its version; a changed set of the same id gets the next version (a
    pack of a newer version replaces the old one without --replace).
    """
    from interviewcoach.core.sets import import_set_file

    result = import_set_file(file, data_dir, replace=replace)
    ps = result.practice_set
    _warn(ps)
    if result.unchanged:
        typer.echo(escape(f"set {ps.id!r} is already imported, unchanged ({_details(ps)})"))
    else:
        was = "" if result.previous_version is None else f", replacing version {result.previous_version}"
        typer.echo(escape(f"imported {ps.summary()}", keep_newlines=False))
        typer.echo(escape(f"{_details(ps)}{was}", keep_newlines=False))
    typer.echo(f"practise it with: interviewcoach practice --set {ps.id}")


@sets_app.command("list")
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """List imported sets: id, questions, title and author (or why a set no longer loads)."""
    from interviewcoach.core.sets import list_sets

    listings = list_sets(data_dir)
    if as_json:
        rows = []
        for item in listings:
            ps = item.practice_set
            row: dict[str, object] = {"id": item.id, "path": str(item.path), "ok": ps is not None}
            if ps is not None:
                row |= {
                    "version": ps.version,
                    "due": ps.due.isoformat() if ps.due is not None else None,
                    "title": ps.title,
                    "author": ps.author,
                    "questions": len(ps),
                    "talking_points": ps.talking_point_count,
                }
            else:
                row["problem"] = item.problem
            rows.append(row)
        typer.echo(json.dumps(rows, indent=2))
        return
    if not listings:
        typer.echo("no sets imported; add one with: interviewcoach sets import FILE")
        return
    for item in listings:
        ps = item.practice_set
        if ps is None:
            typer.echo(escape(f"{item.id:<24} does not load: {item.problem}", keep_newlines=False))
        else:
            count = f"{len(ps)} question{'s' if len(ps) != 1 else ''}"
            typer.echo(escape(f"{item.id:<24} {count:<13} {ps.title} ({ps.author})", keep_newlines=False))


@sets_app.command("remove")
def remove_cmd(
    set_id: Annotated[str, typer.Argument(metavar="ID", help="An imported set's id (see sets list).")],
    data_dir: DataDirOpt = None,
) -> None:
    """Remove an imported set; attempts already saved on it stay in your history."""
    from interviewcoach.core.sets import remove_set

    remove_set(set_id, data_dir)
    typer.echo(f"removed set {set_id!r}")
