"""Typed SQLAlchemy 2.0 models with the rules that belong to them."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from .clock import utcnow
from .extensions import db
from .grading.keypoints import KeyPoint
from .grading.normalize import normalize_for_matching, normalize_text
from .grading.scoring import score_ceiling

LATE_GRACE = timedelta(seconds=5)
# A follow-up answered in full earns back half of its point's share of the question's score.
FOLLOW_UP_RECOVERY = 0.5
MAX_FOLLOW_UPS = 2


class Mode(StrEnum):
    """How an interview runs: timed with feedback at the end, or feedback after every answer."""

    MOCK = "mock"
    DRILL = "drill"
    REVIEW = "review"


class InterviewStatus(StrEnum):
    OPEN = "open"
    FINISHED = "finished"


class TurnState(StrEnum):
    """Where a question stands; only an open turn may change, and only once."""

    OPEN = "open"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    EXPIRED = "expired"  # time ran out: closed from the last saved draft, or from the text sent at 0:00


class TurnKind(StrEnum):
    """What a turn asks: a question of the interview, a follow-up on one of its points, or a second attempt."""

    QUESTION = "question"
    FOLLOW_UP = "follow_up"
    RETRY = "retry"


def _enum_column(enum: type[StrEnum]) -> Enum:
    """Store an enum as its value in a plain string column, alike on SQLite and PostgreSQL."""
    return Enum(enum, native_enum=False, length=16, values_callable=lambda members: [m.value for m in members],
                validate_strings=True)


UNCOVERED_STATUSES = frozenset({"miss", "contradicted"})


def point_missed(status: str | None, overridden: bool) -> bool:
    """Tell whether a graded point stayed uncovered: missed or contradicted, and not marked covered by the candidate."""
    return status in UNCOVERED_STATUSES and not overridden


@dataclass(frozen=True)
class TurnGrade:
    """A graded answer as stored: the score (None when not gradable), per-point results and the grader version."""

    score: float | None
    points: tuple[Mapping[str, Any], ...]
    version: str | None
    details: Mapping[str, Any]  # the grader's full result, for transcripts and exports

    @classmethod
    def from_result(cls, result: Mapping[str, Any]) -> TurnGrade:
        """Read the grader's JSON result."""
        gradable = result.get("gradable", True)
        return cls(float(result["score"]) if gradable else None, tuple(result.get("points") or ()),
                   result.get("version"), result)

    @classmethod
    def stored(cls, result: Mapping[str, Any] | None, snapshot: Iterable[Mapping[str, Any]]) -> TurnGrade:
        """Read a closed turn's grade; one left without an answer has every point of its snapshot missed."""
        if result:
            return cls.from_result(result)
        points = tuple({"id": p["id"], "text": p["text"], "status": "miss", "score": 0.0, "evidence": []}
                       for p in snapshot)
        return cls(None, points, None, {})

    def columns(self) -> dict[str, Any]:
        """Return the turn's column values that store this grade."""
        return {"result": dict(self.details), "score": self.score, "grader_version": self.version}

    def point(self, uid: str) -> Mapping[str, Any] | None:
        return next((point for point in self.points if point["id"] == uid), None)

    def status_of(self, uid: str) -> str | None:
        point = self.point(uid)
        return point["status"] if point else None

    def missed(self, uid: str, overridden: Collection[str] = ()) -> bool:
        """Tell whether the point stayed uncovered, given the ids the candidate marked covered."""
        return point_missed(self.status_of(uid), uid in overridden)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime that reads back aware on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the app stores aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


question_topics = db.Table(
    "question_topics",
    db.Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    db.Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    questions: Mapped[list[Question]] = relationship(secondary=question_topics, back_populates="topics")

    def name(self, locale: str) -> str:
        """Return the topic's name in the given UI locale."""
        return self.name_en if locale.startswith("en") else self.name_zh


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    frequency: Mapped[int] = mapped_column(Integer, default=1)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text, default="")  # text, aliases and reference, folded and not
    topics_edited: Mapped[bool] = mapped_column(Boolean, default=False)
    key_points_edited: Mapped[bool] = mapped_column(Boolean, default=False)  # pins key points and erratum
    erratum: Mapped[str | None] = mapped_column(Text)  # where the reference is wrong, shown beside it
    curated_source: Mapped[str | None] = mapped_column(String(255))  # file:line of its curated key points
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topics: Mapped[list[Topic]] = relationship(
        secondary=question_topics, back_populates="questions", order_by="Topic.position"
    )
    reference: Mapped[ReferenceAnswer | None] = relationship(
        back_populates="question", cascade="all, delete-orphan", uselist=False
    )
    sources: Mapped[list[QuestionSource]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionSource.id"
    )
    key_points: Mapped[list[KeyPointRecord]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="KeyPointRecord.position"
    )

    @property
    def has_answer(self) -> bool:
        return self.reference is not None and bool(self.reference.markdown.strip())

    @property
    def reference_markdown(self) -> str:
        return self.reference.markdown if self.reference else ""

    def refresh_search_text(self) -> None:
        """Recompute the normalized text that search matches against."""
        text = "\n".join([self.text, *(self.aliases or []), self.reference_markdown])
        # The text as typed is kept beside its folded form: a term inside a longer one
        # (分词 in "WordPiece分词") folds away with it but must still be found.
        self.search_text = f"{normalize_for_matching(text).text}\n{normalize_text(text)}"


