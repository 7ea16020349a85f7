"""CLI commands: `sets validate|import|list|remove` for advisor question sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from interviewcoach.cli import app
from interviewcoach.cli.options import DataDirOpt
from interviewcoach.core.safetext import escape

sets_app = typer.Typer(
    name="sets",
    help="Advisor question sets: check a set file, import it, list and remove imported sets.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(sets_app, name="sets")


@sets_app.command("validate")
def validate_cmd(file: Annotated[Path, typer.Argument(help="The set file (.toml).")]) -> None:
    """Check a set file and its rubric files: a one-line summary, or every problem as FILE:LINE."""
    from interviewcoach.core.sets import load_set_file

    practice_set = load_set_file(file)
    typer.echo(escape(f"{file}: ok: {practice_set.summary()}"))


@sets_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The set file (.toml); its rubric files sit beside it.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite an imported set of the same id.")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Check a set file and copy it (with its rubric files) into your data directory."""
    from interviewcoach.core.sets import import_set

    practice_set = import_set(file, data_dir, replace=replace)
    typer.echo(escape(f"imported {practice_set.summary()}"))
    typer.echo(f"practise it with: interviewcoach practice --set {practice_set.id}")


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
