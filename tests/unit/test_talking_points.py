"""The talking-points detector: coverage by meaning, said of the speaker and not negated; evidence,
the nearest sentence for a missed point, scoring and the CLI's JSON. Real spaCy, real embeddings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from interviewcoach.cli import app
from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.content.sets import derive_rubric
from interviewcoach.core.errors import DataFileError
from interviewcoach.core.models import Question
from interviewcoach.core.scoring.detectors.talking_points import (
    TalkingPointsParams,
    match_points,
    stem,
    talking_points_json,
    talking_points_report,
)
from interviewcoach.core.scoring.engine import score
from interviewcoach.core.scoring.rubrics import Rubric, load_rubric

DEFAULTS = TalkingPointsParams()


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (["preparation", "prepare", "preparing"], True),
        (["strategic", "strategy", "strategically"], True),
        (["improvement", "improve"], True),
        (["mentorship", "mentor"], True),
        (["mentor", "mention"], False),
        (["twenty", "20"], True),
        (["two", "2"], True),
        (["ck", "ck"], True),
    ],
)
def test_stem_joins_word_families_and_spoken_numbers(words: list[str], same: bool) -> None:
    stems = {stem(w) for w in words}
    assert (len(stems) == 1) is same, stems


def covered(point: str, answer: str, params: TalkingPointsParams = DEFAULTS) -> bool:
    [match] = match_points([point], answer, params)
    if match.covered:
        assert match.evidence is not None and match.nearest is None
        assert answer[match.evidence.start : match.evidence.end] == match.evidence.text
    return match.covered


# --- the four reported bugs, each through the scorer (they failed on the word matcher) ------------


def covered_points(points: list[str], answer: str, base: Rubric) -> list[str]:
    rubric = derive_rubric(base)
    q = question(points, rubric.id)
    report = talking_points_report(score(q, rubric, text=answer), q, rubric)
    assert report is not None
    return [p for p, _ in report.covered]


DR_POINTS = [
    "long-term goal is interventional radiology",
    "ESIR or the independent IR pathway",
    "respect for how competitive IR-integrated is",
]


def test_a_negated_goal_covers_nothing(base: Rubric) -> None:
    answer = (
        "I am not really interested in ESIR or the independent IR pathway. Honestly, my long-term goal "
        "is not IR; I would be happy as a diagnostic radiologist."
    )
    assert covered_points(DR_POINTS, answer, base) == []


def test_someone_elses_score_is_not_the_speakers(base: Rubric) -> None:
    answer = "My roommate's Step 2 went up by thirty points after she changed her schedule."
    assert covered_points(["Step 2 CK improvement"], answer, base) == []


def test_never_presenting_a_poster_is_not_presenting_one(base: Rubric) -> None:
    answer = "I never presented a poster at SIR, because our abstract was rejected."
    assert covered_points(["presented a poster at SIR"], answer, base) == []


def test_where_the_tumor_board_meets_is_not_a_tumor_board_discussion(base: Rubric) -> None:
    answer = "The tumor board room is next to the cafeteria, so I eat lunch there."
    assert covered_points(["discussed cases at tumor board"], answer, base) == []


TACE_POINTS = [
    "explained TACE to the patient",
    "discussed cases at tumor board",
    "imaging follow-up showed complete response",
    "took overnight angio suite calls",
    "an IR mentor who guided me",
]
TACE_ANSWER = (
    "On my IR elective I came in at two in the morning with the on-call team for a bleeding patient. "
    "Later that month I sat with a patient with liver cancer and explained how we would deliver "
    "chemotherapy straight into the artery feeding her tumor. I presented her at our multidisciplinary "
    "liver conference with surgery and oncology. The MRI a month later showed a complete response. "
    "Dr. Patel, one of the interventional attendings, met with me every week and shaped how I think "
    "about patients."
)


def test_a_model_tace_answer_covers_all_five_points_in_paraphrase(base: Rubric) -> None:
    assert covered_points(TACE_POINTS, TACE_ANSWER, base) == TACE_POINTS


# --- paraphrases, negation and attribution ---------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        ("Step 2 CK improvement", "My Step two score went up by twenty points."),
        ("Step 2 CK improvement", "My second board exam came back forty points higher than the first."),
        ("presented a poster at SIR", "I shared our embolization outcomes as a poster at the SIR meeting."),
        ("published research", "I am first author on a paper that came out in a radiology journal."),
        ("away rotations at other IR programs", "I rotated away at two outside IR departments last fall."),
        ("ESIR | the independent IR pathway", "If I match DR, I would take the independent pathway to IR."),
        ("own the failure without blaming", "I take full ownership of that result and I don't blame anyone."),
        # Someone else acting for the speaker is about the speaker.
        ("an IR mentor who guided me", "An interventional radiologist at my school coached me for years."),
        # "My mentor and I" is the speaker too.
        ("presented a poster at SIR", "My mentor and I presented a poster at SIR last spring."),
    ],
)
def test_paraphrases_cover_the_point(point: str, answer: str) -> None:
    assert covered(point, answer)


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        ("research or QI project", "I earned honors in surgery and medicine."),
        # A number in the point must be said.
        ("Step 2 CK improvement", "My Step 1 score was a two fourteen."),
        ("Step 2", "I failed Step 1."),
        ("teamwork with nurses and techs", "I grew up in a small town outside Phoenix."),
        ("", "Anything at all."),
        # Negated, or said of someone else.
        ("took overnight angio suite calls", "I never took overnight calls in the angio suite."),
        ("an IR mentor who guided me", "My brother had an IR mentor who guided him through it."),
        (
            "away rotations at other IR programs",
            "Most of my classmates did away rotations at other IR programs.",
        ),
        ("explained TACE to the patient", "The attending explained TACE to the patient while I watched."),
        # A description of the world, not something the speaker did.
        ("explained TACE to the patient", "TACE is one of the most common procedures in IR."),
    ],
)
def test_absent_negated_or_someone_elses_points_are_missed(point: str, answer: str) -> None:
    assert not covered(point, answer)


def test_another_kind_of_radiology_covers_neither_ir_point() -> None:
    # Failed before: "diagnostic radiology" covered both IR points (the shared head noun carried the
    # meaning, and the next sentence, read in context, took on the same meaning).
    answer = (
        "I would be fine with diagnostic radiology, I think. I like imaging and I like the hours, so I "
        "would probably stay in it and see what happens later on."
    )
    goal, esir = match_points(
        ["long-term goal is interventional radiology", "ESIR or the independent IR pathway"], answer
    )
    assert not goal.covered and goal.verdict == "a different one"
    assert not esir.covered and esir.verdict == "a different one"
    # Naming the point's own kind in the sentence still covers it.
    assert covered(
        "long-term goal is interventional radiology",
        "My long-term goal is interventional radiology, not diagnostic radiology.",
    )


@pytest.mark.parametrize(
    ("answer", "want"),
    [
        # Failed before: the shared "IR" carried MiniLM's similarity past the threshold.
        ("I spent four weeks with the IR team.", False),
        ("Our IR department reads about forty studies a day.", False),
        # The point made, with or without the specialty's name, still counts.
        ("I applied widely, since I knew integrated IR programs take only a handful of students.", True),
        ("I applied widely, since I knew the integrated programs take only a handful of students.", True),
    ],
)
def test_a_sentence_sharing_only_the_specialty_s_name_does_not_make_the_point(
    answer: str, want: bool
) -> None:
    assert covered("respect for how competitive IR-integrated is", answer) is want


@pytest.mark.parametrize(
    ("point", "answer", "want"),
    [
        # Failed before: the content of the speaker's own "I know" read as a description of the world.
        (
            "respect for how competitive IR-integrated is",
            "I know how competitive the integrated programs are.",
            True,
        ),
        (
            "respect for how competitive IR-integrated is",
            "My roommate knows how competitive the programs are.",
            False,
        ),
        ("Step 2 CK improvement", "I know my roommate's Step 2 CK score went up.", False),
    ],
)
def test_a_fact_the_speaker_says_they_know_is_theirs(point: str, answer: str, want: bool) -> None:
    assert covered(point, answer) is want


@pytest.mark.parametrize(
    ("answer", "want"),
    [
        # Failed before: "intervention" shares its stem with "interventional", so it joined the IR
        # group and a research sentence covered the point.
        (
            "On my research year I reviewed 212 dialysis access cases and built a model that predicted a "
            "second intervention within six months.",
            False,
        ),
        ("I reviewed every repeat intervention on our dialysis grafts that spring.", False),
        ("I want to train in interventional, whatever route gets me there.", True),
        ("My long-term goal is to practise IR in a community hospital.", True),
    ],
)
def test_a_relational_adjective_joins_its_group_by_its_own_form(answer: str, want: bool) -> None:
    assert covered("long-term goal is interventional radiology", answer) is want


@pytest.mark.parametrize(
    "answer",
    [
        "I hope to present a poster at SIR next year.",
        "I plan to present a poster at SIR.",
        "I will present a poster at SIR in the spring.",
        "If our abstract is accepted, I would present a poster at SIR.",
        # A wish or an attempt in the past is no more done than one in the present.
        "I wanted to present a poster at SIR.",
        "I had hoped to present a poster at SIR.",
        "I was planning to present a poster at SIR.",
        "I tried to present a poster at SIR.",
        "I meant to present a poster at SIR, but the deadline passed.",
        # A wish said to have come true only when the "did" is not denied and does something else.
        "I wanted to present a poster at SIR, but I didn't.",
        "I wanted to present a poster at SIR and I did a lot of reading.",
    ],
)
def test_a_plan_does_not_cover_a_point_stated_as_done(answer: str) -> None:
    [match] = match_points(["presented a poster at SIR"], answer)
    assert not match.covered and match.verdict == "planned"


@pytest.mark.parametrize(
    "answer",
    [
        "I presented a poster at SIR.",
        "I went on to present a poster at SIR.",
        "I managed to present a poster at SIR.",
        "I wanted to do research, so I presented a poster at SIR.",
        # A wish told as come true.
        "I wanted to present a poster at SIR, and I did.",
        "I had hoped to present a poster at SIR, and I did so in March.",
    ],
)
def test_a_deed_still_covers_a_point_stated_as_done(answer: str) -> None:
    # Only verbs of wishing or trying make their infinitive a plan; achieving ones tell it done.
    assert covered("presented a poster at SIR", answer)


def test_a_plan_covers_a_point_that_is_a_plan() -> None:
    # The point states no deed, so a plan in the future tense still says it.
    assert covered(
        "ESIR or the independent IR pathway", "If I match diagnostic radiology, I will apply for ESIR."
    )
    assert covered("presented a poster at SIR", "Last spring I presented a poster at SIR.")


def test_a_covered_point_quotes_its_sentence_and_a_missed_one_the_nearest() -> None:
    answer = "I was disappointed. My Step two score went up by twenty points. I never presented a poster."
    step, poster = match_points(["Step 2 CK improvement", "presented a poster at SIR"], answer)
    assert step.covered and step.evidence is not None and step.nearest is None
    assert step.evidence.text == "My Step two score went up by twenty points."
    assert answer[step.evidence.start : step.evidence.end] == step.evidence.text
    assert not poster.covered and poster.evidence is None and poster.verdict == "negated"
    assert poster.nearest is not None and poster.nearest.text == "I never presented a poster."
    assert answer[poster.nearest.start : poster.nearest.end] == poster.nearest.text


def test_the_similarity_threshold_is_a_parameter() -> None:
    answer = "I did a four-week rotation in interventional radiology last spring."
    assert covered("IR rotation", answer)
    assert not covered("IR rotation", answer, TalkingPointsParams(similarity=1.5))


def test_extra_synonyms_from_a_rubric_count_as_words_said() -> None:
    params = TalkingPointsParams(extra_synonyms=[["board certification", "abr exam"]])
    assert params.all_synonyms()[-1] == ("board certification", "abr exam")


@pytest.mark.parametrize(
    "groups",
    [[["alone"]], [["a", ""]], [["x" * 61, "y"]], [["one two three four five", "b"]], [["w"] * 21]],
)
def test_synonym_groups_are_checked(groups: list[list[str]]) -> None:
    with pytest.raises(ValidationError):
        TalkingPointsParams(synonyms=groups)


# --- through the scorer ----------------------------------------------------------------------------


ANSWER = (
    "My Step 1 score was below where I wanted it, and I own that. I had relied on passive reading. "
    "I rebuilt my approach around UWorld questions and spaced repetition, and my Step 2 CK came in "
    "twenty points higher. I also earned honors in surgery and in medicine."
)
POINTS = [
    "Step 2 CK improvement",
    "changed study approach: question banks and spaced repetition",
    "research or QI project",
]


BASE = """\
[rubric]
id = "plain"
title = "Plain"
version = 3

