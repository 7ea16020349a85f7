"""What the screens need of the app: the `Coach` contract and the screen bases that hold it.

Screens depend on this small module, never on `tui/app.py` (which imports the screens): the app
satisfies `Coach` (mypy checks it where the app is defined), and a screen reaches it as `self.coach`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from interviewcoach.core.content.sets import PracticeSet
    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.protocols import RecordedAnswer
    from interviewcoach.core.session import Services
    from interviewcoach.tui.plan import PracticePlan
    from interviewcoach.tui.preferences import Preferences

ResultT = TypeVar("ResultT")


@runtime_checkable
class Coach(Protocol):
    """The app as the screens see it: the services, the preferences and the navigation between screens."""

    services: Services
    preferences: Preferences
    practice_sets: list[PracticeSet]
    # False when the preferences were handed in (tests, tools): changes are then not saved.
    persist_preferences: bool

    def go_home(self) -> None: ...

    def leave_plan(self, plan: PracticePlan | None) -> None: ...

    def start_plan(self, plan: PracticePlan) -> None: ...

    def start_mock(self) -> None: ...

    def set_plan(self, set_id: str) -> PracticePlan: ...

    def services_for(self, plan: PracticePlan) -> Services: ...

    def show_feedback(
        self, plan: PracticePlan, score: Score, answer: RecordedAnswer, attempt_id: int | None
    ) -> None: ...

    def retry(self, plan: PracticePlan) -> None: ...

    def next_question(self, plan: PracticePlan) -> None: ...

    def open_history(self) -> None: ...

    def open_advisor(self) -> None: ...

    def open_settings(self) -> None: ...

    def save_preferences(self) -> None: ...

    def use_model(self, name: str) -> None: ...

    def save_attempt(
        self, score: Score, answer: RecordedAnswer, plan: PracticePlan, question: Question
    ) -> tuple[int | None, str]: ...


def coach_of(app: object) -> Coach:
    """The running app as a `Coach`; a screen pushed on any other app is a programming error."""
    if not isinstance(app, Coach):
        raise TypeError(f"{type(app).__name__} does not provide what the screens need (Coach)")
    return app


class CoachScreen(Screen[ResultT]):
    """A full screen of the app."""

    @property
    def coach(self) -> Coach:
        return coach_of(self.app)


class CoachModalScreen(ModalScreen[ResultT]):
    """A dialog of the app over another screen."""

    @property
    def coach(self) -> Coach:
        return coach_of(self.app)
