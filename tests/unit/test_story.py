"""The story reading on small hand-written answers: episodes vs habits, shown vs claimed strengths,
clear vs vague actions, results, reflections, blame and hedging, each with evidence spans."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.models import Question
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.core.scoring.story import Reading, read_answer

EPISODE = (
    "On my medicine sub-internship last March, a 71-year-old woman's dialysis graft clotted overnight. "
    "I paged the IR fellow at 6 am and called the dialysis unit to hold her slot. "
    "The graft was open by 9:40 and she made her afternoon session. "
    "Since then I check access early on every dialysis patient I admit."
)
HABIT = (
    "I always stay calm under pressure and I make sure nurses feel supported. "
    "You need to communicate clearly in IR, and I take ownership of every situation. "
    "I'm hardworking, adaptable and a strong team player."
)


def _texts(reading: Reading, clauses: list) -> list[str]:  # type: ignore[type-arg]
    return [reading.clause_text(c) for c in clauses]


def test_episode_is_a_story_with_anchors() -> None:
    reading = read_answer(EPISODE)
    assert reading.has_story
    episode = " | ".join(_texts(reading, reading.episode))
    assert "I paged the IR fellow at 6 am" in episode
    anchors = [reading.text[a.start : a.end] for a in reading.anchors]
    assert any("6" in a or "am" in a for a in anchors)


def test_habits_are_no_story_and_read_as_generic() -> None:
    reading = read_answer(HABIT)
    assert not reading.has_story
    assert reading.episode == []
    generic = " | ".join(_texts(reading, reading.generic))
    assert "I always stay calm under pressure" in generic
    assert "You need to communicate clearly in IR" in generic
    assert reading.mostly_generic


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("I'm hardworking, adaptable and a strong team player, and I am passionate about IR.", True),
        (
            "I spent most afternoons in the angio suite and did the measurements for the fistulagram "
            "QI project, forty studies in all.",
            False,
        ),
    ],
)
def test_adjectives_said_of_oneself_vs_strength_shown(text: str, described: bool) -> None:
    reading = read_answer(text)
    assert bool(reading.self_descriptions) is described
    if not described:
        assert reading.own_action_level == "clear"
        assert "did the measurements" in " ".join(_texts(reading, reading.own_actions))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I called the fellow at 2 am and I checked her hemoglobin myself before the CT.", "clear"),
        ("I helped with the case and I was involved in the patient's care. We did the procedure.", "vague"),
        ("The attending embolized the artery and the nurse gave two units of blood.", "none"),
    ],
)
def test_clear_vague_and_no_own_action(text: str, level: str) -> None:
    assert read_answer(text).own_action_level == level


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        ("The nurses on that floor were lazy and the resident ignored my pages all night.", True),
        ("Nobody explained the add-on process to me, so the case slipped to the next day.", True),
        ("The nurse caught the drop in pressure before I did, and I thanked her.", False),
        ("His pressure dropped into the eighties, so I called the fellow.", False),
    ],
)
def test_blame_of_others(text: str, blames: bool) -> None:
    reading = read_answer(text)
    assert reading.blames_others is blames
    for c in reading.blame:
        assert reading.text[c.start : c.end] in text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        (EPISODE, True),
        (
            "I asked for feedback and worked on it. Over time my evaluations improved significantly "
            "and things worked out.",
            False,
        ),
        # A verb of attainment is an outcome by its meaning: no number or name needed.
        ("I met with the learning specialist and rebuilt my schedule. Then I passed the retake.", True),
        ("I rebuilt my schedule around question blocks, and I honored the surgery clerkship.", True),
        # ... which "got" is not: it needs the amount or the name.
        ("I met with the learning specialist and rebuilt my schedule. Then I got better.", False),
    ],
)
def test_concrete_result_vs_empty_claim(text: str, result: bool) -> None:
    reading = read_answer(text)
    assert reading.has_result is result
    if not result:
        assert reading.vague_results, "the empty claim of a result is quoted"


def test_reflection_needs_a_story() -> None:
    assert read_answer(EPISODE).has_reflection
    slogan = read_answer(
        "I have learned the importance of communication and teamwork. I value feedback and I grow."
    )
    assert not slogan.has_reflection


@pytest.mark.parametrize(
    ("text", "hedges"),
    [
        ("Honestly I'd be happy with DR too, I'm open to anything that keeps me near procedures.", True),
        ("My goal is IR. If I match DR, I will apply for ESIR in my second year.", False),
    ],
)
def test_hedging(text: str, hedges: bool) -> None:
    assert read_answer(text).hedges is hedges


def test_every_clause_span_lies_in_the_text() -> None:
    reading = read_answer(EPISODE + " " + HABIT)
    for c in reading.clauses:
        assert 0 <= c.start < c.end <= len(reading.text)
        assert reading.text[c.start : c.end].strip()


def test_scores_rank_a_plain_story_above_a_polished_generic_answer(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    question = bank.get("teamwork")
    rubric = rubrics.get(question.rubric)
    story = score(question, rubric, text=EPISODE)
    generic = score(question, rubric, text=HABIT + " " + HABIT)
    assert story.overall > generic.overall + 20
    assert not generic.criteria["story"].passed
    assert "I always stay calm" in generic.criteria["story"].feedback
    assert "what you did, how it ended" in generic.criteria["story"].feedback


def test_off_topic_answer_scores_low(bank: QuestionBank, rubrics: RubricSet) -> None:
    question = bank.get("why-ir")
    answer = (
        "Last year I led the migration of our company's billing system to a new database. I wrote the "
        "migration scripts, ran them over a weekend and we cut the invoice run from six hours to forty "
        "minutes. It taught me to test every step on a copy first."
    )
    result = score(question, rubrics.get(question.rubric), text=answer)
    assert not result.criteria["on_topic"].passed
    assert result.overall <= 15
    assert "does not answer the question" in result.criteria["on_topic"].feedback


def test_flagship_answer_gets_credit_for_change_and_result(bank: QuestionBank, rubrics: RubricSet) -> None:
    question = bank.get("low-score")
    answer = (
        "After the score came back I met with our learning specialist, built a fixed weekly schedule, "
        "and took an NBME practice test every two weeks. I scored 251 on Step 2 CK."
    )
    result = score(question, rubrics.get(question.rubric), text=answer)
    assert result.criteria["own_role"].passed
    assert result.criteria["result"].passed
    assert "251" in result.criteria["result"].feedback
    # The setback named without its number ("the score came back") comes first: what follows is the
    # change and its result, not the cause.
    assert result.criteria["improvement_evidence"].passed
    assert not [e for e in result.criteria["brevity"].evidence if e.label == "cause"]


GAP_YEAR = (
    "I stayed a fifth year as a research fellow on the IR service. Our hospital had placed about "
    "four hundred IVC filters over five years, and only a third came out. I went through every chart "
    "and I phoned each patient who was overdue. Within six months retrievals rose to just under half. "
    "Two patients had thrombus above the filter, and both went home on anticoagulation. I presented "
    "the work at our regional meeting in March. On my IR sub-I I ran the filter clinic list each week."
)


def test_a_gap_year_told_as_what_was_done_is_not_all_cause(bank: QuestionBank, rubrics: RubricSet) -> None:
    question = bank.get("application-delay")
    answer = (
        "I stayed a fifth year as a research fellow on the IR service. Our hospital had placed about "
        "four hundred IVC filters over five years, and only a third came out. I went through every chart "
        "and I phoned each patient who was overdue. Within six months retrievals rose to just under half. "
        "Two patients had thrombus above the filter, and both went home on anticoagulation. I presented "
        "the work at our regional meeting in March. On my IR sub-I I ran the filter clinic list each week."
    )
    brevity = score(question, rubrics.get(question.rubric), text=answer).criteria["brevity"]
    causes = [e.text for e in brevity.evidence if e.label == "cause"]
    assert brevity.passed, brevity.feedback
    assert not any("phoned" in c or "retrievals rose" in c for c in causes), causes


def test_improvement_is_read_for_a_setback_that_is_no_exam(bank: QuestionBank, rubrics: RubricSet) -> None:
    """A gap year's change and result are what the speaker did and what came of it, not a score."""
    question = bank.get("application-delay")
    rubric = rubrics.get(question.rubric)
    done = score(question, rubric, text=GAP_YEAR).criteria["improvement_evidence"]
    assert done.passed, done.feedback
    assert "phoned each patient" in done.feedback or "went through every chart" in done.feedback
    busy = (
        "I took the extra year to grow. I deepened my involvement in IR, I built meaningful "
        "relationships with mentors and I went to a lot of conferences. It has been a really full "
        "year, and the extra year has set me up well for residency."
    )
    assert not score(question, rubric, text=busy).criteria["improvement_evidence"].passed


