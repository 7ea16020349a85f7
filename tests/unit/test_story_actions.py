"""The story reading's episode and the speaker's own part, on small hand-written answers (round 15a and
after)."""

from __future__ import annotations

import pytest

from interviewcoach.core.scoring.story import read_answer

STATES_ONLY = [
    # Anchored past states of other people: how things were, nothing happening.
    "On my surgery rotation last March the chief resident was a very old-school attending. His notes "
    "on the morning of the audit were sloppy and two of the consults were late. The nurses on that "
    "floor were the same.",
    "On my first night of call the intern was at home with the flu. Two of the patients on the list "
    "were septic by midnight, and the senior resident was in the ICU with a third.",
]

EVENTS = [
    "One night on call I paged the fellow at 2 am. We took the patient to the angio suite and I held "
    "pressure on the groin for twenty minutes.",
    "On my first night of call the intern was at home with the flu. At midnight two patients spiked "
    "fevers, so I drew cultures on both and called the senior resident in the ICU.",
]


@pytest.mark.parametrize("text", STATES_ONLY)
def test_past_states_alone_tell_no_story(text: str) -> None:
    assert not read_answer(text).has_story


@pytest.mark.parametrize("text", EVENTS)
def test_two_events_in_order_still_tell_a_story(text: str) -> None:
    assert read_answer(text).has_story


@pytest.mark.parametrize(
    ("text", "act"),
    [
        (
            "On my surgery rotation in May, my knot slipped during the closure of a port pocket. "
            "I had to cut the suture and retie it with the resident watching.",
            "cut the suture",
        ),
        (
            "The fellow was scrubbed in another case that night. "
            "I had to page the attending at 2 am and explain the bleed.",
            "page the attending",
        ),
    ],
)
def test_what_the_speaker_had_to_do_they_did(text: str, act: str) -> None:
    reading = read_answer(text)
    assert any(act in reading.clause_text(c) for c in reading.own_actions)


@pytest.mark.parametrize(
    "text",
    [
        "The fellow was free that night. I didn't have to page the attending at 2 am.",
        "The fellow was scrubbed in another case, so the attending had to come in at 2 am.",
    ],
)
def test_a_necessity_denied_or_of_someone_else_is_no_act_of_the_speakers(text: str) -> None:
    assert read_answer(text).own_actions == []


def test_a_task_done_for_someone_else_is_an_act_where_ones_own_stretch_is_not() -> None:
    # "her history" is the patient's: a task done for her; "my reading" names no act of its own.
    for_her = read_answer(
        "One morning on my IR rotation a woman came in at 7 am for a fibroid embolization. I did her "
        "pre-procedure history, and the fellow consented her. Then I walked her to the suite."
    )
    assert for_her.own_action_level == "clear"
    own = read_answer(
        "One morning on my IR rotation a woman came in at 7 am for a fibroid embolization. I did my "
        "reading, and the fellow consented her. Then I walked to the suite."
    )
    assert own.own_action_level == "vague"


def test_what_the_speaker_would_say_is_no_plan_of_action() -> None:
    saying = read_answer(
        "If a friend asked about IR, I'd tell them that IR is the most hands-on part of radiology. "
        "I'd tell them that the days on my elective at Mercy felt short."
    )
    assert saying.own_actions == []
    assert saying.own_action_level != "clear"
    plan = read_answer(
        "If I match DR, I'd apply for ESIR at Mercy in my second year. "
        "Then I'd apply for the independent IR residency through ERAS."
    )
    assert any("apply for the independent IR residency" in plan.clause_text(c) for c in plan.own_actions)


def test_a_plan_goes_on_past_a_condition_set_inside_it() -> None:
    # "or if it isn't offered, use ...": the parser joins the verb after the condition to the
    # condition, so the step took its subject, tense and negation; and it hangs the last bare verb
    # of the series ("then apply") on the one before without a label.
    plan = read_answer(
        "If I match DR, I'd join the ESIR track in my second year, or if my program doesn't have one, "
        "take IR electives, then apply to an independent IR residency in my fourth year."
    )
    steps = {plan.clause_text(c): (c.tense, c.negated) for c in plan.own_actions}
    assert steps.get("apply to an independent IR residency in my fourth year") == ("modal", False), steps
    assert plan.own_action_level == "clear"


def test_a_second_act_after_and_and_a_phrase_set_off_is_the_speakers() -> None:
    # "and then, after a word with the fellow, paged ...": the parser hangs the second past verb on
    # the first as an adverbial clause with no subject, so it was nobody's act.
    reading = read_answer("I called the lab and then, after a word with the fellow, paged the surgical team.")
    acts = [reading.clause_text(c) for c in reading.own_actions]
    assert any("paged the surgical team" in act for act in acts), acts


