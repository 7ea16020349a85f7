"""IR terms and negations in generated speech: decode settings and term correction, tuned and measured apart.

Two parts, each with its own sentences and voices:

- tune: the sentences of bench/ir_speech.py (30 with IR terms, 30 with negations) and the generic
  answer sentences of tests/speech.py, in espeak-ng en-us and Festival kal_diphone. Settings and the
  correction were chosen on these.
- heldout: the HELDOUT_* sentences of bench/ir_speech.py (34 with terms, 30 with negations) and the
  generic sentences of bench/transcribe.py, in espeak-ng en-gb-scotland and en-us+f4, Festival
  ked_diphone and the HTS voice cmu_us_slt_arctic_hts. Measured once, at the end.

Each clip is decoded by faster-whisper tiny.en in several settings (no prompt, the app's vocabulary
prompt, faster-whisper's `hotwords`, beam search); decodes are cached in the work folder, so a
second run only re-scores them. Every setting is reported without and with the term correction
(core/speech/term_correction.py): IR terms right, negations kept, WER, and words the correction
changed wrongly (a changed word the reference does not have) on the sentences with no IR term.

    nice python bench/ir_terms.py --part tune            # decode (or reuse) and report
    nice python bench/ir_terms.py --part heldout
    python bench/ir_terms.py --part tune --configs plain,prompt --show-misses
    python bench/ir_terms.py --part heldout --configs prompt,prompt_own_window   # a chunk's own window
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import ir_speech  # noqa: E402
from bench.transcribe import ANSWER, normalise, voice_family, wer  # noqa: E402

TUNE_VOICES = (("en-us", 160), ("festival:kal_diphone", 160))
HELDOUT_VOICES = (
    ("en-gb-scotland", 160),
    ("en-us+f4", 170),
    ("festival:ked_diphone", 160),
    ("festival:cmu_us_slt_arctic_hts", 160),
)
CONFIGS = ("plain", "prompt", "hotwords", "prompt_beam5")
TARGET_TERMS = 0.90


def sentences(part: str) -> list[tuple[str, str]]:
    """(kind, sentence) for a part: kind is "term", "negation" or "generic" (no IR term)."""
    from tests.speech import ANSWER_SENTENCES

    if part == "tune":
        term, negation, generic = ir_speech.TERM_SENTENCES, ir_speech.NEGATION_SENTENCES, ANSWER_SENTENCES
    else:
        term, negation = ir_speech.HELDOUT_TERM_SENTENCES, ir_speech.HELDOUT_NEGATION_SENTENCES
        generic = tuple(ANSWER)
    return (
        [("term", s) for s in term] + [("negation", s) for s in negation] + [("generic", s) for s in generic]
    )


def decode_kwargs(config: str, prompt: str, hotwords: str) -> dict[str, Any]:
    """faster-whisper settings for a config; the rest as the app's (transcribe.py)."""
    from interviewcoach.core.speech import transcribe as tr

    kwargs: dict[str, Any] = {
        "language": tr.LANGUAGE,
        "beam_size": tr.BEAM_SIZE,
        "temperature": 0.0,
        "word_timestamps": True,
        "condition_on_previous_text": False,
        "vad_filter": False,
    }
    if config in ("prompt", "prompt_beam5", "prompt_own_window"):
        kwargs["initial_prompt"] = prompt
    if config == "hotwords":
        kwargs["hotwords"] = hotwords
    if config == "prompt_beam5":
        kwargs["beam_size"] = 5
    return kwargs


def _decode_words(model: Any, audio: Any, kwargs: dict[str, Any]) -> list[list[Any]]:
    segments, _ = model.transcribe(audio, **kwargs)
    return [
        [w.word, round(w.start, 3), round(w.end, 3), round(w.probability, 3)]
        for s in segments
        for w in s.words or []
    ]


def _loops(words: list[list[Any]]) -> bool:
    """Whisper's compression-ratio test, as the app applies it to a chunk (transcribe.repetitive)."""
    from interviewcoach.core.models import Word
    from interviewcoach.core.speech import transcribe as tr

    raw = tr.RawResult(words=[Word(word=w, start=a, end=b) for w, a, b, _ in words], segments=[])
    return tr.repetitive(raw)


