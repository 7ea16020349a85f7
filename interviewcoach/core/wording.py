"""Counted nouns for messages, screens and reports: "1 attempt", "3 attempts", "2 tries"."""

from __future__ import annotations


def noun_for(count: int, singular: str, plural: str | None = None) -> str:
    """The noun in the form `count` takes (`plural` when adding "s" is not how it is made)."""
    if count == 1:
        return singular
    return plural if plural is not None else singular + "s"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and its noun: "1 question", "0 questions", "4 tries"."""
    return f"{count} {noun_for(count, singular, plural)}"