def test_a_noun_misread_as_a_verb_after_a_preposition_stays_in_its_clause() -> None:
    # Seen in a user pass: "I missed the deadline for" was quoted as the speaker's act, cut before
    # "one of the case reports by three weeks": the parser tagged "reports" a verb with "one" as its
    # subject, and that stray "clause" was cut out of the act it belongs to.
    reading = read_answer(
        "Last spring I took on too much. I missed the deadline for one of the case reports by three weeks."
    )
    acts = [reading.clause_text(c) for c in reading.own_actions]
    assert any(act.endswith("by three weeks") for act in acts), acts


def test_the_focus_of_what_i_did_is_the_speakers_act() -> None:
    # A pseudo-cleft: "what I did" frames, the verbs after the copula are the acts, in its tense.
    reading = read_answer(
        "On my IR elective last February a diabetic man waiting for a port had a glucose in the "
        "fifties. What I did was check the sedation guideline and take it to the nurse in charge."
    )
    acts = [reading.clause_text(c) for c in reading.own_actions]
    assert any("check the sedation guideline" in a for a in acts), acts
    assert any("take it to the nurse in charge" in a for a in acts), acts
    assert not any("What I did" in reading.clause_text(c) for c in reading.vague_actions)
    # Not a cleft: "What I'm doing about it" over a progressive stays a vague claim.
    doing = read_answer("What I'm doing about it is trying to leave a little earlier when I can.")
    assert doing.own_actions == []


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        # "keep" with a thing for its object is keeping it up, an activity.
        ("Over the next fortnight I kept a tally of every fasting patient.", "I kept a tally"),
        # A light verb with a goal moves a thing to someone.
        ("That afternoon I took the fasting numbers to the nurse in charge.", "I took the fasting numbers"),
    ],
)
def test_keeping_a_thing_and_handing_it_on_are_acts(sentence: str, act: str) -> None:
    reading = read_answer(
        "On my IR elective in March the afternoon list was fasting from midnight. " + sentence
    )
    assert any(act in reading.clause_text(c) for c in reading.own_actions), reading.own_actions


@pytest.mark.parametrize("sentence", ["I kept calm the whole night.", "I took the year to study for Step 2."])
def test_the_copula_keep_and_a_light_take_stay_no_acts(sentence: str) -> None:
    reading = read_answer(
        "On my IR elective in March the afternoon list was fasting from midnight. " + sentence
    )
    assert reading.own_actions == []


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        (
            "I did most of the wound imaging for the project, taking photos every two days and "
            "measuring each area in ImageJ.",
            ["taking photos", "measuring each area"],
        ),
        (
            "That night I stayed with her in the recovery bay, checking the groin every fifteen minutes.",
            ["checking the groin"],
        ),
    ],
)
def test_a_participle_after_the_clause_is_the_speakers_act_done_in_it(text: str, acts: list[str]) -> None:
    reading = read_answer(text)
    own = [reading.clause_text(c) for c in reading.own_actions]
    assert all(any(act in o for o in own) for act in acts), own


@pytest.mark.parametrize(
    "text",
    [
        # Before its clause a participle frames it; after another's clause it is the other's act.
        "Looking back on that night, the fellow was right.",
        "The fellow fixed the kink in the line, flushing it twice with saline.",
    ],
)
def test_a_participle_framing_the_clause_or_after_another_s_is_no_act_of_the_speakers(text: str) -> None:
    assert read_answer(text).own_actions == []


@pytest.mark.parametrize(
    "text",
    [
        "That night I stood by the door watching the nurse, drawing a stomach on a paper towel.",
        "I was standing at the foot of the bed the whole time, taking it all in.",
    ],
)
def test_a_participle_after_watching_or_standing_is_not_the_speakers_act(text: str) -> None:
    reading = read_answer(text)
    assert not any(
        "drawing" in reading.clause_text(c) or "taking" in reading.clause_text(c) for c in reading.own_actions
    )


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("That afternoon I got my attending and the fellow on one call at five.", True),
        ("I got him into the scanner by noon.", True),
        ("I got the family on the phone.", True),
        # A thing gained, not people put somewhere.
        ("I got a spot on the team.", False),
        ("I got a job in Houston.", False),
        ("I got better at it.", False),
    ],
)
def test_getting_people_somewhere_is_an_act_where_getting_a_thing_is_not(text: str, own: bool) -> None:
    assert bool(read_answer(text).own_actions) is own


@pytest.mark.parametrize(
    "sentence",
    ["For the first six months that was all I did.", "Everything I did that week went into the plan."],
)
def test_do_standing_for_acts_told_elsewhere_is_no_vague_part(sentence: str) -> None:
    # "all I did": "do" relativised on its own object refers to the acts its noun gathers; it is
    # neither an act nor a vague role ("I was involved"), so it is not quoted as one.
    reading = read_answer(
        "On my leave I drove my father to rehab three times a week and set up his pill box. " + sentence
    )
    texts = [reading.clause_text(c) for c in reading.vague_actions]
    assert not [t for t in texts if "I did" in t], texts
    # A light "do" with an object of its own is still read as before ("I did a lot").
    plain = read_answer("On my leave I drove my father to rehab three times a week. I did a lot that year.")
    assert [plain.clause_text(c) for c in plain.vague_actions], "a light verb alone is a vague part"