[[criteria]]
id = "brevity"
name = "Brief"
detector = "brevity"
weight = 1
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    """A one-criterion rubric of the test's own, so shipped rubric changes do not move these tests."""
    path = tmp_path_factory.mktemp("rubric") / "plain.toml"
    path.write_text(BASE, encoding="utf-8")
    return load_rubric(path)


def question(points: list[str], rubric: str = "plain") -> Question:
    return Question(
        id="low-score",
        text="Walk me through your board scores.",
        category="setbacks",
        rubric=rubric,
        target_seconds=(30, 85),
        talking_points=points,
    )


def test_scored_answer_reports_covered_and_missed_points(base: Rubric) -> None:
    rubric = derive_rubric(base)
    q = question(POINTS, rubric.id)
    result = score(q, rubric, text=ANSWER)
    verdict = result.criteria["talking_points"]
    assert verdict.score == 0.67 and verdict.passed  # 2 of 3 meets the default two-thirds
    # Evidence is the sentence that covered each point, labelled with the point.
    assert sorted(e.label for e in verdict.evidence) == sorted(POINTS[:2])
    for evidence in verdict.evidence:
        assert ANSWER[evidence.start : evidence.end] == evidence.text
    assert "You covered 2 of 3 talking points" in verdict.feedback
    assert "Not yet: research or QI project." in verdict.feedback
    report = talking_points_report(result, q, rubric)
    assert report is not None
    assert [p for p, _ in report.covered] == POINTS[:2]
    assert report.missed == ["research or QI project"]
    assert report.covered[0][1] == (
        "I rebuilt my approach around UWorld questions and spaced repetition, and my Step 2 CK came in "
        "twenty points higher."
    )


