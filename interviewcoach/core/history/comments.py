"""Advisor comments brought back by the student: read a comments file, store its comments and overrides.

The file comes from someone else's machine, so it is untrusted: `bundle.read_comments` validates and
bounds it, every text is stripped of control characters before it is stored (it is shown later in a
terminal, the TUI and reports), and only comments on attempts in this history are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interviewcoach.core.history.bundle import read_comments
from interviewcoach.core.history.store import Store
from interviewcoach.core.records import AdvisorComment, AdvisorOverride
from interviewcoach.core.safetext import clean


@dataclass(frozen=True)
class CommentsImport:
    """What one import did: new comments and overrides, and what named attempts not found here."""

    author: str
    set_id: str
    student: str
    added: int
    already: int
    overrides: int
    unknown: int


def import_comments(store: Store, path: Path) -> CommentsImport:
    """Store the comments and overrides in `path`; importing the same file twice adds nothing."""
    data = read_comments(path)
    author = clean(data.author).strip() or "advisor"
    known = store.known_uids([c.attempt_uid for c in data.comments] + [o.attempt_uid for o in data.overrides])
    comments = [
        AdvisorComment(c.attempt_uid, author, c.created_at, clean(c.text).strip())
        for c in data.comments
        if c.attempt_uid in known and clean(c.text).strip()
    ]
    overrides = [
        AdvisorOverride(o.attempt_uid, author, clean(o.point).strip(), o.covered)
        for o in data.overrides
        if o.attempt_uid in known and clean(o.point).strip()
    ]
    unknown = sum(1 for c in data.comments if c.attempt_uid not in known)
    unknown += sum(1 for o in data.overrides if o.attempt_uid not in known)
    added, changed = store.add_comments(comments, overrides)
    return CommentsImport(
        author=author,
        set_id=clean(data.set_id),
        student=clean(data.student.name),
        added=added,
        already=len(comments) - added,
        overrides=changed,
        unknown=unknown,
    )
