"""CLI commands: list input devices and record an answer (to a file, or as a scored practice round)."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from interviewcoach.cli.app import app, fail
from interviewcoach.cli.model_cmds import model_for
from interviewcoach.cli.options import DataDirOpt, DeviceOpt, EngineOpt, JsonArrayOpt, ModelOpt
from interviewcoach.cli.render import render_score
from interviewcoach.cli.score_cmds import bank_question, note_other_sets
from interviewcoach.cli.terminal import native_stderr_quiet
from interviewcoach.core.content.sets import load_practice_set
from interviewcoach.core.errors import NoSpeechError
from interviewcoach.core.history.store import save_result
from interviewcoach.core.paths import data_dir as resolve_data_dir
from interviewcoach.core.paths import ensure_private_dir
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import (
    SoundDeviceRecorder,
    build_services,
    discard_recording,
    forget_recording_elsewhere,
    list_devices,
    new_recording_path,
    note_recording_elsewhere,
    recover_interrupted,
    release_recording,
    stream_answer,
    transcribe_and_score,
    warm_up,
)
from interviewcoach.core.settings import load_settings

if TYPE_CHECKING:
    from interviewcoach.core.models import Question
    from interviewcoach.core.protocols import RecordedAnswer, Recorder, Recording
    from interviewcoach.core.session import Services, StreamingTranscriber

MAX_SECONDS = 3600.0
# `record --question` without --save records here: not the history's audio folder, which doctor scans.
UNSAVED_DIR = "unsaved"


@app.command("devices")
def devices_cmd(
    as_json: JsonArrayOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """List the audio input devices (microphones); * marks the default, + the saved one."""
    devices = list_devices()
    saved = load_settings(data_dir).device
    saved_text = None if saved is None else str(saved).casefold()

    def is_saved(index: int, name: str) -> bool:
        return saved_text is not None and saved_text in (str(index), name.casefold())

    if as_json:
        rows = [
            {
                "index": d.index,
                "name": d.name,
                "hostapi": d.hostapi,
                "channels": d.channels,
                "default_samplerate": d.default_samplerate,
                "default": d.is_default,
                "saved": is_saved(d.index, d.name),
            }
            for d in devices
        ]
        typer.echo(json.dumps(rows, indent=2))
    if not devices:
        # Exit 2 like every other "cannot do that here": a script sees there is nothing to record from.
        # With --json the empty array is still printed, so the output parses either way.
        raise fail(
            "no audio input device found: connect a microphone (on Linux check that PulseAudio or "
            "PipeWire is running, or that `arecord -l` lists a capture card)"
        )
    if as_json:
        return
    for d in devices:
        mark = ("*" if d.is_default else " ") + ("+" if is_saved(d.index, d.name) else " ")
        typer.echo(
            f"{mark} {d.index:>3}  {d.name}  ({d.hostapi}, {d.channels} ch, {d.default_samplerate:g} Hz)"
        )


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP end the answer as Ctrl+C does: the file is finished and the round goes on.

    (A closed terminal sends SIGHUP, `kill` and service managers SIGTERM; neither may cost the
    student the answer, or the attempt with --question --save.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise _SignalStop(signum)

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, handler) for signum in wanted}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class _SignalStop(KeyboardInterrupt):
    """A stop signal, handled where Ctrl+C is: the answer ends and is kept."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.name = signal.Signals(signum).name


