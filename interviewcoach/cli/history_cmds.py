"""CLI commands: history, show, rescore, delete, export and doctor over the saved attempts."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.model_cmds import model_for
from interviewcoach.cli.options import (
    CategoryOpt,
    DataDirOpt,
    EngineOpt,
    ExportSinceOpt,
    JsonOpt,
    ModelOpt,
    ReportFormat,
    SinceOpt,
    since_text,
)
from interviewcoach.cli.render import render_score
from interviewcoach.core.content.sets import load_content, load_practice_set, rubric_label
from interviewcoach.core.errors import NoSpeechError, UserError
from interviewcoach.core.history.doctor import doctor
from interviewcoach.core.history.store import Store, local_time, rescore_attempt, to_stamp
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.records import Filter
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import make_transcriber
from interviewcoach.core.settings import Settings, load_settings, student_profile
from interviewcoach.core.wording import counted

if TYPE_CHECKING:
    from interviewcoach.core.content.questions import QuestionBank
    from interviewcoach.core.content.sets import PracticeSet
    from interviewcoach.core.protocols import Transcriber
    from interviewcoach.core.records import AdvisorComment, AdvisorOverride, Attempt, Comparison
    from interviewcoach.core.session import RubricSet

AttemptArg = Annotated[int, typer.Argument(metavar="ATTEMPT", help="An attempt id (see `history`).")]
WIDTH = 80


def _store(data_dir: Path | None) -> Store:
    return Store(resolve_data_dir(data_dir))


class _Content:
    """The bank and rubrics an attempt was answered against: shipped, plus its advisor set if any."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.bank, self.rubrics = load_content()
        self._sets: dict[str, tuple[QuestionBank, RubricSet] | None] = {}

    def for_set(self, set_id: str | None) -> tuple[QuestionBank, RubricSet]:
        if set_id is None:
            return self.bank, self.rubrics
        if set_id not in self._sets:
            try:
                ps = load_practice_set(set_id, self.data_dir, bank=self.bank, rubrics=self.rubrics)
            except UserError:
                # The set was removed or no longer loads: bank questions can still be rescored.
                self._sets[set_id] = None
            else:
                self._sets[set_id] = (ps.bank(self.bank), ps.rubrics)
        return self._sets[set_id] or (self.bank, self.rubrics)

    def rubric_names(self, set_ids: set[str | None]) -> dict[str, dict[str, str]]:
        """Rubric id -> criterion id -> name, a set's own rubrics over the shipped ones."""
        names = {r.id: {c.id: c.name for c in r.criteria} for r in self.rubrics}
        for set_id in sorted(s for s in set_ids if s is not None):
            _, rubrics = self.for_set(set_id)
            names.update(
                {r.id: {c.id: c.name for c in r.criteria} for r in rubrics if r.id not in self.rubrics}
            )
        return names

    def criterion_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for pair in [(self.bank, self.rubrics), *(s for s in self._sets.values() if s is not None)]:
            for rubric in pair[1]:
                names.update({c.id: c.name for c in rubric.criteria})
        return names

    def names_for(self, *attempts: Attempt) -> dict[str, str]:
        """Criterion id -> name as the attempts' own rubrics call it.

        Rubrics share criterion ids under different names ("own_role" is "What you did" in one,
        "Concrete steps" in another), so the flat map of every rubric is only the fallback.
        """
        per_rubric = self.rubric_names({a.set_id for a in attempts})
        names = self.criterion_names()
        for attempt in attempts:
            names.update(per_rubric.get(attempt.rubric_id, {}))
        return names


def _overall_text(overall: int, *, pending: bool, no_answer: bool) -> str:
    if pending:
        return "pending"
    if no_answer:
        return "none"
    return f"{overall}"


# --- history ----------------------------------------------------------------------------------------


@app.command("history")
def history_cmd(
    question: Annotated[str | None, typer.Option("--question", "-q", help="Only this question.")] = None,
    category: CategoryOpt = None,
    set_id: Annotated[str | None, typer.Option("--set", help="Only attempts on this advisor set.")] = None,
    since: SinceOpt = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many, newest first.")
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """List saved attempts, newest first: id, when, question, overall, length, interrupted."""
    where = Filter(
        question_id=question,
        category=category,
        set_id=set_id,
        since=to_stamp(since) if since is not None else None,
    )
    rows = _store(data_dir).list_attempts(where, limit=limit)
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    if not rows:
        hint = "" if where != Filter() else "; save one with `interviewcoach score ... --save`"
        typer.echo(f"no attempts saved{' match' if where != Filter() else ''}{hint}")
        return
    typer.echo(f"{'#':>5}  {'when':<16}  {'question':<26} {'overall':>7} {'length':>7}  notes")
    for r in rows:
        length = f"{r.duration_s:.0f} s" if r.duration_s is not None else "typed"
        notes = [n for n, on in (("interrupted", r.interrupted), (f"set {r.set_id}", r.set_id)) if on]
        overall = _overall_text(r.overall, pending=r.pending, no_answer=r.no_answer)
        typer.echo(
            f"{r.id:>5}  {local_time(r.created_at):<16}  {r.question_id:<26} {overall:>7} {length:>7}  "
            + ", ".join(notes)
        )


# --- show -------------------------------------------------------------------------------------------


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent))