class ReferenceAnswer(db.Model):
    __tablename__ = "reference_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), unique=True)
    markdown: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship(back_populates="reference")


class QuestionSource(db.Model):
    __tablename__ = "question_sources"
    __table_args__ = (UniqueConstraint("question_id", "file", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(String(255))
    line: Mapped[int] = mapped_column(Integer)

    question: Mapped[Question] = relationship(back_populates="sources")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class KeyPointRecord(db.Model):
    """A key point of a question's reference answer; `uid` is the grader's stable id for its text."""

    __tablename__ = "key_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    weight: Mapped[str] = mapped_column(String(8), default="must")  # must | nice
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    ask: Mapped[str | None] = mapped_column(Text)

    question: Mapped[Question] = relationship(back_populates="key_points")

    def as_key_point(self) -> KeyPoint:
        """Return the grader's view of this point."""
        return KeyPoint(self.uid, self.text, self.weight, tuple(self.terms or ()), tuple(self.aliases or ()), self.ask)


class SimilarLink(db.Model):
    """Two questions that ask the same thing in different words; a session asks at most one."""

    __tablename__ = "similar_links"

    question_a_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    question_b_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


def username_key(username: str) -> str:
    """Fold a username so names a reader cannot tell apart compare equal on every database (NFKC, casefolded)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username.strip()).casefold())


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    # Bumped to end every session of the user: sign-out, a password change, "sign out everywhere".
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(8), default="zh")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @validates("username")
    def _keep_key(self, _field: str, username: str) -> str:
        self.username_key = username_key(username)
        return username

    def get_id(self) -> str:
        """Name the user and the session generation in the cookie, so ending sessions takes effect at once."""
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Invalidate every signed-in cookie of this user, this one included."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Interview(db.Model):
    __tablename__ = "interviews"
    __table_args__ = (Index("ix_interviews_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mode: Mapped[Mode] = mapped_column(_enum_column(Mode))
    status: Mapped[InterviewStatus] = mapped_column(_enum_column(InterviewStatus), default=InterviewStatus.OPEN)
    seconds_per_question: Mapped[int | None] = mapped_column(Integer)
    include_unanswered: Mapped[bool] = mapped_column(Boolean, default=False)
    topic_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    planned_questions: Mapped[int | None] = mapped_column(Integer)  # drawn at the start; unshown ones are dropped
    follow_ups: Mapped[int] = mapped_column(Integer, default=1, server_default="0")  # most asked per question

    user: Mapped[User] = relationship()
    turns: Mapped[list[Turn]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", order_by="Turn.number"
    )

    @property
    def finished(self) -> bool:
        return self.status == InterviewStatus.FINISHED

    @property
    def questions(self) -> list[Turn]:
        """The question turns, without their follow-ups and second attempts: what "N of M" and scores count."""
        return [turn for turn in self.turns if turn.is_question]

    @property
    def ended_early(self) -> bool:
        """Tell whether the interview ended before every question drawn for it was shown."""
        return self.finished and (self.planned_questions or 0) > len(self.questions)

    def link_loaded_turns(self) -> None:
        """Hand each loaded turn its interview and its follow-ups and second attempt from the turns already here,
        so neither is queried again: once per turn that would be a query each."""
        children: dict[int, list[Turn]] = {turn.id: [] for turn in self.turns}
        for turn in self.turns:
            set_committed_value(turn, "interview", self)
            if turn.parent_id in children:
                children[turn.parent_id].append(turn)
        for turn in self.turns:
            set_committed_value(turn, "children", children[turn.id])

    def in_chat_order(self) -> list[Turn]:
        """Every turn as the chat shows it: each question followed by its follow-ups and second attempts."""
        return [turn for question in self.questions for turn in (question, *question.children)]

    @property
    def time_used(self) -> int:
        """Whole seconds spent answering: from each question asked to its close; the one time shown everywhere."""
        total = timedelta()
        for turn in self.turns:
            if turn.asked_at and turn.answered_at:
                total += max(timedelta(), turn.answered_at - turn.asked_at)
        return int(total.total_seconds())


def score_with_overrides(score: float | None, graded_points: Iterable[Mapping[str, Any]],
                         snapshot: Iterable[Mapping[str, Any]], overridden: set[str],
                         recovered: Mapping[str, float] | None = None) -> float | None:
    """Add to an automatic score each point's missing share of the weight that an override gives back in full,
    or that a follow-up gives back in part (`recovered`: point id -> credit 0-1)."""
    recovered = recovered or {}
    if score is None or not (overridden or recovered):
        return score
    points = {point["id"]: KeyPoint.from_snapshot(point) for point in snapshot}
    total = sum(point.weight_value for point in points.values()) or 1.0
    credits = {point["id"]: (point["score"], 1.0 if point["id"] in overridden else recovered.get(point["id"], 0.0))
               for point in graded_points}
    gained = sum(points[uid].weight_value * max(0.0, credit - earned)
                 for uid, (earned, credit) in credits.items() if uid in points)
    # As in the grader, full marks need every point in full: half given back by a follow-up is not enough.
    ceiling = max(score, float(score_ceiling(max(credits.get(uid, (0.0, 0.0))) for uid in points)))
    return min(ceiling, round(score + 100 * gained / total, 1))


def recovered_credit(follow_ups: Iterable[tuple[str | None, Mapping[str, Any] | None]]) -> dict[str, float]:
    """Map each point a follow-up asked about to the credit it gives back: a share of what the follow-up earned."""
    recovered: dict[str, float] = {}
    for point_uid, result in follow_ups:
        earned = (result.get("points") or [{}])[0].get("score", 0.0) if result else 0.0
        if point_uid and earned:
            recovered[point_uid] = max(recovered.get(point_uid, 0.0), FOLLOW_UP_RECOVERY * earned)
    return recovered


def attempt_rank(score: float | None) -> float:
    """Rank an attempt at a question by its score: the higher counts, any score over none, the first on a tie."""
    return -math.inf if score is None else score


class Turn(db.Model):
    """One question of an interview with the candidate's answer and its grade."""

    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("interview_id", "number"),
        UniqueConstraint("interview_id", "submission_key"),
        UniqueConstraint("parent_id", "point_uid", name="uq_turns_parent_id_point_uid"),
        # One second attempt per question, whatever races.
        Index("uq_turns_one_retry", "parent_id", unique=True, sqlite_where=sql_text("kind = 'retry'"),
              postgresql_where=sql_text("kind = 'retry'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1-based; follow-ups and second attempts after the questions
    kind: Mapped[TurnKind] = mapped_column(_enum_column(TurnKind), default=TurnKind.QUESTION,
                                           server_default=TurnKind.QUESTION.value)
    # A follow-up or second attempt belongs to its question's turn; a follow-up asks one point of its snapshot.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE",
                                                             name="fk_turns_parent_id_turns"), index=True)
    point_uid: Mapped[str | None] = mapped_column(String(32))
    parent: Mapped[Turn | None] = relationship(remote_side=[id], back_populates="children")
    # Deleting a question turn does not load them: they go with the interview's turns, or by ON DELETE CASCADE.
    children: Mapped[list[Turn]] = relationship(back_populates="parent", order_by="Turn.number",
                                                passive_deletes=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    question_text: Mapped[str] = mapped_column(Text)
    reference_markdown: Mapped[str] = mapped_column(Text, default="")
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draft: Mapped[str] = mapped_column(Text, default="")
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    state: Mapped[TurnState] = mapped_column(_enum_column(TurnState), default=TurnState.OPEN)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the turn closed, however it closed
    submission_key: Mapped[str | None] = mapped_column(String(64))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    points_snapshot: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Read through `grade` and written from TurnGrade.columns() only.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    grader_version: Mapped[str | None] = mapped_column(String(32))
    # Points a spaced review asked to check, kept so the transcript shows whether they were covered.
    flagged_point_uids: Mapped[list[str]] = mapped_column(JSON, default=list)

    interview: Mapped[Interview] = relationship(back_populates="turns")
    question: Mapped[Question | None] = relationship()
    overrides: Mapped[list[PointOverride]] = relationship(
        back_populates="turn", cascade="all, delete-orphan", order_by="PointOverride.id"
    )

    @property
    def closed(self) -> bool:
        return self.state != TurnState.OPEN

    @property
    def is_question(self) -> bool:
        return self.kind == TurnKind.QUESTION

    @property
    def follow_ups(self) -> list[Turn]:
        return [turn for turn in self.children if turn.kind == TurnKind.FOLLOW_UP]

    @property
    def retry(self) -> Turn | None:
        return next((turn for turn in self.children if turn.kind == TurnKind.RETRY), None)

    @property
    def skipped(self) -> bool:
        return self.state == TurnState.SKIPPED

    @property
    def timed_out(self) -> bool:
        return self.state == TurnState.EXPIRED

    @property
    def gradable(self) -> bool:
        return bool(self.points_snapshot)

    @property
    def must_point_uids(self) -> frozenset[str]:
        """The ids of the snapshot's `must` points."""
        return frozenset(point["id"] for point in self.points_snapshot
                         if KeyPoint.from_snapshot(point).weight == "must")

    def _attempt_score(self, overridden: set[str]) -> float | None:
        grade = self.grade
        if grade is None:
            return self.score
        recovered = recovered_credit((turn.point_uid, turn.result) for turn in self.follow_ups)
        return score_with_overrides(self.score, grade.points, self.points_snapshot, overridden, recovered)

    def _best_of_attempts(self, score_of: Callable[[Turn], float | None]) -> tuple[Turn, float | None]:
        """The question turn or its closed second attempt, whichever `score_of` ranks higher, with that score."""
        best, score = self, score_of(self)
        retry = self.retry
        if retry is not None and retry.closed:
            retry_score = score_of(retry)
            if attempt_rank(retry_score) > attempt_rank(score):
                best, score = retry, retry_score
        return best, score

    @property
    def attempt_score(self) -> float | None:
        """This answer's score with the candidate's "I covered this" and its follow-ups' recovered credit counted."""
        return self._attempt_score({override.point_uid for override in self.overrides})

    @property
    def best_attempt(self) -> Turn:
        """The question turn or its second attempt, whichever scored higher: the one review and progress count."""
        return self._best_of_attempts(lambda turn: turn.attempt_score)[0]

    @property
    def effective_score(self) -> float | None:
        """The one number shown and counted everywhere: the best attempt's score, follow-ups and overrides counted."""
        return self._best_of_attempts(lambda turn: turn.attempt_score)[1]

    @property
    def automatic_score(self) -> float | None:
        """The effective score before the candidate's overrides: the grader's, follow-ups and a retry counted."""
        return self._best_of_attempts(lambda turn: turn._attempt_score(set()))[1]

    @property
    def grade(self) -> TurnGrade | None:
        """The stored grade; a closed gradable turn without one (skipped) has every point missed."""
        if self.result or (self.closed and self.gradable):
            return TurnGrade.stored(self.result, self.points_snapshot)
        return None

    def is_late(self, at: datetime) -> bool:
        return self.deadline is not None and at > self.deadline + LATE_GRACE

    def time_ran_out(self, at: datetime) -> bool:
        """Tell whether `at` is at or past the deadline, as when the page submits the draft at 0:00."""
        return self.deadline is not None and at >= self.deadline

    def expired(self, at: datetime) -> bool:
        """Tell whether the turn's time ran out (with grace) before `at` without an answer."""
        return not self.closed and self.is_late(at)


class ProgressRecord(db.Model):
    """The mark that a finished turn was counted in its user's progress; its key makes counting twice fail."""

    __tablename__ = "progress_records"

    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"), primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PointOverride(db.Model):
    """A candidate's "I covered this" on a key point, kept apart from the automatic grade."""

    __tablename__ = "point_overrides"
    __table_args__ = (UniqueConstraint("turn_id", "point_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"))
    point_uid: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    turn: Mapped[Turn] = relationship(back_populates="overrides")


class ReviewState(db.Model):
    """A user's spaced-review card for one question (FSRS state as JSON)."""

    __tablename__ = "review_states"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_states_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_score: Mapped[float | None] = mapped_column(Float)
    last_rating: Mapped[int | None] = mapped_column(Integer)
    flagged_point_uids: Mapped[list[str]] = mapped_column(JSON, default=list)


class DailyTopicScore(db.Model):
    """Per-user rollup of graded answers by day and topic ('' is overall), updated when an interview ends."""

    __tablename__ = "daily_topic_scores"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    topic_slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)


class MonthlyTopicScore(db.Model):
    """The daily scores summed by calendar month (`month` is its first day), so long histories chart from few rows."""

    __tablename__ = "monthly_topic_scores"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    topic_slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)


class KeyPointStat(db.Model):
    """Per-user rollup of how often a key point was missed, updated when an interview ends."""

    __tablename__ = "key_point_stats"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    point_uid: Mapped[str] = mapped_column(String(32), primary_key=True)
    point_text: Mapped[str] = mapped_column(Text)
    seen: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)
