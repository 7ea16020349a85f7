"""Shared fixtures: the shipped content, and a private data directory for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewcoach.core.questions import QuestionBank
from interviewcoach.core.rubrics import RubricSet
from interviewcoach.core.services import load_content

DATA = Path(__file__).parent / "data"

# Fake-microphone fixtures (alsa_mic, pulse_mic, pulse_server, no_audio_devices, speech_clip).
pytest_plugins = ["tests.audio_rig"]


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never write into the checkout's recordings/ or the user's real data directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INTERVIEWCOACH_HOME", str(home / "data"))
    monkeypatch.setenv("INTERVIEWCOACH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def content() -> tuple[QuestionBank, RubricSet]:
    return load_content()


@pytest.fixture(scope="session")
def bank(content: tuple[QuestionBank, RubricSet]) -> QuestionBank:
    return content[0]


@pytest.fixture(scope="session")
def rubrics(content: tuple[QuestionBank, RubricSet]) -> RubricSet:
    return content[1]


@pytest.fixture()
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
