"""Several processes opening a new history (or cohort) file at the same moment all succeed.

Two interviewcoach processes started together (the TUI and a CLI command, two terminals) both find
no database and both switch it to write-ahead logging; SQLite does not wait for the other one there,
so without a retry one of them reported "the history is busy".
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

PROCESSES = 4
ROUNDS = 15


def _open_fresh(kind: str, root: str, barrier: Barrier, errors: multiprocessing.SimpleQueue[str]) -> None:
    from interviewcoach.core.errors import UserError
    from interviewcoach.core.history.cohort import CohortStore
    from interviewcoach.core.history.store import Store

    for n in range(ROUNDS):
        barrier.wait()  # every process opens the same new folder together
        try:
            if kind == "history":
                Store(Path(root) / str(n))
            else:
                CohortStore(Path(root) / str(n))
        except UserError as exc:
            errors.put(str(exc))


@pytest.mark.parametrize("kind", ["history", "cohort"])
def test_processes_opening_a_new_database_together_all_succeed(tmp_path: Path, kind: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    errors: multiprocessing.SimpleQueue[str] = ctx.SimpleQueue()
    workers = [
        ctx.Process(target=_open_fresh, args=(kind, str(tmp_path), barrier, errors)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
