"""CLI commands: `sets validate|pack|import|list|remove|test` for advisor question sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.options import DataDirOpt, JsonArrayOpt
from interviewcoach.cli.score_cmds import MAX_ANSWER_CHARS, _read_text
from interviewcoach.core.content.sets import (
    PACK_SUFFIX,
    PracticeSet,
    find_set_file,
    import_set_file,
    list_sets,
    load_content,
    load_pack,
    load_practice_set,
    load_set_file,
    remove_set,
    write_pack,
)
from interviewcoach.core.errors import UserError
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import analyze_many, score, talking_points_report
from interviewcoach.core.wording import counted

sets_app = typer.Typer(
    name="sets",
    help=(
        "Advisor question sets: check a set, pack it into one file to send, import it, try its rubrics "
        "on sample answers, list and remove imported sets."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(sets_app, name="sets")


def _details(practice_set: PracticeSet) -> str:
    due = f", due {practice_set.due.isoformat()}" if practice_set.due is not None else ""
    return f"version {practice_set.version}{due}"


@sets_app.command("validate")
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="The set file (.toml), its folder, or a pack (.icset).")],
) -> None:
    """Check a set and its rubric files: a one-line summary, or every problem as FILE:LINE."""

    practice_set = load_pack(file) if file.name.endswith(PACK_SUFFIX) else load_set_file(find_set_file(file))
    _warn(practice_set)
    typer.echo(escape(f"{file}: ok: {practice_set.summary()}", keep_newlines=False))


def _warn(practice_set: PracticeSet) -> None:
    for warning in practice_set.warnings[:20]:
        typer.echo(str(warning), err=True)  # FileProblem's text is escaped, one line


@sets_app.command("pack")
def pack_cmd(
    source: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="The set's folder (or its set file), rubric files beside it."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The pack to write: NAME.icset.")],
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            help="The set's version (default: the file's own, else one more than the pack at --out "
            "when the set changed, else 1).",
        ),
    ] = None,
) -> None:
    """Check a set and write it, with its rubric files, as one versioned file to send to students."""

    result = write_pack(source, out, version=version)
    ps = result.practice_set
    _warn(ps)
    was = ""
    if result.replaced_version is not None:
        was = (
            " (unchanged)"
            if result.replaced_version == result.version
            else f" (was {result.replaced_version})"
        )
    typer.echo(escape(f"packed {ps.summary()}", keep_newlines=False))
    typer.echo(escape(f"wrote {result.out}: {_details(ps)}{was}", keep_newlines=False))
    typer.echo(escape(f"students import it with: interviewcoach sets import {result.out.name}"))


@sets_app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="A pack (.icset), or a set file (.toml) with its rubric files beside it.")
    ],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace an imported set of the same id that differs from this one."),
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Check a set and copy it (with its rubric files) into your data directory.

    The same set again keeps its version; a changed set of the same id gets the next version (a
    pack of a newer version replaces the old one without --replace).
    """

    result = import_set_file(file, data_dir, replace=replace)
    ps = result.practice_set
    _warn(ps)
    if result.unchanged:
        typer.echo(escape(f"set {ps.id!r} is already imported, unchanged ({_details(ps)})"))
    else:
        was = "" if result.previous_version is None else f", replacing version {result.previous_version}"
        typer.echo(escape(f"imported {ps.summary()}", keep_newlines=False))
        typer.echo(escape(f"{_details(ps)}{was}", keep_newlines=False))
    typer.echo(f"practise it with: interviewcoach practice --set {ps.id}")


