"""Non-setback rubrics judge answers as the seed advises; generic detectors; broken rubric files.

The answer tables are written for this test in several voices (a career changer, an international
graduate, a student who says "we" throughout) and run through the real spaCy pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.errors import DataFileError
from interviewcoach.core.models import CriterionResult, Question
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import RubricSet, load_rubric, load_rubrics
from tests.hostile_cases import rubric_toml

Case = tuple[str, str, dict[str, bool]]

OFF_TOPIC = (
    "Last year I led the migration of our company's billing system to a new database. "
    "I wrote the migration scripts, ran them over a weekend and we cut the invoice "
    "run from six hours to forty minutes."
)
WEAKNESS_SHOWN = (
    "My weakness is that I wait too long to ask for help. On my medicine sub-I last "
    "October I spent forty minutes trying to place an IR request for a tunneled line "
    "before I asked my resident, and the patient missed the add-on list. I told my "
    "resident what had happened and I set myself a ten-minute rule. On my IR elective "
    "in January I asked the scheduling nurse on day one how add-ons worked, and my "
    "evaluation noted that I closed loops quickly."
)
GENERAL_SHOWN = (
    "I grew up in Tucson and worked four years as a CT technologist before medical "
    "school. In 2021 I ran the CT for a trauma patient whose splenic bleed IR "
    "embolized within an hour, and I started shadowing the IR team that month. I "
    "built a database of 212 splenic embolizations with Dr. Ruiz and we presented it "
    "at SIR in 2023. Next I want an integrated IR residency where I keep doing trauma "
    "work."
)

FIT = "angio-suite-2am"
PATHWAY = "dual-apply"
MOTIVATION = "why-ir"
BEHAVIOURAL = "critical-feedback"
RESEARCH = "research-overview"
GENERAL = "tell-me-about-yourself"
WEAKNESS = "greatest-weakness"

CASES: list[Case] = [
    (
        FIT,
        "On my ICU sub-internship a 68-year-old man with a GI bleed became hypotensive at 2 am. I "
        "stayed calm, called the senior resident and the IR fellow, and helped the nurse set up a "
        "second line. He was embolized within the hour. My attending later told me my presentations "
        "ran long, so since then I lead with a one-line summary.",
        {
            "on_topic": True,
            "story": True,
            "result": True,
            "reflection": True,
            "tone": True,
            "shown": True,
            "ir_link": True,
        },
    ),
    (
        FIT,
        "Yes, because I am a hard worker, I care about patients and I get along with everyone. I have "
        "always been passionate about a lot of things in medicine.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "result": False,
            "reflection": False,
            "tone": True,
            "shown": False,
            "ir_link": False,
        },
    ),
    (
        FIT,
        "At two in the morning on my trauma sub-internship a motorcycle rider arrived hypotensive "
        "with a pelvic fracture. I stayed calm, went through the ABCs and placed the pelvic binder "
        "myself.",
        {
            "on_topic": False,
            "story": True,
            "own_role": True,
            "result": False,
            "reflection": False,
            "tone": True,
            "shown": True,
            "ir_link": False,
        },
    ),
    (
        FIT,
        "In my country I worked two years in a district hospital emergency room before coming here. "
        "Many nights I was the only doctor, so I learned to call the nurses early and to ask the "
        "surgeons for help before a patient crashes. One senior pointed out that I escalated too "
        "late, and since then I escalate at the first sign of shock.",
        # Two years of work and "many nights" are habits; the one event ("pointed out") is told in
        # a clause, so no single episode is narrated.
        {
            "on_topic": True,
            "story": False,
            "result": True,
            "reflection": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        PATHWAY,
        "My long-term goal is to be an interventional radiologist. I'm applying to DR as well because "
        "I understand and respect the competitiveness of IR-integrated, especially given my testing "
        "history. I would be excited to pursue ESIR and the independent IR pathway through a strong "
        "DR program.",
        {
            "on_topic": True,
            "ir_goal": True,
            "knows_routes": True,
            "commitment": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        PATHWAY,
        "Honestly I'm not sure yet. If I don't get IR I will probably just do radiology, it doesn't "
        "really matter that much, and we'll see what happens after that.",
        {
            "on_topic": True,
            "ir_goal": False,
            "knows_routes": False,
            "commitment": False,
            "own_role": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        PATHWAY,
        "Ultimately I want to become an interventional radiologist. IR is very competitive and I "
        "respect that, so wherever I train I will keep working toward that goal with my mentors and "
        "research.",
        {
            "on_topic": True,
            "ir_goal": True,
            "knows_routes": False,
            "commitment": True,
            "own_role": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        PATHWAY,
        "I am applying to DR and IR programs. If I only get DR I guess I will settle for it and maybe "
        "try ESIR or the independent IR residency later on.",
        {
            "on_topic": True,
            "ir_goal": False,
            "knows_routes": True,
            "commitment": False,
            "own_role": False,
            "tone": True,
            "shown": True,
        },
    ),
    (
        PATHWAY,
        "So, um, I'm applying to both. IR is where I see myself long term, I've known that since my "
        "second year when I shadowed Dr. Patel. But the integrated spots are few and my Step 2 is not "
        "where I wanted it. If I end up in DR, I'd do ESIR and then apply for the independent "
        "residency. Either way I'd end up doing IR.",
        {
            "on_topic": True,
            "ir_goal": True,
            "knows_routes": True,
            "commitment": True,
            "own_role": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        PATHWAY,
        "I would be happy in diagnostic radiology too. Radiology is radiology, and I like imaging. "
        "I'd probably decide later whether to do IR after seeing what residency is like.",
        {
            "on_topic": True,
            "ir_goal": False,
            "knows_routes": False,
            "commitment": False,
            "own_role": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        MOTIVATION,
        "During my third-year surgery rotation I followed a man with liver cancer to the IR suite for "
        "a Y-90 radioembolization and saw him go home the same day. Since then I joined the IR "
        "interest group, shadowed on Tuesday evenings, and started a chart review with my mentor on "
        "TACE outcomes.",
        {
            "on_topic": True,
            "story": True,
            "own_role": True,
            "ir_link": True,
            "ir_areas": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        MOTIVATION,
        "I have always been passionate about IR because it is the best of both worlds, the procedures "
        "are cool and the lifestyle is good. I love technology and a lot of things about it.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "ir_link": False,
            "ir_areas": False,
            "tone": True,
            "shown": False,
            "result": False,
        },
    ),
    (
        MOTIVATION,
        "Before medicine I was a paramedic for six years, and one night I brought a man with a "
        "massive upper GI bleed to a hospital where IR embolized the bleeding artery in forty "
        "minutes. That night is why I chose IR, and trauma work is still what draws me most.",
        {
            "on_topic": True,
            "story": True,
            "own_role": True,
            "ir_link": True,
            "ir_areas": True,
            "tone": True,
            "shown": True,
            "result": True,
        },
    ),
    (
        MOTIVATION,
        "I find the procedures really cool, especially uterine fibroid embolization, and the "
        "lifestyle and the fun of using new gadgets is great.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "ir_link": True,
            "ir_areas": True,
            "tone": True,
            "shown": False,
            "result": False,
        },
    ),
    (
        BEHAVIOURAL,
        "On my medicine sub-internship last spring, my attending told me my presentations were "
        "disorganised. I asked her for an example, then I rewrote my notes into a one-line summary "
        "and a plan by problem, and I practised each morning with the senior resident. By the end of "
        "the rotation she said my presentations were the clearest on the team. Since then I ask for "
        "feedback in the first week of every rotation.",
        {
            "on_topic": True,
            "story": True,
            "result": True,
            "reflection": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        BEHAVIOURAL,
        "I am generally very receptive to feedback. I always try to improve and I think feedback is "
        "really important in medicine. Usually I take it well and I change things.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "result": False,
            "reflection": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        BEHAVIOURAL,
        "We had a really busy night on call in the ICU. We worked as a team, we managed the patient "
        "together and things were fine in general.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "result": True,
            "reflection": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        BEHAVIOURAL,
        "During my surgery clerkship in March, my chief resident told me my notes were late. I "
        "started pre-rounding thirty minutes earlier and I wrote the notes before rounds. By the last "
        "week my notes were done on time and the chief thanked me.",
        {
            "on_topic": True,
            "story": True,
            "result": True,
            "reflection": False,
            "tone": True,
            "shown": True,
        },
    ),
    (
        "calm-under-pressure",
        "Last October, during a night shift in the emergency department, a man came in vomiting blood "
        "with a pressure of seventy over forty. I called for help, set up two large-bore IVs with the "
        "nurse and started the transfusion. He went to the IR suite and was embolized. Looking back, "
        "saying each task out loud kept the room calm, and I still do that.",
        {
            "on_topic": True,
            "story": True,
            "own_role": True,
            "reflection": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        RESEARCH,
        "I worked on a retrospective chart review of splenic artery embolization in trauma, looking "
        "at whether coil position changed the complication rate. I reviewed 140 charts and wrote the "
        "first draft. We presented a poster at SIR last March and the manuscript is under review. It "
        "taught me how much follow-up matters for IR patients.",
        {
            "on_topic": True,
            "project": True,
            "own_role": True,
            "result": True,
            "ir_link": True,
            "reflection": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        RESEARCH,
        "I have done a lot of research in different areas and it was a great experience overall. I "
        "enjoyed working with the team and everyone was very supportive.",
        {
            "on_topic": True,
            "project": False,
            "own_role": False,
            "result": False,
            "ir_link": False,
            "reflection": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        RESEARCH,
        "I am doing a retrospective review of two hundred and six TIPS cases, looking at whether "
        "stent diameter predicts encephalopathy. I collected the follow-up data and I ran the "
        "statistics myself. We are still cleaning the data.",
        {
            "on_topic": True,
            "project": True,
            "own_role": True,
            "result": False,
            "ir_link": True,
            "reflection": False,
            "tone": True,
            "shown": True,
        },
    ),
    (
        GENERAL,
        "I grew up in Lagos and worked as a biomedical engineer for four years before medical school, "
        "building catheter prototypes. One night on my IR elective I saw a fellow embolize a splenic "
        "bleed and recognised the problem-solving I loved in engineering. I tutored anatomy, which "
        "taught me to explain procedures to patients. I'm excited to bring that background to IR training.",
        {
            "on_topic": True,
            "story": True,
            "ir_link": True,
            "tone": True,
            "shown": True,
            "forward_close": True,
        },
    ),
    (
        GENERAL,
        "I am a hard worker and a team player, and I am passionate about medicine. I like to read and "
        "to spend time with my family.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "result": False,
            "ir_link": False,
            "tone": True,
            "shown": False,
            "forward_close": False,
        },
    ),
    (
        GENERAL,
        "I grew up on a farm in Iowa, studied mechanical engineering and worked three years designing "
        "pumps before medical school. I coach a youth soccer team on weekends and the kids know I am "
        "reliable.",
        # A list of activities, however concrete, tells no one episode.
        {
            "on_topic": True,
            "story": False,
            "ir_link": False,
            "tone": True,
            "shown": True,
            "forward_close": False,
        },
    ),
    (
        "why-our-program",
        "I rotated here in August and saw how much Y-90 and PAD volume your residents handle. Your "
        "PAD clinic, where residents follow patients after atherectomy, is the longitudinal care I "
        "want, and I'm excited to contribute my limb salvage research to it.",
        {
            "on_topic": True,
            "ir_link": True,
            "tone": True,
            "shown": True,
            "forward_close": True,
        },
    ),
    (
        WEAKNESS,
        "I tend to take on too many tasks myself instead of asking for help. One night on my surgery "
        "rotation I stayed late finishing notes the intern could have split with me. I started writing "
        "a task list at sign-out and I now ask the senior which tasks to hand off. My last evaluation noted "
        "I left on time.",
        {
            "on_topic": True,
            "result": True,
            "reflection": True,
            "tone": True,
            "shown": True,
        },
    ),
    (
        WEAKNESS,
        "Honestly I'm a perfectionist and I work too hard, and I care too much about my patients, so "
        "that would be it.",
        {
            "not_cliche": False,
            "on_topic": True,
            "story": False,
            "own_role": False,
            "result": False,
            "reflection": False,
            "tone": True,
            "shown": False,
        },
    ),
    (
        WEAKNESS,
        "My biggest weakness is public speaking. I get nervous presenting at morning report and I "
        "speak too quickly when people are watching.",
        {
            "on_topic": True,
            "story": False,
            "own_role": False,
            "result": False,
            "reflection": False,
            "tone": True,
            "shown": False,
        },
    ),
    # --- added with the story reading: off topic, blame and shown strengths on every rubric ---
    ("dual-apply", OFF_TOPIC, {"on_topic": False}),
    ("critical-feedback", OFF_TOPIC, {"on_topic": False}),
    ("research-overview", OFF_TOPIC, {"on_topic": False}),
    ("why-ir", OFF_TOPIC, {"on_topic": False}),
    ("why-our-program", OFF_TOPIC, {"on_topic": False}),
    ("greatest-weakness", OFF_TOPIC, {"on_topic": False}),
    (
        "dual-apply",
        (
            "My goal is IR. Honestly the DR residents I worked with were lazy and the "
            "radiology department ignored students, so DR is only a fallback for me."
        ),
        {"tone": False},
    ),
    (
        "angio-suite-2am",
        (
            "On my ICU rotation last May a man with a GI bleed crashed at 2 am. The night "
            "nurses were useless and the resident ignored my pages, so I called the IR fellow "
            "myself and he was embolized by 4 am."
        ),
        {"tone": False},
    ),
    (
        "critical-feedback",
        (
            "On my surgery clerkship in March my chief said my notes were late. Honestly the "
            "interns were disorganized and nobody explained the note templates to me, so it "
            "was unfair. I wrote them earlier after that."
        ),
        {"tone": False},
    ),
    (
        "research-overview",
        (
            "I worked on a review of 140 TIPS cases in 2023. My PI was absent and the "
            "co-authors were careless with the data, so the abstract was rejected twice "
            "before I fixed the tables myself."
        ),
        {"tone": False},
    ),
    (
        "greatest-weakness",
        (
            "My weakness is delegating. On my medicine rotation last fall the interns were "
            "lazy and the residents ignored my requests, so I ended up doing their discharge "
            "summaries myself."
        ),
        {"tone": False},
    ),
    (
        "tell-me-about-yourself",
        (
            "I was a paramedic for six years in Ohio. The medics I worked with were careless "
            "and the ER doctors were rude to us, so I went to medical school in 2019 and did "
            "my IR elective in June."
        ),
        {"tone": False},
    ),
    (
        "why-ir",
        (
            "On my vascular surgery rotation in April the surgeons were arrogant and the "
            "cardiologists were clueless, so I spent my elective in the IR suite, where I "
            "scrubbed twelve embolizations."
        ),
        {"tone": False},
    ),
    (
        "greatest-weakness",
        WEAKNESS_SHOWN,
        {"not_cliche": True, "story": True, "own_role": True, "result": True, "tone": True, "shown": True},
    ),
    (
        "tell-me-about-yourself",
        GENERAL_SHOWN,
        {"own_role": True, "result": True, "ir_link": True, "shown": True},
    ),
]


def _case_id(case: Case) -> str:
    question_id, answer, _ = case
    return f"{question_id}:{answer[:28]}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_rubric_verdicts(bank: QuestionBank, rubrics: RubricSet, case: Case) -> None:
    question_id, answer, expected = case
    question = bank.get(question_id)
    result = score(question, rubrics.get(question.rubric), text=answer)
    got = {cid: result.criteria[cid].passed for cid in expected}
    assert got == expected, {
        cid: result.criteria[cid].feedback for cid in expected if got[cid] != expected[cid]
    }
    for cid, passed in expected.items():
        outcome = result.criteria[cid]
        assert "{" not in outcome.feedback, outcome.feedback
        if passed:
            assert outcome.score >= 0.99 or outcome.evidence, cid
        for ev in outcome.evidence:
            assert answer[ev.start : ev.end] == ev.text


def test_every_non_setback_content_criterion_has_a_pass_and_a_fail_case(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    seen: dict[tuple[str, str], set[bool]] = {}
    for question_id, _, expected in CASES:
        rubric_id = bank.get(question_id).rubric
        for cid, passed in expected.items():
            seen.setdefault((rubric_id, cid), set()).add(passed)
    tested = {rubric_id for rubric_id, _ in seen}
    assert tested == {"fit", "pathway", "motivation", "behavioural", "research", "general", "weakness"}
    for rubric_id in tested:
        for c in rubrics.get(rubric_id).criteria:
            # The learned reading reads answers of a full length only; tests/unit/test_quality.py
            # gives it a pass and a fail case.
            if c.id in ("brevity", "reads_strong") or c.delivery:
                continue
            assert seen.get((rubric_id, c.id)) == {True, False}, f"{rubric_id}.{c.id}"


def test_feedback_quotes_the_answer(bank: QuestionBank, legacy: RubricSet) -> None:
    question = bank.get(MOTIVATION)
    answer = "The procedures are cool and, to be honest, the lifestyle is a big part of why I chose IR."
    result = score(question, legacy.get("legacy-motivation"), text=answer)
    feedback = result.criteria["not_generic"].feedback
    assert '"cool"' in feedback and '"lifestyle"' in feedback
    missing = result.criteria["beyond_minimum"].feedback
    assert "interest group" in missing


# --- generic detectors (still offered to advisors' rubrics), through the word-spotting rubrics the
# shipped ones replaced, kept as test data, and shipped questions whose targets are known ---

LEGACY = Path(__file__).resolve().parent.parent / "data" / "detector_rubrics"


@pytest.fixture(scope="module")
def legacy() -> RubricSet:
    return load_rubrics(LEGACY)


def _sentence_words(count: int) -> str:
    sentence = "I called the fellow and prepared the angio suite for the patient. "
    words = sentence.split()
    return " ".join((words * (count // len(words) + 1))[:count]) + "."


@pytest.mark.parametrize(
    ("words", "passed", "key_word"),
    [(40, False, "under"), (120, True, "Good length"), (260, False, "past")],
)
def test_brevity_against_target(
    bank: QuestionBank, rubrics: RubricSet, words: int, passed: bool, key_word: str
) -> None:
    question = bank.get(PATHWAY)  # 30-75 s: 75-188 words at 150 wpm
    answer = _sentence_words(words)
    outcome = score(question, rubrics.get("pathway"), text=answer).criteria["brevity"]
    assert outcome.passed is passed
    assert key_word in outcome.feedback
    assert f"{words} words" in outcome.feedback
    if words > 200:
        over = outcome.evidence[0]
        assert over.label == "too_long"
        assert answer[over.start :].startswith(over.text)
        # The advice quotes the words where the answer ran past its target.
        assert " ".join(over.text.split()[:4]) in outcome.feedback
        assert 0 < outcome.score < 1


def test_keywords_region_only_counts_the_closing(bank: QuestionBank, legacy: RubricSet) -> None:
    question = bank.get(BEHAVIOURAL)
    rubric = legacy.get("legacy-behavioural")
    lesson_first = (
        "I learned a lot from this. On my surgery rotation my chief told me my notes were late, so I "
        "started writing them before rounds and I finished them early all week until the rotation ended."
    )
    lesson_last = (
        "On my surgery rotation my chief told me my notes were late, so I started writing them before "
        "rounds and I finished them early all week. From that I learned to ask for feedback early."
    )
    assert not score(question, rubric, text=lesson_first).criteria["reflection"].passed
    assert score(question, rubric, text=lesson_last).criteria["reflection"].passed


def test_own_actions_need_two_first_person_actions(bank: QuestionBank, legacy: RubricSet) -> None:
    question = bank.get(BEHAVIOURAL)
    rubric = legacy.get("legacy-behavioural")
    once = "On my ICU rotation the team managed a crashing patient together and I called the fellow."
    twice = (
        "On my ICU rotation the team managed a crashing patient and I called the fellow and I paged surgery."
    )
    one = score(question, rubric, text=once).criteria["action"]
    two = score(question, rubric, text=twice).criteria["action"]
    assert (one.passed, two.passed) == (False, True)
    assert 0 < one.score < 1
    assert '"I called"' in one.feedback  # partial advice quotes the one action it found


@pytest.mark.parametrize(
    ("answer", "mine", "ours"),
    [
        # Conjoined verbs share their subject: three actions of mine.
        ("I reviewed 140 charts, built the database and wrote the first draft for the poster.", 3, 0),
        ("We reviewed the charts, we built the database and we wrote the draft together.", 0, 3),
        # Thinking, feeling and watching are not actions; a passive "I was told" is not either.
        ("I thought about it, I felt nervous, I was told to wait and I watched the fellow work.", 0, 0),
        ("We collected the data and then I ran the statistics and I have presented it twice.", 2, 1),
    ],
)
def test_own_actions_reads_the_subject_of_each_verb(
    bank: QuestionBank, legacy: RubricSet, answer: str, mine: int, ours: int
) -> None:
    outcome = score(bank.get(RESEARCH), legacy.get("legacy-research"), text=answer).criteria["own_role"]
    labels = [e.label for e in outcome.evidence]
    assert (labels.count("own_action"), labels.count("not_own")) == (mine, ours), outcome.evidence
    assert outcome.passed is (mine >= 2)


def test_avoid_allows_max_hits(bank: QuestionBank, legacy: RubricSet) -> None:
    question = bank.get(MOTIVATION)
    rubric = legacy.get("legacy-motivation")  # not_generic allows one stock phrase
    one = score(question, rubric, text="Embolizing a bleeding spleen on my trauma rotation was cool to see.")
    two = score(
        question, rubric, text="Embolizing a bleeding spleen was cool to see, and the lifestyle helps."
    )
    assert one.criteria["not_generic"].passed and one.criteria["not_generic"].score < 1
    assert not two.criteria["not_generic"].passed


def test_specific_example_counts_entities_numbers_and_named_things(
    bank: QuestionBank, legacy: RubricSet
) -> None:
    question = bank.get(FIT)
    rubric = legacy.get("legacy-fit")
    answer = "At 3 am on my ICU rotation a patient with a GI bleed was hypotensive, and I called the fellow."
    outcome = score(question, rubric, text=answer).criteria["clinical_example"]
    labels = {e.label for e in outcome.evidence}
    assert outcome.passed
    assert {"detail", "setting", "clinical_detail", "own_action"} <= labels
    generic = (
        "In general I handle all kinds of things like that, a lot of things, at 3 am on my ICU rotation."
    )
    vague = score(question, rubric, text=generic).criteria["clinical_example"]
    assert not vague.passed
    assert any(e.label == "vague" for e in vague.evidence)


def test_exam_names_are_not_counted_as_details(bank: QuestionBank, legacy: RubricSet) -> None:
    question = bank.get(FIT)
    rubric = legacy.get("legacy-fit")
    named = "I studied for Step 1 and Step two and COMLEX Level 2 on my ICU rotation."
    details = [e.text for e in score(question, rubric, text=named).criteria["clinical_example"].evidence]
    assert not {"1", "two", "2"} & set(details), details
    # The same digits as counts are details.
    counted = "I studied 2 hours a day for 1 month on my ICU rotation."
    details = [e.text for e in score(question, rubric, text=counted).criteria["clinical_example"].evidence]
    assert any("2" in d for d in details) and any("1" in d for d in details), details


# --- broken rubric files: file, line and field in every error ---

# The hostile-pattern cases' rubric, without a hostile pattern (refused patterns are tested with
# the others in test_hostile_patterns.py, from tests/hostile_cases.py).
RUBRIC = rubric_toml(rubric_id="r")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        (
            'label = "area"',
            'lable = "area"',
            17,
            "criteria[0].params.groups[0].lable",
            "did you mean 'label'",
        ),
        ('label = "area"', 'label = "Area Name"', 17, "criteria[0].params.groups[0].label", "lower-case"),
        (
            'phrases = ["trauma"]',
            'phrases = ["  "]',
            20,
            "criteria[0].params.groups[0].match.phrases",
            "empty",
        ),
        ("min_groups = 1", "min_groups = 0", 14, "criteria[0].params.min_groups", "at least"),
        ("min_groups = 1", 'region = "middle"', 14, "criteria[0].params.region", "opening"),
        (
            'detector = "keywords"',
            'detector = "keyword"',
            9,
            "criteria[0].detector",
            "did you mean 'keywords'",
        ),
    ],
)
def test_broken_rubric_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    assert old in RUBRIC
    path = _write(tmp_path, RUBRIC.replace(old, new))
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    problem = next(p for p in info.value.problems if p.field == field)
    assert problem.path == path
    assert problem.line == line
    assert message in problem.message
    assert str(problem).startswith(f"{path}:{line}: {field}:")


def test_good_fixture_loads(tmp_path: Path) -> None:
    rubric = load_rubric(_write(tmp_path, RUBRIC))
    assert rubric.criterion("named").parsed.groups[0].match.phrases == ["trauma"]


def test_a_rubric_file_is_read_again_only_when_its_text_changes(tmp_path: Path) -> None:
    # One command loads the rubrics more than once: the same text gives the rubric already made,
    # changed text (same size, same second) a new one, and a broken file its error every time.
    path = _write(tmp_path, RUBRIC)
    first = load_rubric(path)
    assert load_rubric(path) is first
    path.write_text(RUBRIC.replace('"trauma"', '"trauxa"'), encoding="utf-8")
    changed = load_rubric(path)
    assert changed is not first and changed.criterion("named").parsed.groups[0].match.phrases == ["trauxa"]
    path.write_text(RUBRIC.replace("min_groups = 1", "min_groups = 0"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataFileError):
            load_rubric(path)
    path.write_text(RUBRIC, encoding="utf-8")
    assert load_rubric(path) is first
    (tmp_path / "other").mkdir()
    assert load_rubric(_write(tmp_path / "other", RUBRIC)) is not first  # another file: its own


def test_specific_example_params_are_checked(tmp_path: Path) -> None:
    text = RUBRIC.replace('detector = "keywords"', 'detector = "specific_example"')
    path = _write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    fields = {p.field for p in info.value.problems}
    # keywords' params are not specific_example's: both unknown keys are reported, each at its line.
    assert {"criteria[0].params.min_groups", "criteria[0].params.groups"} <= fields
    lines = {p.field: p.line for p in info.value.problems}
    assert lines["criteria[0].params.min_groups"] == 14


# An answer about ESIR (written for the pathway questions), on topic for IR and medicine.
ESIR_ANSWER = (
    "ESIR is the early specialization track inside a diagnostic radiology residency. You apply for "
    "it during your second DR year, and most of the final DR year is then spent in IR. It counts "
    "toward the independent IR residency, so with ESIR the independent year is one year instead of "
    "two. Both routes end with the same IR and DR certificate. Yes, I would pursue it: I talked with "
    "two ESIR residents at our program last spring, and I want the extra procedure time before my "
    "independent year."
)


def named_instead(bank: QuestionBank, rubrics: RubricSet, question_id: str, answer: str) -> list[str]:
    """Score `answer` to a bank question with the bank as the other questions, check it is named as
    an answer to another question (capped, one quote from the answer), and give the rubrics of the
    bank questions its feedback names."""
    question = bank.get(question_id)
    moved = score(question, rubrics.get(question.rubric), text=answer, others=tuple(bank))
    verdict = moved.criteria["on_topic"]
    assert not verdict.passed and "different question" in verdict.feedback
    assert moved.overall <= 15
    (evidence,) = verdict.evidence
    assert evidence.label == "other_question"
    assert answer[evidence.start : evidence.end] == evidence.text
    return [q.rubric for q in bank if f'"{q.text}"' in verdict.feedback]


def test_an_answer_to_another_bank_question_is_off_topic(bank: QuestionBank, rubrics: RubricSet) -> None:
    others = tuple(bank)
    esir = bank.get("esir")
    fits = score(esir, rubrics.get(esir.rubric), text=ESIR_ANSWER, others=others)
    assert fits.criteria["on_topic"].passed
    teamwork = bank.get("teamwork")
    # Without the bank the words of the field carry it; with the bank it is another question's answer.
    alone = score(teamwork, rubrics.get(teamwork.rubric), text=ESIR_ANSWER)
    assert alone.criteria["on_topic"].passed
    named_instead(bank, rubrics, "teamwork", ESIR_ANSWER)


def test_a_long_answer_to_another_question_is_read_at_spaced_sentences(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # Over MAX_COMPARED_SENTENCES sentences, only spaced ones are compared: still caught, the quote
    # still inside the answer; and the same long answer to its own question still fits.
    long_answer = " ".join([ESIR_ANSWER] * 4)
    others = tuple(bank)
    teamwork, esir = bank.get("teamwork"), bank.get("esir")
    moved = score(teamwork, rubrics.get(teamwork.rubric), text=long_answer, others=others)
    (evidence,) = moved.criteria["on_topic"].evidence
    assert evidence.label == "other_question"
    assert long_answer[evidence.start : evidence.end] == evidence.text
    assert score(esir, rubrics.get(esir.rubric), text=long_answer, others=others).criteria["on_topic"].passed


# A story of a mistake with a patient's family: none of its sentences is far nearer another question
# than to research, but all of them are somewhat nearer, all through the answer.
MISTAKE_ANSWER = (
    "I once told a patient's family he would go home the next day before my resident had agreed. "
    "His potassium came back low and he stayed two more days. I apologized to the family and "
    "explained what had changed. Now I only give families timelines the team has agreed on."
)


def test_an_answer_nearer_another_question_all_through_is_off_topic(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    others = tuple(bank)
    research, mistake = bank.get("research-overview"), bank.get("biggest-mistake")
    moved = score(research, rubrics.get(research.rubric), text=MISTAKE_ANSWER, others=others)
    verdict = moved.criteria["on_topic"]
    assert not verdict.passed and "different question" in verdict.feedback
    (evidence,) = verdict.evidence
    assert evidence.label == "other_question"
    assert MISTAKE_ANSWER[evidence.start : evidence.end] == evidence.text
    fits = score(mistake, rubrics.get(mistake.rubric), text=MISTAKE_ANSWER, others=others)
    assert fits.criteria["on_topic"].passed


def verdict_on(
    bank: QuestionBank, rubrics: RubricSet, question_id: str, criterion: str, answer: str
) -> CriterionResult:
    """One criterion's verdict on `answer` to a bank question, scored with its own rubric."""
    question = bank.get(question_id)
    return score(question, rubrics.get(question.rubric), text=answer).criteria[criterion]


