"""Domain records shared across the core: transcripts, scores and their evidence.

These are plain pydantic models so that the CLI's JSON, the history store and the TUI all see the same
shapes. Question and rubric models live in `questions.py` and `rubrics.py`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Word(BaseModel):
    """One recognised word with its time in the answer (seconds from the start of the audio)."""

    model_config = ConfigDict(extra="forbid")

    word: str
    start: float
    end: float
    probability: float = 1.0


class Segment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    start: float
    end: float


FillerKind = Literal["filled_pause", "lexical"]


class Filler(BaseModel):
    """A filler: a filled pause heard in the audio ("um") or a lexical filler in the words ("like")."""

    model_config = ConfigDict(extra="forbid")

    text: str
    kind: FillerKind
    start: float | None = None
    end: float | None = None
    # Character span in the transcript text, when the filler is a word there.
    char_start: int | None = None
    char_end: int | None = None


class Pause(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class Span(BaseModel):
    """A stretch of the answer in seconds from the start of the audio."""

    model_config = ConfigDict(extra="forbid")

    start: float
    end: float


class VocalVariety(BaseModel):
    """Pitch and loudness variation of the voice (core/prosody.py); None figures: no voice heard."""

    model_config = ConfigDict(extra="forbid")

    voiced_s: float = 0.0
    pitch_median_hz: float | None = None
    # 10th-90th percentile of the voiced frames' pitch, in semitones.
    pitch_range_st: float | None = None
    # 10th-90th percentile of the voiced frames' loudness, in dB.
    energy_spread_db: float | None = None
    monotone: list[Span] = Field(default_factory=list)


class Transcript(BaseModel):
    """What was said and when: the output of a transcription engine plus delivery features."""

    model_config = ConfigDict(extra="forbid")

    text: str
    words: list[Word] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    duration_s: float
    speech_s: float
    language: str = "en"
    engine: str = ""
    model: str = ""
    fillers: list[Filler] = Field(default_factory=list)
    pauses: list[Pause] = Field(default_factory=list)
    vocal_variety: VocalVariety | None = None


class Evidence(BaseModel):
    """A labelled span of the answer text that earned (or cost) a verdict."""

    model_config = ConfigDict(extra="forbid")

    label: str
    text: str
    start: int
    end: int


class CriterionResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0.0, le=1.0)
    passed: bool
    feedback: str
    evidence: list[Evidence] = Field(default_factory=list)


class Unscored(BaseModel):
    """A criterion that could not be judged from the input (pace needs audio timing)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    reason: str


class Metrics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    word_count: int = 0
    sentence_count: int = 0
    duration_s: float | None = None
    words_per_minute: float | None = None
    articulation_wpm: float | None = None
    filler_count: int = 0
    filled_pause_count: int | None = None
    lexical_filler_count: int = 0
    filler_ratio: float = 0.0
    long_pause_count: int | None = None
    longest_pause_s: float | None = None
    readability_grade: float = 0.0
    mean_sentence_words: float = 0.0
    # Verbal habits (core/verbal.py): counts and the words as said.
    hedge_count: int = 0
    hedges: list[str] = Field(default_factory=list)
    repetition_count: int = 0
    repetitions: list[str] = Field(default_factory=list)
    # Vocal variety from the audio (a report, not scored); None for a typed answer.
    vocal_variety: VocalVariety | None = None


class Score(BaseModel):
    """The scored answer: one result per rubric criterion and an overall 0-100."""

    model_config = ConfigDict(extra="forbid")

    id: str | int | None = None
    question_id: str
    rubric_id: str
    overall: int = Field(ge=0, le=100)
    no_answer: bool = False
    message: str = ""
    answer: str = ""
    criteria: dict[str, CriterionResult]
    unscored: list[Unscored] = Field(default_factory=list)
    metrics: Metrics
    transcript: Transcript | None = None

    def to_json_dict(self) -> dict[str, object]:
        """The CLI's JSON contract: transcript only when there was audio."""
        data = self.model_dump(mode="json")
        if self.transcript is None:
            data.pop("transcript")
        return data


# --- questions ---------------------------------------------------------------------------------

Category = Literal["setbacks", "fit", "motivation", "pathway", "behavioural", "research", "general"]

CATEGORY_TITLES: dict[str, str] = {
    "setbacks": "Setbacks and red flags",
    "fit": "Fit for IR",
    "motivation": "Motivation",
    "pathway": "Pathway (IR, DR, ESIR)",
    "behavioural": "Behavioural",
    "research": "Research",
    "general": "General",
}

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


def non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class Question(BaseModel):
    """One interview question and what a strong answer to it looks like."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(max_length=1000)
    category: Category
    rubric: str = Field(pattern=ID_PATTERN)
    target_seconds: tuple[int, int]
    think_seconds: int = Field(default=0, ge=0, le=600)
    follow_ups: list[str] = Field(default_factory=list, max_length=20)
    tips: list[str] = Field(default_factory=list, max_length=10)
    talking_points: list[str] = Field(default_factory=list, max_length=30)

    _blank = field_validator("text")(non_blank)

    @field_validator("follow_ups", "tips", "talking_points")
    @classmethod
    def _items_non_blank(cls, items: list[str]) -> list[str]:
        return [non_blank(item) for item in items]

    @field_validator("target_seconds")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not 5 <= low < high <= 900:
            raise ValueError("must be [min, max] seconds with 5 <= min < max <= 900")
        return value

    @property
    def target_words(self) -> tuple[int, int]:
        """The target length in words, at a conversational 150 words per minute."""
        low, high = self.target_seconds
        return round(low * 2.5), round(high * 2.5)
