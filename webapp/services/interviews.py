"""Interview use cases: start, answer, draft, skip, finish, override, drill what was missed."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import grading
from ..clock import now
from ..errors import (
    AlreadyAnswered,
    AnswerTooLong,
    DomainError,
    InterviewFinished,
    NoQuestions,
    NotFound,
    NothingToDrill,
    TurnNotOpen,
    UnknownTurn,
)
from ..extensions import db
from ..models import (
    Interview,
    PointOverride,
    Question,
    ReferenceAnswer,
    SimilarLink,
    Topic,
    Turn,
    User,
    question_topics,
)
from . import progress

MODES = ("mock", "drill", "review")
DEFAULT_COUNT = 5
DEFAULT_SECONDS = 180
MAX_COUNT = 30
DRILL_BELOW = 60
RECENTLY = timedelta(days=3)
DRAFT_LIMIT_FACTOR = 4  # drafts may run past the answer limit so an over-long answer is kept, within reason


@dataclass(frozen=True)
class Candidate:
    """A question that may be drawn, with what the user's history says about it."""

    id: int
    last_asked: datetime | None
    mean_score: float | None

    def tier(self, at: datetime) -> int:
        """Rank for drawing: unseen first, then weak, then stale, then recent and solid."""
        if self.last_asked is None:
            return 0
        if self.mean_score is not None and self.mean_score < DRILL_BELOW:
            return 1
        if self.last_asked < at - RECENTLY:
            return 2
        return 3


def start_interview(
    user: User,
    *,
    topic_slugs: Sequence[str] = (),
    mode: str = "mock",
    count: int = DEFAULT_COUNT,
    seconds: int | None = DEFAULT_SECONDS,
    include_unanswered: bool = False,
    question_ids: Sequence[int] | None = None,
    rng: random.Random | None = None,
) -> Interview:
    """Draw questions and create an interview; `question_ids` asks exactly those (drill, review)."""
    if mode not in MODES:
        raise DomainError(_("Unknown interview mode."))
    if mode == "mock" and not seconds:
        raise DomainError(_("A mock interview needs a time per question."))
    count = max(1, min(count, MAX_COUNT))
    at = now()
    if question_ids is not None:
        questions = _given_questions(question_ids)[:count]
    else:
        questions = _draw(user, list(topic_slugs), count, include_unanswered, rng or random.Random(), at)
    if not questions:
        raise NoQuestions(_("No questions match these topics and options."))
    interview = Interview(
        user_id=user.id, mode=mode, seconds_per_question=seconds or None,
        include_unanswered=include_unanswered, topic_slugs=list(topic_slugs), started_at=at,
    )
    for number, question in enumerate(questions, start=1):
        interview.turns.append(Turn(
            number=number, question_id=question.id, question_text=question.text,
            reference_markdown=question.reference_markdown, points_snapshot=_snapshot(question),
        ))
    db.session.add(interview)
    db.session.commit()
    return interview


def _snapshot(question: Question) -> list[dict]:
    """Copy the key points a turn is graded against, so later edits leave the transcript alone."""
    return [point.as_key_point().to_snapshot() for point in question.key_points]


def _given_questions(question_ids: Sequence[int]) -> list[Question]:
    wanted = list(dict.fromkeys(question_ids))
    found = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_(wanted)).options(*_question_loads()))}
    return [found[question_id] for question_id in wanted if question_id in found]


def _question_loads():
    return selectinload(Question.key_points), selectinload(Question.reference)


def _draw(user: User, topic_slugs: list[str], count: int, include_unanswered: bool,
          rng: random.Random, at: datetime) -> list[Question]:
    """Pick questions without repeats or similar pairs, preferring unseen and weak ones."""
    candidates = _candidates(user, topic_slugs, include_unanswered)
    ordered = sorted(candidates, key=lambda c: (c.tier(at), rng.random()))
    similar = _similar_pairs([c.id for c in candidates])
    chosen: list[int] = []
    blocked: set[int] = set()
    for candidate in ordered:
        if candidate.id in blocked:
            continue
        chosen.append(candidate.id)
        blocked |= similar.get(candidate.id, set())
        if len(chosen) == count:
            break
    return _given_questions(chosen)