def _render_attempt(attempt: Attempt, content: _Content) -> str:
    head = [f"Attempt {attempt.id}, {local_time(attempt.created_at)}"]
    facts = []
    if attempt.set_id:
        facts.append(f"set {attempt.set_id}")
    if attempt.rubric_id:
        facts.append(f"rubric {rubric_label(attempt.rubric_id)} v{attempt.rubric_version}")
    if attempt.engine:
        facts.append(f"{attempt.engine} {attempt.model}".strip())
    if attempt.interrupted:
        facts.append("recording interrupted")
    if attempt.rescored_at:
        facts.append(f"rescored {local_time(attempt.rescored_at)}")
    if facts:
        head.append(", ".join(facts))
    if attempt.audio_path is not None:
        head.append(f"audio: {attempt.audio_path}{'' if attempt.audio_exists else ' (missing)'}")
    if attempt.note:
        head.append(f"note: {attempt.note}")
    score = attempt.score
    if score is None:
        text = attempt.question_text or attempt.question_id
        body = [
            _wrap(text, "Q: "),
            "",
            "Not transcribed or scored yet: run `interviewcoach rescore "
            f"{attempt.id}` to transcribe and score it.",
        ]
        return "\n".join([*head, "", *body])
    bank, rubrics = content.for_set(attempt.set_id)
    body_text = ""
    if attempt.question_id in bank:
        question = bank.get(attempt.question_id)
        if question.rubric in rubrics:
            rubric = rubrics.get(question.rubric)
            # The stored verdicts read against the rubric they were made with, not a newer one.
            if rubric.version == attempt.rubric_version and set(score.criteria) <= {
                c.id for c in rubric.criteria
            }:
                body_text = render_score(score, question, rubric)
    if not body_text:
        body_text = _render_plain(attempt, content)
    transcript = ["", "Transcript:", _wrap(score.answer, "  ")] if score.answer.strip() else []
    return "\n".join([*head, "", body_text, *transcript])


def _render_comments(comments: list[AdvisorComment], overrides: list[AdvisorOverride]) -> str:
    """The "Advisor's comments" section; the text came from another machine, so it is escaped."""
    lines = ["", "Advisor's comments:"]
    for c in comments:
        lines.append(
            _wrap(escape(c.text, keep_newlines=False), f"  {escape(c.author)}, {c.created_at[:10]}: ")
        )
    for o in overrides:
        verdict = "covered" if o.covered else "not covered"
        lines.append(_wrap(escape(f"{o.author} marks talking point '{o.point}' as {verdict}"), "  "))
    return "\n".join(lines)


def _render_plain(attempt: Attempt, content: _Content) -> str:
    """The stored verdicts when the rubric has changed since (the usual report needs the same rubric)."""
    score = attempt.score
    assert score is not None
    names = content.names_for(attempt)
    lines = [_wrap(attempt.question_text or attempt.question_id, "Q  "), "=" * WIDTH]
    if score.no_answer:
        return "\n".join([*lines, score.message])
    lines += [
        f"OVERALL {score.overall}/100   "
        f"(rubric {rubric_label(attempt.rubric_id)} v{attempt.rubric_version} at the time)",
        "",
    ]
    for cid, outcome in score.criteria.items():
        mark = "PASS " if outcome.passed else "SHORT"
        lines.append(f"  {mark}  {names.get(cid, cid)}  {outcome.score:.2f}")
        for ev in outcome.evidence[:4]:
            quote = ev.text if len(ev.text) <= 60 else ev.text[:57] + "..."
            lines.append(_wrap(f'{ev.label.replace("_", " ")}: "{quote}"', " " * 9))
        lines.append(_wrap(outcome.feedback, "       > "))
        lines.append("")
    lines += [f"  n/a    {item.id}: {item.reason}" for item in score.unscored]
    return "\n".join(lines).rstrip()


