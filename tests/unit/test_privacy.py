"""Nothing leaves the machine: no network attempt in a whole session, onnxruntime telemetry off."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from tests.conftest import NetworkAttempt
from tests.speech import Clip


def test_the_guard_refuses_a_tcp_connection(no_network: list[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkAttempt):
        sock.connect(("127.0.0.1", 9))
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("mobile.events.data.microsoft.com", 443)
    assert len(no_network) == 2
    no_network.clear()  # expected here; the fixture fails any test that leaves attempts behind


def test_scoring_recorded_answer_makes_no_network_attempt(
    speech_clip: Clip, tmp_path: Path, no_network: list[str]
) -> None:
    """The real voice detector (onnxruntime) and Whisper, score and save: no socket to anywhere."""
    runner = CliRunner()
    args = ["score", "-q", "low-score", "--audio", str(speech_clip.path), "--json", "--save"]
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["transcript"]
    assert "onnxruntime" in sys.modules  # the voice detector really ran
    assert os.environ["ORT_DISABLE_TELEMETRY"] == "1"
    assert no_network == []


def test_onnxruntime_telemetry_is_off_before_it_loads() -> None:
    """A fresh process that imports the package and then onnxruntime sees telemetry disabled."""
    code = (
        "import os, sys; import interviewcoach.core.speech.acoustics; import onnxruntime; "
        "print(os.environ.get('ORT_DISABLE_TELEMETRY'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
