"""CLI commands: list questions and score a typed, batch or recorded answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.model_cmds import model_for
from interviewcoach.cli.options import (
    CategoryOpt,
    DataDirOpt,
    EngineOpt,
    JsonArrayOpt,
    JsonObjectOpt,
    ModelOpt,
)
from interviewcoach.cli.render import render_score
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import load_content, load_practice_set, sets_with_question
from interviewcoach.core.errors import UnknownQuestionError, UserError
from interviewcoach.core.history.store import save_result
from interviewcoach.core.models import Question
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import (
    RubricSet,
    make_transcriber,
    score,
    score_many,
    talking_points_json,
    transcribe_answer,
    vocabulary_for,
)

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet


@app.command("questions")
def questions_cmd(
    as_json: JsonArrayOpt = False,
    category: CategoryOpt = None,
) -> None:
    """List the question bank: id, category, rubric, target seconds and text."""
    bank, _ = load_content()
    items = [q for q in bank if category is None or q.category == category]
    if as_json:
        rows = [
            {
                "id": q.id,
                "category": q.category,
                "text": q.text,
                "rubric": q.rubric,
                "target_seconds": list(q.target_seconds),
            }
            for q in items
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for q in items:
        low, high = q.target_seconds
        target = f"{low}-{high} s"
        typer.echo(f"{q.id:<26} {q.category:<12} {q.rubric:<12} {target:>8}  {q.text}")


# Limits on typed answers, checked before any parsing: a 1 MB answer took 60 s and 3.3 GB, and
# spaCy refuses text over 1,000,000 characters. 20,000 characters is over 20 minutes of speech.
MAX_ANSWER_CHARS = 20_000
# A JSONL line holds one answer (each character at most a 6-character \u escape) and small fields.
MAX_JSONL_LINE_CHARS = 6 * MAX_ANSWER_CHARS + 10_000
MAX_JSONL_BYTES = 64 * 1024 * 1024
MAX_ID_CHARS = 200
MAX_NUMBER_DIGITS = 18  # an integer id fits in 64 bits


def _answer_too_long(where: str, length: int) -> typer.Exit:
    return fail(
        f"{where}: the answer is {length:,} characters; the limit is {MAX_ANSWER_CHARS:,} "
        "(about 20 minutes of speech): shorten it or split it into several answers"
    )


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of {len(text)} digits is too large")
    return int(text)


def _parse_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _read_text(path: Path, *, max_bytes: int | None = None) -> str:
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise fail(f"{path}: the file is {path.stat().st_size:,} bytes; the limit is {max_bytes:,}")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise fail(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror}") from None


def bank_question(
    bank: QuestionBank,
    question_id: str,
    data_dir: Path | None,
    *,
    rubrics: RubricSet | None = None,
    note: bool = True,
) -> Question:
    """A bank question; an id found only in a set says which set, and how to name it.

    A bank question that an imported set also asks (with its own talking points or rubric) is
    scored as the bank has it; a note on stderr says how to score it as the set asks (unless `note`
    is False: the caller gives it with `note_other_sets` once the answer has been read).
    """
    try:
        question = bank.get(question_id)
    except UnknownQuestionError:
        in_sets = sets_with_question(question_id, data_dir, bank=bank, rubrics=rubrics)
        if not in_sets:
            raise
        where = f"set {in_sets[0]}" if len(in_sets) == 1 else f"sets {', '.join(in_sets)}"
        raise UserError(
            f"question {question_id!r} is not in the bank; it is in {where}: add --set {in_sets[0]}"
        ) from None
    if note:
        note_other_sets(bank, question_id, data_dir, rubrics=rubrics)
    return question


def note_other_sets(
    bank: QuestionBank, question_id: str, data_dir: Path | None, *, rubrics: RubricSet | None = None
) -> None:
    """On stderr: an imported set also asks this bank question, and how to score it as the set asks."""
    in_sets = sets_with_question(question_id, data_dir, bank=bank, rubrics=rubrics, imported_only=True)
    if in_sets:
        typer.echo(
            escape(
                f"note: scored as the bank's question {question_id!r}; it is also in set {in_sets[0]}: "
                f"add --set {in_sets[0]} to score it as the set asks (and save it with the set)",
                keep_newlines=False,
            ),
            err=True,
        )


def _score_jsonl(path: Path, practice_set: PracticeSet | None = None) -> None:
    bank, rubrics = load_content()
    if practice_set is not None:
        bank, rubrics = practice_set.bank(bank), practice_set.rubrics
    lines = _read_text(path, max_bytes=MAX_JSONL_BYTES).splitlines()
    # Validate every line before printing anything, so a bad line does not leave half an output.
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_JSONL_LINE_CHARS:
            raise fail(
                f"{path}:{number}: the line is {len(line):,} characters; "
                f"the limit is {MAX_JSONL_LINE_CHARS:,} (answers are at most {MAX_ANSWER_CHARS:,} characters)"
            )
        try:
            item = json.loads(line, parse_int=_parse_int, parse_constant=_parse_constant)
        except json.JSONDecodeError as exc:
            raise fail(f"{path}:{number}: not JSON: {exc.msg}") from None
        except RecursionError:
            raise fail(f"{path}:{number}: not JSON this program reads: nested too deeply") from None
        except ValueError as exc:
            raise fail(f"{path}:{number}: not JSON this program reads: {exc}") from None
        if not isinstance(item, dict):
            raise fail(f"{path}:{number}: each line must be a JSON object")
        for key in ("question_id", "answer"):
            if not isinstance(item.get(key), str):
                raise fail(f"{path}:{number}: {key}: missing or not a string")
        ident = item.get("id")
        if isinstance(ident, bool) or not (ident is None or isinstance(ident, str | int)):
            raise fail(f"{path}:{number}: id: must be a string, an integer or null")
        if isinstance(ident, str) and len(ident) > MAX_ID_CHARS:
            raise fail(f"{path}:{number}: id: at most {MAX_ID_CHARS} characters")
        if len(item["answer"]) > MAX_ANSWER_CHARS:
            raise _answer_too_long(f"{path}:{number}", len(item["answer"]))
        if item["question_id"] not in bank:
            try:
                bank.get(item["question_id"])  # raises with suggestions
            except UnknownQuestionError as exc:
                raise fail(f"{path}:{number}: {exc}") from None
        items.append(item)

    # Parsed in batches and encoded a few answers ahead (faster than one at a time; the results
    # are the same). Entities are added by `score` only for rubrics whose detectors read them.
    requests = []
    for item in items:
        question = bank.get(item["question_id"])
        requests.append((question, rubrics.get(question.rubric), item["answer"], item.get("id")))
    for result in score_many(requests):
        typer.echo(json.dumps(result.to_json_dict()))


@app.command("score")
def score_cmd(
    question: Annotated[str | None, typer.Option("--question", "-q", help="Question id.")] = None,
    text_file: Annotated[Path | None, typer.Option("--text-file", help="The answer as a text file.")] = None,
    audio: Annotated[Path | None, typer.Option("--audio", help="The answer as audio.")] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="Score every {id, question_id, answer} line.")
    ] = None,
    engine: EngineOpt = "faster-whisper",
    model: ModelOpt = None,
    as_json: JsonObjectOpt = False,
    save: Annotated[
        bool, typer.Option("--save", help="Keep the attempt (and its audio) in your history.")
    ] = False,
    data_dir: DataDirOpt = None,
    set_ref: Annotated[
        str | None,
        typer.Option(
            "--set",
            help="Score a question of an advisor set: an imported or shipped set id, a .toml or .icset file.",
        ),
    ] = None,
) -> None:
    """Score an answer against its question's rubric: verdicts, quoted evidence and advice."""
    sources = [s for s in (text_file, audio, jsonl) if s is not None]
    if len(sources) != 1:
        raise fail("give exactly one of --text-file, --audio or --jsonl")
    if jsonl is not None:
        if save:
            raise fail("--save works with --text-file or --audio, not --jsonl")
        _score_jsonl(jsonl, _practice_set(set_ref, data_dir))
        return
    if question is None:
        raise fail("--question is required with --text-file or --audio")
    bank, rubrics = load_content()
    practice_set = _practice_set(set_ref, data_dir, bank, rubrics)
    if practice_set is not None:
        # The set's own version of the question: its talking points, rubric and overrides.
        q = practice_set.get(question)
        bank, rubrics = practice_set.bank(bank), practice_set.rubrics
    else:
        # The note waits until the answer is read: a missing file is then one line, not two.
        q = bank_question(bank, question, data_dir, rubrics=rubrics, note=False)
    rubric = rubrics.get(q.rubric)
    if text_file is not None:
        # UTF-8 takes at most 4 bytes a character: a bigger file cannot be within the limit.
        text = _read_text(text_file, max_bytes=4 * MAX_ANSWER_CHARS + 4096)
        if len(text) > MAX_ANSWER_CHARS:
            raise _answer_too_long(str(text_file), len(text))
        result = score(q, rubric, text=text, others=tuple(bank))
    else:
        assert audio is not None

        transcriber = make_transcriber(engine, model_for(data_dir, engine, model))
        transcript = transcribe_answer(transcriber, audio, vocabulary=vocabulary_for(q, bank))
        result = score(q, rubric, transcript=transcript, others=tuple(bank))
    if practice_set is None:
        note_other_sets(bank, q.id, data_dir, rubrics=rubrics)
    if as_json:
        data = result.to_json_dict() | {"talking_points": talking_points_json(result, q, rubric)}
        typer.echo(json.dumps(data, indent=2))
    else:
        typer.echo(escape(render_score(result, q, rubric)))
    if save:
        attempt_id = save_result(
            data_dir,
            result,
            audio,
            question=q,
            set_id=practice_set.id if practice_set is not None else None,
            set_version=practice_set.version if practice_set is not None else None,
            rubric_version=rubric.version,
        )
        typer.echo(f"saved as attempt {attempt_id} (interviewcoach show {attempt_id})", err=True)


def _practice_set(
    set_ref: str | None,
    data_dir: Path | None,
    bank: QuestionBank | None = None,
    rubrics: RubricSet | None = None,
) -> PracticeSet | None:
    if set_ref is None:
        return None

    return load_practice_set(set_ref, data_dir, bank=bank, rubrics=rubrics)