def _render_comparison(comparison: Comparison, content: _Content) -> str:
    b, a = comparison.before, comparison.after
    names = content.names_for(b, a)
    lines = [f"{'':<28} {'#' + str(b.id):>16} {'#' + str(a.id):>16} {'change':>8}"]
    lines.append(f"{'when':<28} {local_time(b.created_at):>16} {local_time(a.created_at):>16}")
    if not comparison.same_question:
        lines.append(f"(different questions: {b.question_id} and {a.question_id})")

    def cell(value: float | None, fmt: str) -> str:
        return format(value, fmt) if value is not None else "-"

    delta = comparison.overall_delta
    lines.append(
        f"{'overall':<28} {cell(b.overall, 'd'):>16} {cell(a.overall, 'd'):>16} {cell(delta, '+d'):>8}"
    )
    for d in comparison.criteria:
        name = names.get(d.criterion_id, d.criterion_id)[:28]
        lines.append(
            f"{name:<28} {cell(d.before, '.2f'):>16} {cell(d.after, '.2f'):>16} {cell(d.delta, '+.2f'):>8}"
        )
    for metric, (before, after) in comparison.metrics.items():
        change = after - before if before is not None and after is not None else None
        label = metric.replace("_", " ")
        lines.append(f"{label:<28} {cell(before, 'g'):>16} {cell(after, 'g'):>16} {cell(change, '+.3g'):>8}")
    return "\n".join(lines)


