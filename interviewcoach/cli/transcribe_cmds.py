"""CLI command: transcribe an answer's audio, with word timings, fillers and pauses."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from interviewcoach.cli.app import app
from interviewcoach.cli.model_cmds import model_for
from interviewcoach.cli.options import DataDirOpt, EngineOpt, JsonObjectOpt, ModelOpt
from interviewcoach.core.content.sets import load_content
from interviewcoach.core.models import Filler, Transcript
from interviewcoach.core.safetext import escape
from interviewcoach.core.session import make_transcriber, transcribe_answer, vocabulary_for


def transcript_json(transcript: Transcript) -> dict[str, object]:
    """The `transcribe --json` contract: exactly these keys, times in seconds."""
    return {
        "text": transcript.text,
        "duration_s": transcript.duration_s,
        "speech_s": transcript.speech_s,
        "engine": transcript.engine,
        "model": transcript.model,
        "words": [
            {"word": w.word, "start": w.start, "end": w.end, "probability": w.probability}
            for w in transcript.words
        ],
        "fillers": [
            {"text": f.text, "kind": f.kind, "start": f.start, "end": f.end} for f in transcript.fillers
        ],
        "pauses": [{"start": p.start, "end": p.end} for p in transcript.pauses],
    }


def render_transcript(transcript: Transcript) -> str:
    """A readable report: the text, then how it was delivered."""
    lines = [textwrap.fill(transcript.text, 88), ""]
    words = len(transcript.words)
    minutes = transcript.speech_s / 60 if transcript.speech_s > 0 else transcript.duration_s / 60
    pace = f"{words / minutes:.0f} words per minute" if minutes > 0 else "pace unknown"
    lines.append(
        f"{transcript.duration_s:.1f} s of audio, {transcript.speech_s:.1f} s speaking, {words} words, {pace}"
    )
    heard = [f for f in transcript.fillers if f.kind == "filled_pause"]
    lexical = [f for f in transcript.fillers if f.kind == "lexical"]
    lines.append(f"Filled pauses (um, uh): {len(heard)}" + _times(heard))
    lines.append(
        f"Filler words: {len(lexical)}"
        + (f" ({', '.join(sorted({f.text.lower() for f in lexical}))})" if lexical else "")
    )
    long = [p for p in transcript.pauses if p.duration >= 1.0]
    longest = max((p.duration for p in transcript.pauses), default=0.0)
    lines.append(
        f"Pauses of 1 s or more: {len(long)}"
        + (f", longest {longest:.1f} s" if transcript.pauses else "")
        + "".join(f"\n  at {p.start:.1f} s for {p.duration:.1f} s" for p in long)
    )
    lines.append(f"({transcript.engine}, {transcript.model})")
    return "\n".join(lines)


def _times(fillers: list[Filler]) -> str:
    stamps = [f"{f.start:.1f} s" for f in fillers if f.start is not None]
    return f" at {', '.join(stamps)}" if stamps else ""


@app.command("transcribe")
def transcribe_cmd(
    audio: Annotated[
        Path, typer.Argument(help="The answer's audio: WAV or FLAC (other formats via FFmpeg).")
    ],
    engine: EngineOpt = "faster-whisper",
    model: ModelOpt = None,
    as_json: JsonObjectOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Transcribe an answer offline: words with timings, filled pauses, filler words and pauses."""
    bank, _ = load_content()
    # The IR vocabulary (no question: the curated list and the bank's terms).
    transcriber = make_transcriber(engine, model_for(data_dir, engine, model))
    transcript = transcribe_answer(transcriber, audio, vocabulary=vocabulary_for(None, bank))
    if as_json:
        typer.echo(json.dumps(transcript_json(transcript), indent=2))
    else:
        typer.echo(escape(render_transcript(transcript)))
