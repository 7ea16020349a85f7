"""Load TOML data files and validate them with pydantic, reporting problems as FILE:LINE: field.

Question banks, rubrics and advisor sets are data written by people, some of them untrusted. tomllib
does not keep line numbers, so a light scan of the text maps each key path to the line that sets it,
and every validation error is reported at that line with the field path and, for an unknown key, the
closest known key.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from interviewcoach.core.errors import DataFileError, FileProblem
from interviewcoach.core.safetext import clean_data, control_in

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 1_000_000

_KEY_TEXT = re.compile(r"[A-Za-z0-9_\-\"'. ]+")
# Key paths are indexed to this depth only: no model nests deeper, and a hostile file with a
# header of 100,000 dotted names must cost time in proportion to its size, not to its square.
MAX_DEPTH = 32

Loc = tuple[str | int, ...]


def _split_key(key: str) -> list[str]:
    parts = [p.strip().strip("\"'") for p in key.split(".")]
    return [p for p in parts if p][:MAX_DEPTH]


def _header(line: str) -> tuple[bool, list[str]] | None:
    """(is an array of tables, dotted names) for a `[table]` or `[[array]]` line, else None.

    A single left-to-right scan that respects quotes: the regular expression it replaces took
    cubic time on a header of a few thousand spaces and a quoted "]".
    """
    if not line.startswith("["):
        return None
    is_array = line.startswith("[[")
    names: list[str] = []
    current: list[str] = []
    quote = ""
    i = 2 if is_array else 1
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\" and quote == '"':
                current.append(line[i : i + 2])
                i += 2
                continue
            if char == quote:
                quote = ""
            current.append(char)
        elif char in "\"'":
            quote = char
            current.append(char)
        elif char == ".":
            names.append("".join(current))
            current = []
        elif char == "]":
            names.append("".join(current))
            return is_array, [n for n in (p.strip().strip("\"'") for p in names) if n][:MAX_DEPTH]
        elif char == "=":
            return None
        else:
            current.append(char)
        i += 1
    return None


class _ArrayCounts:
    """How many elements each array of tables has so far, as a trie over the dotted names."""

    def __init__(self) -> None:
        self.count = 0
        self.children: dict[str, _ArrayCounts] = {}


class LineIndex:
    """Maps key paths (as pydantic reports them) to the 1-based line that defines them.

    Linear in the size of the text: every line is scanned once, and key paths are cut at MAX_DEPTH.
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[Loc, int] = {}
        # Control characters found (and cleaned) in the file's text, as warnings.
        self.controls: list[FileProblem] = []
        arrays = _ArrayCounts()
        table: tuple[str | int, ...] = ()
        in_multiline: str | None = None
        depth = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if in_multiline is not None:
                if in_multiline in line:
                    in_multiline = None
                continue
            if depth > 0:
                depth += line.count("[") - line.count("]")
                continue
            if not line or line.startswith("#"):
                continue
            header = _header(line)
            if header is not None:
                is_array, names = header
                # A sub-table of an array of tables ([criteria.params] after [[criteria]])
                # belongs to the array's latest element.
                resolved: list[str | int] = []
                node: _ArrayCounts | None = arrays
                for i, name in enumerate(names):
                    resolved.append(name)
                    last = i == len(names) - 1
                    if node is not None:
                        node = node.children.get(name) if not (last and is_array) else node
                    if node is not None and node.count and not (last and is_array):
                        resolved.append(node.count - 1)
                if is_array and names:
                    node = arrays
                    for name in names:
                        node = node.children.setdefault(name, _ArrayCounts())
                    resolved.append(node.count)
                    node.count += 1
                table = tuple(resolved)[: 2 * MAX_DEPTH]
                self.lines.setdefault(table, number)
                continue
            equals = line.find("=")
            key_text = line[:equals].strip() if equals > 0 else ""
            if key_text and _KEY_TEXT.fullmatch(key_text):
                parts = _split_key(key_text)
                # A dotted key (advice.pass) also defines its prefixes (advice) on this line.
                for end in range(1, len(parts) + 1):
                    self.lines.setdefault((*table, *parts[:end]), number)
                value = line[equals + 1 :].strip()
                for quote in ('"""', "'''"):
                    if value.startswith(quote) and value.count(quote) == 1:
                        in_multiline = quote
                depth = value.count("[") - value.count("]") if value.startswith("[") else 0

    def line_of(self, loc: Loc) -> int | None:
        """The line of the longest prefix of `loc` that the file defines."""
        for end in range(len(loc), 0, -1):
            found = self.lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return None


def read_toml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[dict[str, Any], LineIndex]:
    """Read a TOML file, turning every kind of unreadable file into a DataFileError."""
    return parse_toml(read_data_text(path, max_bytes=max_bytes), path)