words = st.sampled_from(
    [
        "I",
        "we",
        "you",
        "the",
        "nurse",
        "called",
        "paged",
        "always",
        "never",
        "was",
        "is",
        "had",
        "a",
        "2",
        "am",
        "patient",
        "graft",
        "because",
        "learned",
        "helped",
        "not",
        "stayed",
        "calm",
        "and",
        ".",
        ",",
        "then",
        "IR",
        "ESIR",
        "fellow",
        "blamed",
        "lazy",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(words, min_size=8, max_size=60))
def test_any_answer_gets_a_verdict_with_valid_spans(
    bank: QuestionBank, rubrics: RubricSet, tokens: list[str]
) -> None:
    text = " ".join(tokens)
    for qid in ("teamwork", "why-ir", "dual-apply", "research-overview", "low-score"):
        question = bank.get(qid)
        result = score(question, rubrics.get(question.rubric), text=text)
        assert 0 <= result.overall <= 100
        for criterion in result.criteria.values():
            assert criterion.feedback
            for ev in criterion.evidence:
                assert 0 <= ev.start <= ev.end <= len(text)
                assert text[ev.start : ev.end] == ev.text


SETBACK_BODY = (
    "I failed Step 1 on my first attempt because I studied from lectures alone and never took a "
    "practice exam. For the retake I worked with our learning specialist, did forty timed UWorld "
    "questions every morning and an NBME form every Saturday, and I passed with a 228. My Step 2 CK "
    "came back at 246 the next spring, and my shelf exams since have all been above the mean. "
)


@pytest.mark.parametrize(
    ("close", "passed"),
    [
        (
            "Since then I am a hard worker, a strong team player, a calm and caring colleague and "
            "really passionate about IR, and I am confident I will be a great resident.",
            False,
        ),
        (
            "On my IR elective in May I ran the morning list and scrubbed twelve embolizations, "
            "and my evaluation called me ready for call.",
            True,
        ),
    ],
)
def test_setback_pivot_must_show_a_strength(
    bank: QuestionBank, rubrics: RubricSet, close: str, passed: bool
) -> None:
    question = bank.get("failed-attempt")
    result = score(question, rubrics.get(question.rubric), text=SETBACK_BODY + close)
    pivot = result.criteria["pivot_to_strengths"]
    assert pivot.passed is passed, pivot.feedback
    if not passed:
        assert "claims strengths with adjectives" in pivot.feedback


def test_since_then_is_a_reflection_whatever_tense_the_transcript_gives() -> None:
    """Whisper may write "Since then I checked" for "Since then I check": still a changed habit."""
    text = EPISODE.replace("Since then I check access early", "Since then I checked access early")
    reading = read_answer(text)
    assert reading.has_reflection
    assert any("Since then I checked" in reading.clause_text(c) for c in reading.reflections)


def test_specifics_quote_a_whole_date() -> None:
    reading = read_answer(EPISODE)
    quoted = [reading.text[s.start : s.end] for s in reading.specifics]
    assert "last March" in quoted, quoted


# --- own actions: the grammar of doing ------------------------------------------------------


def _own(text: str) -> list[str]:
    reading = read_answer(text)
    return _texts(reading, reading.own_actions)


@pytest.mark.parametrize(
    ("text", "done"),
    [
        # An aspectual verb passes its tense to the act it introduces.
        ("After that week I started writing the assessment first on every patient note.", "writing the"),
        # "My part was ...": the speaker's share of the work, in the first person.
        ("My part was labelling three hundred CT scans for the pilot.", "labelling three hundred"),
        # "I was the one who ...": the relative clause's subject is the speaker.
        ("At 3 am I was the one who paged the IR fellow about the bleed.", "paged the IR fellow"),
        # A light verb with a concrete object is an act.
        ("I did his pre-op H and P before the angiogram.", "did his pre-op H and P"),
        # ... and so with an object pinned by a name or a number (a specified noun).
        ("After the score came back I took an NBME practice test every two weeks.", "took an NBME"),
        # Each coordinated object of a light verb is its object.
        ("Since then I've done two IR electives and a QI project on embolization times.", "done two IR"),
        # A verb of saying or asking carries its content in the clause it takes.
        ("Then I explained that a drain would go into the abscess at noon.", "I explained"),
        ("I started by asking what she knew about her liver.", "I started"),
        # A causative over a small clause: what the speaker made someone else do.
        ("So I had a certified interpreter check the handout.", "I had a certified interpreter"),
        ("At noon I had the charge nurse page the IR fellow.", "I had"),
        ("Before the procedure I got him to sign the consent form.", "I got"),
        # Units of work at a rate are work done, where a block of training is a stretch of time.
        ("After the score I did two timed blocks a day for six weeks.", "two timed blocks a day"),
        # What someone let or had the speaker do is the speaker's act, in their tense.
        (
            "That night the fellow let me set up the tray for the angiogram.",
            "the fellow let me set up the tray",
        ),
        ("On my sub-I the attending had me place the drain under ultrasound.", "the attending had me place"),
    ],
)
def test_acts_found_through_their_grammar(text: str, done: str) -> None:
    acts = _own(text)
    assert any(done in a for a in acts), acts


@pytest.mark.parametrize(
    "text",
    [
        # Light verbs with a stretch of time or an exam as object name no act.
        "I took the extra year and I did my rotation in August.",
        # Watching is being there, not doing.
        "I watched the attending coil the gastroduodenal artery.",
        # A modal perfect is what did not happen; an unpinned plan is no act yet.
        "I should have called the fellow at midnight, and I would improve my notes.",
        # Having a patient is no causative: the object has no verb of its own.
        "On Monday I had a patient with a clotted graft.",
    ],
)
def test_no_act_in_light_verbs_perception_or_counterfactuals(text: str) -> None:
    assert _own(text) == []


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I take ownership of my patients and I always follow up.", "vague"),
        ("I watched two splenic embolizations on one night of call.", "vague"),
        ("I'm drawn to IR and I love fast-paced teams.", "none"),
        ("I passed on my second attempt and I learned a lot.", "none"),
    ],
)
def test_vague_part_vs_no_part(text: str, level: str) -> None:
    reading = read_answer(text)
    assert reading.own_action_level == level
    for c in reading.vague_actions:
        assert reading.text[c.start : c.end] in text


# --- the story: one occasion, told ------------------------------------------------------------


def test_a_cv_of_long_stretches_is_no_story() -> None:
    # Years frame a CV as well as a story, and "Step 2" names an exam: none pins an occasion.
    cv = (
        "I joined the IR interest group in my first year. I became treasurer in my second year and "
        "organized the lunch talks. I did a research year after that, and I studied for Step 2."
    )
    reading = read_answer(cv)
    assert not reading.has_story
    anchors = [reading.text[a.start : a.end] for a in reading.anchors]
    assert not any(a.lower() in ("year", "step", "first", "second") for a in anchors), anchors


@pytest.mark.parametrize(
    ("text", "tense"),
    [
        # "let" is its own past: the clause it is joined to says which it is.
        ("I called the IR fellow, and I let the nurse page the resident.", "past"),
        ("I do the admissions first, and I let the pages stack up.", "present"),
    ],
)
def test_a_verb_whose_past_is_its_present_takes_the_tense_it_is_joined_to(text: str, tense: str) -> None:
    reading = read_answer(text)
    [let] = [c for c in reading.clauses if c.lemma == "let"]
    assert let.tense == tense


def test_a_town_or_a_country_locates_a_life_not_an_occasion() -> None:
    cv = (
        "I grew up outside Dayton, Ohio, and I studied chemistry in Columbus. I did a semester in "
        "Madrid, and I tutored anatomy. I volunteered in Boston."
    )
    assert not read_answer(cv).has_story
    night = (
        "One night in Boston a 70-year-old man bled after his biopsy. I called the fellow at 2 am, "
        "and I held pressure on the site. He was stable by morning."
    )
    assert read_answer(night).has_story


def test_a_routine_or_a_substitute_one_pins_no_occasion() -> None:
    reading = read_answer(
        "I joined a research group and I started two projects, one on dosimetry and one on fibroids. "
        "I went to the weekly case conference and I volunteered on Saturday mornings."
    )
    anchors = {reading.text[a.start : a.end].lower() for a in reading.anchors}
    assert not anchors & {"one", "weekly", "saturday", "mornings"}, anchors


def test_one_night_is_a_story_pinned_by_its_occasion() -> None:
    night = (
        "One night on my surgery sub-I, a 40-year-old man with a pelvic fracture dropped his pressure "
        "to 70. I called the IR fellow and I wheeled him to the suite myself. The attending coiled two "
        "branches and his pressure came up by 2 am."
    )
    reading = read_answer(night)
    assert reading.has_story
    anchors = {reading.text[a.start : a.end] for a in reading.anchors}
    assert {"70", "2"} & anchors or "night" in anchors, anchors


def test_events_with_only_abstractions_tell_nothing() -> None:
    reading = read_answer(
        "I came back with a renewed sense of purpose. I used the time productively and I focused on "
        "growth. At the time my approach wasn't effective."
    )
    assert reading.episode == []
    assert not reading.has_story


# --- reflection: the present set against the story's past ------------------------------------


@pytest.mark.parametrize(
    "closing",
    [
        "I use two slides for every case now and I rehearse the timing out loud.",
        "I've read the images before the report on every case since.",
        "What stuck with me was how the graft felt once the clot was out.",
        "What I took from it is that the plan goes first in the note.",
        # "keep" with an object is a practice kept, not the copula of "keep calm".
        "I still keep the access checklist in my pocket.",
    ],
)
def test_reflection_frames_after_a_story(closing: str) -> None:
    reading = read_answer(EPISODE.rsplit(". ", 1)[0] + ". " + closing)
    assert reading.has_reflection, _texts(reading, reading.reflections)
    assert any(t in closing for t in _texts(reading, reading.reflections))


@pytest.mark.parametrize(
    ("closing", "reflects"),
    [
        # A skill or a quantity learnt is no lesson; a proposition learnt is.
        ("I learned ultrasound-guided access in the sim lab that spring.", False),
        ("I learned that the access check comes first.", True),
        # "keep calm" is a state kept, whatever the tagger makes of "calm".
        ("I still keep calm on every call.", False),
    ],
)
def test_a_lesson_is_learnt_as_a_proposition(closing: str, reflects: bool) -> None:
    reading = read_answer(EPISODE.rsplit(". ", 1)[0] + ". " + closing)
    assert reading.has_reflection is reflects, _texts(reading, reading.reflections)