def decode_all(
    work: Path, part: str, voices: Sequence[tuple[str, int]], configs: Sequence[str]
) -> list[dict[str, Any]]:
    """Every clip of the part decoded in every config, from the cache where it is there."""
    from interviewcoach.core.audio.files import load_audio
    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.speech.encoder_window import trimmed
    from interviewcoach.core.speech.transcribe import make_transcriber
    from interviewcoach.core.speech.vocabulary import vocabulary_for, vocabulary_prompt
    from tests.speech import SpeechMaker

    cache_path = work / "decodes.json"
    cache: dict[str, Any] = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    bank, _ = load_content()
    terms = vocabulary_for(None, bank)
    prompt = vocabulary_prompt(terms)
    hotwords = ", ".join(terms)
    maker = SpeechMaker(work / "speech")
    model = None
    rows: list[dict[str, Any]] = []
    fresh = 0
    for voice, rate in voices:
        for kind, sentence in sentences(part):
            clip = maker.clip([ir_speech.spoken(sentence)], voice=voice, rate=rate)
            row: dict[str, Any] = {"voice": voice, "kind": kind, "sentence": sentence}
            for config in configs:
                key = f"{config}|{clip.path.name}"
                if key not in cache:
                    if model is None:
                        transcriber = make_transcriber("faster-whisper")
                        model = transcriber.library_model()  # type: ignore[attr-defined]
                    audio = load_audio(clip.path)
                    c0 = time.process_time()
                    # prompt_own_window: the encoder reads the clip's own frames, as a streamed
                    # chunk's does, and a decode that loops there is made in the whole window.
                    own = config == "prompt_own_window"
                    with trimmed(model) if own else contextlib.nullcontext():
                        words = _decode_words(model, audio, decode_kwargs(config, prompt, hotwords))
                    if own and _loops(words):
                        words = _decode_words(model, audio, decode_kwargs(config, prompt, hotwords))
                    cache[key] = {"words": words, "cpu_s": round(time.process_time() - c0, 3)}
                    fresh += 1
                    if fresh % 50 == 0:
                        cache_path.write_text(json.dumps(cache))
                row[config] = cache[key]
            rows.append(row)
    if fresh:
        cache_path.write_text(json.dumps(cache))
    return rows


def transcript_words(decoded: dict[str, Any], correct: bool, terms: Sequence[str]) -> str:
    """The transcript text as the app builds it from Whisper's words, corrected or not."""
    from interviewcoach.core.models import Word
    from interviewcoach.core.speech.term_correction import TermCorrector
    from interviewcoach.core.speech.transcribe import join_split_words

    words = [Word(word=w, start=s, end=e, probability=p) for w, s, e, p in decoded["words"]]
    words = [w for w in join_split_words(words) if w.word.strip()]
    if correct:
        words = TermCorrector.for_terms(tuple(terms)).correct(words)
    return " ".join(w.word.strip() for w in words)


def wrong_changes(reference: str, before: str, after: str) -> int:
    """Words the correction put in that the reference does not have (multiset, normalised)."""
    from collections import Counter

    ref, old, new = Counter(normalise(reference)), Counter(normalise(before)), Counter(normalise(after))
    added = new - old
    return sum((added - ref).values())


def report(
    rows: list[dict[str, Any]], configs: Sequence[str], terms: Sequence[str], show_misses: bool
) -> None:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(voice_family(row["voice"]), []).append(row)
        groups.setdefault("  " + row["voice"], []).append(row)
    for config in configs:
        cpu = sorted(r[config]["cpu_s"] for r in rows)
        print(f"\n== {config} (decode CPU per clip, median {cpu[len(cpu) // 2]:.2f} s)")
        for name in sorted(groups, key=lambda g: (voice_family(g.strip()), g.startswith(" "), g)):
            cells = []
            for correct in (False, True):
                found = total = kept = negs = wrong = 0
                errors: list[float] = []
                for row in groups[name]:
                    sentence = row["sentence"]
                    text = transcript_words(row[config], correct, terms)
                    errors.append(wer(ir_speech.reference(sentence), text))
                    if row["kind"] == "term":
                        f, t = ir_speech.terms_found(sentence, text, normalise)
                        found, total = found + f, total + t
                        continue
                    if row["kind"] == "negation":
                        kept, negs = kept + ir_speech.negation_kept(sentence, text), negs + 1
                    if correct:
                        plain = transcript_words(row[config], False, terms)
                        wrong += wrong_changes(ir_speech.reference(sentence), plain, text)
                cell = (
                    f"terms {found / max(total, 1):4.0%} ({found}/{total}), neg {kept}/{negs}, "
                    f"WER {sum(errors) / len(errors):5.1%}"
                )
                if correct:
                    cell += f", wrong changes {wrong}"
                cells.append(cell)
            print(f"  {name:<34} {cells[0]}  |  corrected: {cells[1]}")
        if show_misses:
            for row in rows:
                sentence = row["sentence"]
                text = transcript_words(row[config], True, terms)
                plain = transcript_words(row[config], False, terms)
                bad = (
                    row["kind"] == "term" and len(set(ir_speech.terms_found(sentence, text, normalise))) > 1
                ) or (row["kind"] == "negation" and not ir_speech.negation_kept(sentence, text))
                changed_wrongly = row["kind"] != "term" and wrong_changes(
                    ir_speech.reference(sentence), plain, text
                )
                if bad or changed_wrongly:
                    print(f"    [{row['voice']}] {ir_speech.reference(sentence)!r}\n      heard {plain!r}")
                    if text != plain:
                        print(f"      fixed {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=("tune", "heldout"), required=True)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--voices", help="comma-separated voices (default: the part's)")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "interviewcoach-ir-terms",
        help="clips and cached decodes (reused by later runs)",
    )
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    from interviewcoach.core.content.sets import load_content
    from interviewcoach.core.speech.vocabulary import vocabulary_for

    voices = TUNE_VOICES if args.part == "tune" else HELDOUT_VOICES
    if args.voices:
        wanted = args.voices.split(",")
        voices = tuple(v for v in voices if v[0] in wanted)
    configs = args.configs.split(",")
    args.work.mkdir(parents=True, exist_ok=True)
    rows = decode_all(args.work, args.part, voices, configs)
    bank, _ = load_content()
    report(rows, configs, vocabulary_for(None, bank), args.show_misses)


if __name__ == "__main__":
    main()