def read_data_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A data file's text, turning every kind of unreadable file into a DataFileError."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError(path, [FileProblem(path, None, "", f"cannot read: {exc.strerror}")]) from None
    if size > max_bytes:
        message = f"file is {size:,} bytes; the limit is {max_bytes:,}"
        raise DataFileError(path, [FileProblem(path, None, "", message)])
    try:
        # utf-8-sig: Windows Notepad starts a UTF-8 file with a byte-order mark; it is not content.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(path, [FileProblem(path, None, "", "not UTF-8 text")]) from None
    except OSError as exc:
        raise DataFileError(path, [FileProblem(path, None, "", f"cannot read: {exc.strerror}")]) from None
    return text


def json_syntax_error(text: str, exc: json.JSONDecodeError) -> tuple[int, int, str]:
    """(line, column, what is wrong) for a JSON syntax error, the same on every Python.

    Located from the error's position in the text, not its message, and a trailing comma is named
    at the comma: Python 3.13's json points at the comma, 3.11 and 3.12 at the bracket after it
    (a line further on when the bracket has a line of its own) with a message about property names.
    """
    pos = min(max(exc.pos, 0), len(text))
    comma = pos if text[pos : pos + 1] == "," else len(text[:pos].rstrip()) - 1
    if comma >= 0 and text[comma] == ",":
        closing = text[comma + 1 :].lstrip()[:1]
        if closing in ("}", "]"):
            pos, message = comma, f"a trailing comma before {closing!r}"
        else:
            message = exc.msg
    else:
        message = exc.msg
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column, message


def _check_key_depth(text: str, path: Path) -> None:
    """Refuse a table header or key of more than MAX_DEPTH dotted names before tomllib reads it.

    tomllib takes time in the square of a header's length in names (a 1 MB `[a.a.a...]` ran for
    minutes), and no model here nests deeper than a few levels.
    """
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.lstrip()
        if line.startswith("["):
            end = line.find("]")
            names = line[: end if end >= 0 else len(line)]
            if "," in names:
                continue  # an array value, not a header
        else:
            equals = line.find("=")
            if equals < 0:
                continue
            names = line[:equals]
        if names.count(".") >= MAX_DEPTH:
            message = f"keys and table names nest at most {MAX_DEPTH} levels deep"
            raise DataFileError(path, [FileProblem(path, number, "", message)])