@pytest.mark.parametrize(
    ("closing", "reflects"),
    [
        ("My resident was on nights, so nobody was teaching me.", False),
        ("That night taught me to page early.", True),
    ],
)
def test_a_lesson_denied_is_none(closing: str, reflects: bool) -> None:
    reading = read_answer(
        "On my surgery sub-I at 2 am a 50-year-old man bled from his drain. I held pressure and I "
        f"paged the fellow, who came in 10 minutes. {closing}"
    )
    assert reading.has_reflection is reflects, _texts(reading, reading.reflections)


def test_a_phrasal_verb_is_another_verb_than_coming_to_know() -> None:
    # "showed up" is an act, not "it showed me": no reflection, an act of the speaker's.
    reading = read_answer(EPISODE.rsplit(". ", 1)[0] + ". The next morning I showed up at 5 am for her case.")
    assert not reading.has_reflection, _texts(reading, reading.reflections)
    assert any("showed up" in t for t in _texts(reading, reading.own_actions))


# --- results: what came after, not the scene before ------------------------------------------


def test_scene_setting_and_hearsay_are_no_result() -> None:
    reading = read_answer(
        "On my medicine sub-I in May, I presented Mr. Ortiz on rounds. His heart rate had been in the "
        "120s overnight, and he told me his chest felt tight. I asked for a CT angiogram."
    )
    assert not reading.has_result, _texts(reading, reading.results)


@pytest.mark.parametrize(
    ("ending", "result"),
    [
        # What did not happen did not come of it, whoever's act is denied.
        ("The fellow never came back to the room.", False),
        ("The fellow replaced the drain by 4 am.", True),
    ],
)
def test_an_event_denied_is_no_result(ending: str, result: bool) -> None:
    reading = read_answer(
        "On my IR elective a 60-year-old man's drain stopped working at 2 am. I flushed it and I "
        f"paged the fellow. {ending}"
    )
    assert reading.has_result is result, _texts(reading, reading.results)


@pytest.mark.parametrize(
    ("ending", "result"),
    [
        # A clause of background or reason tells what was going on, not what came of it.
        ("I stayed with him while PT did the evaluation.", False),
        ("PT did the evaluation that afternoon.", True),
        # "when" sets the time of the clause it hangs on: still background.
        ("I stayed with him when PT did the evaluation.", False),
    ],
)
def test_background_is_no_result(ending: str, result: bool) -> None:
    reading = read_answer(
        "On my medicine rotation a 66-year-old man with a walker was set to go home. I told my "
        f"resident about his stairs, and {ending}"
    )
    assert reading.has_result is result, _texts(reading, reading.results)


@pytest.mark.parametrize(
    ("ending", "result"),
    [
        # An embedded question names a content: what the scan showed is not said.
        ("I explained to the family what the scan showed.", False),
        ("The scan showed a bleed from a lumbar artery.", True),
    ],
)
def test_an_embedded_question_is_no_result(ending: str, result: bool) -> None:
    reading = read_answer(
        "On my surgery sub-I at 2 am a 50-year-old man dropped his pressure after a biopsy. I paged "
        f"the IR fellow at 2:10 and I ordered a CTA. {ending}"
    )
    assert reading.has_result is result, _texts(reading, reading.results)


def test_an_outcome_with_no_act_of_the_speaker_still_counts() -> None:
    reading = read_answer(
        "On my IR elective a 60-year-old man came in at 2 am with a massive PE. The fellow placed two "
        "catheters and started tPA. By morning his pressure was back to 120 and he left the ICU on day 3."
    )
    assert reading.has_result
    assert reading.own_action_level == "none"


def test_a_later_grade_is_a_result_and_a_causative_self_change_is_not() -> None:
    done = read_answer("I met with a tutor every week. When I returned, I got a 249 on Step 2 CK.")
    assert done.has_result
    claimed = read_answer("I took the year off. Being on the other side has made me more empathetic.")
    assert not claimed.has_result
    assert claimed.vague_results


# --- hedging: commitment withheld, not ability or a detail ------------------------------------


@pytest.mark.parametrize(
    ("text", "hedges"),
    [
        ("If I don't match, I'd look at what's open in SOAP, maybe internal medicine.", True),
        ("Would I pursue ESIR? I think probably, yes, if my program offers it.", True),
        ("I might switch to body imaging if the IR spots are too few.", True),
        ("I could sit at the reading station for hours without noticing the time.", False),
        ("I'd probably look for a research year in an IR department first.", False),
        ("I'm very open about my score with my advisors.", False),
        ("I'm not sure yet, and I'd be happy in diagnostic radiology too.", True),
        ("I guess I will settle for DR and maybe try ESIR later.", True),
        ("At 3 am I wasn't sure, so I paged the fellow.", False),
        ("On that service I was getting maybe an hour of sleep a night.", False),
    ],
)
def test_hedges_withhold_commitment(text: str, hedges: bool) -> None:
    reading = read_answer(text)
    assert reading.hedges is hedges, _texts(reading, reading.hedge_clauses)


# --- blame: a fault laid on someone, not an evaluation of oneself or a patient ----------------


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        ("The expectations on that service weren't clear, and the schedule wasn't fair.", True),
        ("I chose to take the exam early, and it was the wrong decision.", False),
        ("If that nurse hadn't asked about the allergy, the contrast would have gone in.", False),
        ("Mrs. Greene had a nonhealing ulcer and poor runoff below the knee.", False),
        ("What stuck with me was how calm the fellow stayed.", False),
        ("The team didn't expect the bleed to restart overnight.", False),
        # A patient's refusal is the story's problem; a resident ignoring a result is a fault laid.
        ("My patient, a retired welder who refused the biopsy twice, finally agreed.", False),
        ("The covering resident ignored the potassium until morning.", True),
        # What kind of thing a noun is, in a generalisation, is no fault told.
        ("An angry family is often a family nobody has answered since morning.", False),
        ("That night nobody answered her call light for an hour.", True),
        # A bad object judges its agent: a form that lists the wrong side has none.
        ("At one time-out the consent listed the wrong kidney, so I asked the fellow to stop.", False),
        ("The night resident gave a sloppy handoff and left.", True),
        # A state denied is no duty left undone; an act left undone is.
        ("We compared the two groups of residents, and they didn't differ in age.", False),
        ("The residents didn't call the family back that night.", True),
        # A partitive counts people: their failures are theirs.
        ("Most of the interns hadn't examined her before the CT.", True),
        ("A lot of the patients hadn't eaten since the night before.", False),
        # The cause put beyond the speaker's agency is an excuse; the speaker's own control is not.
        ("The abstract missed the deadline for reasons outside my control.", True),
        ("The consent was late, which wasn't in my control.", True),
        ("Once the bleeding was under control, I called her husband.", False),
        # A "which" after a comma judges the act told before it, and so its agent.
        ("The day team sent him down without a consent, which was careless.", True),
        ("I sent him down without a consent, which was careless.", False),
        # What a with-phrase gives someone (a condition) is no judgement of how they acted.
        ("On my IR elective I met a man in clinic. He was seventy-one with bad rest pain.", False),
        ("On my IR elective the fellow was a terrible teacher with no patience.", True),
    ],
)
def test_blame_is_a_fault_laid_on_others(text: str, blames: bool) -> None:
    reading = read_answer(text)
    assert reading.blames_others is blames, _texts(reading, reading.blame)


# --- own action: what a told act says, not only where it stands -----------------------------


@pytest.mark.parametrize(
    ("middle", "level"),
    [
        # Acts whose content is abstract name no doing, even inside a told story.
        ("I changed my approach to studying and I sought out resources and support.", "vague"),
        ("I rewrote my flashcards and I booked a tutor.", "clear"),
    ],
)
def test_an_abstract_act_takes_no_specificity_from_the_story(middle: str, level: str) -> None:
    reading = read_answer(
        "In my second year I went through a hard month, and one Friday in March I failed the renal exam. "
        f"{middle} My adviser called me that week."
    )
    assert reading.has_story
    assert reading.own_action_level == level


def test_a_quoted_clause_reads_whole() -> None:
    # Seen in use: "I presented it as a poster at SIR in March, and", "my evaluation said", "It
    # taught me": a quote ended on the conjunction, or stopped before what was said or learned.
    reading = read_answer(
        "On my medicine sub-I this fall I kept that habit, and my evaluation said I stayed steady "
        "through a hard month. It taught me to write the plan before I look at the data."
    )
    quotes = [reading.clause_text(c) for c in reading.clauses]
    assert not any(q.endswith((" and", ",")) or q.startswith("and ") for q in quotes), quotes
    assert "my evaluation said I stayed steady through a hard month" in quotes
    assert any(q.startswith("It taught me to write the plan") for q in quotes), quotes


@pytest.mark.parametrize(
    ("text", "story"),
    [
        # A rotation is weeks of training, a stretch like a month: it dates a line of a life story.
        (
            "I grew up on a farm and studied chemistry in college. I worked in a polymer lab, and on my "
            "surgery rotation I scrubbed into a Whipple and liked the operating room. Then I joined the "
            "radiology interest group.",
            False,
        ),
        # One night on that rotation, with a person in it, is still an occasion.
        (
            "On my surgery rotation a patient bled at 2 am. I called the fellow and held pressure on the "
            "groin. The bleeding stopped within ten minutes.",
            True,
        ),
    ],
)
def test_a_rotation_is_a_stretch_of_training_not_an_occasion(text: str, story: bool) -> None:
    assert read_answer(text).has_story is story


