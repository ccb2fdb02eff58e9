"""The one schema a history import must match: types, ranges, finite numbers, lengths the columns hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from ..edge import MAX_STORED_INT
from ..models import MAX_FOLLOW_UPS
from ..storable import has_control_character

EXPORT_FORMAT = "mianshi-history"
EXPORT_VERSION = 1
MAX_INTERVIEWS = 10_000
MAX_TURNS = 500
MAX_POINTS = 100
MAX_TEXT = 100_000
MAX_SHORT_TEXT = 5_000
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _storable(text: str) -> str:
    if has_control_character(text):
        raise ValueError("holds a control character (such as NUL)")
    return text


def _in_range(moment: datetime) -> datetime:
    # Far-off years overflow when shifted to UTC or to the reader's timezone.
    if not EARLIEST <= moment <= LATEST:
        raise ValueError("is not between the years 1970 and 9000")
    return moment


def _text(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), AfterValidator(_storable)]


Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]
Uid = _text(32, 1)  # String(32) columns: key point ids, override point ids
Slug = _text(64, 1)
ShortText = _text(MAX_SHORT_TEXT)
LongText = _text(MAX_TEXT)
Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Offset = Annotated[int, Field(ge=0, le=MAX_STORED_INT)]


class _Strict(BaseModel):
    # Strict types (no "5" for 5), unknown fields dropped rather than stored, so whatever is saved renders.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class SnapshotPoint(_Strict):
    id: Uid
    text: _text(MAX_SHORT_TEXT, 1)
    weight: Literal["must", "nice"] | Fraction = "must"  # grader 2 snapshots carry a numeric weight
    terms: list[ShortText] = Field(default_factory=list, max_length=MAX_POINTS)
    aliases: list[ShortText] = Field(default_factory=list, max_length=MAX_POINTS)
    ask: ShortText | None = None


class GradedPoint(_Strict):
    id: Uid
    text: _text(MAX_SHORT_TEXT, 1)
    status: Literal["hit", "partial", "miss", "contradicted"]
    score: Fraction
    evidence: list[tuple[Offset, Offset]] = Field(default_factory=list, max_length=1000)
    why: ShortText | None = None  # grader 3: one line on a contradicted point
    lowered_by: _text(64, 1) | None = None  # grader 3.7: the point rule that lowered a partial or missed point

    @model_validator(mode="after")
    def _spans_run_forward(self) -> GradedPoint:
        if any(start > end for start, end in self.evidence):
            raise ValueError("an evidence span ends before it starts")
        return self


class Deduction(_Strict):
    rule: _text(64, 1)
    effect: Annotated[float, Field(ge=-100, le=100, allow_inf_nan=False)]
    spans: list[tuple[Offset, Offset]] = Field(default_factory=list, max_length=1000)


class Grade(_Strict):
    score: Score
    gradable: bool = True
    points: list[GradedPoint] = Field(max_length=MAX_POINTS)
    deductions: list[Deduction] = Field(default_factory=list, max_length=MAX_POINTS)
    flags: list[_text(64)] = Field(default_factory=list, max_length=MAX_POINTS)
    version: _text(32)


class Override(_Strict):
    point_uid: Uid
    created_at: Moment


class ImportedTurn(_Strict):
    number: Annotated[int, Field(ge=1, le=MAX_TURNS)]
    # A follow-up or second attempt names its question's turn by number; older exports hold questions only.
    kind: Literal["question", "follow_up", "retry"] = "question"
    parent_number: Annotated[int, Field(ge=1, le=MAX_TURNS)] | None = None
    point_uid: Uid | None = None
    question_key: _text(64) | None = None
    question_text: _text(MAX_TEXT, 1)
    reference_markdown: LongText = ""
    asked_at: Moment | None = None
    deadline: Moment | None = None
    answer: LongText | None = None
    answered_at: Moment | None = None
    state: Literal["open", "answered", "skipped", "expired"] | None = None  # older exports carry only `skipped`
    skipped: bool = False
    late: bool = False
    points_snapshot: list[SnapshotPoint] = Field(default_factory=list, max_length=MAX_POINTS)
    result: Grade | None = None
    score: Score | None = None
    grader_version: _text(32) | None = None
    flagged_point_uids: list[Uid] = Field(default_factory=list, max_length=MAX_POINTS)
    overrides: list[Override] = Field(default_factory=list, max_length=MAX_POINTS)

    @model_validator(mode="after")
    def _one_override_per_point(self) -> ImportedTurn:
        uids = [override.point_uid for override in self.overrides]
        if len(uids) != len(set(uids)):
            raise ValueError("a key point is overridden twice")
        return self


class ImportedInterview(_Strict):
    mode: Literal["mock", "drill", "review"]
    seconds_per_question: Annotated[int, Field(ge=1, le=24 * 3600)] | None = None
    include_unanswered: bool = False
    follow_ups: Annotated[int, Field(ge=0, le=MAX_FOLLOW_UPS)] = 0
    topic_slugs: list[Slug] = Field(default_factory=list, max_length=200)
    started_at: Moment
    finished_at: Moment | None = None
    score: Score | None = None
    turns: list[ImportedTurn] = Field(max_length=MAX_TURNS)

    @model_validator(mode="after")
    def _turns_numbered_once_and_times_in_order(self) -> ImportedInterview:
        numbers = [turn.number for turn in self.turns]
        if len(numbers) != len(set(numbers)):
            raise ValueError("two questions have the same number")
        questions = {turn.number for turn in self.turns if turn.kind == "question"}
        for turn in self.turns:
            if (turn.kind == "question") != (turn.parent_number is None) or (
                    turn.parent_number is not None and turn.parent_number not in questions):
                raise ValueError(f"turn {turn.number}: a follow-up or second attempt needs the number of a question "
                                 "turn, and a question has none")
            if turn.kind == "follow_up" and turn.point_uid is None:
                raise ValueError(f"turn {turn.number}: a follow-up names the key point it asks")
        asked = [(turn.parent_number, turn.point_uid) for turn in self.turns if turn.kind == "follow_up"]
        if len(asked) != len(set(asked)):
            raise ValueError("a question has two follow-ups on the same key point")
        if self.finished_at is not None and self.finished_at < self.started_at:
            raise ValueError("the interview finishes before it starts")
        return self


class HistoryExport(_Strict):
    format: Literal["mianshi-history"]
    version: Literal[1]
    interviews: list[ImportedInterview] = Field(max_length=MAX_INTERVIEWS)


def first_problem(error: ValidationError) -> tuple[str, str, str]:
    """Return the first problem as (error type, path like `interviews[0].turns[2].score`, message)."""
    detail = error.errors(include_url=False)[0]
    path = ""
    for part in detail["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return detail["type"], path, detail["msg"]


def parse(text: str) -> HistoryExport:
    """Validate a history export's JSON text against the schema; raise ValidationError on the first problem."""
    return HistoryExport.model_validate_json(text)