def _candidates(user: User, topic_slugs: list[str], include_unanswered: bool) -> list[Candidate]:
    """List the drawable questions with the user's last time asked and mean score for each."""
    query = select(Question.id)
    if topic_slugs:
        in_topics = (select(question_topics.c.question_id)
                     .join(Topic, Topic.id == question_topics.c.topic_id)
                     .where(Topic.slug.in_(topic_slugs)))
        query = query.where(Question.id.in_(in_topics))
    if not include_unanswered:
        answered = select(ReferenceAnswer.question_id).where(func.trim(ReferenceAnswer.markdown) != "")
        query = query.where(Question.id.in_(answered))
    ids = list(db.session.scalars(query.order_by(Question.id)))
    history = db.session.execute(
        select(Turn.question_id, func.max(Turn.asked_at), func.avg(Turn.score))
        .join(Interview, Interview.id == Turn.interview_id)
        .where(Interview.user_id == user.id, Turn.asked_at.is_not(None), Turn.question_id.in_(ids))
        .group_by(Turn.question_id)
    )
    seen = {question_id: (asked, score) for question_id, asked, score in history}
    return [Candidate(question_id, *seen.get(question_id, (None, None))) for question_id in ids]


def _similar_pairs(ids: list[int]) -> dict[int, set[int]]:
    links: dict[int, set[int]] = {}
    rows = db.session.execute(select(SimilarLink.question_a_id, SimilarLink.question_b_id)
                              .where(SimilarLink.question_a_id.in_(ids) | SimilarLink.question_b_id.in_(ids)))
    for first, second in rows:
        links.setdefault(first, set()).add(second)
        links.setdefault(second, set()).add(first)
    return links


def find_owned(user: User, interview_id: int, *, for_update: bool = False) -> Interview | None:
    """Return the user's interview with its turns and their overrides, or None when it is not the user's."""
    query = select(Interview).where(Interview.id == interview_id, Interview.user_id == user.id)
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query.options(selectinload(Interview.turns).selectinload(Turn.overrides)))


def get_interview(user: User, interview_id: int, *, for_update: bool = False, close_expired: bool = True) -> Interview:
    """Return the user's interview, closing a turn whose time ran out; another user's id is NotFound."""
    interview = find_owned(user, interview_id, for_update=for_update)
    if interview is None:
        raise NotFound(_("This interview does not exist, or it is not yours."))
    if close_expired and _close_expired(interview, now()):
        db.session.commit()
    return interview


def show_interview(user: User, interview_id: int) -> Interview:
    """Return the interview for the chat page, asking its current question if not asked yet."""
    interview = get_interview(user, interview_id)
    turn = current_turn(interview)
    if turn is not None and turn.asked_at is None:
        _ask(interview, turn, now())
        db.session.commit()
    return interview


def current_turn(interview: Interview) -> Turn | None:
    """Return the first turn still open, or None when all are closed."""
    return next((turn for turn in interview.turns if not turn.closed), None)


def _ask(interview: Interview, turn: Turn, at: datetime) -> None:
    turn.asked_at = at
    if interview.seconds_per_question:
        turn.deadline = at + timedelta(seconds=interview.seconds_per_question)


def _close_expired(interview: Interview, at: datetime) -> bool:
    """Close the current turn from its last saved draft if its time ran out; tell whether it did."""
    turn = current_turn(interview)
    if interview.finished or turn is None or not turn.expired(at):
        return False
    _record(turn, turn.draft, None, turn.deadline)
    if current_turn(interview) is None:
        _finish(interview, at)
    return True


def _record(turn: Turn, text: str, key: str | None, at: datetime) -> None:
    """Store and grade an answer; lateness is judged here from the server's time."""
    turn.answer = text
    turn.draft = text
    turn.answered_at = at
    turn.submission_key = key
    turn.late = turn.is_late(at)
    result = grading.grade(turn.question_text, _key_points(turn), text)
    turn.result = result.to_dict()
    turn.score = float(result.score) if result.gradable else None
    turn.grader_version = result.version


