"""The history the TUI reads: the `AttemptStore` contract plus browsing, comparing and comments.

The reading methods name the history's own models (`Filter`, `Attempt`, `Trend`, ...), which live in
`core/history` above the leaf layer where `core/protocols.py` sits, so this part of the contract is
stated here, by its one user. The SQLite `Store` honours it structurally; a store without a history
(the in-memory one of the snapshot tests) honours only `AttemptStore`, and the screens then show
no history rather than fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from interviewcoach.core.protocols import AttemptStore

if TYPE_CHECKING:
    from pathlib import Path

    from interviewcoach.core.history.store import (
        AdvisorComment,
        AdvisorOverride,
        Attempt,
        Comparison,
        Filter,
        Store,
        Trend,
    )
    from interviewcoach.core.protocols import AttemptSummary


@runtime_checkable
class HistoryStore(AttemptStore, Protocol):
    def list_attempts(
        self,
        where: Filter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        oldest_first: bool = False,
    ) -> list[AttemptSummary]: ...

    def count(self, where: Filter | None = None) -> int: ...

    def trend(self, where: Filter | None = None, *, last: int | None = None) -> Trend: ...

    def questions(self) -> list[tuple[str, str, int]]:
        """(question id, question text, attempts) for every question attempted."""
        ...

    def categories(self) -> list[str]: ...

    def set_ids(self) -> list[str]: ...

    def get(self, attempt_id: int) -> Attempt: ...

    def delete(self, attempt_id: int) -> Path | None: ...

    def previous(self, attempt_id: int) -> int | None: ...

    def compare(self, first: int, second: int) -> Comparison: ...

    def comments_for(self, attempt_uid: str) -> list[AdvisorComment]: ...

    def overrides_for(self, attempt_uid: str) -> list[AdvisorOverride]: ...


def history_of(store: AttemptStore | None) -> HistoryStore | None:
    """The store as a browsable history, or None when it keeps none (no store, or an in-memory one)."""
    return store if isinstance(store, HistoryStore) else None


def on_disk(store: AttemptStore | None) -> Store | None:
    """The SQLite store itself, for the two things written for its files: `doctor` (audio without a row
    becomes a pending attempt) and `rescore_attempt` (transcribes a stored WAV). The one place the TUI
    names the concrete class: neither applies to a store that keeps no files."""
    from interviewcoach.core.history.store import Store

    return store if isinstance(store, Store) else None
