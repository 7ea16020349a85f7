"""Generated sentences for the transcription bench: IR terms and negations, in several voices.

A sentence marks each term as [TERM] or [TERM|how to say it] (the synthesisers read "ESIR" or
"UWorld" letter by letter or not at all, so the spoken form is spelled out as people say it). Term
accuracy is the share of terms found in the transcript, compared after normalisation (case,
hyphens, digits as words); a negation is kept when the transcript has at least as many "not",
"never", "no", "cannot" and "n't" as the script ("cannot" for "did not" keeps the negation).
"""

from __future__ import annotations

import re
from collections.abc import Callable

TERM_SENTENCES = (
    "I chose the [ESIR|E sir] pathway after my [IR|I R] elective.",
    "My [Step 2 CK|step two C K] score went up after I used [UWorld|you world] every morning.",
    "I took an [NBME|N B M E] practice exam every two weeks.",
    "We treated the liver tumor with [TACE|tace] and later with [Y-90|Y ninety].",
    "The patient was [Child-Pugh|child pew] class A, so we offered [radioembolization|radio embolization].",
    "I scrubbed into a [thrombectomy] for a large vessel stroke.",
    "The attending let me help with the [embolization] of a bleeding artery.",
    "I spent my mornings in the [angio|angio] suite watching cases.",
    "We placed a [TIPS|tips] shunt for a patient with refractory ascites.",
    "I learned to read [fluoroscopy] images during my [IR|I R] rotation.",
    "My research compared [chemoembolization|chemo embolization] outcomes across two hospitals.",
    "The fellow showed me how to do an [angioplasty] of the femoral artery.",
    "I want to match into an integrated [IR|I R] program or an [ESIR|E sir] track.",
    "My [USMLE|U S M L E] scores are not the strongest part of my application.",
    "I presented a poster on [thrombolysis] for pulmonary embolism.",
    "We placed an [IVC filter|I V C filter] before the patient went to surgery.",
    "A [PICC line|pick line] was placed under ultrasound guidance.",
    "I followed a patient with [hepatocellular carcinoma] through three treatments.",
    "The [MELD|meld] score helped us decide who was a candidate.",
    "I did a [paracentesis] and a [biopsy] under supervision.",
    "We placed a [nephrostomy] tube for an obstructed kidney.",
    "I joined the [SIR|S I R] medical student council this year.",
    "I applied through [ERAS|ee rass] to twenty programs in [DR|D R] and [IR|I R].",
    "My [COMLEX|comb lex] score was above the mean.",
    "The [cholecystostomy] drain was placed for a patient too sick for surgery.",
    "I kept a log of every [angiography] case I observed.",
    "[Y-90|Y ninety] mapping happens before the treatment session.",
    "I studied with [UWorld|you world] and [NBME|N B M E] forms before [Step 1|step one].",
    "We discussed the [stent] choice with the vascular surgeons.",
    "I want to do [thrombectomy] and [embolization] cases every week.",
)

NEGATION_SENTENCES = (
    "I am just not a good test taker.",
    "I did not pass Step 1 on my first attempt.",
    "I never blamed the exam for my score.",
    "I don't think the score defines me.",
    "I wasn't ready for the exam that spring.",
    "I have never missed a clinic day.",
    "That was not the result I wanted.",
    "I couldn't keep up with my study plan at first.",
    "I did not give up after the setback.",
    "I am not someone who waits to be told.",
    "I haven't stopped doing practice questions since.",
    "The procedure did not go as planned.",
    "I never hesitated to ask for help.",
    "I didn't know what interventional radiology was until third year.",
    "It is not a specialty for people who avoid call.",
    "I won't let one exam define my career.",
    "My attending did not expect me to stay late.",
    "I never saw myself in a clinic-only specialty.",
    "I can't imagine a career without procedures.",
    "The patient was not a candidate for surgery.",
    "I did not match the first time I applied.",
    "I wouldn't change the path that brought me here.",
    "I am not afraid of long nights in the hospital.",
    "We didn't have an interventional radiology program at my school.",
    "I never missed a deadline on that project.",
    "I don't give up when a case gets hard.",
    "That score is not who I am as a doctor.",
    "I shouldn't have waited so long to ask for help.",
    "I did not take the feedback personally.",
    "I have not failed a clinical rotation.",
)

_MARK = re.compile(r"\[([^\]|]+)(?:\|([^\]]+))?\]")
NEGATIONS = re.compile(r"\b(?:not|never|no|cannot)\b|n't\b")


def spoken(sentence: str) -> str:
    """What the synthesiser reads."""
    return _MARK.sub(lambda m: m.group(2) or m.group(1), sentence)


def reference(sentence: str) -> str:
    """What the transcript should say."""
    return _MARK.sub(lambda m: m.group(1), sentence)


def terms(sentence: str) -> list[str]:
    return [m.group(1) for m in _MARK.finditer(sentence)]


