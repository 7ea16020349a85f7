"""Feedback remembers: the change since the last try at the question, and last time's weak points."""

from __future__ import annotations

from typing import cast

from textual.widgets import Static

from interviewcoach.core.history.store import Store
from interviewcoach.core.session import Services
from interviewcoach.tui.screens.feedback import FeedbackScreen
from tests.history_data import make_score
from tests.tui.conftest import make_app, plain, shown, wait_until
from tests.tui.test_flows import SIZE, answer, choose, interview

EARLIER = {"brevity": 1.0, "non_defensive_tone": 0.2, "improvement_evidence": 0.5, "pivot_to_strengths": 0.9}


def seed_last_try(services: Services) -> None:
    store = cast(Store, services.store)
    # An older try with a low score, then the last one with the two weak points to be reminded of.
    store.save_attempt(
        make_score("low-score", overall=30, criteria=dict.fromkeys(EARLIER, 0.1), rubric_id="setback")
    )
    store.save_attempt(make_score("low-score", overall=55, criteria=EARLIER, rubric_id="setback"))


async def test_a_retry_shows_last_times_two_weakest_points_before_recording(services: Services) -> None:
    seed_last_try(services)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        panel = app.screen.query_one("#last-time", Static)
        await wait_until(pilot, lambda: panel.display, "last time's points")
        text = plain(panel)
        assert "55/100" in text
        lines = [line for line in text.splitlines() if line.startswith("•")]
        assert [line.split(" (")[0] for line in lines] == ["• Non-defensive", "• Concrete improvement"]
        assert "non_defensive_tone feedback" in text
        await wait_until(pilot, lambda: interview(app).phase == "ready", "ready")
        await pilot.press("space")
        await wait_until(pilot, lambda: interview(app).phase == "recording", "recording")
        assert not panel.display  # while answering, the timer has the room


async def test_feedback_shows_only_what_changed_since_the_last_try(services: Services) -> None:
    seed_last_try(services)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        feedback = await answer(pilot)
        since = feedback.query_one("#since-last", Static)
        await wait_until(pilot, lambda: since.display, "the change since last time")
        text = plain(since, width=400)
        now = feedback.score
        assert f"55 → {now.overall}" in text
        names = {c.id: c.name for c in services.rubrics.get("setback").criteria}
        moved = 0
        for cid, before in EARLIER.items():
            delta = round((now.criteria[cid].score - before) * 100)
            sign = "+" if delta > 0 else "\N{MINUS SIGN}"
            if delta:
                moved += 1
                word = "better" if delta > 0 else "worse"
                assert f"{names[cid]} {sign}{abs(delta)}" in text.split(f"{word}: ", 1)[1], text
            else:
                assert names[cid] not in text, text  # unchanged criteria are not listed
        assert moved and " same" not in text.split("·", 1)[1], text


async def test_the_same_answer_again_says_no_change(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        await answer(pilot)
        await pilot.press("r")  # the fake transcriber hears the same words: the same score
        await wait_until(pilot, lambda: interview(app).question.id == "low-score", "retry")
        feedback = await answer(pilot)
        since = feedback.query_one("#since-last", Static)
        await wait_until(pilot, lambda: since.display, "the comparison")
        text = plain(since, width=400).strip()
        assert text.startswith("No change since your last try ("), text
        assert "→" not in text and "same" not in text


async def test_a_first_try_shows_no_comparison(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "q:low-score")
        assert not app.screen.query_one("#last-time", Static).display
        feedback = await answer(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, FeedbackScreen) and not feedback.query_one("#since-last", Static).display