@sets_app.command("list")
def list_cmd(
    as_json: JsonArrayOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """List imported sets: id, questions, title and author (or why a set no longer loads)."""

    listings = list_sets(data_dir)
    if as_json:
        rows = []
        for item in listings:
            ps = item.practice_set
            row: dict[str, object] = {"id": item.id, "path": str(item.path), "ok": ps is not None}
            if ps is not None:
                row |= {
                    "version": ps.version,
                    "due": ps.due.isoformat() if ps.due is not None else None,
                    "title": ps.title,
                    "author": ps.author,
                    "questions": len(ps),
                    "talking_points": ps.talking_point_count,
                }
            else:
                row["problem"] = item.problem
            rows.append(row)
        typer.echo(json.dumps(rows, indent=2))
        return
    if not listings:
        typer.echo("no sets imported; add one with: interviewcoach sets import FILE")
        return
    for item in listings:
        ps = item.practice_set
        if ps is None:
            typer.echo(escape(f"{item.id:<24} does not load: {item.problem}", keep_newlines=False))
        else:
            count = counted(len(ps), "question")
            typer.echo(escape(f"{item.id:<24} {count:<13} {ps.title} ({ps.author})", keep_newlines=False))


@sets_app.command("remove")
def remove_cmd(
    set_id: Annotated[str, typer.Argument(metavar="ID", help="An imported set's id (see sets list).")],
    data_dir: DataDirOpt = None,
) -> None:
    """Remove an imported set; attempts already saved on it stay in your history."""

    remove_set(set_id, data_dir)
    typer.echo(f"removed set {set_id!r}")


# A samples file is small: an advisor's handful of answers to check a rubric on.
MAX_SAMPLES = 500
MAX_SAMPLES_BYTES = 16 * 1024 * 1024


@sets_app.command("test")
def test_cmd(
    file: Annotated[Path, typer.Argument(help="The set: a set file (.toml), its folder, a pack, or an id.")],
    answers: Annotated[
        Path,
        typer.Option(
            "--answers",
            help='Sample answers, one JSON object a line: {"question": ID, "text": ANSWER, '
            '"label": optional, "expect": optional {CRITERION_ID: true|false}}.',
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a sample, one a line.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Score sample answers against a set's rubrics before sending it: each verdict, by the rubric's names.

    Exits 1 when a sample's verdict differs from its "expect", so it can run in a check.
    """

    bank, rubrics = load_content()
    ps = load_practice_set(
        str(find_set_file(file)) if file.is_dir() else str(file), data_dir, bank=bank, rubrics=rubrics
    )
    samples = _read_samples(answers, ps)
    analyses = analyze_many((s["text"] for s in samples), entities=False)
    # The questions a student sees beside the set's, as the app and `score --set` score with them:
    # an answer to another question is then off topic here too.
    others = tuple(ps.bank(bank))
    unmet = 0
    for number, (sample, analysis) in enumerate(zip(samples, analyses, strict=True), start=1):
        question = ps.get(sample["question"])
        rubric = ps.rubric_for(question)
        result = score(question, rubric, text=sample["text"], analysis=analysis, others=others)
        expect: dict[str, bool] = sample.get("expect") or {}
        verdicts = []
        for criterion in rubric.criteria:
            outcome = result.criteria.get(criterion.id)
            if outcome is None:
                continue  # a delivery criterion, judged only with audio
            wanted = expect.get(criterion.id)
            met = wanted is None or wanted == outcome.passed
            unmet += 0 if met else 1
            verdicts.append(
                {
                    "id": criterion.id,
                    "name": criterion.name,
                    "passed": outcome.passed,
                    "score": outcome.score,
                    "expected": wanted,
                    "feedback": outcome.feedback,
                }
            )
        for criterion_id in expect:
            if criterion_id not in result.criteria:
                unmet += 1
                wanted = expect[criterion_id]
                verdicts.append(
                    {"id": criterion_id, "name": criterion_id, "passed": None, "expected": wanted}
                )
        report = talking_points_report(result, question, rubric)
        points = (
            [{"text": p, "covered": True, "quote": q} for p, q in report.covered]
            + [{"text": p, "covered": False, "quote": None} for p in report.missed]
            if report is not None
            else []
        )
        row = {
            "sample": number,
            "label": sample.get("label"),
            "question": question.id,
            "overall": result.overall,
            # Too short to score: every criterion is failed at 0, none of them judged.
            "no_answer": result.no_answer,
            "message": result.message,
            "criteria": verdicts,
            "talking_points": points,
            "expectations_met": all(v["expected"] is None or v["expected"] == v["passed"] for v in verdicts),
        }
        if as_json:
            typer.echo(json.dumps(row))
        else:
            _print_sample(row)
    checked = sum(len(s.get("expect") or {}) for s in samples)
    if not as_json:
        summary = counted(len(samples), "sample")
        if checked:
            summary += f"; {checked - unmet} of {checked} expected verdicts met"
        typer.echo(summary)
    if unmet:
        raise typer.Exit(1)


def _print_sample(row: dict[str, Any]) -> None:
    label = f" ({row['label']})" if row["label"] else ""
    if row["no_answer"]:
        head = f"#{row['sample']} {row['question']}{label}: not scored: {row['message']}"
        typer.echo(escape(head, keep_newlines=False))
    else:
        head = f"#{row['sample']} {row['question']}{label}: overall {row['overall']}"
        typer.echo(escape(head, keep_newlines=False))
    for verdict in row["criteria"]:
        if row["no_answer"] and verdict.get("expected") is None:
            continue  # nothing was judged: only what the sample expected is worth a line
        mark = {True: "PASS", False: "FAIL", None: "----"}[verdict["passed"]]
        wrong = ""
        if verdict.get("expected") is not None and verdict["expected"] != verdict["passed"]:
            wrong = f"   << expected {'PASS' if verdict['expected'] else 'FAIL'}"
            if verdict["passed"] is None:
                wrong = "   << not a criterion of this question's rubric"
        typer.echo(escape(f"  {mark}  {verdict['name']}{wrong}", keep_newlines=False))
    for point in row["talking_points"]:
        said = f' ("{point["quote"]}")' if point["covered"] else ""
        mark = "covered" if point["covered"] else "missed "
        typer.echo(escape(f"  {mark}  {point['text']}{said}", keep_newlines=False))


def _read_samples(path: Path, ps: PracticeSet) -> list[dict[str, Any]]:
    """Every sample line checked before any is scored, so a typo does not leave half an output."""

    lines = _read_text(path, max_bytes=MAX_SAMPLES_BYTES).removeprefix("\ufeff").splitlines()
    samples: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise fail(f"{where}: not JSON: {exc.msg}") from None
        except (ValueError, RecursionError):
            raise fail(f"{where}: not JSON this program reads") from None
        if not isinstance(item, dict):
            raise fail(f'{where}: each line is an object: {{"question": ID, "text": ANSWER}}')
        unknown = set(item) - {"question", "text", "label", "expect"}
        if unknown:
            raise fail(f"{where}: unknown key {sorted(unknown)[0]!r}: use question, text, label and expect")
        for key in ("question", "text"):
            if not isinstance(item.get(key), str):
                raise fail(f"{where}: {key}: missing or not text in quotes")
        if len(item["text"]) > MAX_ANSWER_CHARS:
            raise fail(f"{where}: text: at most {MAX_ANSWER_CHARS:,} characters")
        if not isinstance(item.get("label"), str | None):
            raise fail(f"{where}: label: give text in quotes")
        expect = item.get("expect")
        if expect is not None and not (
            isinstance(expect, dict) and all(isinstance(v, bool) for v in expect.values())
        ):
            raise fail(f'{where}: expect: give criterion ids and true or false, like {{"brevity": true}}')
        try:
            ps.get(item["question"])
        except UserError as exc:
            raise fail(f"{where}: {exc}") from None
        samples.append(item)
        if len(samples) > MAX_SAMPLES:
            raise fail(f"{path}: more than {MAX_SAMPLES} samples; split the file")
    if not samples:
        raise fail(f"{path}: no samples (one JSON object a line)")
    return samples