def test_a_story_quotes_its_anchors_as_the_phrases_they_make(bank: QuestionBank, rubrics: RubricSet) -> None:
    # "within an hour": both words pin the time; the feedback quotes "an hour", never "an" alone.
    answer = (
        "On my IR elective a woman came in with a bleeding pelvic fracture. The team embolized the "
        "bleeding artery within an hour, and I set up the room and called the blood bank. The next "
        "day she was off pressors."
    )
    verdict = verdict_on(bank, rubrics, "why-ir", "story", answer)
    assert verdict.passed
    assert '"an hour"' in verdict.feedback and '"an"' not in verdict.feedback, verdict.feedback


def test_the_result_quoted_is_how_the_story_ended(bank: QuestionBank, rubrics: RubricSet) -> None:
    # Seen in use: "You say what came of it: 'we called the IR fellow together'; 'The fellow suggested
    # ultrasound first'", steps on the way, while the outcome came last in the story.
    answer = (
        "On my medicine sub-I last March, a man with a new leg clot and a creatinine of 2.8 was booked "
        "for a contrast CT that night. I paged the night resident and showed her his trend, and we "
        "called the IR fellow together. The fellow suggested an ultrasound first, and I walked down to "
        "the vascular lab to fit him in. The scan confirmed the clot without contrast, and his "
        "creatinine came back to 1.9 two days later."
    )
    verdict = verdict_on(bank, rubrics, "teamwork", "result", answer)
    assert verdict.passed
    assert "1.9 two days later" in verdict.feedback and "IR fellow" not in verdict.feedback, verdict.feedback


