"""The Typer app every command module registers on, and the one way a command reports a user error.

It lives apart from the package's `__init__` so the command modules import it without importing the
package that imports them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

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


class _Group(TyperGroup):
    """Turns the core's user errors into one line on stderr and exit 2, in every command."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:
            exc.message = plain_refusal(exc.message)
            raise
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
