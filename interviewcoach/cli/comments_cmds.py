"""CLI command: `comments import FILE`, an advisor's comments on your attempts, brought back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interviewcoach.cli.app import app
from interviewcoach.cli.options import DataDirOpt
from interviewcoach.core.history.store import Store
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.safetext import escape
from interviewcoach.core.wording import counted

comments_app = typer.Typer(
    name="comments",
    help="Your advisor's comments on the attempts you sent them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(comments_app, name="comments")


@comments_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The comments file your advisor sent (.json).")],
    data_dir: DataDirOpt = None,
) -> None:
    """Store an advisor's comments and talking-point verdicts; `show ATTEMPT` then includes them."""
    # Lazy: the comments file's pydantic models (~15 ms) are built only for this command.
    from interviewcoach.core.history.comments import import_comments

    result = import_comments(Store(resolve_data_dir(data_dir)), file)
    line = f"imported {counted(result.added, 'comment')} from {result.author} on set {result.set_id}"
    extras = []
    if result.already:
        extras.append(f"{result.already} already imported")
    if result.overrides:
        extras.append(counted(result.overrides, "talking-point verdict"))
    if result.unknown:
        extras.append(f"{result.unknown} on attempts not in this history, skipped")
    if extras:
        line += f" ({'; '.join(extras)})"
    typer.echo(escape(line, keep_newlines=False))