def test_a_setback_story_quotes_how_it_ended(bank: QuestionBank, rubrics: RubricSet) -> None:
    answer = (
        "On my surgery rotation I forgot to follow up a potassium of 2.9 on a post-op patient. I told "
        "my resident that afternoon and I wrote the repletion order myself. We rechecked it that "
        "evening, and her potassium was 3.8 the next morning. Since then I keep a written list of every "
        "lab I order and check it before I sign out."
    )
    verdict = verdict_on(bank, rubrics, "biggest-mistake", "improvement_evidence", answer)
    assert verdict.passed
    assert "3.8 the next morning" in verdict.feedback, verdict.feedback
    # What was done about it is what followed the lapse, not the lapse itself.
    assert '("I told my resident that afternoon")' in verdict.feedback, verdict.feedback
    assert "forgot" not in {e.text.split()[-1] for e in verdict.evidence if e.label == "specific_change"}


# A biggest-mistake answer whose lapse is told with the act it left unfinished, then its harm, then
# what the speaker did about it and how the change held.
SODIUM_MISTAKE = (
    "On my surgery sub-I I drew a sodium on a man with a bowel obstruction and forgot to check it "
    "before sign-out. The night intern found it at 119 and had to start saline. The next morning I "
    "told my resident exactly what happened and apologized to the night intern. Since then I keep a "
    "written list of every lab I draw, and I check it before I sign out. In the four months since, "
    "I have not missed a single one."
)