def test_an_institution_is_no_person_in_the_scene() -> None:
    # "the emergency department" is a body, not a person pointed at as "my attending" is.
    reading = read_answer(
        "I grew up near the coast and my mother was a nurse. In college I studied biology, and I worked "
        "as a scribe in the emergency department. Then I joined the interest group."
    )
    assert reading.anchors == []
    assert not reading.has_story


@pytest.mark.parametrize(
    ("middle", "level"),
    [
        # The past progressive is an activity under way, the frame of the story's events.
        ("I was checking his labs and I was holding pressure on the groin.", "vague"),
        ("I checked his labs and I held pressure on the groin.", "clear"),
    ],
)
def test_the_past_progressive_frames_and_does_not_act(middle: str, level: str) -> None:
    reading = read_answer(
        f"One night on call a 60-year-old man bled after a kidney biopsy. {middle} "
        "The fellow coiled the artery at 2 am and his pressure came up."
    )
    assert reading.has_story
    assert reading.own_action_level == level


def test_my_part_was_doing_is_a_copula_not_a_progressive() -> None:
    reading = read_answer(
        "On our stroke project my part was labelling four hundred CT angiograms with Dr. Osei, "
        "and I wrote the code that flagged the occlusions."
    )
    assert any("labelling" in reading.clause_text(c) for c in reading.own_actions)


@pytest.mark.parametrize(
    ("tally", "level"),
    [
        # The perfect takes no definite time: a count of cases done is no act on one occasion.
        ("I've already scrubbed over a hundred cases", "vague"),
        ("Last Tuesday I scrubbed two cases", "clear"),
    ],
)
def test_the_perfect_pins_no_act_to_an_occasion(tally: str, level: str) -> None:
    reading = read_answer(f"{tally}, and I'd set up the room before the attending arrives.")
    assert not reading.has_story
    assert reading.own_action_level == level


def test_what_taught_the_speaker_is_a_lesson_not_a_result() -> None:
    reading = read_answer(
        "On my medicine rotation last March I ran the code on a 70-year-old man at 3 am. I called the "
        "fellow and I started compressions. All of these weeks have taught me teamwork and calm."
    )
    assert reading.has_story
    assert not any("taught" in reading.clause_text(c) for c in reading.results)


def test_the_speaker_teaching_someone_is_an_act_not_a_lesson() -> None:
    reading = read_answer(
        "On my IR rotation last May a new sub-I joined the team on a Monday. I taught her how to present "
        "a consult and I showed her the angiogram on the workstation. She presented the next case to "
        "the fellow."
    )
    assert reading.reflections == []
    assert reading.own_action_level == "clear"


def test_a_quoted_pseudo_cleft_says_what_was_taken() -> None:
    # Seen in use: the reflection was quoted as "What I took from it", without what was taken.
    reading = read_answer(
        "That night I paged the fellow about a creatinine of 2.8, and he changed the scan. What I "
        "took from it is to say the number out loud, early."
    )
    assert [reading.clause_text(c) for c in reading.reflections] == [
        "What I took from it is to say the number out loud, early"
    ]


@pytest.mark.parametrize(
    ("text", "story"),
    [
        # A calendar year or month dates a line of a life, as a town places one: a chronicle, no story.
        (
            "In 2017 I finished a degree in physics. In 2019 I started medical school in Ohio. In October "
            "I joined the surgery club and in 2022 I wrote a review on stents.",
            False,
        ),
        # A night with a person and a time in it is still one occasion.
        (
            "One night in October a 66-year-old woman bled after a liver biopsy. I called the fellow at "
            "2 am and held pressure. She was embolized within the hour.",
            True,
        ),
    ],
)
def test_a_year_or_month_dates_a_life_not_an_occasion(text: str, story: bool) -> None:
    assert read_answer(text).has_story is story


def test_a_background_clause_is_no_act_told() -> None:
    # Seen in use: the evidence for the speaker's own part quoted a temporal clause of the story.
    reading = read_answer(
        "On my surgery rotation a 58-year-old man's drain output doubled overnight. Before I left the "
        "hospital I checked the dressing. When I came back the next morning the fellow had already "
        "ordered a CT."
    )
    quoted = [reading.clause_text(c) for c in reading.own_actions]
    assert quoted == ["I checked the dressing"]
    assert reading.own_action_level == "vague"


POTASSIUM_STORY = (
    "On my medicine rotation a 70-year-old man's potassium came back at 6.8 and I didn't flag it "
    "until noon. The resident treated it and he was fine."
)


def _assert_reflects_after_the_potassium_story(ending: str, reflects: bool) -> None:
    """A told story of a missed potassium, then `ending`: a reflection or not."""
    reading = read_answer(f"{POTASSIUM_STORY} {ending}")
    assert reading.has_story
    assert reading.has_reflection is reflects


def _assert_lesson_after_the_potassium_story(ending: str, lesson: str | None) -> None:
    """The same story, then `ending`: the lesson quoted as a reflection, or none (None)."""
    reading = read_answer(f"{POTASSIUM_STORY} {ending}")
    assert reading.has_reflection is (lesson is not None), _texts(reading, reading.reflections)
    if lesson is not None:
        assert lesson in _texts(reading, reading.reflections)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # A practice begun once the episode was over is a change kept, told as an event.
        ("After that I started writing the plan down before rounds.", True),
        ("From that week I began calling the lab before noon.", True),
        # The next step of the story is not.
        ("After that I paged the fellow.", False),
    ],
)
def test_a_habit_begun_after_the_episode_is_a_reflection(ending: str, reflects: bool) -> None:
    _assert_reflects_after_the_potassium_story(ending, reflects)


@pytest.mark.parametrize(
    ("sentence", "result"),
    [
        # A count of things done over a stretch is what came of the stretch.
        ("I scrubbed on thirty cases that month, mostly ports and drains.", True),
        # A count inside one scene is a step of it.
        ("That night I set up two IVs for a bleeding patient.", False),
    ],
)
def test_a_tally_over_a_stretch_is_what_came_of_it(sentence: str, result: bool) -> None:
    reading = read_answer(
        f"I did a four-week IR elective at Mercy last spring. I followed the fellow on consults. {sentence}"
    )
    assert any(sentence.rstrip(".") in reading.clause_text(c) for c in reading.results) is result


def test_a_condition_or_background_plays_no_vague_part() -> None:
    reading = read_answer(
        "When I came back I helped on the wards. If I went to DR instead, the plan would change."
    )
    assert _texts(reading, reading.vague_actions) == ["I helped on the wards"]


@pytest.mark.parametrize(
    ("text", "story"),
    [
        # Every word of a date that names a stretch dates a stretch, not only its month.
        (
            "In October of third year I did a two-week IR selective. In December of third year I "
            "started a project on IVC filters. In the spring I joined the interest group.",
            False,
        ),
        # An age and a time measured from the story's own moment still pin an occasion.
        (
            "On my IR elective I met a 44-year-old woman with ascites. I taught her husband to drain "
            "the catheter. Three weeks later she came to clinic.",
            True,
        ),
    ],
)
def test_a_date_is_read_whole(text: str, story: bool) -> None:
    assert read_answer(text).has_story is story


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # A quality claimed against then is a self-description, not a practice changed.
        ("I'm more confident now.", False),
        ("Now I am a more confident and careful person.", False),
        # The same against then with what the speaker now does better is one.
        ("I'm better now at recognizing when a patient is sliding.", True),
    ],
)
def test_a_quality_claimed_now_is_no_reflection(ending: str, reflects: bool) -> None:
    _assert_reflects_after_the_potassium_story(ending, reflects)


@pytest.mark.parametrize(
    ("ending", "lesson"),
    [
        # A lesson told as a proposition still held (its content clause not backshifted) is a
        # lesson, however general the nouns inside it.
        (
            "I learned that on a busy service the person who orders a test has to read the result.",
            "I learned that on a busy service the person who orders a test has to read the result",
        ),
        # A list of qualities learnt is a slogan; a finding backshifted to the story's time
        # reports what was noticed then, not what is kept.
        ("It taught me patience, humility and the value of communication.", None),
        ("I noticed that there was little agreement on the timing of such decisions.", None),
    ],
)
def test_a_lesson_held_now_is_no_list_of_nouns(ending: str, lesson: str | None) -> None:
    _assert_lesson_after_the_potassium_story(ending, lesson)


@pytest.mark.parametrize(
    ("ending", "lesson"),
    [
        # The lesson named, then specified by a proposition about how one acts.
        (
            "The lesson for me was that whoever orders a test has to read the result.",
            "The lesson for me was that whoever orders a test has to read the result",
        ),
        (
            "My main takeaway is that you read what you order.",
            "My main takeaway is that you read what you order",
        ),
        # A verdict on a thing, or a maxim that something matters, is no lesson for practice.
        ("My takeaway was that the ward is a hard place to learn.", None),
        ("The lesson was how important it is to speak up early.", None),
    ],
)
def test_a_lesson_named_and_specified_is_a_reflection(ending: str, lesson: str | None) -> None:
    _assert_lesson_after_the_potassium_story(ending, lesson)


