"""Feedback on one answer: overall score, a card per criterion, delivery, highlighted transcript, tips.

The same screen shows a fresh answer (retry / next / home) and an attempt opened from the history or
the mock-interview summary (Esc goes back); an attempt from the history also shows the advisor's
comments on it, if the student has imported any (`interviewcoach comments import`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Digits, Static

from interviewcoach.core.models import Transcript
from interviewcoach.core.protocols import history_of
from interviewcoach.core.session import PaceParams, PauseParams
from interviewcoach.tui import memory
from interviewcoach.tui.coach import CoachScreen
from interviewcoach.tui.highlights import spans_for
from interviewcoach.tui.messages import LastTryFound, cancelled
from interviewcoach.tui.screens.home import short_date
from interviewcoach.tui.widgets.delivery_panel import DeliveryPanel, band_params
from interviewcoach.tui.widgets.delivery_timeline import DeliveryTimeline
from interviewcoach.tui.widgets.key_footer import KeyFooter
from interviewcoach.tui.widgets.score_card import ScoreCard, UnscoredCard
from interviewcoach.tui.widgets.title_bar import TitleBar
from interviewcoach.tui.widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from interviewcoach.core.models import Question, Score
    from interviewcoach.core.records import AdvisorComment, AdvisorOverride
    from interviewcoach.core.session import Rubric, RubricSet
    from interviewcoach.tui.plan import PracticePlan

Mode = Literal["answer", "review"]


def _signed(delta: int) -> Text:
    """+12 in green, -5 in amber: the sign says it as well as the colour; no change is "same"."""
    if delta == 0:
        return Text(" same", "grey62")
    sign = "+" if delta > 0 else "\N{MINUS SIGN}"
    return Text(f" {sign}{abs(delta)}", "green" if delta > 0 else "#ffaf00")


def overall_words(score: Score) -> str:
    passed = sum(1 for r in score.criteria.values() if r.passed)
    return f"out of 100 · {passed} of {len(score.criteria)} criteria pass"


class CommentsFound(Message):
    """The advisor's comments and talking-point verdicts on the attempt shown, read in a worker."""

    def __init__(self, comments: list[AdvisorComment], overrides: list[AdvisorOverride]) -> None:
        super().__init__()
        self.comments = comments
        self.overrides = overrides


def comments_text(comments: list[AdvisorComment], overrides: list[AdvisorOverride]) -> Text:
    """The "Advisor's comments" panel: plain Text, so nothing an advisor wrote is read as markup."""
    lines = []
    for c in comments:
        line = Text()
        line.append(f"{c.author}, {c.created_at[:10]}: ", "bold")
        line.append(c.text)
        lines.append(line)
    for o in overrides:
        verdict = "covered" if o.covered else "not covered"
        lines.append(Text(f"{o.author} marks talking point “{o.point}” as {verdict}", "italic"))
    return Text("\n").join(lines)


