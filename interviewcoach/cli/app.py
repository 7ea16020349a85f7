"""The Typer app every command module registers on, and the one way a command reports a user error.

It lives apart from the package's `__init__` so the command modules import it without importing the
package that imports them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from interviewcoach.core.errors import DataFileError, UserError
from interviewcoach.core.safetext import escape

# Typer words a refused option value with its validator's phrases ("Value error, 'x' is not one of
# ...", "Input should be a valid integer, unable to parse string as an integer"); say it plainly.
_VALIDATOR_PHRASES = (
    ("Value error, ", ""),
    ("Input should be a valid integer, unable to parse string as an integer", "not a whole number"),
    ("Input should be a valid integer", "not a whole number"),
    ("Input should be a valid number, unable to parse string as a number", "not a number"),
)


def plain_refusal(message: str) -> str:
    """An option value's refusal in plain words, without the validator's phrasing."""
    for phrase, plain in _VALIDATOR_PHRASES:
        if message.startswith(phrase):
            return plain + message[len(phrase) :]
    return message


def _usage_line(exc: TyperException, ctx: typer.Context) -> str:
    """A usage error (an unknown option or command, a missing or refused value) as one line: the
    command, what was wrong, and where its help is.

    The parser shows it as four lines (usage, a hint, a blank line, the error); one says the same.
    Every parser error is a TyperException, the one public name for them.
    """
    if isinstance(exc, typer.BadParameter):
        exc.message = plain_refusal(exc.message)
    where = getattr(exc, "ctx", None)
    if where is not None:
        command = where.command_path
    elif ctx.invoked_subcommand:  # the subcommand's own parser failed before its context was made
        command = f"{ctx.command_path} {ctx.invoked_subcommand}"
    else:
        command = ctx.command_path
    message = escape(exc.format_message(), keep_newlines=False).strip()
    stop = "" if message.endswith((".", "?", "!")) else "."
    return f"{command}: {message}{stop} See '{command} --help'."


class _Group(TyperGroup):
    """Turns the core's user errors and the parser's usage errors into one line on stderr and exit
    2, in every command."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        try:
            return super().parse_args(ctx, args)
        except TyperException as exc:
            typer.echo(_usage_line(exc, ctx), err=True)
            raise typer.Exit(exc.exit_code) from None

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TyperException as exc:
            typer.echo(_usage_line(exc, ctx), err=True)
            raise typer.Exit(exc.exit_code) from None
        except DataFileError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            raise typer.Exit(exc.exit_code) from None
        except UserError as exc:
            typer.echo(f"interviewcoach: {escape(str(exc), keep_newlines=False)}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    name="interviewcoach",
    cls=_Group,
    help="Offline mock-interview trainer for Interventional Radiology residency applicants.",
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def fail(message: str) -> typer.Exit:
    """Print a user error on stderr; return the Exit to raise."""
    typer.echo(f"interviewcoach: {escape(message, keep_newlines=False)}", err=True)
    return typer.Exit(2)
