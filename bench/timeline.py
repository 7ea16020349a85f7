"""Does the delivery timeline mark the right moments on speech it was not written against?

Each clip is an answer spoken at an even pace (about 140 words a minute) with one long pause and one
"um" in it, then more of it spoken fast (about 240 wpm), by espeak-ng or Festival (tests/speech.py
knows where every piece is). Whisper transcribes it as the app does, and the timeline's own
`moments` (thresholds from the rubric's defaults: "too fast" over 180 wpm, long pauses from 1 s) are
checked against that ground truth:

- fast: the share of words in the fast part marked fast (hits), and of words in the even part
  marked fast (false alarms);
- long pause: the pause is marked and the mark overlaps the silence;
- filler: an "um" mark within 0.5 s of the um.

Nothing was tuned on these clips. They are still split as the other speech benchmarks are: the
`dev` voices and texts (looked at while writing the widget) and the `held-out` ones (not), per
synthesiser family.

    python bench/timeline.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewcoach.core.scoring.detectors.delivery import PaceParams, PauseParams
from interviewcoach.core.speech.transcribe import make_transcriber
from interviewcoach.tui.widgets.delivery_timeline import moments
from tests.speech import Silence, SpeechMaker, Um, festival_voices

NORMAL_WPM, FAST_WPM = 140, 240
GAP_S = 0.4

TEXTS = {
    "dev": [
        (
            "I failed Step one the first time. I was working nights and I did not ask for help.",
            "Since then I changed how I study, I use spaced repetition every day, and I passed Step two.",
        ),
        (
            "During my sub internship a patient bled after a biopsy. I called my senior at once.",
            "We took her back to the suite, the fellow found the vessel, and she went home two days later.",
        ),
    ],
    "held-out": [
        (
            "My research project stalled. Our scanner went down for three months in the winter.",
            "So I rebuilt the protocol around the old data, wrote it up as a case series and presented it.",
        ),
        (
            "On call I keep a short list of the sickest patients. I check on them before midnight.",
            "When I get tired I slow down, I read the orders twice and I ask a nurse to check the doses.",
        ),
    ],
}
VOICES = {
    "dev": [("espeak-ng", "en-us"), ("festival-diphone", "festival:kal_diphone")],
    "held-out": [
        ("espeak-ng", "en-gb-scotland"),
        ("espeak-ng", "en-us+f4"),
        ("festival-diphone", "festival:ked_diphone"),
        ("festival-hts", "festival:cmu_us_slt_arctic_hts"),
    ],
}


def run(verbose: bool, parts: list[str]) -> None:
    whisper = make_transcriber("faster-whisper")
    fast_wpm = PaceParams().flag_above_wpm
    long_pause_s = PauseParams().long_pause_s
    installed = set(festival_voices())
    with tempfile.TemporaryDirectory() as folder:
        maker = SpeechMaker(Path(folder))
        for part in parts:
            totals: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
            for family, voice in VOICES[part]:
                if voice.startswith("festival:") and voice not in installed:
                    print(f"  {voice}: not installed, skipped")
                    continue
                for calm_text, fast_text in TEXTS[part]:
                    first, second = calm_text.split(". ", 1)
                    calm = maker.clip([first + ".", Silence(1.6), Um(), second], voice=voice, rate=NORMAL_WPM)
                    fast = maker.clip([fast_text], voice=voice, rate=FAST_WPM)
                    boundary = calm.duration_s + GAP_S
                    audio = np.concatenate(
                        [calm.samples(), np.zeros(round(GAP_S * 16000), np.float32), fast.samples()]
                    )
                    transcript = whisper.transcribe(audio)
                    found = moments(transcript, long_pause_s=long_pause_s, fast_wpm=fast_wpm)
                    fast_marks = [m for m in found if m.kind == "fast"]

                    def marked(word_start: float, marks: list = fast_marks) -> bool:  # type: ignore[type-arg]
                        return any(m.start <= word_start < m.end or m.start == word_start for m in marks)

                    in_fast = [w for w in transcript.words if w.start >= boundary]
                    in_calm = [w for w in transcript.words if w.end <= boundary]
                    silence = max(calm.silences, key=lambda s: s[1] - s[0])
                    pause_hit = any(
                        m.kind == "pause" and m.start < silence[1] and m.end > silence[0] for m in found
                    )
                    um = calm.fillers[0]
                    filler_hit = any(m.kind == "filler" and abs(m.start - um[0]) <= 0.5 for m in found)
                    row = totals[family]
                    row[0] += sum(marked(w.start) for w in in_fast)
                    row[1] += len(in_fast)
                    row[2] += sum(marked(w.start) for w in in_calm)
                    row[3] += len(in_calm)
                    row[4] += pause_hit
                    row[5] += 1
                    row[6] += filler_hit
                    row[7] += 1
                    if verbose:
                        flagged = [len(in_calm) - i for i, w in enumerate(in_calm) if marked(w.start)]
                        print(f"  even-pace words marked fast, counted from the change: {flagged}")
                        print(
                            f"  {voice:<36} fast {row[0]}/{row[1]} false {row[2]}/{row[3]} "
                            f"pause {pause_hit} filler {filler_hit}"
                        )
            print(f"{part}:")
            for family, row in totals.items():
                print(
                    f"  {family:<17} fast words marked {row[0]}/{row[1]} ({row[0] / max(row[1], 1):.0%}), "
                    f"even-pace words marked fast {row[2]}/{row[3]} ({row[2] / max(row[3], 1):.0%}), "
                    f"long pause marked {row[4]}/{row[5]}, um marked {row[6]}/{row[7]}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--part", choices=("dev", "held-out", "both"), default="both")
    args = parser.parse_args()
    run(args.verbose, ["dev", "held-out"] if args.part == "both" else [args.part])


if __name__ == "__main__":
    main()