@pytest.mark.parametrize("criterion", ["improvement_evidence", "own_role", "result"])
def test_a_mistake_is_not_what_was_done_about_it_nor_its_harm_a_result(
    bank: QuestionBank, rubrics: RubricSet, criterion: str
) -> None:
    # Seen in a user pass: "I ordered a repeat potassium ..." (the act whose follow-up lapsed) was
    # quoted as the change and as what the speaker did about it, and "The night resident found it"
    # (the harm, before any response) as what came of it; the change holding was read as nothing.
    verdict = verdict_on(bank, rubrics, "biggest-mistake", criterion, SODIUM_MISTAKE)
    assert verdict.passed, verdict.feedback
    quoted = " | ".join(e.text for e in verdict.evidence) + " | " + verdict.feedback
    assert "drew a sodium" not in quoted
    assert "found it at 119" not in quoted
    if criterion != "own_role":
        assert "I have not missed a single one" in quoted, quoted


@pytest.mark.parametrize(
    ("answer", "stated"),
    [
        ("My long-term goal is to be an interventional radiologist.", True),
        ("Honestly DR would be fine, but IR is what I want.", True),
        ("IR is where I see myself long term.", True),
        ("I'm applying to both programs to become an interventional radiologist.", True),
        ("I don't want to do IR, to be honest.", False),
        ("If I don't get IR I will probably just do radiology.", False),
        ("I'd want to take time to think about whether IR is the right path.", False),
        ("I believe a great IR doctor is a great clinician, so I want to build good habits.", False),
        # A plan to enter IR training commits to the goal by what it does ("I'd aim for ESIR").
        ("If I match DR, I'll apply for ESIR in my second year.", True),
        ("Next cycle I would reapply to integrated IR with a longer list.", True),
        ("If I match DR, I'd aim for ESIR.", True),
        ("If I don't match IR, I'd apply to more DR programs next year.", False),
        ("I applied to ESIR programs and IR programs last fall.", False),
    ],
)
def test_the_ir_goal_is_read_from_the_grammar(
    bank: QuestionBank, rubrics: RubricSet, answer: str, stated: bool
) -> None:
    # Before, a list of set phrases ("my goal", "long-term", "I want to be") anywhere in the answer
    # and "IR" anywhere else passed it, and "IR is what I want" failed it.
    verdict = verdict_on(bank, rubrics, "dual-apply", "ir_goal", answer)
    assert verdict.passed is stated, verdict.feedback
    if stated:
        assert any(e.label == "goal" for e in verdict.evidence)