@app.command("show")
def show_cmd(
    attempt_id: AttemptArg,
    compare: Annotated[
        int | None,
        typer.Option(
            "--compare", metavar="OTHER", help="Side by side with another attempt (e.g. the last one)."
        ),
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Show one saved attempt: verdicts with evidence, delivery figures and the transcript."""
    store = _store(data_dir)
    attempt = store.get(attempt_id)
    if attempt.damaged:
        typer.echo(
            f"interviewcoach: attempt {attempt_id}: {attempt.damaged}; shown without it "
            f"(`interviewcoach rescore {attempt_id}` scores it again)",
            err=True,
        )
    if compare is not None:
        comparison = store.compare(attempt_id, compare)
        if as_json:
            data = {
                "before": comparison.before.id,
                "after": comparison.after.id,
                "same_question": comparison.same_question,
                "overall": [comparison.before.overall, comparison.after.overall],
                "criteria": {d.criterion_id: [d.before, d.after] for d in comparison.criteria},
                "metrics": {k: list(v) for k, v in comparison.metrics.items()},
            }
            typer.echo(json.dumps(data, indent=2))
        else:
            typer.echo(_render_comparison(comparison, _Content(store.data_dir)))
        return
    comments = store.comments_for(attempt.uid) if attempt.uid else []
    overrides = store.overrides_for(attempt.uid) if attempt.uid else []
    if as_json:
        data = attempt.to_json_dict()
        data["advisor_comments"] = [asdict(c) for c in comments]
        data["advisor_overrides"] = [asdict(o) for o in overrides]
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(_render_attempt(attempt, _Content(store.data_dir)))
    if comments or overrides:
        typer.echo(_render_comments(comments, overrides))
    previous = store.previous(attempt_id)
    if previous is not None:
        typer.echo(
            f"\nCompare with your previous answer: interviewcoach show {attempt_id} --compare {previous}"
        )


# --- rescore ----------------------------------------------------------------------------------------


@app.command("rescore")
def rescore_cmd(
    attempt_id: Annotated[
        int | None, typer.Argument(metavar="[ATTEMPT]", help="An attempt id (or --all).")
    ] = None,
    all_attempts: Annotated[bool, typer.Option("--all", help="Every saved attempt.")] = False,
    engine: EngineOpt = "faster-whisper",
    model: ModelOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Score saved answers again with the current rubrics (after a rubric changes).

    Attempts found by `doctor` (audio never transcribed) are transcribed first.
    """
    if attempt_id is None and not all_attempts:
        raise fail("say what to rescore: an attempt id, or --all for every saved attempt")
    if attempt_id is not None and all_attempts:
        raise fail(f"give attempt {attempt_id} or --all, not both")
    store = _store(data_dir)
    ids = store.ids() if attempt_id is None else [store.get(attempt_id).id]
    content = _Content(store.data_dir)
    transcriber: Transcriber | None = None
    failed = 0
    for aid in ids:
        before = store.get(aid)
        if (before.pending or before.damaged) and transcriber is None:
            transcriber = make_transcriber(engine, model_for(store.data_dir, engine, model))
        bank, rubrics = content.for_set(before.set_id)
        try:
            after = rescore_attempt(store, aid, bank=bank, rubrics=rubrics, transcriber=transcriber)
        except NoSpeechError:
            store.set_note(aid, "no speech detected in the recording")
            typer.echo(f"attempt {aid}: no speech detected in its recording; left unscored", err=True)
            failed += 1
            continue
        except UserError as exc:
            typer.echo(f"attempt {aid}: not rescored: {exc}", err=True)
            failed += 1
            continue
        old = "pending" if before.pending else str(before.overall)
        typer.echo(
            f"attempt {aid}: {old} -> {after.overall} "
            f"(rubric {rubric_label(after.rubric_id)} v{after.rubric_version})"
        )
    if all_attempts:
        typer.echo(f"rescored {len(ids) - failed} of {len(ids)} attempts")
    if failed:
        raise typer.Exit(2)


# --- delete -----------------------------------------------------------------------------------------


@app.command("delete")
def delete_cmd(attempt_id: AttemptArg, data_dir: DataDirOpt = None) -> None:
    """Delete a saved attempt and its recording, for good."""
    removed = _store(data_dir).delete(attempt_id)
    typer.echo(f"deleted attempt {attempt_id}" + (" and its recording" if removed is not None else ""))


# --- export -----------------------------------------------------------------------------------------

_SUFFIX_FORMATS: dict[str, ReportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


@app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", help="The file to write ('-' for standard output).")],
    attempt_id: Annotated[int | None, typer.Argument(metavar="[ATTEMPT]", help="One attempt id.")] = None,
    question: Annotated[
        str | None, typer.Option("--question", "-q", help="Every attempt at this question.")
    ] = None,
    since: ExportSinceOpt = None,
    set_id: Annotated[str | None, typer.Option("--set", help="Every attempt on this advisor set.")] = None,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            help="A report (md, html, json), or the bundle to send your advisor (needs --set). "
            "Default: from --out's suffix.",
        ),
    ] = None,
    student: Annotated[
        str | None, typer.Option("--student", help="Your name for this export (default: your profile's).")
    ] = None,
    with_audio: Annotated[
        bool, typer.Option("--with-audio", help="Bundle only: include your recordings (WAV or FLAC).")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Write a report of saved attempts (transcripts, verdicts, evidence, progress) to share."""
    # Lazy: the report brings Jinja2 (~30 ms), which no other command needs at start.
    from interviewcoach.core.history.export import FORMATS, ReportInfo, render, write_report

    if attempt_id is not None and (question or since or set_id):
        raise fail("give an attempt id, or filters (--question, --since, --set), not both")
    if attempt_id is None and not (question or since or set_id):
        raise fail("say what to export: an attempt id, --question ID, --since DATE or --set ID")
    chosen = fmt or _SUFFIX_FORMATS.get(out.suffix.lower())
    if chosen is None:
        raise fail("give --format md, html, json or bundle (or an --out name ending in .md, .html or .json)")
    if with_audio and chosen != "bundle":
        raise fail("--with-audio goes with --format bundle")
    store = _store(data_dir)
    profile = _student(store.data_dir, student)
    if chosen == "bundle":
        if set_id is None or attempt_id is not None or question or since:
            raise fail("a bundle is one set's attempts: give --set ID (and no other filter)")
        _export_bundle(store, set_id, profile, out, with_audio=with_audio)
        return
    content = _Content(store.data_dir)
    facts: dict[str, str] = {}
    notes: list[str] = []
    if attempt_id is not None:
        attempts = [store.get(attempt_id)]
        title = f"Interview practice: attempt {attempt_id}"
    else:
        where = Filter(
            question_id=question, set_id=set_id, since=to_stamp(since) if since is not None else None
        )
        attempts = store.attempts(where)
        if not attempts:
            raise fail("no saved attempts match; see `interviewcoach history`")
        title = "Interview practice report"
        if question:
            facts["Question"] = attempts[0].question_text or question
        if since:
            facts["Since"] = since_text(since)
        if set_id:
            title, set_facts, notes = _set_header(set_id, content)
            facts = {**set_facts, **facts}
    damaged = [a for a in attempts if a.damaged]
    for attempt in damaged:
        typer.echo(
            f"interviewcoach: attempt {attempt.id} skipped: {attempt.damaged} (see `interviewcoach doctor`)",
            err=True,
        )
    attempts = [a for a in attempts if not a.damaged]
    if not attempts:
        raise fail("nothing to export: every matching attempt has a damaged score")
    content.for_set(set_id or attempts[0].set_id)
    practice_set = _practice_set(set_id, content) if set_id else None
    rubric_names = content.rubric_names({a.set_id for a in attempts})
    comments = store.comments_for_uids(a.uid for a in attempts if a.uid)
    overrides = {a.uid: found for a in attempts if a.uid and (found := store.overrides_for(a.uid))}
    info = ReportInfo(
        title=title,
        facts=facts,
        notes=notes,
        criterion_names=content.names_for(*attempts),
        student=profile,
        practice_set=practice_set,
        comments=comments,
        overrides=overrides,
        rubric_names=rubric_names,
    )
    report_format = next(f for f in FORMATS if f == chosen)
    text = render(attempts, report_format, info)
    if str(out) == "-":
        typer.echo(text, nl=False)
        return
    write_report(text, out)
    typer.echo(f"wrote {counted(len(attempts), 'attempt')} to {out}", err=True)


def _student(data_dir: Path, override: str | None) -> dict[str, str | None]:
    """The profile to carry, with --student's name over the saved one (checked the same way)."""
    settings = load_settings(data_dir)
    if override is not None:
        if not override.strip():
            raise fail("--student: the name must not be empty")
        try:
            settings = Settings.model_validate({**settings.model_dump(), "student_name": override})
        except ValueError:
            raise fail("--student: must not contain control characters or line breaks") from None
    return student_profile(settings)


def _practice_set(set_id: str, content: _Content) -> PracticeSet | None:
    try:
        return load_practice_set(set_id, content.data_dir, bank=content.bank, rubrics=content.rubrics)
    except UserError:
        return None


def _export_bundle(
    store: Store, set_id: str, student: dict[str, str | None], out: Path, *, with_audio: bool
) -> None:
    # Lazy: the bundle's pydantic models and the report's Jinja2 (~45 ms) load for an export only.
    from interviewcoach.core.history.bundle import build_bundle, bundle_json
    from interviewcoach.core.history.export import write_report

    if not student["name"]:
        raise fail("set your name first: interviewcoach profile --name ...")
    content = _Content(store.data_dir)
    practice_set = load_practice_set(set_id, store.data_dir, bank=content.bank, rubrics=content.rubrics)
    attempts = store.attempts(Filter(set_id=practice_set.id))
    for attempt in (a for a in attempts if a.damaged):
        typer.echo(
            f"interviewcoach: attempt {attempt.id} skipped: {attempt.damaged} (see `interviewcoach doctor`)",
            err=True,
        )
    attempts = [a for a in attempts if not a.damaged]
    if not attempts:
        raise fail(f"no saved attempts at set {practice_set.id}; practise it first")
    bundle = build_bundle(practice_set, attempts, student, with_audio=with_audio)
    text = bundle_json(bundle)
    if str(out) == "-":
        typer.echo(text, nl=False)
        return
    write_report(text, out)
    recordings = sum(1 for a in bundle.attempts if a.audio is not None)
    audio = f" with {counted(recordings, 'recording')}" if with_audio else ""
    typer.echo(
        f"wrote {counted(len(attempts), 'attempt')}{audio} to {out}; send this file to your advisor",
        err=True,
    )


def _set_header(set_id: str, content: _Content) -> tuple[str, dict[str, str], list[str]]:
    try:
        ps = load_practice_set(set_id, content.data_dir, bank=content.bank, rubrics=content.rubrics)
    except UserError:
        return f"Practice report: set {set_id}", {"Set": set_id}, []
    facts = {"Set": f"{ps.title} ({ps.id})", "Author": ps.author}
    return f"Practice report: {ps.title}", facts, [ps.description] if ps.description else []


# --- doctor -----------------------------------------------------------------------------------------


@app.command("doctor")
def doctor_cmd(
    check: Annotated[bool, typer.Option("--check", help="Only report; change nothing.")] = False,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Check the history against the recordings on disk and repair what can be repaired.

    Recordings without an attempt become pending attempts (`rescore --all` transcribes them); an
    attempt whose recording is gone keeps its transcript and score; permissions are made private.
    """
    store = _store(data_dir)
    report = doctor(store, repair=not check)
    if as_json:
        typer.echo(json.dumps({"data_dir": str(store.data_dir), **report.to_json_dict()}, indent=2))
    else:
        typer.echo(f"{store.data_dir}: {report.checked_attempts} attempts, {report.checked_audio} recordings")
        for line in report.repaired:
            typer.echo(f"repaired: {line}")
        for line in report.problems:
            typer.echo(f"problem: {line}")
        if report.ok and not report.repaired:
            typer.echo("all good")
    if not report.ok:
        raise typer.Exit(1)
