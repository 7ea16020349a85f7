"""Options shared by several commands, declared once so they read and behave the same everywhere.

Choices are `Literal` types and dates are `datetime`s, so Typer lists the choices in `--help`,
parses the values, and refuses a bad one with its own usage error (exit 2) before a command runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from interviewcoach import __version__
from interviewcoach.core.models import Category

Engine = Literal["faster-whisper", "openai-whisper"]
ReportFormat = Literal["md", "html", "json", "bundle"]

# A local date means its midnight; a time may follow, as in the ISO form.
DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def parse_date(value: str | datetime) -> datetime:
    """A DATE option's value. Typer's own refusal read "Value error, 'x' does not match the formats
    '%Y-%m-%d', ...": a parser's name for its failure and strftime codes; this one shows the form."""
    if isinstance(value, datetime):
        return value
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    raise typer.BadParameter(f"{value!r} is not a date: write 2025-01-31 or 2025-01-31T18:00")


EngineOpt = Annotated[Engine, typer.Option("--engine", help="Transcription engine.")]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Model: tiny.en (default: the one `interviewcoach model` saves, else tiny.en), base "
        "(once installed), a model folder, or a .pt file.",
    ),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="The data directory (default: INTERVIEWCOACH_HOME or the user's)."),
]
DeviceOpt = Annotated[
    str | None,
    typer.Option(
        "--device",
        "-d",
        help="Input device: index or name (default: the saved one, else the system default).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON instead of text.")]
JsonArrayOpt = Annotated[bool, typer.Option("--json", help="One JSON array.")]
JsonObjectOpt = Annotated[bool, typer.Option("--json", help="One JSON object.")]
CategoryOpt = Annotated[Category | None, typer.Option("--category", help="Only this category.")]


SinceOpt = Annotated[
    datetime | None,
    typer.Option(
        "--since",
        metavar="DATE",
        parser=parse_date,
        help="Only from this date (2025-01-31 or 2025-01-31T18:00).",
    ),
]
ExportSinceOpt = Annotated[
    datetime | None,
    typer.Option(
        "--since",
        metavar="DATE",
        parser=parse_date,
        help="Every attempt from this date (2025-01-31 or 2025-01-31T18:00).",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"interviewcoach {__version__}")
        raise typer.Exit()


VersionOpt = Annotated[
    bool,
    typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
]


def since_text(moment: datetime) -> str:
    """A --since date as the user wrote it: the day alone when it is a midnight."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")
