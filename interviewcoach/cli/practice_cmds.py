"""CLI commands: practice (the TUI), also what runs with no command.

Textual is imported only once the app is about to start, so `--help`, bad options and every other
command stay quick and never pull in the UI.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.model_cmds import model_for
from interviewcoach.cli.options import DataDirOpt, DeviceOpt, Engine, EngineOpt, ModelOpt, VersionOpt
from interviewcoach.cli.terminal import native_stderr_quiet
from interviewcoach.core import session
from interviewcoach.core.content.sets import load_practice_set
from interviewcoach.core.errors import UserError
from interviewcoach.core.history.store import StoreError
from interviewcoach.core.settings import load_settings

SetOpt = Annotated[
    str | None,
    typer.Option("--set", help="Practise an advisor's set: an imported set id or a set file."),
]


def _device(value: str | None) -> str | int | None:
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _saved_device(data_dir: Path | None) -> str | int | None:
    """The input device saved in the settings; a bad settings file is reported by the app instead."""
    try:
        return load_settings(data_dir).device
    except UserError:
        return None


def run_practice(
    *,
    set_ref: str | None = None,
    engine: Engine = "faster-whisper",
    model: str | None = None,
    device: str | None = None,
    data_dir: Path | None = None,
) -> None:
    """Build the real services and run the app; user errors surface as one line and exit 2."""
    if not _interactive():
        raise fail(
            "practice needs an interactive terminal; for a plain run use "
            "`interviewcoach record --question ID`"
        )

    options: dict[str, Any] = {
        "data_dir": data_dir,
        "engine": engine,
        "model": model_for(data_dir, engine, model),
        "device": _device(device) if device else _saved_device(data_dir),
    }
    try:
        services = session.build_services(**options)
    except StoreError as exc:
        # A damaged or unusable history must not keep the student from practising: the app runs
        # with history off for this session, and says why once.
        typer.echo(f"interviewcoach: {exc}; history is off for this session", err=True)
        services = session.build_services(**options, with_store=False)
    start_set = None
    if set_ref is not None:
        start_set = load_practice_set(
            set_ref, services.data_dir, bank=services.bank, rubrics=services.rubrics
        )

    # Lazy: Textual and the app (~0.17 s) load only when the TUI starts, not for `--help` or a command.
    from interviewcoach.tui.app import InterviewCoachApp

    # The screen is drawn on a copy of the terminal; ALSA's "underrun occurred" and PortAudio's
    # messages, printed by the libraries themselves while a question is read aloud or an answer
    # recorded, would otherwise land on top of it.
    with native_stderr_quiet():
        InterviewCoachApp(services, start_set=start_set).run()


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context, version: VersionOpt = False) -> None:
    """With no command, start a practice session (the mock-interview app)."""
    if ctx.invoked_subcommand is None:
        run_practice()


@app.command("practice")
def practice_cmd(
    set_ref: SetOpt = None,
    engine: EngineOpt = "faster-whisper",
    model: ModelOpt = None,
    device: DeviceOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Open the mock-interview app: pick a question, answer out loud, read the feedback."""
    run_practice(set_ref=set_ref, engine=engine, model=model, device=device, data_dir=data_dir)