@pytest.mark.parametrize(
    ("answer", "not_a_goal"),
    [
        ("To be honest, I would still be happy in DR, and I will do fine wherever I go.", "to be honest"),
        ("I will do fine in DR, and later I might look at IR.", "I will do fine"),
        ("I will be okay either way, DR or IR.", "I will be okay"),
    ],
)
def test_a_goal_names_a_role_a_practice_or_a_field(
    bank: QuestionBank, rubrics: RubricSet, answer: str, not_a_goal: str
) -> None:
    # Seen in a user pass: a hedging pathway answer was told '"to be honest"; "I will do fine" is not
    # a plain IR goal': a speech-act infinitive and a forecast of how one will fare were quoted as
    # goals. A future or purpose of "be", "do", "work" states a goal only with what it is about: a
    # role ("to be an interventional radiologist"), a practice ("do IR"), a field ("work in IR").
    verdict = verdict_on(bank, rubrics, "dual-apply", "ir_goal", answer)
    assert not verdict.passed
    goals = [e.text for e in verdict.evidence if e.label == "goal"]
    assert not goals, goals
    assert f'"{not_a_goal}" is not a plain IR goal'.lower() not in verdict.feedback.lower()
    if " IR" in answer:
        # IR named, no goal stated: the sentence naming it is quoted, and the advice says what is missing.
        assert "but never say it is your goal" in verdict.feedback, verdict.feedback


