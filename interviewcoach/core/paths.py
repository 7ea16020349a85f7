"""Where interviewcoach finds its shipped data and keeps the user's data."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from interviewcoach.core.errors import UserError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_CHECKOUT = _PACKAGE_DIR.parent


def shipped_dir(name: str) -> Path:
    """A shipped data folder (`question_bank` or `rubrics`): inside the wheel, or in the checkout."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _CHECKOUT / name


def running_from_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "question_bank").is_dir()


def data_dir(override: Path | str | None = None) -> Path:
    """The user's data directory, created readable by the user only.

    Order: an explicit override (`--data-dir`), then INTERVIEWCOACH_HOME, then `recordings/` in the
    project folder when running from a checkout, else the platform's user data directory.
    """
    if override is not None:
        path = Path(override).expanduser()
    elif os.environ.get("INTERVIEWCOACH_HOME"):
        path = Path(os.environ["INTERVIEWCOACH_HOME"]).expanduser()
    elif running_from_checkout():
        path = _CHECKOUT / "recordings"
    else:
        from platformdirs import user_data_path

        path = user_data_path("interviewcoach", appauthor=False)
    return ensure_private_dir(path)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) and make it 0700: students' recordings are theirs alone.

    A folder that exists but cannot be changed (another owner, a read-only file system) is used as
    it is: the history then opens read-only. One that cannot be created is one clear error.
    """
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UserError(f"{path}: cannot create the data directory ({_reason(exc)})") from None
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path


def is_writable_dir(path: Path) -> bool:
    """True when files can be created in `path` (False on a read-only file system too)."""
    return os.access(path, os.W_OK | os.X_OK) and not _read_only_fs(path)


def _read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    return exc.strerror or type(exc).__name__


def cache_dir() -> Path:
    """Where converted model checkpoints are cached (INTERVIEWCOACH_CACHE overrides)."""
    if os.environ.get("INTERVIEWCOACH_CACHE"):
        return ensure_private_dir(Path(os.environ["INTERVIEWCOACH_CACHE"]).expanduser())
    from platformdirs import user_cache_path

    return ensure_private_dir(user_cache_path("interviewcoach", appauthor=False))
