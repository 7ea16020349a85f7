"""Generated sentences for the transcription bench: IR terms and negations, in several voices.

A sentence marks each term as [TERM] or [TERM|how to say it] (the synthesisers read "ESIR" or
"UWorld" letter by letter or not at all, so the spoken form is spelled out as people say it). Term
accuracy is the share of terms found in the transcript, compared after normalisation (case,
hyphens, digits as words); a negation is kept when the transcript has at least as many "not",
"never", "no" and "n't" as the script.
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
NEGATIONS = re.compile(r"\b(?:not|never|no)\b|n't\b")


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


def negation_kept(sentence: str, hypothesis: str) -> bool:
    return len(NEGATIONS.findall(hypothesis.lower().replace("\u2019", "'"))) >= len(
        NEGATIONS.findall(sentence.lower())
    )
