"""CLI commands: practice (the TUI), also what runs with no command."""

from __future__ import annotations

import typer

from interviewcoach.cli import app


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """With no command, start a practice session."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