def _watch_stdin(stop: threading.Event, done: threading.Event) -> None:
    """Set `stop` on Enter, or at end of input (stdin not a terminal); give up once `done` is set."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        # An in-memory stdin (tests): a line or the end of it stops the recording.
        sys.stdin.readline()
        stop.set()
        return
    # os.read and select, not sys.stdin: a thread blocked inside sys.stdin's buffer would stall exit.
    while not done.is_set():
        try:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
        except (OSError, ValueError):
            return
        if not chunk or b"\n" in chunk or b"\r" in chunk:
            stop.set()
            return


def _meter(seconds: float, rms: float, too_quiet: bool, limit: float, note: str = "") -> str:
    bars = max(0, min(20, round((rms + 60) / 3)))
    minutes, secs = divmod(int(seconds), 60)
    left = max(0, int(limit - seconds))
    hint = "  too quiet: is the microphone on?" if too_quiet else (f"  {note}" if note else "")
    return (
        f"\r  REC {minutes}:{secs:02d}  [{'#' * bars}{'.' * (20 - bars)}] {rms:6.1f} dBFS"
        f"  ({left // 60}:{left % 60:02d} left){hint}\x1b[K"
    )


class _LiveView:
    """What the terminal shows of live transcription: new words (if asked for) and falling behind."""

    def __init__(self, services: Services, *, live_text: bool, question: Question | None = None) -> None:
        self.services = services
        self.question = question
        self.live_text = live_text
        self.stream: StreamingTranscriber | None = None
        self._shown = 0

    def attach(self, recording: Recording) -> None:
        # Without live transcription the answer is still transcribed, after the stop.
        with contextlib.suppress(Exception):
            self.stream = stream_answer(self.services, recording, question=self.question)

    def tick(self) -> tuple[str, str]:
        if self.stream is None:
            return "", ""
        state = self.stream.state()
        above = ""
        if self.live_text and len(state.text) > self._shown:
            above = "  " + state.text[self._shown :].strip()
            self._shown = len(state.text)
        if state.fallback:
            return above, "(will transcribe after you stop)"
        if not state.keeping_up:
            return above, f"(transcribing, {state.pending_s:.0f} s behind)"
        return above, ""


def record_answer(
    recorder: Recorder,
    path: Path,
    *,
    max_seconds: float,
    stop_on_enter: bool,
    on_start: Callable[[Recording], None] | None = None,
    tick: Callable[[], tuple[str, str]] | None = None,
) -> RecordedAnswer:
    """Record until Enter / end of input (when `stop_on_enter`), Ctrl+C, or `max_seconds`.

    `on_start(recording)` runs as soon as the recording exists (to attach live transcription);
    `tick()` gives (text to print above the meter, a note after it) ten times a second.
    """
    stop = threading.Event()
    done = threading.Event()
    show_meter = sys.stderr.isatty()
    with native_stderr_quiet(), _terminate_as_exit():
        recording = recorder.start(path, max_seconds=max_seconds)
        try:
            if on_start is not None:
                on_start(recording)
            if stop_on_enter:
                threading.Thread(target=_watch_stdin, args=(stop, done), daemon=True).start()
            while not stop.is_set() and not recording.finished:
                stop.wait(0.1)
                if show_meter:
                    above, note = tick() if tick is not None else ("", "")
                    if above:
                        sys.stderr.write(f"\r\x1b[K{above}\n")
                    level = recording.level()
                    sys.stderr.write(
                        _meter(recording.elapsed_s, level.rms_dbfs, level.too_quiet, max_seconds, note)
                    )
                    sys.stderr.flush()
        except _SignalStop as stopped:
            sys.stderr.write("\r\x1b[K" if show_meter else "")
            typer.echo(f"interviewcoach: {stopped.name} received: the answer is finished and kept", err=True)
        except KeyboardInterrupt:
            pass  # Ctrl+C ends the answer; it is kept like any other
        finally:
            done.set()
            answer = _stop_shielded(recording)
            if show_meter:
                sys.stderr.write("\r\x1b[K")
    return answer


def _stop_shielded(recording: Recording) -> RecordedAnswer:
    """Stop the recording with a second Ctrl+C held off, so the WAV is always finalised."""
    if threading.current_thread() is not threading.main_thread():
        return recording.stop()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = recording.stop()
    finally:
        signal.signal(signal.SIGINT, previous)
    return result


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _report(answer: RecordedAnswer, *, fixed_length: bool = False) -> None:
    where = escape(f"{answer.duration_s:.1f} s -> {answer.path}")
    if answer.interrupted and answer.stop_reason:
        # One line: why it stopped, and that what was recorded is kept.
        typer.echo(f"interviewcoach: recording stopped: {answer.stop_reason}; kept {where}", err=True)
        return
    # A fixed-length recording is meant to reach its maximum: only an interruption is news then.
    if answer.stop_reason and not fixed_length:
        typer.echo(f"interviewcoach: recording stopped: {answer.stop_reason}", err=True)
    typer.echo(f"Recorded {where}", err=True)


@app.command("record")
def record_cmd(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Record to this WAV file.")] = None,
    question: Annotated[
        str | None,
        typer.Option("--question", "-q", help="Answer this question: record, transcribe, score."),
    ] = None,
    seconds: Annotated[
        float | None,
        typer.Option(
            "--seconds",
            "-s",
            help="With --out: record exactly this long. With --question: the maximum (default 600).",
        ),
    ] = None,
    device: DeviceOpt = None,
    engine: EngineOpt = "faster-whisper",
    model: ModelOpt = None,
    save: Annotated[
        bool, typer.Option("--save", help="With --question: keep the attempt in your history.")
    ] = False,
    set_ref: Annotated[
        str | None,
        typer.Option("--set", help="With --question: a question of this advisor set (id or file)."),
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record an answer from the microphone: to a WAV file, or as a complete practice round.

    Recording stops on Enter, Ctrl+C, or the maximum length; the audio is kept either way. A recording
    cut short by a crash is repaired and kept on the next run.
    """
    if (out is None) == (question is None):
        raise fail("give exactly one of --out FILE.wav or --question ID")
    if seconds is not None and not 0 < seconds <= MAX_SECONDS:
        raise fail(f"--seconds must be more than 0 and at most {MAX_SECONDS:g}")
    if save and question is None:
        raise fail("--save works with --question")
    if set_ref and question is None:
        raise fail("--set works with --question")
    directory = resolve_data_dir(data_dir)
    settings = load_settings(directory)
    device_spec = device if device is not None else settings.device
    for found in recover_interrupted(directory):
        if not found.interrupted:
            continue  # complete, only never saved: the app's next start offers it in History
        typer.echo(
            f"interviewcoach: kept an interrupted recording ({found.duration_s:.1f} s): {found.path}",
            err=True,
        )

    if out is not None:
        if out.suffix.lower() != ".wav":
            raise fail(f"{out}: the output must be a .wav file")
        recorder = SoundDeviceRecorder(device_spec)
        recorder.check()
        if seconds is None:
            typer.echo("Recording... press Enter or Ctrl+C to stop.", err=True)
        # Noted in the data directory while it runs, so a crash is repaired on the next run.
        note = None if _inside(out, directory) else note_recording_elsewhere(directory, out)
        try:
            answer = record_answer(recorder, out, max_seconds=seconds or 600.0, stop_on_enter=seconds is None)
        finally:
            forget_recording_elsewhere(note)
        _report(answer, fixed_length=seconds is not None)
        if answer.interrupted:
            # Lost device or full disk: what was recorded is kept, but the command did not succeed.
            raise typer.Exit(2)
        return

    assert question is not None
    _practice_round(
        question,
        data_dir=directory,
        device=device_spec,
        engine=engine,
        model=model_for(directory, engine, model),
        max_seconds=seconds or 600.0,
        save=save,
        set_ref=set_ref,
    )