def test_pathway_steps_are_asked_for_as_plans_too(bank: QuestionBank, rubrics: RubricSet) -> None:
    # Seen in use: a plan of steps was praised with "You say what you did".
    answer = (
        "I would do DR at a program with ESIR and ask for the ESIR track in my second year. Then I "
        "would apply for the independent IR residency, and I would take IR call whenever I can."
    )
    verdict = verdict_on(bank, rubrics, "dual-apply", "own_role", answer)
    assert verdict.passed and verdict.feedback.startswith("You name concrete steps"), verdict.feedback


@pytest.mark.parametrize(
    ("answer", "clear"),
    [
        # An open question in the frame's own phrase.
        (
            "In my research year I looked at whether lung biopsies done prone needed fewer chest tubes.",
            True,
        ),
        # Concrete things in it: a count, named devices.
        (
            "My project was a retrospective review of 212 tunneled pleural catheters placed at our hospital.",
            True,
        ),
        ("The question was whether feeding artery diameter predicted which AVMs recanalized.", True),
        # "become" is a copula as "be" is; a named IR procedure is a concrete thing studied; to
        # randomize patients is to study them.
        ("So the question became: how often do tunneled dialysis lines clot in the first month?", True),
        ("It was a retrospective review of pain after genicular embolization or nerve ablation.", True),
        ("The trial randomized four hundred patients with iliofemoral DVT.", True),
        # A frame with nothing in it, or its content only in a clause about it.
        (
            "My research focuses on improving patient outcomes through innovative, minimally invasive care.",
            False,
        ),
        ("I have done several projects that taught me a lot about teamwork and research.", False),
        ("A reviewer asked why we had no control group, and I explained our limits.", False),
    ],
)
def test_the_research_project_is_read_from_its_phrase(
    bank: QuestionBank, rubrics: RubricSet, answer: str, clear: bool
) -> None:
    # Before, "the kind of study" and "the question it asked" were two phrase lists anywhere in the
    # answer: "a review of 41 patients ... the question was whether" lacked a listed design word.
    verdict = verdict_on(bank, rubrics, "research-overview", "project", answer)
    assert verdict.passed is clear, verdict.feedback
    assert [e.label for e in verdict.evidence] == (["project"] if clear or verdict.score else [])