@pytest.mark.parametrize(
    ("ending", "lesson"),
    [
        # "The same", with no standard after it, refers back: the story's practice done again.
        (
            "On my surgery sub-I I kept the same checklist for every patient.",
            "On my surgery sub-I I kept the same checklist for every patient",
        ),
        (
            "On my surgery block I did the same with the morning labs.",
            "On my surgery block I did the same with the morning labs",
        ),
        # A comparison with its standard named, or the same thing seen, is no practice carried over.
        ("Later I followed a man with the same cancer as my aunt.", None),
        ("Later on my IR elective I saw the same rhythm on a monitor.", None),
    ],
)
def test_the_same_practice_carried_over_is_a_reflection(ending: str, lesson: str | None) -> None:
    _assert_lesson_after_the_potassium_story(ending, lesson)


@pytest.mark.parametrize(
    ("ending", "lesson"),
    [
        # A quality claimed for oneself, however it was learnt, changes nothing done.
        ("It showed me that I am good under pressure.", None),
        ("I learned that I'm a natural at this.", None),
        # What the speaker did, or failed to do, is learnt about the episode.
        (
            "It showed me that I had waited too long to call.",
            "It showed me that I had waited too long to call",
        ),
    ],
)
def test_a_quality_learnt_about_oneself_is_no_reflection(ending: str, lesson: str | None) -> None:
    _assert_lesson_after_the_potassium_story(ending, lesson)


@pytest.mark.parametrize(
    ("middle", "level"),
    [
        # One act of the speaker's, carried on with the team: a part in a shared act.
        ("I told the fellow, and we moved her case to Thursday.", "clear"),
        # The same act alone is one act, not yet a clear part.
        ("I told the fellow about it.", "vague"),
    ],
)
def test_an_act_carried_on_with_the_team_is_a_clear_part(middle: str, level: str) -> None:
    reading = read_answer(
        "On my IR elective one evening a 62-year-old patient told me she had restarted her apixaban that "
        f"morning. {middle} Her port went in without a problem."
    )
    assert reading.has_story
    assert reading.own_action_level == level


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # Seen in use: "that I used", without what was used to be done.
        ("My weakness is that I used to say yes to everything.", "I used to say yes to everything"),
        # Seen in use: "yes so I give myself a day", an interjection and a connective at the front.
        (
            "I still feel the pull to say yes so I give myself a day before I answer.",
            "I give myself a day",
        ),
        # "found" alone, without what was found.
        (
            "After the score I found that most of my misses were in renal physiology.",
            "After the score I found that most of my misses were in renal physiology",
        ),
        # "my attending asked me", without what she asked.
        (
            "My attending asked me to present the case at our morning conference.",
            "My attending asked me to present the case at our morning conference",
        ),
    ],
)
def test_a_quoted_clause_takes_in_what_its_verb_leaves_open(text: str, quote: str) -> None:
    reading = read_answer(text)
    assert quote in [reading.clause_text(c) for c in reading.clauses]


def test_an_act_on_a_sub_internship_is_the_speakers() -> None:
    # With "sub-I" split at its hyphen, its "I" took the clause and the act read as what came of it.
    text = (
        "I came to medicine late. On my sub-I in June I carried the Friday clinic list. "
        "I saw Mr. Okafor before his biopsy and scrubbed his case."
    )
    reading = read_answer(text)
    act = "On my sub-I in June I carried the Friday clinic list"
    assert act in _texts(reading, reading.own_actions)
    assert act not in _texts(reading, reading.results)


def test_used_to_tells_a_habit_in_its_own_clause() -> None:
    # "used to" is the marker of a past habit; its own clause had read as a single event.
    text = (
        "On my surgery rotation I stayed late most nights. One week I covered the list for a classmate. "
        "The nurses used to tease me that I slept in the call room."
    )
    reading = read_answer(text)
    marker = next(c for c in reading.clauses if c.lemma == "use")
    assert marker.habitual
    assert marker not in reading.results


def test_what_others_have_said_of_the_speaker_is_no_result() -> None:
    # A report in the perfect is a reputation gathered over time, not a reaction to the story;
    # a report in the past after the speaker acted still is one.
    story = "On call in May I paged the fellow at 3 am and I held pressure on the groin for twenty minutes. "
    perfect = read_answer(story + "My seniors have said that I stay calm in a crisis.")
    past = read_answer(story + "My senior said that I had stayed calm.")
    assert not perfect.has_result
    assert past.has_result


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        ("I failed the shelf once. Honestly I don't think it says much about me as a doctor.", True),
        ("I got a pass on surgery. That grade doesn't reflect the kind of resident I will be.", True),
        ("I repeated the block, but it doesn't count as a failure on my part.", True),
        # The speaker owning what it showed, or a record that showed something: no excuse.
        ("I failed the shelf once, and it showed me that I had no system for the wards.", False),
        ("My evaluation said I was quiet on rounds, and I think it says something true about me.", False),
    ],
)
def test_a_setback_denied_to_show_anything_of_the_speaker_is_an_excuse(text: str, blames: bool) -> None:
    reading = read_answer(text)
    assert reading.blames_others is blames


@pytest.mark.parametrize(
    "text",
    [
        # A negative implicative entails the act was not done (Karttunen 1971): a lapse, no act.
        "On my medicine sub-I one night I forgot to follow up a potassium on a patient in renal failure.",
        "That evening I failed to call the fellow about the drain output.",
        # A block of training is a stretch of time spent, not an act.
        "On my third-year surgery block I did my block at the VA hospital.",
        # Not let: nothing was done.
        "The virtual interviews didn't let me show the program my procedures.",
    ],
)
def test_what_others_did_to_the_speaker_is_no_act_of_theirs(text: str) -> None:
    assert _own(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "These days I read back every order to the nurse before I sign it.",
        "From then on I page the senior myself when a drain output doubles.",
        "I have kept a written list of every lab since.",
        "After that I always read the consent form aloud with the patient.",
    ],
)
def test_a_present_practice_anchored_after_the_episode_is_a_change_not_a_claim(text: str) -> None:
    # Seen in a user pass: a changed practice told in the present was read as no reflection, or as
    # a generic claim. The anchor sets it after the episode: the change the speaker made.
    reading = read_answer(text)
    assert reading.reflections
    assert reading.generic == []


@pytest.mark.parametrize(
    "text", ["I always read the consent form aloud with the patient.", "I always page the senior myself."]
)
def test_a_bare_present_habit_stays_a_claim(text: str) -> None:
    reading = read_answer(text)
    assert reading.reflections == []
    assert reading.generic


def test_a_thing_picked_out_by_what_the_speaker_did_is_specific() -> None:
    # Seen in a user pass: "every question I had missed" was read as no concrete object, so the
    # review was no act of the speaker's.
    reading = read_answer("After the shelf came back I reviewed every question I had missed.")
    assert "I reviewed every question" in " | ".join(_texts(reading, reading.own_actions))


@pytest.mark.parametrize(
    "text",
    [
        "I reviewed every question I have seen.",
        "I reviewed every question I want to master.",
        "I reviewed every question I had gotten.",
    ],
)
def test_a_relative_clause_of_state_plan_or_abstraction_specifies_nothing(text: str) -> None:
    assert read_answer(text).own_actions == []


@pytest.mark.parametrize(
    ("text", "belittles"),
    [
        # Seen in a user pass: running down another field on a pathway answer was no blame.
        ("Honestly DR is sitting in a dark room all day, so I want IR.", True),
        ("Surgeons only care about the operation.", True),
        ("Most cardiologists merely stent what they can see on the screen.", True),
        ("Staring at a monitor and reading scans all day isn't the job I'm after.", True),
        # No slight: the speaker's own field, an amount, people of the story, an emphatic "just",
        # a told day.
        ("IR only needs a needle hole to reach the liver.", False),
        ("DR residents only get four weeks of IR.", False),
        ("The surgeons only had one look at the film before the case.", False),
        ("Attendings here just take the time to teach.", False),
        ("On my sub-I I sat in the reading room all day with the fellow.", False),
    ],
)
def test_others_work_reduced_to_one_thing_runs_them_down(text: str, belittles: bool) -> None:
    assert read_answer(text).blames_others is belittles


def test_a_practice_kept_since_the_episode_is_an_act_of_the_speakers() -> None:
    # What the speaker has done since, told in the present, is something they do: an act, where a
    # bare present habit ("I always page the senior") claims one.
    changed = read_answer("Since then I call the dialysis unit before every fistulagram.")
    habit = read_answer("I always call the dialysis unit before every fistulagram.")
    assert "Since then I call the dialysis unit" in " | ".join(_texts(changed, changed.own_actions))
    assert habit.own_actions == []


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        ("Nobody explained the new sign-out system to us that week.", True),
        # A relative clause says which thing its noun is: a question no one had answered is the gap
        # a project fills, not a duty someone failed.
        ("My mentor pointed me to three questions nobody had answered about drain dwell times.", False),
    ],
)
def test_a_help_denied_blames_only_in_a_clause_of_its_own(text: str, blames: bool) -> None:
    assert read_answer(text).blames_others is blames


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        ("I re-read the labels because roughly a fifth were wrong.", False),
        ("I checked every report, and two of the reports were wrong.", False),
        ("Two of the nurses were rude to her that night.", True),
    ],
)
def test_a_share_of_things_found_wrong_judges_no_one(text: str, blames: bool) -> None:
    assert read_answer(text).blames_others is blames


def test_a_finite_verb_the_parser_hangs_on_another_word_still_heads_a_clause() -> None:
    # The parser makes "sort" an adverb of "left" here; with a subject of its own it is a clause,
    # and a practice changed since the episode.
    reading = read_answer(
        "From that weekend I sort by which drain is blocked, and I say out loud to the charge nurse "
        "what I am checking first and why, so no one is left wondering."
    )
    assert any(t.startswith("From that weekend I sort") for t in _texts(reading, reading.reflections))


