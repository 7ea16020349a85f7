"""CLI command: `profile`, the student's name (and optional email and cohort) that exports carry."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.options import DataDirOpt, JsonOpt
from interviewcoach.core.safetext import escape
from interviewcoach.core.settings import load_settings, set_profile, student_profile


@app.command("profile")
def profile_cmd(
    name: Annotated[str | None, typer.Option("--name", help="Your name, as your advisor knows you.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Your email ('' clears it).")] = None,
    cohort: Annotated[
        str | None, typer.Option("--cohort", help="Your cohort or program year ('' clears it).")
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Show or set the student profile that every report and bundle you send carries."""
    changing = name is not None or email is not None or cohort is not None
    if changing:
        if name is None and load_settings(data_dir).student_name is None:
            raise fail("set your name first: interviewcoach profile --name ...")
        settings = set_profile(data_dir, name=name, email=email, cohort=cohort)
    else:
        settings = load_settings(data_dir)
    profile = student_profile(settings)
    if as_json:
        typer.echo(json.dumps(profile, indent=2, ensure_ascii=False))
        return
    if profile["name"] is None:
        typer.echo("no name set yet; set it with: interviewcoach profile --name ...")
        return
    line = f"{'saved: ' if changing else ''}you are {profile['name']}"
    extras = [
        f"email {profile['email']}" if profile["email"] else "",
        f"cohort {profile['cohort']}" if profile["cohort"] else "",
    ]
    extras = [e for e in extras if e]
    if extras:
        line += f" ({', '.join(extras)})"
    typer.echo(escape(line))
