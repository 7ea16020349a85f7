"""Language analysis: fillers decided from context, sentences, negation, numbers and metrics."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from interviewcoach.core.scoring.analysis import analyze, analyze_many, get_nlp, is_negated, parse


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        # "like": a discourse filler, not a verb, a comparison or "would like".
        ("It was, like, really hard to start.", [("like", "lexical")]),
        ("We did like forty questions a day.", [("like", "lexical")]),
        ("I was like so nervous about the exam.", [("like", "lexical")]),
        ("I really like interventional radiology.", []),
        ("The wire looked like a stent on the film.", []),
        ("It felt like a marathon.", []),
        ("I would like to train here.", []),
        # "you know" / "I mean": parenthetical, not a verb with an object.
        ("You know, I scrubbed in on TIPS.", [("You know", "lexical")]),
        ("I scrubbed in on, you know, tibial interventions.", [("you know", "lexical")]),
        ("You know the answer already.", []),
        ("Do you know what I mean?", []),
        ("If you know how to place a line, it helps.", []),
        ("I mean, I was crushed.", [("I mean", "lexical")]),
        ("I mean it when I say that.", []),
        ("What I mean is that I was not ready.", []),
        # "kind of" / "sort of" as hedges, not "what kind of patients".
        ("I was sort of burned out by then.", [("sort of", "lexical")]),
        ("It was kind of a joke.", [("kind of", "lexical")]),
        ("What kind of patients do you see?", []),
        ("That kind of schedule helps.", []),
        ("It was basically a planning mistake.", [("basically", "lexical")]),
        ("I literally never took a practice test.", [("literally", "lexical")]),
        # Filled pauses written in the text; "ER" the place is not "er" the sound.
        ("Um, so, uh, I failed Step 1.", [("Um", "filled_pause"), ("uh", "filled_pause")]),
        ("Hmm, let me think.", [("Hmm", "filled_pause")]),
        ("I worked nights in the ER.", []),
    ],
)
def test_lexical_fillers(text: str, fillers: list[tuple[str, str]]) -> None:
    found = analyze(text).lexical_fillers
    assert [(f.text, f.kind) for f in found] == fillers
    for f in found:
        assert f.char_start is not None and f.char_end is not None
        assert text[f.char_start : f.char_end] == f.text


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("I never took an NBME before the exam.", "NBME", True),
        ("There was no learning specialist.", "specialist", True),
        ("I didn't start doing timed blocks until too late.", "blocks", True),
        ("I went in without doing a single practice exam.", "exam", True),
        ("Nobody gave us NBME vouchers.", "vouchers", True),
        ("I don't think that score is on me.", "me", True),
        ("I'm not sure the score says much about me.", "says", True),
        ("I took an NBME every week.", "NBME", False),
        ("After I failed, I built a fixed plan with a tutor.", "plan", False),
        ("That was on me, nobody else.", "me", False),
        # The parser joins the verb after a conditional to the condition; its "not" is the condition's.
        (
            "If I match DR, I'd join the ESIR track in my second year, or if my program doesn't have one, "
            "take IR electives, then apply to an independent IR residency.",
            "electives",
            False,
        ),
    ],
)
def test_negation(text: str, word: str, negated: bool) -> None:
    doc = analyze(text).doc
    token = next(t for t in doc if t.text == word)
    assert is_negated(token) is negated


def test_sentences_follow_the_speakers_punctuation() -> None:
    text = (
        "I was trying to hold on to a research commitment through dedicated and I didn't protect "
        "my study time, which was my choice. Afterward I dropped it and built a calendar with a "
        "tutor and I took an NBME every other week and I got a 250 on Step 2 CK. I'm ready."
    )
    analysis = analyze(text)
    assert [s.text.strip()[-3:] for s in analysis.sentences] == ["ce.", "CK.", "dy."]
    assert analysis.sentence_count == 3


@pytest.mark.parametrize(
    "text",
    [
        "I did what I was supposed to do, but the night team never told the fellow about the drain.",
        "She explained what the drain was for and I wrote it on the board for the night nurse.",
    ],
)
def test_a_clause_after_a_wh_word_stays_in_its_sentence(text: str) -> None:
    # A free relative or an embedded question is tied to the clause it stands in: the clause after
    # "what" or "how" once started a sentence of its own ("I did what" / "I was supposed to ...").
    assert [s.text for s in analyze(text).sentences] == [text]


def test_unpunctuated_text_still_has_sentences() -> None:
    analysis = analyze("so my score was low and i own that i then worked with a tutor every week")
    assert analysis.sentence_count >= 1
    assert analysis.word_count == 17


def test_analysis_fields() -> None:
    text = "Um, my Step 1 was a two twelve. I basically crammed. Then I got a 250 on Step 2 CK."
    analysis = analyze(text)
    assert analysis.word_count == 20
    assert analysis.sentence_count == 3
    assert [n.value for n in analysis.numbers] == [1, 212, 250, 2]
    assert [f.text for f in analysis.lexical_fillers] == ["Um", "basically"]
    # Short spoken sentences read at an early grade; dense prose reads far higher.
    dense = analyze(
        "Comprehensive interdisciplinary evaluation necessitates sophisticated radiological interpretation."
    )
    assert -5 < analysis.readability_grade < 6 < dense.readability_grade
    assert analysis.mean_sentence_words == round(20 / 3, 1)
    assert analysis.sentence_index(text.index("crammed")) == 1


def test_analyze_many_matches_analyze() -> None:
    texts = ["I failed Step 1, you know, the first time.", "", "My Step 2 CK was a two fifty-one."]
    for one, many in zip((analyze(t) for t in texts), analyze_many(texts), strict=True):
        assert many.text == one.text
        assert [s.text for s in many.sentences] == [s.text for s in one.sentences]
        assert [(n.value, n.start) for n in many.numbers] == [(n.value, n.start) for n in one.numbers]
        assert many.lexical_fillers == one.lexical_fillers
        assert many.readability_grade == one.readability_grade


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch not installed")
def test_spacy_loads_without_importing_torch() -> None:
    """thinc probes for torch at import (about 2 s); the pipeline never needs it."""
    code = (
        "import sys\n"
        "from interviewcoach.core.scoring.analysis import analyze\n"
        "analyze('I failed Step 1 the first time.')\n"
        "print('torch' in sys.modules)\n"
        "import torch\n"
        "print(torch.tensor([1]).sum().item())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "1"]


def test_entities_can_be_added_later() -> None:
    """Parsing without the entity recogniser and adding it afterwards gives the same entities."""
    text = "In March 2022 I rotated at Johns Hopkins in Baltimore with Dr. Patel for four weeks."
    full = analyze(text)
    lean = analyze(text, entities=False)
    assert not lean.has_entities and not lean.doc.ents
    assert [(t.tag_, t.dep_, t.lemma_) for t in lean.doc] == [(t.tag_, t.dep_, t.lemma_) for t in full.doc]
    lean.ensure_entities()
    assert lean.has_entities
    assert [(e.text, e.label_) for e in lean.doc.ents] == [(e.text, e.label_) for e in full.doc.ents]
    assert full.doc.ents


def test_a_transcript_and_its_score_share_one_parse() -> None:
    # Building a spoken answer's transcript parses it (for its fillers) without entities; scoring
    # it then takes that parse and adds the entities, the same as parsing it afresh with them.
    text = "On my IR rotation at Duke in March, I, like, placed a PICC line for Dr. Patel at 2 am."
    doc, has_entities = parse(text, entities=False)
    assert not has_entities and not doc.ents
    analysis = analyze(text)
    assert analysis.doc is doc and analysis.has_entities
    fresh = get_nlp()(text)
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in fresh.ents]
    assert [e.label_ for e in fresh.ents]  # the sentence has entities to compare
    other = analyze(text + " It went well.")
    assert other.doc is not doc


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("On my sub-I a nurse told me the drain had stopped.", "sub-I"),
        ("During my Sub-I I placed two drains.", "Sub-I"),
        ("I did two sub-Is, one in IR and one in the ICU.", "sub-Is"),
        ("my ir sub-i went well", "sub-i"),
        ("My sub-I's attending was kind.", "sub-I"),
    ],
)
def test_a_sub_internship_is_one_noun(text: str, word: str) -> None:
    # Split at its hyphen, a sub-I's "I" was parsed as the speaker.
    doc = analyze(text).doc
    tokens = [t for t in doc if t.text == word]
    assert len(tokens) == 1
    assert tokens[0].pos_ == "NOUN"
    assert tokens[0].lemma_ == "sub-internship"
    assert "-" not in [t.text for t in doc]