def _practice_round(
    question_id: str,
    *,
    data_dir: Path,
    device: str | int | None,
    engine: str,
    model: str | None,
    max_seconds: float,
    save: bool,
    set_ref: str | None = None,
) -> None:
    services = build_services(data_dir=data_dir, engine=engine, model=model, device=device, with_store=False)
    set_id = set_version = None
    if set_ref is not None:
        practice_set = load_practice_set(set_ref, data_dir, bank=services.bank, rubrics=services.rubrics)
        practice_set.get(question_id)  # a question not in the set is named as such
        services.bank = practice_set.bank(services.bank)
        services.rubrics = practice_set.rubrics
        set_id, set_version = practice_set.id, practice_set.version
    else:
        bank_question(services.bank, question_id, data_dir, rubrics=services.rubrics, note=False)
    q = services.bank.get(question_id)  # an unknown id fails here, before any audio
    recorder = services.recorder
    assert recorder is not None
    recorder.check()
    if set_ref is None:
        # After the microphone check: a missing microphone is then one line, not the note and it.
        note_other_sets(services.bank, question_id, data_dir, rubrics=services.rubrics)
    typer.echo(escape(render_question(q.text, q.target_seconds)))
    typer.echo("Recording... press Enter when you have finished (Ctrl+C also stops).", err=True)
    path = new_recording_path(services, q)
    if not save:
        # Outside the history's audio folder, so an answer not saved never turns up there as new.
        path = ensure_private_dir(data_dir / UNSAVED_DIR) / path.name
    settings = load_settings(data_dir)
    # Load the models while the student talks, and transcribe the answer as it comes, so the
    # feedback follows the stop within about a second.
    warming = threading.Thread(target=_warm_up_quietly, args=(services,), daemon=True)
    warming.start()
    live = _LiveView(services, live_text=settings.live_transcript, question=q)
    try:
        answer = record_answer(
            recorder, path, max_seconds=max_seconds, stop_on_enter=True, on_start=live.attach, tick=live.tick
        )
    except BaseException:
        if live.stream is not None:
            live.stream.close()
        raise
    _report(answer)
    typer.echo("Transcribing and scoring...", err=True)
    keep = settings.keep_audio
    try:
        warming.join()
        result = transcribe_and_score(services, q, answer.path, stream=live.stream)
    except KeyboardInterrupt:
        if live.stream is not None:
            live.stream.close()
        typer.echo(escape(f"interviewcoach: cancelled; the recording is kept: {answer.path}"), err=True)
        raise typer.Exit(130) from None
    except NoSpeechError:
        # Nothing was heard: the clip is junk, and it must not come back later as an unscored answer.
        discard_recording(answer.path)
        raise
    if live.stream is not None and live.stream.outcome.message:
        typer.echo(escape(f"interviewcoach: {live.stream.outcome.message}"), err=True)
    typer.echo(escape(render_score(result, q, services.rubrics.get(q.rubric))))
    if save:
        attempt_id = save_result(
            data_dir,
            result,
            answer.path,
            answer.interrupted,
            question=q,
            set_id=set_id,
            set_version=set_version,
            rubric_version=services.rubrics.get(q.rubric).version,
        )
        release_recording(answer.path)
        typer.echo(f"saved as attempt {attempt_id} (interviewcoach show {attempt_id})", err=True)
    elif not keep:
        answer.path.unlink(missing_ok=True)
        typer.echo("Not saved to your history (add --save to keep it).", err=True)
    else:
        typer.echo(
            escape(
                f"Not saved to your history (add --save to keep it); the recording is kept: {answer.path}"
            ),
            err=True,
        )


def _warm_up_quietly(services: Services) -> None:
    # A failure here (a missing model) is reported, with its fix, by the transcription that follows.
    with contextlib.suppress(Exception):
        warm_up(services)


def render_question(text: str, target_seconds: tuple[int, int]) -> str:
    import textwrap

    low, high = target_seconds
    body = textwrap.fill(text, 88, initial_indent="Q: ", subsequent_indent="   ")
    return f"{body}\n   (aim for {low}-{high} seconds)\n"
