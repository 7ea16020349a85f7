"""CLI command: `model`, which Whisper model the app transcribes with (saved in the settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.options import DataDirOpt, EngineOpt
from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import make_transcriber, model_choices
from interviewcoach.core.settings import load_settings, update_settings


@app.command("model")
def model_cmd(
    name: Annotated[
        str | None,
        typer.Argument(help="tiny.en (bundled), base (once installed) or a model folder; none: show."),
    ] = None,
    engine: EngineOpt = "faster-whisper",
    data_dir: DataDirOpt = None,
) -> None:
    """Show the models you can use, or choose the one practice uses from now on (--model overrides it)."""

    if name is not None:
        value = name.strip()
        if Path(value).expanduser().exists():
            value = str(Path(value).expanduser().resolve())
        try:
            make_transcriber(engine, value)
        except UserError as exc:
            raise fail(str(exc)) from None
        settings = update_settings(data_dir, model=None if value == "tiny.en" else value)
        typer.echo(escape(f"saved: practice now transcribes with {settings.model or 'tiny.en'}"))
        return
    current = load_settings(data_dir).model or "tiny.en"
    for choice in model_choices():
        mark = "*" if choice.name == current else " "
        state = "installed" if choice.installed else f"not installed: {choice.install}"
        typer.echo(escape(f"{mark} {choice.name:<8} {choice.about}; {state}"))
    if current not in {c.name for c in model_choices()}:
        typer.echo(escape(f"* {current}"))
    typer.echo("Choose one with: interviewcoach model NAME (the README compares their speed and accuracy)")