@pytest.mark.parametrize(
    ("answer", "forward"),
    [
        ("I grew up near Dayton and studied chemistry. I've since done two IR electives.", True),
        ("I grew up near Dayton and studied chemistry. I want a program where residents run a clinic.", True),
        # The close stays in the past, or its perfect is the content of a question.
        ("I grew up near Dayton and studied chemistry. The skill came in useful on my IR elective.", False),
        # ... unless the speaker carries the story into IR by something they did there.
        (
            "I grew up near Dayton and studied chemistry. The patience came in useful on my IR elective, "
            "where I flushed and re-taped every drain on the morning round.",
            True,
        ),
        ("I grew up near Dayton and studied chemistry. I loved the IR suite on my elective.", False),
        (
            "I studied chemistry. I am proud of how far I've come in my future career.",
            False,
        ),
        (
            "I studied chemistry. I told myself a bleed could be stopped with a catheter.",
            False,
        ),
    ],
)
def test_a_forward_close_is_read_from_tense_and_speaker(
    bank: QuestionBank, rubrics: RubricSet, answer: str, forward: bool
) -> None:
    # Before, "future", "career", "contribute" or "training" anywhere in the close passed it.
    verdict = verdict_on(bank, rubrics, "tell-me-about-yourself", "forward_close", answer)
    assert verdict.passed is forward, verdict.feedback


def test_evidence_quotes_each_part_of_the_answer_once(bank: QuestionBank, rubrics: RubricSet) -> None:
    # A clause's quote takes in the clause it leaves open ("I decided to call the fellow at home"
    # holds "to call the fellow at home"): one part of the answer is quoted once, in one role.
    answer = (
        "On my IR rotation one night a man with a bleeding ulcer crashed. I decided to call the fellow at "
        "home, and I started to set up the tray for the angiogram. I asked the nurse to hang a second "
        "unit of blood. He was stable by midnight."
    )
    verdict = verdict_on(bank, rubrics, "calm-under-pressure", "own_role", answer)
    spans = [(e.start, e.end) for e in verdict.evidence]
    assert not any((a, b) != (c, d) and c <= a and b <= d for a, b in spans for c, d in spans), (
        verdict.evidence
    )
    # The act inside a decision is what was done; the decision around it is not quoted as vague.
    assert any(e.label == "own_action" and "call the fellow" in e.text for e in verdict.evidence)
    assert not any(e.label == "vague_role" and "call the fellow" in e.text for e in verdict.evidence)


def test_a_relative_clause_is_quoted_with_what_it_tells_about(bank: QuestionBank, rubrics: RubricSet) -> None:
    # Seen in use: "I knew was a Tuesday night", the relative clause without "The moment".
    answer = (
        "The moment I knew was a Tuesday night on my IR sub-internship. A man with a bleeding ulcer had "
        "failed two endoscopies. The fellow let me hold the wire while the attending coiled the artery."
    )
    verdict = verdict_on(bank, rubrics, "why-ir", "story", answer)
    assert any(e.text.startswith("The moment I knew") for e in verdict.evidence), verdict.evidence
    assert not any(e.text.startswith("I knew") for e in verdict.evidence), verdict.evidence