def parse_toml(text: str, path: Path) -> tuple[dict[str, Any], LineIndex]:
    """Parse TOML text, reporting a syntax error with its line and column."""
    text = text.removeprefix("\ufeff")
    _check_key_depth(text, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        column = f" (column {match.group(2)})" if match else ""
        if line is None:
            # tomllib places an error at the end of the file "at end of document": the cause is
            # nearly always an array or string opened earlier and never closed; say where.
            line, message, column = _unclosed(text)
        else:
            # An array left open runs into the next lines, and tomllib stops at one of them: the
            # mistake is the open bracket above, so that is the line to name.
            opened, why, _ = _unclosed("\n".join(text.splitlines()[: line - 1]))
            if opened is not None and why.startswith("an array"):
                line, message, column = opened, why, ""
        problem = FileProblem(path, line, "", f"TOML syntax error: {message}{column}")
        raise DataFileError(path, [problem]) from None
    except RecursionError:
        # tomllib recurses per nesting level: a file of thousands of "[" must not crash the loader.
        raise DataFileError(path, [FileProblem(path, None, "", "TOML nested too deeply")]) from None
    except ValueError as exc:
        # An integer beyond Python's digit limit raises ValueError, not TOMLDecodeError.
        raise DataFileError(path, [FileProblem(path, None, "", f"TOML value error: {exc}")]) from None
    index = LineIndex(text)
    index.controls = [
        FileProblem(path, index.line_of(loc), format_loc(loc), why) for loc, why in _controls(data, ())
    ]
    try:
        # Text in a data file is shown in a terminal: escape sequences and other controls go here
        # (and each is named in `index.controls`, for `sets validate` to warn about).
        data = clean_data(data)
    except RecursionError:
        raise DataFileError(path, [FileProblem(path, None, "", "TOML nested too deeply")]) from None
    return data, index


def _controls(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every key and text value holding a control character, and what was done about it.

    Stripped with a warning rather than refused: a stray mark pasted from a word processor must not
    stop a student practising, the text left is inert, and the advisor sees each warning (with its
    line) at `sets validate` and `sets pack`, before the set is sent.
    """
    if len(loc) > MAX_DEPTH:
        return
    if isinstance(value, str):
        found = control_in(value)
        if found:
            yield (
                loc,
                f"warning: a control character ({found}) was removed (text may hold tabs and line breaks)",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            found = control_in(key)
            if found:
                yield (*loc, key), f"warning: the key holds a control character ({found})"
            else:
                yield from _controls(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _controls(item, (*loc, i))


def _unclosed(text: str) -> tuple[int | None, str, str]:
    """(line, message, column note) for the first array or string still open at the end of `text`."""
    opened: list[int] = []
    quote = ""
    lines = text.splitlines()
    quote_line = 0
    for number, line in enumerate(lines, start=1):
        i = 0
        while i < len(line):
            char = line[i]
            if quote:
                if char == "\\" and quote in ('"', '"""'):
                    i += 2
                    continue
                if line.startswith(quote, i):
                    i += len(quote)
                    quote = ""
                    continue
            elif char == "#":
                break
            elif line.startswith(('"""', "'''"), i):
                quote, quote_line = line[i : i + 3], number
                i += 3
                continue
            elif char in "\"'":
                quote, quote_line = char, number
            elif char == "[" and (opened or "=" in line[:i]):
                opened.append(number)
            elif char == "]" and opened:
                opened.pop()
            i += 1
        if quote in ('"', "'"):
            quote = ""  # a one-line string ends with its line; tomllib reports that one itself
    if quote:
        return quote_line, f"a string opened with {quote} is never closed: add the closing {quote}", ""
    if opened:
        return opened[0], "an array opened with [ on this line is never closed: add the closing ]", ""
    return len(lines) or None, "the file ends in the middle of a value", ""


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class that holds the last key of `loc`, following nested fields."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin in (list, tuple, dict, typing.Union, types.UnionType):
        for arg in get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problems_from_validation(
    exc: ValidationError, model: type[BaseModel], path: Path, index: LineIndex
) -> list[FileProblem]:
    problems = []
    for error in exc.errors():
        loc: Loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        message = error["msg"]
        if error["type"] == "extra_forbidden" and loc:
            holder = _model_at(model, loc)
            known = list(holder.model_fields) if holder else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            message = "unknown key" + (f"; did you mean {close[0]!r}?" if close else "")
        elif error["type"].startswith("value_error"):
            message = message.removeprefix("Value error, ")
        else:
            message = plain_words(error, loc)
        problems.append(FileProblem(path, index.line_of(loc), format_loc(loc), message))
    return problems


# What each kind of validation error asks for, in an advisor's words rather than Python's.
_PLAIN = {
    "string_type": 'give text in quotes, like "..."',
    "int_type": "give a whole number, like 10",
    "int_parsing": "give a whole number, like 10",
    "int_from_float": "give a whole number, like 10",
    "float_type": "give a number, like 1.5",
    "float_parsing": "give a number, like 1.5",
    "bool_type": "give true or false",
    "bool_parsing": "give true or false",
    "list_type": 'give a list in square brackets, like ["first", "second"]',
    "dict_type": "give a table: a [section] or { key = value }",
    "model_type": "give a table: a [section] or { key = value }",
    "model_attributes_type": "give a table: a [section] or { key = value }",
    "missing": "missing: add it",
    "date_type": 'give a date as "YYYY-MM-DD", like "2026-12-20"',
    "date_parsing": 'give a date as "YYYY-MM-DD", like "2026-12-20"',
    "date_from_datetime_parsing": 'give a date as "YYYY-MM-DD", like "2026-12-20"',
    "date_from_datetime_inexact": 'give a date as "YYYY-MM-DD", like "2026-12-20"',
}
_ID_WORDS = (
    'use lower-case letters, digits and hyphens, starting with a letter or digit (like "ir-low-score")'
)
_CRITERION_ID_WORDS = (
    'use lower-case letters, digits and underscores, starting with a letter (like "specific_ir")'
)


def plain_words(error: Any, loc: Loc) -> str:
    """A pydantic error as what to write instead: "give two numbers, like [45, 90]"."""
    kind: str = error["type"]
    ctx = error.get("ctx") or {}
    last = str(loc[-1]) if loc else ""
    if last == "target_seconds" or (len(loc) > 1 and loc[-2] == "target_seconds"):
        return "give two numbers of seconds, shortest and longest, like [45, 90]"
    if kind == "string_pattern_mismatch":
        return _CRITERION_ID_WORDS if "_" in str(ctx.get("pattern", "")) else _ID_WORDS
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "literal_error":
        return f"use one of {ctx.get('expected', '')}"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_long":
        return f"too many: at most {ctx.get('max_length')}"
    if kind == "too_short":
        return f"too few: give at least {ctx.get('min_length')}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"give a number {'of at least' if kind == 'greater_than_equal' else 'above'} {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"give a number {'of at most' if kind == 'less_than_equal' else 'below'} {bound}"
    if kind == "extra_forbidden":
        return "unknown key"
    return str(error["msg"])


def validate_file(model: type[M], path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> M:
    """Read `path` and validate it as `model`, or raise a DataFileError listing every problem."""
    data, index = read_toml(path, max_bytes=max_bytes)
    return validate_data(model, data, path, index)


def validate_data(model: type[M], data: dict[str, Any], path: Path, index: LineIndex) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(path, problems_from_validation(exc, model, path, index)) from None
