"""Text from files and recordings made safe for a terminal: control characters removed or shown.

A set or rubric is written by someone else. Terminal escape sequences in its text could move the
cursor, retitle the window or hide the rest of a line, and bidirectional overrides can make text
read differently from what it says, so every string value of a data file is cleaned when it is
loaded (`clean`). Text that must be shown as it is (file names, transcripts, error details) is
escaped instead (`escape`): the character appears as `\\x1b` or `\\u202e`, visible and inert.
"""

from __future__ import annotations

import re
from typing import Any

# Bidirectional embeddings, overrides and isolates, marks, and the Arabic letter mark.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls except tab and newline, DEL, C1 controls, and the bidi controls.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# A whole escape sequence goes, not just its ESC: CSI (ESC [ or 0x9b ... final byte), OSC (ESC ]
# ... BEL or ESC \), and any other two-character ESC sequence.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?|\x1b.?", re.DOTALL
)


_NAMES = {0x1B: "ESC", 0x07: "BEL", 0x08: "backspace", 0x0D: "carriage return", 0x7F: "DEL", 0x9B: "CSI"}


def control_in(text: str) -> str:
    """The first control character in `text`, named for a person (`U+001B ESC`), or ""."""
    match = _CONTROL.search(text)
    if match is None:
        return ""
    code = ord(match.group())
    name = _NAMES.get(code, "a bidirectional control" if code > 0x9F else "")
    return f"U+{code:04X}" + (f" {name}" if name else "")


def clean(text: str) -> str:
    """`text` without terminal escape sequences and control characters (tab and newline stay)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


# Values that name things (ids, file names) are not cleaned: cleaning could turn a bad name into a
# different, valid one ("a\x00b.toml" into "ab.toml"). Their own checks refuse control characters.
NAME_KEYS = frozenset({"id", "ref", "rubric", "rubrics", "detector", "category", "match_on"})


def clean_data(value: Any) -> Any:
    """Every text value in a parsed data file (nested tables and arrays) cleaned; keys and names kept."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: item if key in NAME_KEYS else clean_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    return value


def escape(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every control character shown as an escape (\\x1b, \\u202e), so none reaches a terminal."""

    def show(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\n" and keep_newlines:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    if keep_newlines and not _CONTROL.search(text):
        return text
    pattern = _CONTROL if keep_newlines else _CONTROL_OR_NEWLINE
    return pattern.sub(show, text)


_CONTROL_OR_NEWLINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
