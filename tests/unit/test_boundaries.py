"""The core stays independent of the UI and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "interviewcoach.core.content.questions",
    "interviewcoach.core.scoring.rubrics",
    "interviewcoach.core.scoring.engine",
    "interviewcoach.core.protocols",
    "interviewcoach.cli",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_import_pulls_no_ui_and_no_heavy_libraries(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in ('textual', 'spacy', 'torch', 'whisper', 'faster_whisper', "
        "'sounddevice') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
