"""The feedback screen's words agree with its own numbers: pass counts, to-work-on, filler counts."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from interviewcoach.core.models import CriterionResult, Evidence
from interviewcoach.tui.app import InterviewCoachApp
from interviewcoach.tui.highlights import Highlights
from interviewcoach.tui.plan import PracticePlan
from interviewcoach.tui.screens.feedback import FeedbackScreen
from interviewcoach.tui.widgets.score_card import ScoreCard
from interviewcoach.tui.widgets.transcript_view import TranscriptView, legend
from tests.tui.conftest import plain, shown, wait_until
from tests.tui.content import QUESTIONS, canned_score, snapshot_services


async def _feedback_text(tmp_path: Path, **changes: object) -> tuple[str, str]:
    score = canned_score()
    criteria = dict(score.criteria)
    for cid, update in changes.items():
        criteria[cid] = criteria[cid].model_copy(update=update)  # type: ignore[arg-type]
    score = score.model_copy(update={"criteria": criteria})
    app = InterviewCoachApp(snapshot_services(tmp_path), warm_up=None, load_sets=False)
    async with app.run_test(size=(120, 40)) as pilot:
        plan = PracticePlan(QUESTIONS[0].text, "question", [QUESTIONS[0]])
        screen = FeedbackScreen(score, QUESTIONS[0], plan=plan)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
        head = plain(screen.query_one("#overall-text", Static), 120)
        legend = plain(screen.query_one(TranscriptView), 120)
    return head, legend


async def test_all_passing_is_not_called_to_work_on(tmp_path: Path) -> None:
    head, _ = await _feedback_text(
        tmp_path, ownership={"score": 1.0, "passed": True}, pace={"score": 0.51, "passed": True}
    )
    assert "7 of 7 criteria pass" in head
    assert "To work on" not in head
    assert "Every criterion passed; room to improve: Pace (51%), " in head, head


async def test_a_failed_criterion_is_to_work_on_and_only_failed_ones(tmp_path: Path) -> None:
    head, _ = await _feedback_text(tmp_path)
    assert "6 of 7 criteria pass" in head
    line = next(line for line in head.splitlines() if "To work on" in line)
    assert "(50%)" in line and "(60%)" not in line  # the passing pivot is not listed as failing


async def test_filler_legend_counts_what_the_fillers_card_counts(tmp_path: Path) -> None:
    score = canned_score()
    # Five fillers heard, one of them with a place in the text to mark (the others between words).
    score = score.model_copy(update={"metrics": score.metrics.model_copy(update={"filler_count": 5})})
    app = InterviewCoachApp(snapshot_services(tmp_path), warm_up=None, load_sets=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = FeedbackScreen(score, QUESTIONS[0], plan=PracticePlan("q", "question", [QUESTIONS[0]]))
        await app.push_screen(screen)
        await wait_until(pilot, lambda: shown(app, FeedbackScreen), "feedback")
        legend = plain(screen.query_one(TranscriptView), 120)
    assert "fillers (5, 1 marked)" in legend and "fillers (1)" not in legend


async def test_the_same_words_found_twice_are_one_quote_with_a_count(tmp_path: Path) -> None:
    # Seen in the app: "Named areas of IR" listed `trauma: "bleeding"` twice when the word was said twice.
    evidence = [
        Evidence(label="trauma", text="bleeding", start=10, end=18),
        Evidence(label="oncologic", text="TACE", start=30, end=34),
        Evidence(label="trauma", text="Bleeding", start=50, end=58),
    ]
    result = CriterionResult(score=1.0, passed=True, feedback="You name the IR work.", evidence=evidence)
    app = InterviewCoachApp(snapshot_services(tmp_path), warm_up=None, load_sets=False)
    async with app.run_test(size=(120, 40)):
        card = ScoreCard("Named areas of IR", result)
        await app.screen.mount(card)
        text = str(card.render())
    lines = [line.strip() for line in text.splitlines()]
    assert 'trauma: "bleeding" x2' in lines
    assert 'oncologic: "TACE"' in lines
    assert sum("trauma" in line for line in lines) == 1


def test_one_filler_heard_between_words_is_singular() -> None:
    # Seen in the app after a spoken answer with one "um": "1 fillers heard between words".
    nothing_marked = Highlights(runs=[], counts={})
    assert legend(nothing_marked, 1).plain == "1 filler heard between words (not marked)"
    assert legend(nothing_marked, 3).plain == "3 fillers heard between words (not marked)"
