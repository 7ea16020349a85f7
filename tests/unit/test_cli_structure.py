"""The CLI's command modules take the app from cli/app.py, never from the package that imports them."""

from __future__ import annotations

import ast
from pathlib import Path

import interviewcoach.cli

CLI = Path(interviewcoach.cli.__file__).parent


def test_no_command_module_imports_the_cli_package() -> None:
    offenders = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "interviewcoach.cli":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_the_entry_point_still_runs() -> None:
    from interviewcoach.cli import app, main

    assert callable(main) and app.info.name == "interviewcoach"