def test_during_that_time_is_a_stretch_not_an_occasion() -> None:
    # "During that time" refers back to a stretch, as "that year" does; it pins no one occasion.
    stretch = read_answer(
        "I took a leave after second year for a family matter. During that time I worked at a "
        "pharmacy, I tutored chemistry students and I volunteered at the free clinic."
    )
    occasion = read_answer(
        "That time I paged the fellow at 2 am, I held pressure on the groin for twenty minutes and I "
        "wrote the note before 3 am."
    )
    assert not stretch.has_story
    assert occasion.has_story


def test_an_emphatic_myself_makes_the_speaker_the_one_who_did_it() -> None:
    # The parser reads "did every measurement myself" with "every measurement" as the subject and
    # "myself" as its appositive; the acts are the speaker's, and the verb conjoined to it too.
    reading = read_answer(
        "I wrote the data collection sheet, did every measurement myself, and ran the regression "
        "with our statistician. We found that a narrow outflow vein predicted a second intervention."
    )
    acts = " ".join(_texts(reading, [*reading.own_actions, *reading.vague_actions]))
    assert "did every measurement myself" in acts
    assert "ran the regression" in " ".join(_texts(reading, reading.own_actions))
    results = " ".join(_texts(reading, reading.results))
    assert "measurement" not in results and "regression" not in results


# A mistake story divided by the speaker's lapse: what follows the lapse before the speaker's first
# response is its harm, not what came of the response.
SODIUM_LAPSE = (
    "On my surgery sub-I I drew a sodium on a man with a bowel obstruction and forgot to check it "
    "before sign-out. The night intern found it at 119 and had to start saline. "
)


def test_what_the_lapse_did_before_any_response_is_its_harm_not_a_result() -> None:
    # Seen in a user pass on a biggest-mistake answer: "The night resident found it at seven point
    # one" was quoted as what came of it.
    reading = read_answer(
        SODIUM_LAPSE + "The next morning I told my resident what I had missed and I rechecked it at "
        "noon. By the evening it was 127."
    )
    results = " | ".join(_texts(reading, reading.results))
    assert "found it at 119" not in results
    assert "By the evening it was 127" in results


def test_with_no_response_told_a_lapse_leaves_the_story_as_told() -> None:
    # A lapse told only to illustrate ("I missed a fracture the attending caught") has nothing done
    # about it to divide the story: what followed it stays what came of the case.
    reading = read_answer(
        "On my emergency medicine elective I read a wrist film and missed a small scaphoid fracture "
        "that the attending caught. Two hours later the patient was in a thumb spica splint."
    )
    assert any("splint" in t for t in _texts(reading, reading.results))


@pytest.mark.parametrize(
    ("ending", "held"),
    [
        ("In the four months since, I have not missed a single one.", True),
        ("I haven't forgotten a pending lab since.", True),
        ("It hasn't happened again.", True),
        ("For the rest of the rotation I did not skip the list once.", True),
        ("In the two months after that I didn't miss a single potassium.", True),
        # A lapse denied with no stretch after the change says nothing of the change.
        ("I have not missed a single one.", False),
        ("The night intern never came back to check.", False),
    ],
)
def test_a_lapse_denied_since_the_change_is_the_change_holding(ending: str, held: bool) -> None:
    reading = read_answer(
        SODIUM_LAPSE + "The next morning I told my resident. Since then I keep a list of every pending "
        "lab and tick it off before I sign out. " + ending
    )
    results = _texts(reading, reading.results)
    assert any(t in ending for t in results) is held, results


def test_a_denial_over_a_stretch_after_the_episode_is_no_lapse() -> None:
    # "In the weeks after that I did not mix up a chart" tells the change holding; taken for the
    # setback, it would make every act before it the setback's own telling.
    reading = read_answer(
        "One morning I presented the wrong patient's labs on rounds because I had mixed up two "
        "charts. I told my chief right away and I rewrote my list that afternoon. In the weeks "
        "after that I did not mix up a single chart."
    )
    assert reading.setback is None
    assert reading.setback_telling == []


def test_a_verb_joined_to_an_embedded_question_goes_with_the_clause_that_asks_it() -> None:
    # The parser joins "apologized" to "what happened", whose "what" cannot apologize: the act is
    # the speaker's.
    reading = read_answer(
        "The next morning I told my resident exactly what happened and apologized to the night intern."
    )
    assert any(t.startswith("apologized to the night intern") for t in _texts(reading, reading.own_actions))


@pytest.mark.parametrize(
    ("text", "tense"),
    [
        ("After that month I changed one thing. So now I split the list at noon.", "present"),
        ("These days I set the alarm for five, and I read the overnight labs first.", "present"),
        ("That night I split the list with my co-intern.", "past"),
    ],
)
def test_a_verb_whose_past_is_its_present_takes_its_time_from_now(text: str, tense: str) -> None:
    # "split", "set", "let", "put": the form is the present's as much as the past's; "now" says which.
    reading = read_answer(text)
    (clause,) = [c for c in reading.clauses if c.head.lower_ in ("split", "set")]
    assert clause.tense == tense


def test_a_change_denied_is_no_vague_result() -> None:
    # What the resident pointed out is the problem; a change denied claims no result at all.
    reading = read_answer(
        "I kept every discharge summary for myself. My resident pointed out that the interns were not "
        "getting any practice, so I split the list at noon."
    )
    assert not reading.vague_results, _texts(reading, reading.vague_results)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # The parser takes "my sign out" for the object of "told"; it is the subject of what was said.
        (
            "I rebuilt my template. The next week the night resident told me my sign out was the "
            "easiest to follow.",
            True,
        ),
        ("I paged the fellow. Then the patient told me his chest hurt.", False),
    ],
)
def test_a_report_about_the_speaker_is_a_result_however_it_is_parsed(text: str, result: bool) -> None:
    assert read_answer(text).has_result is result, _texts(read_answer(text), read_answer(text).results)


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        (
            "I checked the dressing, then paged the vascular fellow and drew two blood cultures.",
            {"paged", "drew"},
        ),
        ("I flushed the drain, then called the fellow about the output.", {"called"}),
    ],
)
def test_a_verb_left_unlabelled_in_a_series_shares_the_speakers_subject(text: str, acts: set[str]) -> None:
    # "I checked ..., then paged ...": the parser leaves "paged" as an unlabelled dependent of
    # "checked", with no subject of its own; it is the next act of the same speaker.
    reading = read_answer(text)
    assert acts <= {c.head.lower_ for c in reading.own_actions}, _texts(reading, reading.own_actions)


def test_a_subjectless_past_verb_over_a_clause_before_it_shares_that_clauses_subject() -> None:
    # "I saw every new consult ..., wrote the notes": the parser hangs the first act, with its
    # subject, on the second as its content clause, leaving the second and the acts after it
    # without a subject. A finite past with no subject takes the one before it.
    reading = read_answer("I saw each new consult with the fellow, wrote the orders, and called the wards.")
    people = {c.head.lower_: c.person for c in reading.clauses}
    assert people["wrote"] == people["called"] == "i", people
    assert "called" in {c.head.lower_ for c in reading.own_actions}