def terms_found(sentence: str, hypothesis: str, normalise: Callable[[str], list[str]]) -> tuple[int, int]:
    """(terms found in `hypothesis`, terms in the sentence)."""
    words = normalise(hypothesis)
    found = 0
    wanted = terms(sentence)
    for term in wanted:
        target = normalise(term)
        if any(words[i : i + len(target)] == target for i in range(len(words) - len(target) + 1)):
            found += 1
    return found, len(wanted)


def _negations(text: str) -> int:
    return len(NEGATIONS.findall(text.lower().replace("\u2019", "'")))


def negation_kept(sentence: str, hypothesis: str) -> bool:
    return _negations(hypothesis) >= _negations(sentence)


def negation_added(sentence: str, hypothesis: str) -> bool:
    """The transcript says "not", "never" or "n't" more often than the script: a negation Whisper
    put in, which turns an answer's meaning as surely as one it drops."""
    return _negations(hypothesis) > _negations(sentence)


# Held out: written after the correction was tuned on the lists above, never used to tune it, and
# measured in other voices (HELDOUT_VOICES in bench/ir_terms.py).
HELDOUT_TERM_SENTENCES = (
    "After my [ESIR|E sir] interview I wrote to the program director.",
    "I reviewed [UWorld|you world] questions on the bus to the hospital.",
    "Our team did a [thrombectomy] on a patient with a clot in the leg.",
    "She needed [TACE|tace] for a tumor that could not be removed.",
    "The [Y-90|Y ninety] dose was planned with the physicist.",
    "I watched the fellow place a [stent] in a narrowed renal artery.",
    "He had a [biopsy] of a lung nodule on a Friday morning.",
    "The [ICU|I C U] team called us for a bleeding patient at night.",
    "I saw how [embolization] can stop bleeding after trauma.",
    "My [NBME|N B M E] scores rose steadily over the summer.",
    "We placed a [PICC line|pick line] for long term antibiotics.",
    "The [angiography] showed a blocked artery in the calf.",
    "Patients with [PAD|P A D] often come to us for leg pain.",
    "I took [Step 1|step one] in my second year and [Step 2 CK|step two C K] in my fourth.",
    "The [GI|G I] bleed stopped after the coil was placed.",
    "I learned why a [Child-Pugh|child pew] score matters before a procedure.",
    "A [cholecystostomy] was the safest option for her.",
    "I assisted with a [nephrostomy] on my second day.",
    "The [MELD|meld] score was too high for surgery.",
    "Our [IR|I R] clinic saw ten new patients on Tuesday.",
    "My [COMLEX|comb lex] results came in the week before interviews.",
    "I submitted my application on [ERAS|ee rass] in September.",
    "We used [fluoroscopy] to guide the wire into the vein.",
    "An [IVC filter|I V C filter] was removed after three months.",
    "The [TIPS|tips] procedure lowered the pressure in his liver.",
    "I wrote a case report on [thrombolysis] for a clotted dialysis graft.",
    "[Radioembolization|radio embolization] was new at my home hospital.",
    "I chose [DR|D R] first and then found [IR|I R] during a rotation.",
    "I met a patient with [hepatocellular carcinoma] who taught me a lot.",
    "I did a [paracentesis] on my first night of call.",
    "The [USMLE|U S M L E] schedule shaped my third year.",
    "We talked about [angioplasty] and [chemoembolization|chemo embolization] at journal club.",
    "I joined [SIR|S I R] as a student member last fall.",
    "I spent a week in the [angio|angio] suite before my interview.",
)

HELDOUT_NEGATION_SENTENCES = (
    "I did not expect to love procedures this much.",
    "I never thought I would enjoy night call.",
    "I don't see a low score as the end of the road.",
    "I wasn't sure radiology was right for me at first.",
    "I have never been late to a shift.",
    "That case did not end the way we hoped.",
    "I couldn't sleep before my first big exam.",
    "I am not the kind of student who gives up.",
    "I haven't lost my interest in research.",
    "The drain did not work on the first try.",
    "I never skipped a practice test.",
    "I didn't feel ready to lead a team at first.",
    "It is not easy to tell a patient bad news.",
    "I won't stop asking questions.",
    "My mentor did not let me settle for less.",
    "I can't picture myself in an office job.",
    "She was not able to lie flat for the procedure.",
    "I wouldn't trade my time on that service.",
    "I am not worried about the long hours.",
    "We didn't have a fellow that month.",
    "I never forgot to follow up on my patients.",
    "I don't panic when a plan changes.",
    "Grades are not the whole story of a student.",
    "I shouldn't have taken so many shifts that month.",
    "He did not want to have open surgery.",
    "I have not taken a break from studying.",
    "They aren't wrong about the workload.",
    "It doesn't scare me to be on call.",
    "I was never the top of my class.",
    "We could not find the bleeding vessel at first.",
)
