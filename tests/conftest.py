"""Shared fixtures: the shipped content, and a private data directory for every test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import load_content
from interviewcoach.core.scoring.rubrics import RubricSet

DATA = Path(__file__).parent / "data"

# Fake-microphone fixtures (alsa_mic, pulse_mic, pulse_server, no_audio_devices, speech_clip).
pytest_plugins = ["tests.audio_rig"]


# The fake-microphone rig's fixtures (tests/audio_rig.py): a test that asks for one needs PortAudio and
# the rig's Debian packages, so it is marked `audio` here rather than by hand (CI's fast tier leaves
# these out; the full suite runs them).
AUDIO_RIG_FIXTURES = frozenset({"alsa_mic", "pulse_mic", "pulse_server", "no_audio_devices"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if AUDIO_RIG_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.audio)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never write into the checkout's recordings/ or the user's real data directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("INTERVIEWCOACH_HOME", str(home / "data"))
    monkeypatch.setenv("INTERVIEWCOACH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


class NetworkAttempt(AssertionError):
    """A test tried to reach the network; interviewcoach promises it never does."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any attempt to connect anywhere but a local (unix) socket, or to resolve a name.

    Yields the list of attempts, so a test can also assert on it after catching errors.
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def _refuse(what: str) -> None:
        attempts.append(what)
        raise NetworkAttempt(f"network attempt during a test: {what}")

    def connect(self: socket.socket, address: Any) -> None:
        if self.family != socket.AF_UNIX:
            _refuse(f"connect {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family != socket.AF_UNIX:
            _refuse(f"connect {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        _refuse(f"resolve {host!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "gethostbyname", lambda host: _refuse(f"resolve {host!r}"))
    yield attempts
    assert not attempts, f"network attempts: {attempts}"


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


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The fuzz budget table: cases, clean errors, tracebacks, worst time and peak memory per fuzzer."""
    from tests.fuzz_budget import terminal_summary

    terminal_summary(terminalreporter, config)