def test_a_vague_part_scores_under_a_clear_one_however_many_acts_it_lists(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # Acts in the perfect pin no occasion: the part stays vague, and listing more of them must not
    # lift it to the score of a part shown in a story.
    question = bank.get("teamwork")
    answer = (
        "I've scrubbed on forty angiograms. I've placed six PICC lines. I've written three case "
        "reports on embolization. I've presented two posters at the regional meeting. I've built a "
        "spreadsheet for the port clinic."
    )
    own_role = score(question, rubrics.get(question.rubric), text=answer).criteria["own_role"]
    assert not own_role.passed
    assert own_role.score < 0.7


def test_a_longer_answer_doing_more_is_not_scored_under_a_short_one_for_the_clauses_left_vague(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # The vague reading is what is left of the speaker's clauses once the clear acts are taken, so
    # a story told at length has more of them: the share of the part left vague is graded, not
    # their count, or five things done would score under two.
    question = bank.get("calm-under-pressure")
    opening = "On my medicine sub-I a 70-year-old man on the ward dropped his pressure to 70 over 40 at 2 am."
    short = opening + " I paged the rapid response team and put in two large-bore IVs."
    long = opening + (
        " I was working nights that week and I was covering four teams. I paged the rapid response "
        "team and put in two large-bore IVs. I drew a lactate and blood cultures. We worked through "
        "the sepsis bundle together, and we talked to his daughter. I hung a liter of lactated "
        "Ringer's and called the senior resident. I tried to stay organised, and I helped the nurse "
        "with the monitor. We moved him to the ICU by 3:30, and his pressure came back up by "
        "morning. I handled the sign-out to the ICU team myself."
    )
    rubric = rubrics.get(question.rubric)
    brief, told = (score(question, rubric, text=t).criteria["own_role"] for t in (short, long))
    labels = [e.label for e in told.evidence]
    assert brief.passed and told.passed
    assert labels.count("vague_role") > labels.count("own_action") > 2, told.evidence
    assert told.score > brief.score


def test_the_acts_that_tell_a_setbacks_cause_are_not_read_as_the_response_to_it(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # "I watched videos, and I rarely tested myself" is why the exam went badly, which Brief marks
    # as the cause: not a vague part of what was done about it.
    question = bank.get("failed-attempt")
    cause = (
        "Looking back, I was studying passively: I reread my notes and watched videos, and I rarely "
        "tested myself."
    )
    answer = (
        f"I did not pass Step 1 on my first attempt. {cause} After the result I built a fixed "
        "weekly schedule. I did forty UWorld questions every morning and reviewed every miss in an "
        "error log. I took an NBME practice test every two weeks. I passed Step 1 on my second "
        "attempt and scored 251 on Step 2 CK."
    )
    result = score(question, rubrics.get(question.rubric), text=answer)
    start = answer.index(cause)
    assert any(e.label == "cause" and e.start <= start < e.end for e in result.criteria["brevity"].evidence)
    own_role = result.criteria["own_role"]
    assert own_role.passed
    assert own_role.evidence
    assert not [e.text for e in own_role.evidence if start <= e.start < start + len(cause)]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Acts dated by a calendar year or a long stretch are lines of a CV, pinned to no occasion.
        (
            "In 2017 I worked as a phlebotomist at a county clinic. In 2019 I started medical school in "
            "Ohio. In my second year I joined the interventional radiology interest group and built "
            "a suturing model for the first-years.",
            "vague",
        ),
        # A day pins an act.
        (
            "On March 3 I drew two blood cultures. At 2 am I paged the vascular fellow.",
            "clear",
        ),
    ],
)
def test_an_act_dated_by_a_year_or_a_long_stretch_is_pinned_to_no_occasion(text: str, level: str) -> None:
    assert read_answer(text).own_action_level == level


def test_events_dated_year_by_year_are_a_chronicle_not_an_episode() -> None:
    # Each event dated by its own calendar year tells a CV in order; nothing in it ("first place")
    # pins one occasion. A story may still date itself and a time after it.
    chronicle = read_answer(
        "In 2015 I joined the chess club at my high school. In 2017 I won first place at the state "
        "tournament. In 2018 I started college and coached the younger players. In 2021 I taught a "
        "weekend class at the library."
    )
    story = read_answer(
        "In March 2021 I was on my surgery rotation. One night a patient's drain stopped working, "
        "I flushed it at 2 am and I paged the fellow. In 2023 I saw the same patient in clinic."
    )
    assert not chronicle.has_story
    assert chronicle.own_action_level != "clear"
    assert story.has_story


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # A state of someone or something else describes the scene, over a stretch or for good.
        ("I drove her to the clinic myself. The closest pharmacy was forty minutes away.", False),
        ("I rewrote my flashcards in June. My quiz marks stayed low for two weeks.", False),
        ("I called the charge nurse on my medicine rotation. The shifts felt long.", False),
        # What someone else was in the middle of doing is the scene too.
        ("I paged the fellow at noon. The charge nurse was restocking the crash cart.", False),
        ("I paged the fellow at noon. Two days later the patient was eating solid food.", True),
        # Held at a point of the story's time, or measured, it is what came of it.
        ("I flushed the line at noon. Her pressure was stable by the evening.", True),
        ("I rewrote my flashcards in June. My next quiz mark was 14 points higher.", True),
        # A verb of change tells an event.
        ("I called the ward clerk on Monday. The patient got her scan the same day.", True),
        # What the speaker saw is the scene; the same event told on its own is what came of it.
        ("I was scrubbed in on Tuesday. I noticed the fellow's glove touched the drape.", False),
        ("I was scrubbed in on Tuesday. I called a timeout and the fellow opened a new wire.", True),
        # A relative clause opened by "where" or "when" sets the scene of its noun.
        ("I grew up in a mill town where my aunt ran the only pharmacy for 30 miles.", False),
        # A continuative "which" can carry what came of it.
        ("I wrote up the case for our journal club, which led to a poster at SIR in March.", True),
        # What someone was to do (a semi-modal of obligation) is no event.
        ("I drafted the abstract in May. The second author was supposed to check the 40 tables.", False),
        ("I drafted the abstract in May. The second author checked the 40 tables.", True),
        # An indefinite pronoun names nothing attained: a record summed up, no outcome.
        ("I started my third year in July. I passed everything on the first attempt.", False),
        ("I started my third year in July. I passed the medicine shelf on the first attempt.", True),
    ],
)
def test_the_scene_and_what_asserts_no_event_are_no_result(text: str, result: bool) -> None:
    # The background of a story (Hopper, 1979), what the speaker saw, a relative clause of setting,
    # what was only to happen and a record summed up tell no outcome; each with its counterpart.
    reading = read_answer(text)
    assert reading.has_result is result, _texts(reading, reading.results)


def test_a_where_clause_the_parser_takes_for_an_adverbial_is_no_result() -> None:
    # After a comma the parser hangs "where ..." on the verb as an adverbial clause.
    reading = read_answer(
        "I drove my grandmother to her dialysis in 2014. We lived in Erie then, where I first got "
        "interested in medicine."
    )
    assert not any("where" in t for t in _texts(reading, reading.results)), _texts(reading, reading.results)


def test_a_participle_modifying_a_noun_is_no_result() -> None:
    # The participle describes its noun ("the one catching ..."); it tells no event.
    reading = read_answer(
        "On my medicine rotation I took a 28-hour call in March, and I was the one catching the "
        "missed potassium on morning rounds."
    )
    assert not any("catching" in t for t in _texts(reading, reading.results)), _texts(
        reading, reading.results
    )


def test_a_relative_clause_of_seeing_is_no_reflection() -> None:
    # "The first case I saw" names what was seen; seeing that something matters stays a lesson.
    seen = read_answer(
        "The first case I saw was a port placement for a young man on a Tuesday afternoon. The fellow "
        "let me hold the probe, and I counted the sponges with the tech at the end."
    )
    learnt = read_answer(
        "On my IR elective in May I placed an IV at 7 am for a TIPS and held the probe for the "
        "fellow. That case showed me how much the follow-up visit matters."
    )
    assert not seen.has_reflection, _texts(seen, seen.reflections)
    assert learnt.has_reflection


@pytest.mark.parametrize(
    ("lesson", "reflection"),
    [
        # That something matters, in general, holds without the story: a maxim, no lesson of it.
        ("It showed me how important it is to call for help early.", False),
        ("It showed me that I had waited too long to call for help.", True),
    ],
)
def test_a_maxim_of_importance_is_no_reflection(lesson: str, reflection: bool) -> None:
    reading = read_answer(
        "On my surgery rotation I paged the fellow at 2 am and held pressure on the groin for twenty "
        "minutes. " + lesson
    )
    assert reading.has_reflection is reflection, _texts(reading, reading.reflections)


@pytest.mark.parametrize(
    "text",
    [
        "On Monday he told me he was glad I had spoken up, and that I had done it in a way that helped.",
        "My senior said I had handled the family well.",
    ],
)
def test_the_speaker_in_someone_else_s_report_is_no_vague_part(text: str) -> None:
    # Seen in a spoken answer: "I had spoken up" and "I had done it in a way" quoted under Your own
    # action as vague parts, inside the senior's report of the speaker (the result).
    reading = read_answer(text)
    assert not reading.vague_actions, [text[c.start : c.end] for c in reading.vague_actions]


@pytest.mark.parametrize(
    ("text", "level", "vague"),
    [
        # Seeing that something was so is knowing it: no part of the speaker's, not even being there.
        (
            "During the code I saw that the IV line had kinked under the stretcher. The nurse fixed it.",
            "none",
            [],
        ),
        ("I saw that the consent form was missing a signature. The fellow got it signed.", "none", []),
        # Seeing the event itself (a bare infinitive) is being there, a small part.
        (
            "I saw a fellow coil a splenic bleed at 2 am.",
            "vague",
            ["I saw a fellow coil a splenic bleed at 2 am"],
        ),
    ],
)
def test_seeing_that_is_knowing_not_being_there(text: str, level: str, vague: list[str]) -> None:
    reading = read_answer(text)
    assert reading.own_action_level == level
    assert _texts(reading, reading.vague_actions) == vague


@pytest.mark.parametrize(
    ("text", "level", "own"),
    [
        # A posture held is being there: no act of the speaker's.
        (
            "When the line clotted I stood by the door of the suite. The fellow fixed it in ten minutes.",
            "none",
            [],
        ),
        ("I was sitting next to the monitor while the attending placed the stent.", "none", []),
        # With an object or a companion it is another verb, an act.
        (
            "I sat with Mrs. Diaz in the family room at 3 am and then I sat the exam in June.",
            "clear",
            ["I sat with Mrs. Diaz in the family room at 3 am", "then I sat the exam in June"],
        ),
    ],
)
def test_a_posture_held_is_no_act(text: str, level: str, own: list[str]) -> None:
    reading = read_answer(text)
    assert reading.own_action_level == level
    assert _texts(reading, reading.own_actions) == own


def test_the_present_perfect_progressive_is_a_perfect() -> None:
    # "I've been reading": a perfect of an activity still going on, no bare -ing form. The speaker's
    # act, as "I've read" is, and like it pinned to no one time: a vague part.
    reading = read_answer("I've been reading the ATTRACT trial with Dr. Lee since March.")
    assert [c.tense for c in reading.own_actions] == ["perfect"]
    assert _texts(reading, reading.own_actions) == [
        "I've been reading the ATTRACT trial with Dr. Lee since March"
    ]
    assert reading.own_action_level == "vague"