def test_too_few_points_fails_with_advice_naming_the_missed_ones(base: Rubric) -> None:
    rubric = derive_rubric(base)
    q = question([POINTS[2], "ESIR or the independent IR pathway"], rubric.id)
    verdict = score(q, rubric, text=ANSWER).criteria["talking_points"]
    assert verdict.score == 0.0 and not verdict.passed and verdict.evidence == []
    assert verdict.feedback == (
        "You covered 0 of 2 talking points. "
        "Work in: research or QI project; ESIR or the independent IR pathway."
    )


CUSTOM = """\
[rubric]
id = "advisor-points"
title = "Points"
version = 1

[[criteria]]
id = "advisor_points"
name = "Advisor's points"
detector = "talking_points"
weight = 1
params.pass_share = 1.0
advice.pass = "All {total} made."
advice.fail = "Missing: {missed}."
"""


def test_custom_rubric_criterion_advice_and_unscored_without_points(tmp_path: Path) -> None:
    path = tmp_path / "points.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    rubric = load_rubric(path)
    q = question(POINTS, rubric.id)
    verdict = score(q, rubric, text=ANSWER).criteria["advisor_points"]
    assert not verdict.passed and verdict.feedback == "Missing: research or QI project."
    # No talking points: the criterion is reported as not scored, never as a made-up score.
    result = score(question([], rubric.id), rubric, text=ANSWER)
    assert result.criteria == {}
    assert [(u.id, u.reason) for u in result.unscored] == [
        ("advisor_points", "this question has no talking points")
    ]
    assert talking_points_report(result, question([], rubric.id), rubric) is None


