"""Home finds things: setbacks first, a search box, each question's progress and its full text."""

from __future__ import annotations

from typing import cast

from textual.widgets import Input, OptionList, Static

from interviewcoach.core.history.store import Store
from interviewcoach.core.session import Services
from interviewcoach.tui.screens.home import HomeScreen
from interviewcoach.tui.screens.interview import InterviewScreen
from tests.history_data import make_score
from tests.tui.conftest import make_app, plain, shown, wait_until

SIZE = (80, 24)


def question_ids(choices: OptionList) -> list[str]:
    ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
    return [i[2:] for i in ids if i and i.startswith("q:")]


async def test_setback_questions_come_first(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        ids = question_ids(choices)
        setbacks = [q.id for q in services.bank if q.category == "setbacks"]
        assert ids[: len(setbacks)] == setbacks and ids[0] == "low-score"
        categories = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert next(c for c in categories if c and c.startswith("cat:")) == "cat:setbacks"


async def test_search_narrows_the_questions_and_enter_starts_one(services: Services) -> None:
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        search = app.screen.query_one("#search", Input)
        assert search.display and search.has_focus
        await pilot.press(*"angio")
        choices = app.screen.query_one("#choices", OptionList)
        await wait_until(pilot, lambda: question_ids(choices) == ["angio-suite-2am"], "one match")
        assert str(choices.get_option_at_index(0).prompt) == "1 question matching “angio”"
        # Typing letters that are keys on home (m, h, s, q) searches rather than acting.
        assert shown(app, HomeScreen)
        await pilot.press("escape")
        assert not search.display and question_ids(choices)[0] == "low-score"
        await pilot.press("slash", *"step mean", "enter")
        await wait_until(pilot, lambda: shown(app, InterviewScreen), "the question starts")
        assert cast(InterviewScreen, app.screen).question.id == "step2-below-mean"


async def test_each_question_shows_its_progress_and_the_focused_one_its_full_text(services: Services) -> None:
    store = cast(Store, services.store)
    for overall, at in (
        (52, "2025-05-01T10:00:00"),
        (78, "2025-05-02T10:00:00"),
        (64, "2025-05-03T10:00:00"),
    ):
        store.save_attempt(make_score("low-score", overall=overall), created_at=at)
    app = make_app(services)
    async with app.run_test(size=(60, 20)) as pilot:
        choices = app.screen.query_one("#choices", OptionList)
        index = choices.get_option_index("q:low-score")
        await wait_until(pilot, lambda: "78" in str(choices.get_option_at_index(index).prompt), "best score")
        choices.highlighted = index
        await pilot.pause()
        focused = plain(app.screen.query_one("#focused", Static), 58)
        text = services.bank.get("low-score").text
        assert " ".join(focused.split()).startswith(text)  # in full, though the row is cut
        assert "3 tries · best 78 · last 64" in focused
        assert not app.screen.query_one("#side").display  # 60 columns: the list gets the width


async def test_weakest_so_far_is_named_as_the_answers_rubric_names_it(services: Services) -> None:
    # "own_role" is "What you did" in the motivation rubric the student answered on, and "Your own
    # action" in the behavioural rubric, which no answer used: home must not show that name.
    store = services.store
    assert isinstance(store, Store)
    store.save_attempt(
        make_score("why-ir", overall=30, criteria={"brevity": 0.9, "own_role": 0.1}, rubric_id="motivation"),
        created_at="2025-05-01T10:00:00",
    )
    app = make_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        weakest = app.screen.query_one("#weakest", Static)
        await wait_until(pilot, lambda: "average" in plain(weakest, 40), "weakest criterion")
        assert "What you did" in plain(weakest, 40)


async def test_a_wide_terminal_gives_recent_attempts_room(services: Services) -> None:
    # Seen at 200 columns: the side panels kept 48 columns, cutting "Why interventional radiolo…",
    # beside a question list with over 100 columns to spare.
    store = services.store
    assert isinstance(store, Store)
    store.save_attempt(
        make_score("why-ir", overall=93, rubric_id="motivation"), created_at="2025-05-01T10:00:00"
    )
    app = make_app(services)
    async with app.run_test(size=(200, 50)) as pilot:
        recent = app.screen.query_one("#recent", Static)
        await wait_until(pilot, lambda: "93" in plain(recent, 200), "recent attempts")
        await pilot.pause()
        assert "Why interventional radiology?" in plain(recent, recent.content_size.width)
