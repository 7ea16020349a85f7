"""CLI command: `model`, which Whisper model the app transcribes with (saved in the settings).

Also `model_for`, how every command that transcribes picks its model: `--model` if given, else the saved one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.options import DataDirOpt, EngineOpt
from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import make_transcriber, model_choices, model_to_use
from interviewcoach.core.settings import load_settings, update_settings


def model_for(data_dir: Path | None, engine: str, chosen: str | None) -> str | None:
    """The model a command transcribes with; a saved model that cannot be used is said once on stderr."""
    model, note = model_to_use(data_dir, engine, chosen)
    if note:
        typer.echo(escape(f"interviewcoach: {note}", keep_newlines=False), err=True)
    return model


@app.command("model")
def model_cmd(
    name: Annotated[
        str | None,
        typer.Argument(help="tiny.en (bundled), base (once installed) or a model folder; none: show."),
    ] = None,
    engine: EngineOpt = "faster-whisper",
    data_dir: DataDirOpt = None,
) -> None:
    """Show the models you can use, or choose the one the app transcribes with (--model overrides it)."""

    if name is not None:
        value = name.strip()
        if Path(value).expanduser().exists():
            value = str(Path(value).expanduser().resolve())
        try:
            make_transcriber(engine, value)
        except UserError as exc:
            raise fail(str(exc)) from None
        settings = update_settings(data_dir, model=None if value == "tiny.en" else value)
        typer.echo(escape(f"saved: interviewcoach now transcribes with {settings.model or 'tiny.en'}"))
        return
    current = load_settings(data_dir).model or "tiny.en"
    for choice in model_choices():
        mark = "*" if choice.name == current else " "
        state = "installed" if choice.installed else f"not installed: {choice.install}"
        typer.echo(escape(f"{mark} {choice.name:<8} {choice.about}; {state}"))
    if current not in {c.name for c in model_choices()}:
        typer.echo(escape(f"* {current}"))
    typer.echo("Choose one with: interviewcoach model NAME (the README compares their speed and accuracy)")