class FeedbackScreen(CoachScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next"),
        Binding("n", "summary", "Summary"),
        Binding("t", "transcript", "Transcript"),
        Binding("p", "play", "Play"),
        Binding("escape", "home", "Home"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        score: Score,
        question: Question,
        *,
        plan: PracticePlan | None = None,
        mode: Mode = "answer",
        subtitle: str = "",
        rubrics: RubricSet | None = None,
        audio: Path | None = None,
        attempt_id: int | None = None,
        attempt_uid: str = "",
    ) -> None:
        super().__init__()
        # The stable id an advisor's comments name (an attempt opened from the history has one).
        self.attempt_uid = attempt_uid
        # This answer's history id: the change shown is against the try before it.
        self.attempt_id = attempt_id
        self._rubrics = rubrics
        self.audio = audio if audio is not None and audio.is_file() else None
        self.score = score
        self.question = question
        self.plan = plan
        self.mode = mode
        self.subtitle = subtitle

    @property
    def rubrics(self) -> RubricSet:
        return self._rubrics or self.coach.services.rubrics

    @property
    def rubric(self) -> Rubric | None:
        rubrics = self.rubrics
        return rubrics.get(self.score.rubric_id) if self.score.rubric_id in rubrics else None

    def compose(self) -> ComposeResult:
        score = self.score
        yield TitleBar("feedback")
        with VerticalScroll(id="feedback"):
            with Horizontal(id="overall-row"):
                yield Digits(str(score.overall), id="overall")
                lines = [Text(overall_words(score), "bold")]
                if not score.no_answer:
                    lines.append(self._to_work_on())
                if self.subtitle:
                    lines.append(Text(self.subtitle, "grey62"))
                lines.append(Text(self.question.text, "italic"))
                with Vertical(id="overall-words"):
                    yield Static(Text("\n").join(lines), id="overall-text")
                    since = Static(id="since-last")
                    since.display = False
                    yield since
            if score.no_answer:
                yield Static(Text(score.message, "bold #ffaf00"), id="no-answer", classes="panel")
            else:
                # Two columns on a wide terminal, one after the other on a narrow one (app.tcss).
                cards = list(self._cards())
                with Container(id="cards"):
                    with Vertical(classes="card-column"):
                        yield from cards[0::2]
                    with Vertical(classes="card-column"):
                        yield from cards[1::2]
            yield DeliveryPanel(score.metrics, self.rubric)
            timeline = self._timeline()
            if timeline is not None:
                yield timeline
            yield TranscriptView(
                score.answer,
                spans_for(score, self.rubrics),
                fillers_counted=score.metrics.filler_count,
                id="transcript",
            )
            if self.question.tips:
                tips = Text("\n").join(Text(f"• {tip}") for tip in self.question.tips)
                panel = Static(tips, id="tips", classes="panel")
                panel.border_title = "What a strong answer does"
                yield panel
        yield KeyFooter()

    def _timeline(self) -> DeliveryTimeline | None:
        """The delivery strip that plays along, when there are word timings or a recording."""
        transcript = self.score.transcript
        if transcript is None or not transcript.words:
            if self.audio is None:
                return None
            transcript = Transcript(text="", duration_s=self.score.metrics.duration_s or 0.0, speech_s=0.0)
        return DeliveryTimeline(
            transcript,
            self.audio,
            long_pause_s=band_params(self.rubric, "pauses", PauseParams).long_pause_s,
            # "Fast" is the pace verdict's own "too fast" line, heard over a few seconds.
            fast_wpm=band_params(self.rubric, "pace", PaceParams).flag_above_wpm,
            id="timeline",
        )

    def _to_work_on(self) -> Text:
        """The criteria that fell short, or (when all passed) those short of full marks, so they
        show without scrolling and in the same words as "N of M criteria pass" beside them."""
        rubric = self.rubric
        names = {c.id: c.name for c in rubric.criteria} if rubric is not None else {}
        results = self.score.criteria.items()
        failed = sorted(
            (r.score, names.get(cid, cid.replace("_", " "))) for cid, r in results if not r.passed
        )
        if failed:
            out = Text("To work on: ", "bold #ffaf00")
            out.append(", ".join(f"{name} ({value:.0%})" for value, name in failed))
            return out
        partial = sorted(
            (r.score, names.get(cid, cid.replace("_", " "))) for cid, r in results if r.score < 0.999
        )
        if not partial:
            return Text("Every criterion passed.", "green")
        out = Text("Every criterion passed; ", "green")
        out.append("room to improve: ", "bold")
        out.append(", ".join(f"{name} ({value:.0%})" for value, name in partial))
        return out

    def _cards(self) -> Iterator[Static]:
        rubric = self.rubric
        order = [c.id for c in rubric.criteria] if rubric is not None else []
        order += [cid for cid in self.score.criteria if cid not in order]
        for cid in order:
            criterion = next((c for c in rubric.criteria if c.id == cid), None) if rubric else None
            name = criterion.name if criterion else cid.replace("_", " ")
            result = self.score.criteria.get(cid)
            if result is not None:
                yield ScoreCard(name, result, detector=criterion.detector if criterion else None)
            else:
                reason = next((u.reason for u in self.score.unscored if u.id == cid), None)
                if reason is not None:
                    yield UnscoredCard(name, reason)

    def on_mount(self) -> None:
        self.query_one("#feedback", VerticalScroll).focus()
        if self.mode == "answer" and not self.score.no_answer:
            self._find_last_try()
        if self.attempt_uid:
            self._find_comments(self.attempt_uid)

    @work(thread=True, exclusive=True, group="comments", exit_on_error=False)
    def _find_comments(self, uid: str) -> None:
        store = history_of(self.coach.services.store)
        if store is None:
            return
        try:
            comments, overrides = store.comments_for(uid), store.overrides_for(uid)
        except Exception:  # the comments are extra: without them the feedback stands alone
            return
        if (comments or overrides) and not cancelled():
            self.post_message(CommentsFound(comments, overrides))

    def on_comments_found(self, message: CommentsFound) -> None:
        panel = Static(
            comments_text(message.comments, message.overrides), id="advisor-comments", classes="panel"
        )
        panel.border_title = "Advisor's comments"
        # Under the score and its cards, where the student looks after reading their verdicts.
        self.query_one("#feedback", VerticalScroll).mount(panel, before=self.query_one(DeliveryPanel))

    @work(thread=True, exclusive=True, group="last-try", exit_on_error=False)
    def _find_last_try(self) -> None:
        try:
            found = memory.last_try(self.coach.services.store, self.question.id, before_id=self.attempt_id)
        except Exception:  # the comparison is extra: without history the feedback stands alone
            found = None
        if not cancelled():
            self.post_message(LastTryFound(found))

    def on_last_try_found(self, message: LastTryFound) -> None:
        before = message.attempt
        if before is None or before.score is None:
            return
        line = Text()
        change = memory.since(before.score, self.score, self.rubrics)
        if change.unchanged:
            line.append(f"No change since your last try ({short_date(before.created_at)}).", "bold")
        else:
            line.append(f"Since your last try ({short_date(before.created_at)}): ", "bold")
            line.append(f"{change.before} → {change.after}")
            line.append_text(_signed(change.after - change.before))
            for label, moved in (("better", change.better), ("worse", change.worse)):
                if moved:
                    line.append(f" · {label}: ", "bold")
                    for i, criterion in enumerate(moved):
                        line.append(f"{', ' if i else ''}{criterion.name}")
                        line.append_text(_signed(round(criterion.delta * 100)))
        since = self.query_one("#since-last", Static)
        since.update(line)
        since.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        answering = self.mode == "answer" and self.plan is not None
        if action == "retry":
            return answering
        if action == "next":
            return answering and self.plan is not None and not (self.plan.finite and self.plan.at_last)
        if action == "summary":
            return answering and self.plan is not None and self.plan.finite and self.plan.at_last
        if action == "play":
            return self.audio is not None
        if action == "home":
            return self.mode == "answer"
        if action == "back":
            return self.mode == "review"
        return True

    def action_retry(self) -> None:
        if self.plan is not None:
            self.coach.retry(self.plan)

    def action_next(self) -> None:
        if self.plan is not None:
            self.coach.next_question(self.plan)

    def action_summary(self) -> None:
        if self.plan is not None:
            self.coach.next_question(self.plan)

    def action_transcript(self) -> None:
        self.query_one("#transcript").scroll_visible(top=True)

    def action_home(self) -> None:
        self.coach.leave_plan(self.plan)

    def action_play(self) -> None:
        """p: to the timeline, which plays and pauses (Space) and seeks (left, right)."""
        timeline = self.query_one("#timeline", DeliveryTimeline)
        timeline.focus()
        timeline.scroll_visible()
        timeline.action_play_pause()

    def action_back(self) -> None:
        self.dismiss()
