"""The talking-points detector: coverage by lemma and close paraphrase, evidence, and scoring."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from interviewcoach.core.analysis import get_nlp
from interviewcoach.core.detectors.talking_points import (
    TalkingPointsParams,
    match_points,
    stem,
    talking_points_report,
)
from interviewcoach.core.errors import DataFileError
from interviewcoach.core.questions import Question
from interviewcoach.core.rubrics import Rubric, load_rubric
from interviewcoach.core.scoring import score
from interviewcoach.core.sets import derive_rubric

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
    [match] = match_points([point], get_nlp()(answer), params)
    if match.covered:
        assert match.start is not None and match.end is not None
        assert 0 <= match.start < match.end <= len(answer)
    return match.covered


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        # Paraphrase: spoken number, a phrasal verb for "improvement".
        ("Step 2 CK improvement", "My Step two score went up by twenty points."),
        ("Step 2 CK improvement", "I improved a lot on Step 2 CK."),
        # Lemma and derivational variants.
        ("structured exam preparation", "I prepared for the exam with a structured plan."),
        ("an IR mentor", "I met my mentor in interventional radiology every week."),
        ("strategic program selection", "I chose programs strategically this cycle."),
        ("changed study approach", "I revamped how I studied after that."),
        # Synonym groups, including multi-word ones.
        ("interventional radiology interest", "I have been interested in IR since my second year."),
        ("question banks and spaced repetition", "I did UWorld every day with spaced repetition."),
        ("calm under pressure", "I stayed composed when the patient crashed."),
        # Alternatives: any one covers the point.
        ("ESIR | the independent IR pathway", "If I match DR, I would take the independent pathway to IR."),
        # A point of stop words only matches on every word.
        ("what I did", "That is what I did next."),
    ],
)
def test_paraphrases_and_variants_cover_the_point(point: str, answer: str) -> None:
    assert covered(point, answer)


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        ("research or QI project", "I earned honors in surgery and medicine."),
        # A number in the point must be said.
        ("Step 2 CK improvement", "My Step 1 score improved on the second attempt at the CK style exams."),
        ("Step 2", "I failed Step 1."),
        # One word of four is not enough.
        ("ESIR or the independent IR pathway", "I want to do IR."),
        ("teamwork with nurses and techs", "I like the angio suite."),
        ("", "Anything at all."),
    ],
)
def test_absent_points_are_missed(point: str, answer: str) -> None:
    assert not covered(point, answer)


def test_a_points_words_must_be_close_together() -> None:
    far = "I value teamwork. I read a lot. I run. I cook. I travel. The nurses were kind."
    near = "I value teamwork. The nurses and techs were kind."
    assert not covered("teamwork with nurses and techs", far)
    assert covered("teamwork with nurses and techs", near)
    wide = TalkingPointsParams(window_sentences=6)
    assert covered("teamwork with nurses and techs", far, wide)


def test_coverage_threshold_is_a_parameter() -> None:
    answer = "My Step 2 CK score was fine."
    assert covered("Step 2 CK improvement", answer)  # 3 of 4 words
    assert not covered("Step 2 CK improvement", answer, TalkingPointsParams(coverage=1.0))


def test_extra_synonyms_from_a_rubric() -> None:
    answer = "I passed the ABR exam on my first try."
    assert not covered("board certification", answer)
    params = TalkingPointsParams(extra_synonyms=[["board certification", "abr exam"]])
    assert covered("board certification", answer, params)


def test_evidence_is_the_span_that_covered_the_point() -> None:
    answer = "I was disappointed. My Step two score went up by twenty points. I also did research."
    [match] = match_points(["Step 2 CK improvement"], get_nlp()(answer), DEFAULTS)
    assert match.start is not None and match.end is not None
    assert answer[match.start : match.end] == "Step two score went up"
    assert match.coverage == 0.75


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
    # Evidence in the order it appears in the answer, labelled with the point it covered.
    assert [e.label for e in verdict.evidence] == [POINTS[1], POINTS[0]]
    for evidence in verdict.evidence:
        assert ANSWER[evidence.start : evidence.end] == evidence.text
    assert "You covered 2 of 3 talking points" in verdict.feedback
    assert "Not yet: research or QI project." in verdict.feedback
    report = talking_points_report(result, q, rubric)
    assert report is not None
    assert [p for p, _ in report.covered] == POINTS[:2]
    assert report.missed == ["research or QI project"]
    assert report.covered[0][1] == "Step 2 CK came in twenty points higher"


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
