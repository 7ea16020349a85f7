"""Options shared by several commands, declared once so they read and behave the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ENGINES = ("faster-whisper", "openai-whisper")

EngineOpt = Annotated[
    str, typer.Option("--engine", help="Transcription engine: faster-whisper or openai-whisper.")
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="Model: tiny.en (default), a model folder, or a .pt file."),
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


def check_engine(engine: str) -> None:
    """Refuse an unknown engine name before anything loads."""
    if engine not in ENGINES:
        typer.echo(f"interviewcoach: unknown engine {engine!r}; choose {' or '.join(ENGINES)}", err=True)
        raise typer.Exit(2)