def test_bad_detector_params_in_a_rubric_file_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "points.toml"
    path.write_text(CUSTOM.replace("params.pass_share = 1.0", "params.coverag = 0.5"), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_rubric(path)
    [problem] = info.value.problems
    assert problem.line == 11
    assert problem.field == "criteria[0].params.coverag"
    assert "did you mean 'coverage'" in problem.message


def test_too_short_answer_is_not_scored_and_every_point_is_missed(base: Rubric) -> None:
    rubric = derive_rubric(base)
    q = question(POINTS, rubric.id)
    result = score(q, rubric, text="I don't know.")
    assert result.no_answer and result.overall == 0
    report = talking_points_report(result, q, rubric)
    assert report is not None and report.covered == [] and report.missed == POINTS


# --- the CLI's JSON --------------------------------------------------------------------------------


def test_score_json_lists_each_talking_point_with_evidence_or_nearest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interviewcoach.cli import score_cmds
    from interviewcoach.core.content.sets import load_content, with_talking_points

    bank, rubrics = load_content()
    points = [*TACE_POINTS, "published research"]
    extra = question(points, "setback").model_copy(update={"id": "tace-case"})
    questions, rubrics = with_talking_points([*bank, extra], rubrics)
    # The shipped bank has no talking points; this bank adds one question that has some.
    monkeypatch.setattr(score_cmds, "load_content", lambda: (QuestionBank(questions), rubrics))
    answer = tmp_path / "answer.txt"
    answer.write_text(TACE_ANSWER, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["score", "-q", "tace-case", "--text-file", str(answer), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "criteria" in data and "talking_points" in data["criteria"]
    rows = data["talking_points"]
    assert [row["text"] for row in rows] == points
    for row in rows:
        assert set(row) == {"text", "covered", "evidence", "nearest"}
        quote = row["evidence"] if row["covered"] else row["nearest"]
        other = row["nearest"] if row["covered"] else row["evidence"]
        assert other is None and set(quote) == {"text", "start", "end"}
        assert TACE_ANSWER[quote["start"] : quote["end"]] == quote["text"]
    assert [row["covered"] for row in rows] == [True] * 5 + [False]
    # A question without talking points has an empty list.
    plain = runner.invoke(app, ["score", "-q", "low-score", "--text-file", str(answer), "--json"])
    assert plain.exit_code == 0 and json.loads(plain.stdout)["talking_points"] == []


def test_json_of_an_answer_too_short_to_score_misses_every_point(base: Rubric) -> None:
    rubric = derive_rubric(base)
    q = question(POINTS, rubric.id)
    result = score(q, rubric, text="I don't know.")
    rows = talking_points_json(result, q, rubric)
    assert rows == [{"text": p, "covered": False, "evidence": None, "nearest": None} for p in POINTS]