def _key_points(turn: Turn) -> list[grading.KeyPoint]:
    return [grading.KeyPoint.from_snapshot(point) for point in turn.points_snapshot]


def _turn(interview: Interview, number: int) -> Turn:
    turn = next((turn for turn in interview.turns if turn.number == number), None)
    if turn is None:
        raise UnknownTurn(_("This interview has no question %(number)d.", number=number))
    return turn


def _open_turn(interview: Interview, number: int) -> Turn:
    """Return turn `number` if it is the question currently asked."""
    if interview.finished:
        raise InterviewFinished(_("This interview has ended."))
    turn = _turn(interview, number)
    if turn.closed:
        raise AlreadyAnswered(_("Question %(number)d was already answered.", number=number))
    if turn is not current_turn(interview):
        raise TurnNotOpen(_("Question %(number)d has not been asked yet.", number=number))
    return turn


def submit_answer(user: User, interview_id: int, number: int, text: str, submission_key: str) -> Turn:
    """Grade the answer to turn `number`; a repeat of the same submission is a no-op."""
    # A late answer to the current question beats its last draft, so expiry is settled after the lookup.
    interview = get_interview(user, interview_id, for_update=True, close_expired=False)
    repeated = next((turn for turn in interview.turns if turn.submission_key == submission_key), None)
    if repeated is not None:
        return repeated
    current = current_turn(interview)
    if current is None or current.number != number:
        _close_expired(interview, now())
    turn = _open_turn(interview, number)
    at = now()
    limit = current_app.config["MAX_ANSWER_CHARS"]
    if len(text) > limit:
        _keep_draft(turn, text, at)
        db.session.commit()
        raise AnswerTooLong(
            _("Your answer has %(length)d characters; the limit is %(limit)d. It was kept as a draft: "
              "shorten it and submit again.", length=len(text), limit=limit), limit)
    if turn.asked_at is None:
        _ask(interview, turn, at)
    _record(turn, text, submission_key, at)
    if current_turn(interview) is None:
        _finish(interview, at)
    try:
        db.session.commit()
    except IntegrityError:  # the same submission raced in on another connection and won
        db.session.rollback()
        return db.session.scalars(select(Turn).where(
            Turn.interview_id == interview_id, Turn.submission_key == submission_key)).one()
    return turn


def _keep_draft(turn: Turn, text: str, at: datetime) -> None:
    limit = current_app.config["MAX_ANSWER_CHARS"] * DRAFT_LIMIT_FACTOR
    if len(text) > limit:
        raise AnswerTooLong(_("This draft is far over the limit of %(limit)d characters.",
                              limit=current_app.config["MAX_ANSWER_CHARS"]), limit)
    turn.draft = text
    turn.draft_saved_at = at


def save_draft(user: User, interview_id: int, number: int, text: str) -> Turn:
    """Store the draft of the current question with the time it was saved; a closed turn keeps its answer."""
    interview = get_interview(user, interview_id, for_update=True)
    turn = _turn(interview, number)
    if not interview.finished and turn is current_turn(interview):
        _keep_draft(turn, text, now())
        db.session.commit()
    return turn


def skip(user: User, interview_id: int, number: int) -> Interview:
    """Skip the current question; skipping a question already closed does nothing."""
    interview = get_interview(user, interview_id, for_update=True)
    turn = _turn(interview, number)
    if interview.finished or turn.closed:
        return interview
    turn = _open_turn(interview, number)
    at = now()
    turn.skipped = True
    turn.answered_at = at
    if current_turn(interview) is None:
        _finish(interview, at)
    db.session.commit()
    return interview


def finish(user: User, interview_id: int, typed: tuple[int, str, str] | None = None) -> Interview:
    """End the interview now; `typed` (turn, answer, key) is graded first, unanswered questions count as skipped."""
    if typed is not None and typed[1].strip():
        submit_answer(user, interview_id, *typed)
    interview = get_interview(user, interview_id, for_update=True)
    if not interview.finished:
        _finish(interview, now())
        db.session.commit()
    return interview


def _finish(interview: Interview, at: datetime) -> None:
    for turn in interview.turns:
        if not turn.closed:
            turn.skipped = True
            turn.answered_at = at
    interview.finished_at = at
    interview.score = automatic_score(interview)
    progress.record_finished(interview)


