"""The story reading's results and reflections on small hand-written answers: what came of a story
and what the speaker kept of it, read through the grammar (round 15)."""

from __future__ import annotations

import pytest

from interviewcoach.core.scoring.story import Reading, read_answer

# A told story with a lapse, an act of the speaker's and an outcome, to which each case adds an ending.
STORY = (
    "On my surgery rotation last May I handed off a patient without mentioning his new insulin drip. "
    "The night intern found it at 2 am, and I apologised to him the next morning."
)


def _texts(reading: Reading) -> list[str]:
    return [reading.clause_text(c) for c in reading.reflections]


def _assert_reflects(ending: str, reflects: bool) -> None:
    """The story told with `ending` after it is still a story, and reflects as `reflects` says."""
    reading = read_answer(f"{STORY} {ending}")
    assert reading.has_story
    assert reading.has_reflection is reflects, _texts(reading)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # A practice ended once the episode was over is a change kept, as one begun is.
        ("After that I stopped writing my sign-out from memory.", True),
        ("From that week I quit rounding without a printed list.", True),
        # A verb conjoined to one set after the episode shares its time.
        ("After that I stopped rushing the handoff and started reading every drip back.", True),
        ("After that I called my resident and started carrying a printed list.", True),
        # Stopping one thing to do another is a step of the story, not a practice.
        ("After that I stopped to check the chart.", False),
        ("After that I called my resident and paged the fellow.", False),
    ],
)
def test_a_practice_begun_or_ended_after_the_episode_is_a_reflection(ending: str, reflects: bool) -> None:
    _assert_reflects(ending, reflects)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # A change of the speaker's way of doing, told in the present: the practice kept now.
        ("After that I changed how I write every sign-out.", True),
        ("That night changed the way I hand off a drip.", True),
        ("It changed what I check first on a handoff.", True),
        # A change of mind names no doing; a way told in the past stays in the story's time.
        ("After that I changed my mind.", False),
        ("It changed how I felt that morning.", False),
    ],
)
def test_a_way_of_doing_changed_and_held_now_is_a_reflection(ending: str, reflects: bool) -> None:
    _assert_reflects(ending, reflects)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # Finding out in the simple present is a habit of learning, not a lesson of the episode.
        ("I learn best when someone checks my work.", False),
        ("I am the kind of student who learns fastest from a mistake.", False),
        # Found out in the past or the perfect, it is.
        ("I learned that a drip has to be said out loud at handoff.", True),
        ("I've learned to read every drip back at handoff.", True),
    ],
)
def test_finding_out_in_the_simple_present_is_a_habit_not_a_lesson(ending: str, reflects: bool) -> None:
    _assert_reflects(ending, reflects)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # What was seen, a free relative, names a thing seen, not a lesson.
        ("What I saw on nights was a team that covers for each other.", False),
        ("I liked what I saw on that service.", False),
        # Seeing that, or what a clause of its own says, is knowing.
        ("I saw that a drip has to be named out loud at every handoff.", True),
    ],
)
def test_what_was_seen_is_a_thing_not_a_lesson(ending: str, reflects: bool) -> None:
    _assert_reflects(ending, reflects)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # A lesson whose value is an instruction, a to-infinitive or an imperative, says how one acts.
        ("The lesson for me was to read back every drip at handoff.", True),
        ("The lesson was test your orders early and ask the nurse.", True),
        ("Lesson: talk to the pharmacist before ordering, not after.", True),
        # A maxim of importance stays a slogan, and a lesson noun that is no subject names none.
        ("The lesson was to remember how important it is to communicate.", False),
        ("I wrote the lesson on a card.", False),
    ],
)
def test_a_lesson_given_as_an_instruction_is_a_reflection(ending: str, reflects: bool) -> None:
    _assert_reflects(ending, reflects)


def _results(reading: Reading) -> list[str]:
    return [reading.clause_text(c) for c in reading.results]


# A told story with the speaker's acts and no outcome of its own, to which each case adds an ending.
ACTS = (
    "On my medicine rotation last May a man's sodium came back at 118 on a Friday night. "
    "I paged the resident at 9 pm and drew the repeat myself."
)