def _assert_results(text: str, results: list[str]) -> None:
    """The story's results are exactly `results` (none: it has no result)."""
    reading = read_answer(text)
    assert reading.has_result is bool(results)
    assert _texts(reading, reading.results) == results


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # The speaker's present view: a perfect believed now, or a past valued now.
        (
            "Last spring I ran the journal club for the interns. "
            "I think the sessions have prepared them well for boards.",
            [],
        ),
        (
            "In my third year I ran a review session for the new interns. "
            "I like that the interns led the next one themselves.",
            [],
        ),
        # Believed in the simple past, the event is still the story's, only hedged.
        (
            "Last spring I ran the journal club for the interns. "
            "I think the sessions prepared them for their boards in June.",
            ["the sessions prepared them for their boards in June"],
        ),
        # Told, or reported by someone else, it is what came of it.
        (
            "In my third year I ran a review session for the new interns. "
            "The interns led the next one themselves.",
            ["The interns led the next one themselves"],
        ),
        (
            "In my third year I ran a review session for the new interns. "
            "My senior said the interns led the next one themselves.",
            ["the interns led the next one themselves"],
        ),
    ],
)
def test_an_opinion_held_now_is_no_result(text: str, results: list[str]) -> None:
    # "I think" over a perfect, "I like that" over a past: a view at the time of speaking
    # (Kiparsky and Kiparsky, 1970; Reichenbach, 1947), not what came of the story.
    _assert_results(text, results)


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # Supposed in an if-clause, an event is no outcome, in the past of hypothesis or not.
        ("I rotated through IR in May. I would do the independent pathway if I matched into DR first.", []),
        ("I pushed for the CT at noon. If the scan came back clean, we would discharge her that night.", []),
        ("I rewrote my study plan in March. If I passed the shelf, I planned to take Step 2 in June.", []),
        # Told as what happened, the same events are what came of it.
        (
            "I rotated through IR in May. Then I matched into DR at my first choice.",
            ["Then I matched into DR at my first choice"],
        ),
        (
            "I pushed for the CT at noon. The scan came back clean, and we discharged her that night.",
            ["The scan came back clean", "we discharged her that night"],
        ),
    ],
)
def test_an_event_supposed_in_a_condition_is_no_result(text: str, results: list[str]) -> None:
    # The protasis of a conditional supposes its event, it does not assert it (Comrie, 1986).
    _assert_results(text, results)


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # A psychological state of someone else (Levin's admire and appeal verbs) is the scene.
        ("I set up a family briefing in the wound clinic in June. The families trusted the nurses.", []),
        ("I rewrote the drain protocol in my second week. The new interns respected the charge nurse.", []),
        (
            "I rewrote the drain protocol in my second week. The hands-on parts appealed to the new interns.",
            [],
        ),
        # Held at a point of the story's time, like any state, it is what came of it; an event is.
        (
            "I set up a family briefing in June. By July the families trusted the nurses.",
            ["By July the families trusted the nurses"],
        ),
        (
            "I set up a family briefing in the wound clinic in June. The families thanked the nurses.",
            ["The families thanked the nurses"],
        ),
    ],
)
def test_a_psychological_state_is_no_result_unless_held_at_a_point(text: str, results: list[str]) -> None:
    # Trusting, respecting, appealing: states (Levin, 1993, 31.2, 31.4), read like any other state.
    _assert_results(text, results)


@pytest.mark.parametrize(
    ("closing", "reflects"),
    [
        # A past state of something in the scene, seen or found there, is a turn of the story.
        ("When I took the dressing off I saw it was bright red, so I paged again.", False),
        ("Then I noticed that his foot was cold, so I called the fellow back.", False),
        # About the speaker, or told out of the story's past, it is a lesson.
        ("Afterwards I saw that I had waited too long to call.", True),
        ("I realized that the nurses notice these things first.", True),
        # A wh-clause asks how things are: knowing.
        ("Over the next week I saw how much of the work was deciding who not to treat.", True),
    ],
)
def test_a_state_found_in_the_scene_is_no_lesson(closing: str, reflects: bool) -> None:
    reading = read_answer(
        "On my surgery sub-I at 2 am a 50-year-old man bled from his drain. I held pressure and I "
        f"paged the fellow, who came in 10 minutes. {closing}"
    )
    assert reading.has_reflection is reflects, _texts(reading, reading.reflections)


@pytest.mark.parametrize(
    ("text", "slight"),
    [
        # The diagnostic training as something to be got over, however the enduring is said.
        ("If I match DR, I'll put my head down and get through the reading years.", True),
        ("Reading is the part of radiology I'll put up with.", True),
        ("Honestly I see the DR years as something to get through.", True),
        ("The DR part of the training is something I'll get through because I have to.", True),
        # Enduring something else, or a word of reading that names no part of the training.
        ("I got through the reading list on PE in a week.", False),
        ("The patients got through the procedure comfortably.", False),
        ("Those night shifts were hard, but I got through them.", False),
    ],
)
def test_the_diagnostic_years_endured_are_a_slight(text: str, slight: bool) -> None:
    reading = read_answer(text)
    assert reading.blames_others is slight, [reading.clause_text(c) for c in reading.blame]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # "without" denies what follows it: something owed to the speaker, not done.
        ("The scrub tech had moved my tray without telling me, so I brushed her gown.", "without telling me"),
        ("The resident changed my order without warning me.", "without warning me"),
        ("Kevin stopped answering my emails for three weeks.", "Kevin stopped"),
    ],
)
def test_what_was_owed_to_the_speaker_and_withheld_is_blame(text: str, quote: str) -> None:
    reading = read_answer(text)
    assert any(quote in reading.clause_text(c) for c in reading.blame), reading.blame


@pytest.mark.parametrize(
    "text",
    [
        "I moved the tray without telling anyone, which was my mistake.",
        "The patient stopped breathing, so we called a code.",
        "The resident changed the order without a fuss.",
        # Asking leave is no duty owed: taking up the speaker's work unasked is no fault.
        "On my next call night the charge nurse used my checklist without asking me.",
    ],
)
def test_no_duty_withheld_is_no_blame(text: str) -> None:
    assert not read_answer(text).blames_others


@pytest.mark.parametrize(
    ("text", "hedges"),
    [
        # Open to an alternative course: any at all, a field named, one added to the goal, or a
        # question left open.
        ("I'd be happy with DR too.", True),
        ("I'm open to anything.", True),
        ("I'd be fine either way.", True),
        ("I think I'd be pretty happy in body imaging too, or maybe something in DR.", True),
        ("I'm also open to seeing how I feel during residency.", True),
        ("I guess I will settle for DR.", True),
        # How the speaker takes a thing, a softened lesson, a doubt in a clause of time: no
        # commitment withheld.
        ("I'm comfortable with older patients.", False),
        ("I'm always open to constructive criticism.", False),
        ("I'm open to learning from every nurse.", False),
        ("I'm comfortable working alone while also collaborating closely with mentors.", False),
        ("I guess what I learned is that it's important to speak up.", False),
        ("I suppose it's a bit of a perfectionist streak.", False),
        ("Even when I am not sure, I ask the fellow.", False),
    ],
)
def test_openness_is_a_hedge_only_toward_another_course(text: str, hedges: bool) -> None:
    reading = read_answer(text)
    assert reading.hedges is hedges, [reading.clause_text(c) for c in reading.hedge_clauses]


@pytest.mark.parametrize(
    ("question_id", "rubric_id"), [("why-ir", "motivation"), ("failed-attempt", "setback")]
)
def test_brief_judges_the_length_in_the_whole_seconds_its_advice_shows(
    bank: QuestionBank, rubrics: RubricSet, question_id: str, rubric_id: str
) -> None:
    # 112 words at 150 a minute are 44.8 s: shown as "about 45 s", so within a 45 s floor, never
    # "about 45 s ... is under the 45-90 s target" with a score of 1.00 beside FALLS SHORT.
    question = bank.get(question_id).model_copy(update={"target_seconds": (45, 90)})
    answer = (
        " ".join(["I scrubbed into a TIPS with the fellow and held the wire."] * 9) + " That was the week."
    )
    assert len(answer.split()) == 112
    verdict = score(question, rubrics.get(rubric_id), text=answer).criteria["brevity"]
    assert "about 45 s" in verdict.feedback
    assert "under" not in verdict.feedback, verdict.feedback
    assert verdict.passed


@pytest.mark.parametrize(
    ("criterion", "question", "answer"),
    [
        # An advisor's pathway question that is not about the routes ("How will you use your intern
        # year?") does not fail an answer for not naming ESIR or the independent residency.
        (
            "knows_routes",
            "How will you use your intern year to prepare for IR?",
            "I matched into a preliminary surgery year at my home hospital on purpose. In July I asked "
            "to spend my two elective weeks with the IR service, and I placed my first tunneled line "
            "there. I keep a log of every central line and paracentesis I do, which is at forty now.",
        ),
        # "Where do you see yourself in IR ten years from now?" takes the goal as given: an answer
        # that tells the practice it wants is not told it "never says IR is the goal".
        (
            "ir_goal",
            "Where do you see yourself in IR ten years from now?",
            "Ten years from now I'd like to run a clinic two days a week and spend the rest in the suite, "
            "at a hospital where I also teach. On my sub-I I followed a man from his PAD clinic visit to "
            "his tibial angioplasty, and I want that whole arc in my week.",
        ),
    ],
)
def test_a_pathway_criterion_is_judged_only_where_the_question_asks_for_it(
    bank: QuestionBank, rubrics: RubricSet, criterion: str, question: str, answer: str
) -> None:
    rubric = rubrics.get("pathway")
    asked = Question(
        id="advisor", text=question, category="pathway", rubric="pathway", target_seconds=(30, 75)
    )
    result = score(asked, rubric, text=answer)
    assert criterion not in result.criteria
    assert [u.reason for u in result.unscored if u.id == criterion] == ["the question does not ask for it"]
    # A bank question naming DR and the match asks for it.
    assert not score(bank.get("dual-apply"), rubric, text=answer).criteria[criterion].passed