def automatic_score(interview: Interview) -> float | None:
    """Mean score of the gradable questions, a skipped one counting as 0; None when nothing was gradable."""
    return _mean_score(interview, lambda turn: turn.score)


def score_with_overrides(interview: Interview) -> float | None:
    """Mean score of the gradable questions with the candidate's "I covered this" counted."""
    return _mean_score(interview, turn_score_with_overrides)


def _mean_score(interview: Interview, score_of: Callable[[Turn], float | None]) -> float | None:
    scores = [score_of(turn) or 0.0 for turn in interview.turns if turn.gradable]
    return round(sum(scores) / len(scores), 1) if scores else None


def turn_score_with_overrides(turn: Turn) -> float | None:
    """Add to the automatic score each overridden point's missing share of the weight."""
    if turn.score is None or not turn.result:
        return turn.score
    overridden = {override.point_uid for override in turn.overrides}
    weights = {point.id: point.weight_value for point in _key_points(turn)}
    total = sum(weights.values()) or 1.0
    gained = sum(weights.get(point["id"], 0.0) * (1 - point["score"])
                 for point in turn.result["points"] if point["id"] in overridden)
    return min(100.0, round(turn.score + 100 * gained / total, 1))


def override_point(user: User, interview_id: int, number: int, point_uid: str) -> Turn:
    """Record "I covered this" on a missed or partial point of an answer whose feedback was shown."""
    interview = get_interview(user, interview_id, for_update=True)
    turn = _turn(interview, number)
    if not feedback_visible(interview, turn):
        raise DomainError(_("Feedback on this question is not shown yet."))
    point = next((p for p in turn.result["points"] if p["id"] == point_uid), None)
    if point is None:
        raise NotFound(_("This answer has no such key point."))
    if point["status"] == "hit":
        raise DomainError(_("This key point was already counted as covered."))
    if all(override.point_uid != point_uid for override in turn.overrides):
        turn.overrides.append(PointOverride(point_uid=point_uid, created_at=now()))
        progress.record_override(turn, point_uid)
        db.session.commit()
    return turn


def feedback_visible(interview: Interview, turn: Turn) -> bool:
    """Tell whether the per-point feedback of a turn may be shown: after the end, or at once in drills."""
    answered = turn.closed and not turn.skipped and turn.result is not None
    return answered and (interview.finished or interview.mode != "mock")


def drill_missed(user: User, interview_id: int) -> Interview:
    """Start an untimed drill on the questions of an interview that scored below the bar."""
    interview = get_interview(user, interview_id)
    missed = missed_question_ids(interview)
    if not missed:
        raise NothingToDrill(_("Every question scored %(bar)d or more: nothing to drill.", bar=DRILL_BELOW))
    return start_interview(user, mode="drill", count=len(missed), seconds=None,
                           include_unanswered=interview.include_unanswered, question_ids=missed,
                           topic_slugs=interview.topic_slugs)


def missed_question_ids(interview: Interview) -> list[int]:
    """Return the questions of an interview scored below the drill bar, skipped ones included."""
    return [turn.question_id for turn in interview.turns
            if turn.gradable and turn.question_id is not None and (turn.score or 0) < DRILL_BELOW]


def unfinished_interview(user: User) -> Interview | None:
    """Return the user's latest interview still in progress."""
    return db.session.scalars(
        select(Interview).where(Interview.user_id == user.id, Interview.finished_at.is_(None))
        .order_by(Interview.started_at.desc(), Interview.id.desc()).limit(1)
    ).first()


def remaining_seconds(turn: Turn) -> int | None:
    """Seconds left on the turn's deadline by the server's clock, never below zero."""
    if turn.deadline is None:
        return None
    return max(0, int((turn.deadline - now()).total_seconds()))


def time_used(interview: Interview) -> int:
    """Whole seconds spent answering: from each question asked to its close."""
    total = timedelta()
    for turn in interview.turns:
        if turn.asked_at and turn.answered_at:
            total += max(timedelta(), turn.answered_at - turn.asked_at)
    return int(total.total_seconds())