def test_the_sentence_quoted_for_another_question_is_the_one_that_matched(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # Short sentences ("Sure.") are not compared; the quote is still the compared sentence that
    # matched the other question, not the one at its place in the shorter list.
    answer = "Sure. Okay. " + ESIR_ANSWER
    teamwork = bank.get("teamwork")
    moved = score(teamwork, rubrics.get(teamwork.rubric), text=answer, others=tuple(bank))
    (evidence,) = moved.criteria["on_topic"].evidence
    assert evidence.label == "other_question"
    assert len(evidence.text.split()) > 3
    assert evidence.text in ESIR_ANSWER


# A board-score answer: a setback told and what changed, nothing of why IR draws the speaker.
BOARD_ANSWER = (
    "My Step 1 came back at 211, below what I needed. I met with our learning specialist the next "
    "week and we found I was reading instead of doing questions. I rebuilt my schedule around two "
    "timed blocks a day and a practice exam every other Saturday. On Step 2 CK I scored 248."
)


# A research answer: the project, the speaker's own part and its output.
RESEARCH_ANSWER = (
    "For my project I measured the fistula diameters on 140 fistulagrams from our dialysis access "
    "clinic. I wrote the data collection sheet, did every measurement myself and ran the regression "
    "with our statistician. We found that a narrow outflow vein predicted a second intervention "
    "within six months, and I presented it as a poster at the regional meeting."
)


def test_an_answer_of_another_kind_is_answering_another_question(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # No sentence of it is far nearer another question's words than to "Why interventional
    # radiology?", but it reads as an answer to a research question: it is named as such and
    # scores low.
    others = tuple(bank)
    assert named_instead(bank, rubrics, "why-ir", RESEARCH_ANSWER) == ["research"]
    # To a research question it fits; a general question takes an answer of any kind.
    for fits in ("research-overview", "tell-me-about-yourself"):
        question = bank.get(fits)
        verdicts = score(question, rubrics.get(question.rubric), text=RESEARCH_ANSWER, others=others).criteria
        assert verdicts["on_topic"].passed


def test_an_advisors_question_is_read_for_the_kind_of_answer_too(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # A question written ad hoc has no tips to compare sentences with, but its rubric says what
    # kind of answer it takes.
    question = Question(
        id="why-this-field",
        text="What first made you want to do procedures guided by imaging?",
        category="motivation",
        rubric="motivation",
        target_seconds=(45, 90),
    )
    moved = score(question, rubrics.get("motivation"), text=BOARD_ANSWER, others=tuple(bank))
    assert not moved.criteria["on_topic"].passed
    assert moved.overall <= 15
    alone = score(question, rubrics.get("motivation"), text=BOARD_ANSWER)
    assert alone.criteria["on_topic"].passed  # without the bank there is nothing to name


# A story of acting on a bleeding patient: a fair answer to a "tell me about a time" question.
BLEED_ANSWER = (
    "On my surgery sub-internship a patient's drain output turned bloody at 4 pm. I paged the "
    "fellow, held pressure and sent a type and screen while the nurse set up a second line. The "
    "fellow took him to the suite within the hour and the bleeding stopped after coiling. I learned "
    "to call early and to have the labs moving before anyone asks."
)


def test_an_answer_that_fits_another_question_better_is_named(bank: QuestionBank, rubrics: RubricSet) -> None:
    # A story with IR in it reads a little as a motivation answer, but it does not answer what
    # draws the speaker to IR beyond the rotation; it fits a behavioural question far better.
    assert named_instead(bank, rubrics, "beyond-rotation", BLEED_ANSWER) in (["behavioural"], ["fit"])
    calm = bank.get("calm-under-pressure")
    assert (
        score(calm, rubrics.get(calm.rubric), text=BLEED_ANSWER, others=tuple(bank))
        .criteria["on_topic"]
        .passed
    )


def test_the_fit_model_names_another_question_only_where_the_kind_model_agrees(
    bank: QuestionBank, rubrics: RubricSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fit model gives the bleed story little fit to "beyond-rotation" and much to a behavioural
    # question (above). Were the kind model to read it as a motivation answer, the two would
    # disagree, and a sincere answer is not told it answers another question on one model's word.
    from interviewcoach.core.scoring import kinds

    real = kinds.KindModel.probabilities

    def swapped(self: kinds.KindModel, vectors: kinds.Vectors) -> dict[str, float]:
        shares = real(self, vectors)
        return {**shares, "motivation": shares["behavioural"], "behavioural": shares["motivation"]}

    monkeypatch.setattr(kinds.KindModel, "probabilities", swapped)
    question = bank.get("beyond-rotation")
    verdict = score(question, rubrics.get(question.rubric), text=BLEED_ANSWER, others=tuple(bank))
    assert verdict.criteria["on_topic"].passed


def test_a_question_on_an_advisors_own_rubric_is_not_judged_by_the_fit_model(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # "Another rubric" names another kind of answer only among the rubrics the model was fitted on:
    # under an advisor's own rubric, "Tell me about yourself" would otherwise take a research
    # answer for one written to a research question of the bank.
    question = Question(
        id="about-you",
        text="Tell me about yourself.",
        category="general",
        rubric="advisor-intro",
        target_seconds=(45, 90),
    )
    verdict = score(question, rubrics.get("general"), text=RESEARCH_ANSWER, others=tuple(bank)).criteria[
        "on_topic"
    ]
    assert verdict.passed


def test_a_weakness_is_not_a_step_taken_against_it(bank: QuestionBank, rubrics: RubricSet) -> None:
    # Seen in a user pass: "Concrete steps" on a weakness answer quoted the weakness itself ("I agreed
    # to help with two case reports", "I missed the deadline") as the steps taken against it.
    answer = (
        "My weakness is that I find it hard to say no. Last spring I agreed to join three projects at "
        "once, and I forgot to send my part of a grant report until my mentor asked me twice. Since "
        "then I write every request on one list before I answer it. In October I declined a fourth "
        "project, and I sent my next report two days early."
    )
    verdict = verdict_on(bank, rubrics, "greatest-weakness", "own_role", answer)
    assert verdict.passed, verdict.feedback
    quoted = " | ".join(e.text for e in verdict.evidence if e.label == "own_action") + verdict.feedback
    assert "agreed to join" not in quoted and "forgot to send" not in quoted, quoted
    assert "I declined a fourth" in quoted, quoted


@pytest.mark.parametrize(
    ("answer", "advice"),
    [
        # A slight on a field asks what that field gives; blame of a person asks what the speaker did.
        (
            "I want the integrated IR residency. If I match DR, I'll get through the reading years and "
            "apply for ESIR in my second year, then the independent residency in my third.",
            "runs down another field",
        ),
        (
            "I want the integrated IR residency. Nobody at my school explained ESIR to us, so I "
            "applied late, and then I applied for ESIR in my second year.",
            "puts the blame on others",
        ),
    ],
)
def test_tone_advice_fits_what_was_run_down(
    bank: QuestionBank, rubrics: RubricSet, answer: str, advice: str
) -> None:
    verdict = verdict_on(bank, rubrics, "dual-apply", "tone", answer)
    assert not verdict.passed and advice in verdict.feedback, verdict.feedback


@pytest.mark.parametrize(
    ("answer", "area"),
    [
        (
            "On my IR elective I followed a man with a chyle leak through his thoracic duct embolization.",
            "other_area",
        ),
        (
            "What drew me was a woman with sickle cell disease who had a chest port placed in forty minutes.",
            "other_area",
        ),
        (
            "I scrubbed a portal vein embolization before a liver resection for colorectal metastases.",
            "oncologic",
        ),
    ],
)
def test_named_areas_of_ir_take_in_each_of_the_fields_practice_areas(
    bank: QuestionBank, rubrics: RubricSet, answer: str, area: str
) -> None:
    # The areas are a list because the content is one: SIR's practice areas, with vascular access,
    # lymphatic and musculoskeletal work and the oncology of metastases, not only the six advised.
    verdict = verdict_on(bank, rubrics, "why-ir", "ir_areas", answer)
    assert verdict.passed, verdict.feedback
    assert area in {e.label for e in verdict.evidence}


def test_one_concrete_act_is_asked_for_a_second_not_called_vague(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # Seen in a user pass: with one concrete act and no role words, "What you did" quoted the act
    # itself as the vague part ("Your part stays vague (\"I paged the fellow at 2 am\")").
    answer = (
        "A good team is one where everyone feels able to speak. On my surgery rotation I paged the "
        "fellow at 2 am about a drain that had stopped, and the nurse thanked me for it."
    )
    verdict = verdict_on(bank, rubrics, "teamwork", "own_role", answer)
    assert not verdict.passed
    assert verdict.feedback.startswith("One concrete thing you did"), verdict.feedback
    assert "paged the fellow" in verdict.feedback
    assert "vague" not in verdict.feedback


def test_a_close_carried_into_ir_is_not_called_looking_forward(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # A close told in the past, as an act in IR, passes; its advice says what it is, not "looking
    # forward", and asks for the line on what comes next.
    answer = (
        "I grew up near Dayton and studied chemistry. The patience came in useful on my IR elective, "
        "where I flushed and checked every drain on the morning round."
    )
    verdict = verdict_on(bank, rubrics, "tell-me-about-yourself", "forward_close", answer)
    assert verdict.passed
    assert verdict.feedback.startswith("You close on what the story led to in IR"), verdict.feedback
    assert "flushed and checked every drain" in verdict.feedback
    ahead = verdict_on(
        bank,
        rubrics,
        "tell-me-about-yourself",
        "forward_close",
        answer + " I want a program with an IR clinic.",
    )
    assert ahead.feedback.startswith("You close looking forward"), ahead.feedback