@pytest.mark.parametrize(
    ("ending", "result"),
    [
        # A change in the speaker's own mind is what they say it did to them, no outcome.
        ("The night made me more interested in IR.", False),
        ("That case really strengthened my interest in IR.", False),
        ("The chief's advice helped me be calmer on call.", False),
        # An outcome anyone could see stays one, as does a change measured by a number.
        ("His sodium was 124 by Sunday morning.", True),
        ("The resident's protocol cut my repeat draws to two a day.", True),
    ],
)
def test_a_change_in_the_speakers_own_mind_is_no_result(ending: str, result: bool) -> None:
    reading = read_answer(f"{ACTS} {ending}")
    assert reading.has_story
    assert reading.has_result is result, _results(reading)


# A told story of a fault and the speaker's fix, to which each case adds an ending.
FIX = (
    "On my medicine rotation last May two of my patients had their scans cancelled because nobody "
    "held their heparin. I made a one-page checklist for the night team and taught it at sign-out."
)


@pytest.mark.parametrize(
    ("ending", "result"),
    [
        # The trouble denied over a time set after the episode: what came of the fix.
        ("In the month after, there were no cancelled scans.", True),
        ("Since then there hasn't been a single missed hold.", True),
        ("I didn't get that complaint again.", True),
        # Denied within the story's own time, it sets the scene.
        ("There were no beds that night.", False),
        # A verdict on the speaker's work as an object and its predicate (a small clause): what
        # someone else said of it afterwards, as "said my checklist was the clearest" is.
        ("My final evaluation called my checklist the clearest on the team.", True),
        ("The night charge nurse called my checklist a lifesaver.", True),
        # The same verb with no verdict on the speaker's work tells the story or names a thing.
        ("The pharmacist called the ward about the next dose.", False),
        ("The night team called it the heparin list.", False),
    ],
)
def test_what_follows_the_fix_is_a_result_when_it_came_of_it(ending: str, result: bool) -> None:
    reading = read_answer(f"{FIX} {ending}")
    assert reading.has_story
    assert reading.has_result is result, _results(reading)


@pytest.mark.parametrize(
    ("ending", "reflects"),
    [
        # How the speaker has fared since is a record, not a practice changed.
        ("I've done well on every rotation since.", False),
        ("I've had no problems with handoffs since then.", False),
        # What they have done since, again and again, is a practice.
        ("Since then I've read every drip back to the night intern.", True),
        ("I've kept a printed list of drips since.", True),
    ],
)
def test_how_the_speaker_has_fared_since_is_no_practice_changed(ending: str, reflects: bool) -> None:
    _assert_reflects(ending, reflects)


@pytest.mark.parametrize(
    "question",
    [
        "Then I started a study of whether the new sheath caused fewer groin bleeds at our hospital.",
        "Then I asked the fellow whether the scan showed a leak at the graft.",
        "Then I looked into whether the nurses on nights flagged the drip.",
    ],
)
def test_a_yes_no_question_embedded_is_no_result(question: str) -> None:
    # Seen in a user pass: "a project on whether a lower dose protocol still gave enough image
    # quality" was quoted as what came of a research story; the question asks, it tells nothing.
    reading = read_answer(f"{STORY} {question}")
    results = [reading.clause_text(c) for c in reading.results]
    assert not any(word in " ".join(results) for word in ("caused", "showed", "flagged")), results


@pytest.mark.parametrize(
    "claim",
    [
        "I never give up when things get difficult.",
        "I stay calm whenever the pressure goes up.",
        "I ask for help early if a case gets harder.",
    ],
)
def test_a_change_that_says_when_or_if_claims_no_result(claim: str) -> None:
    # Seen in a user pass: a keyword-stuffed answer was told '"when things get difficult" claims a
    # result without saying what it was'; the clause says when the habit holds, it claims no result.
    reading = read_answer(f"I am a hard worker and I care about my patients. {claim}")
    assert not reading.vague_results, [reading.clause_text(c) for c in reading.vague_results]
