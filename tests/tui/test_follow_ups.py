"""The interviewer follows up in a mock: one question per answer, chosen from what the answer lacked."""

from __future__ import annotations

from typing import cast

import pytest
from textual.widgets import DataTable

from interviewcoach.core.content.questions import QuestionBank
from interviewcoach.core.scoring.rubrics import RubricSet
from interviewcoach.core.session import Services
from interviewcoach.tui import follow_up, mock_state
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.screens.confirm import ConfirmScreen
from interviewcoach.tui.screens.interview import InterviewScreen
from interviewcoach.tui.screens.summary import SummaryScreen
from tests.history_data import make_score
from tests.tui.conftest import make_app, quiet, shown, wait_until
from tests.tui.test_flows import SIZE, answer, interview

PASSING = {"brevity": 1.0, "non_defensive_tone": 1.0, "improvement_evidence": 1.0, "pivot_to_strengths": 1.0}


@pytest.mark.parametrize(
    ("failed", "asked"),
    [
        ("non_defensive_tone", "What would you do differently if you sat it again?"),
        (
            "improvement_evidence",
            "What makes you confident you will pass the IR and DR boards on the first attempt?",
        ),
        (None, "What would you do differently if you sat it again?"),  # nothing failed: the bank's first
    ],
)
def test_the_follow_up_asks_for_what_the_answer_lacked(
    bank: QuestionBank, rubrics: RubricSet, failed: str | None, asked: str
) -> None:
    criteria = dict(PASSING)
    if failed is not None:
        criteria[failed] = 0.2
    score = make_score("low-score", criteria=criteria, rubric_id="setback")
    assert follow_up.choose(bank.get("low-score"), score, rubrics.get("setback")) == asked


def test_without_a_matching_bank_follow_up_the_interviewer_asks_plainly(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    question = bank.get("low-score").model_copy(update={"follow_ups": []})
    score = make_score("low-score", criteria={**PASSING, "improvement_evidence": 0.1}, rubric_id="setback")
    assert follow_up.choose(question, score, rubrics.get("setback")) == follow_up.HAPPENED.fallback


@pytest.mark.slow
async def test_a_mock_asks_one_follow_up_per_answer_and_the_summary_shows_them_together(
    services: Services,
) -> None:
    app = make_app(services, preferences=quiet(mock_length=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "first question")
        first = interview(app).question
        await answer(pilot)
        await pilot.press("n")
        await wait_until(
            pilot, lambda: shown(app, InterviewScreen) and interview(app).plan.index == 1, "follow-up"
        )
        screen = interview(app)
        assert screen.plan.position == "Follow-up to question 1 of 2"
        assert screen.question.text in [
            *first.follow_ups,
            *(i.fallback for i in follow_up._BY_DETECTOR.values()),
        ]
        await answer(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: shown(app, InterviewScreen) and interview(app).plan.index == 2, "q2")
        assert interview(app).plan.position == "Question 2 of 2"
        # Quit during the second follow-up and come back: it resumes there.
        await answer(pilot)
        await pilot.press("n")
        await wait_until(
            pilot, lambda: shown(app, InterviewScreen) and interview(app).plan.index == 3, "q2 f/u"
        )
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "quit?")
        await pilot.press("y")
    saved = mock_state.load(services.data_dir)
    assert saved is not None and saved.where == "follow-up to question 2 of 2"

    again = make_app(services, preferences=quiet(mock_length=2))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(again.screen, ConfirmScreen), "resume?")
        await pilot.press("r")
        await wait_until(pilot, lambda: shown(again, InterviewScreen), "the follow-up again")
        assert interview(again).plan.position == "Follow-up to question 2 of 2"
        await answer(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: shown(again, SummaryScreen), "summary")
        table = cast(SummaryScreen, again.screen).query_one("#answers", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["1", "↳1", "2", "↳2"]


async def test_follow_ups_can_be_turned_off(services: Services) -> None:
    app = make_app(services, preferences=quiet(mock_length=2, follow_ups=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "first question")
        await answer(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: shown(app, InterviewScreen) and interview(app).plan.index == 1, "q2")
        assert interview(app).plan.position == "Question 2 of 2"
    assert isinstance(app, InterviewCoachApp)


def test_a_story_with_a_vague_part_is_asked_what_the_speaker_did(
    bank: QuestionBank, rubrics: RubricSet
) -> None:
    # Seen in a mock: an answer that told one episode but whose feedback said "Your part stays
    # vague" was followed by "Tell me about one specific time.", asking again for what it gave.
    question = bank.get("biggest-mistake")  # its own follow-ups ask neither for a time nor a part
    score = make_score("biggest-mistake", criteria={**PASSING, "own_role": 0.35}, rubric_id="setback")
    assert follow_up.choose(question, score, rubrics.get("setback")) == "What exactly did you do yourself?"
    # No story at all comes first: the part is asked for once there is a story to have one in.
    story_less = make_score(
        "tell-me-about-yourself", criteria={"story": 0.0, "own_role": 0.0}, rubric_id="general"
    )
    assert follow_up.intent_for(story_less, rubrics.get("general")) is follow_up.SPECIFIC


async def test_a_follow_up_is_asked_without_think_time(services: Services) -> None:
    # Seen in a mock: "Follow-up to question 1 of 5 ... Think time 0:14". A follow-up question has
    # think_seconds 0 ("no think time"), which the think time setting read as "not set".
    app = make_app(services, preferences=quiet(mock_length=1, think_seconds=15))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "first question")
        await wait_until(pilot, lambda: interview(app).phase == "thinking", "think time")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
        await pilot.pause(0.15)
        await pilot.press("space")
        await wait_until(pilot, lambda: not shown(app, InterviewScreen), "feedback")
        await pilot.press("n")
        await wait_until(
            pilot, lambda: shown(app, InterviewScreen) and interview(app).plan.index == 1, "follow-up"
        )
        await wait_until(pilot, lambda: interview(app).phase in ("ready", "thinking"), "after reading")
        assert interview(app).phase == "ready"
