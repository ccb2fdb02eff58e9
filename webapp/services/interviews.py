"""Interview use cases: start, answer, follow up, draft, skip, finish, override, try again, drill what was missed.

Every state change is a guarded transition: grading runs before the write transaction, which then checks
the state it read and changes a turn or an interview only `WHERE state = 'open'`, so each happens once.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, Update, and_, bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import grading
from ..clock import now
from ..database import write_statement, write_transaction
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
    LATE_GRACE,
    MAX_FOLLOW_UPS,
    Interview,
    InterviewStatus,
    Mode,
    PointOverride,
    Turn,
    TurnGrade,
    TurnKind,
    TurnState,
    User,
)
from . import draw, rollups
from .draw import DRILL_BELOW

DEFAULT_COUNT = 5
DEFAULT_SECONDS = 180
DEFAULT_FOLLOW_UPS = 1
FOLLOW_UP_MIN_SECONDS = 30  # a follow-up gets half its question's time, never less than this
MAX_COUNT = 30
DRAFT_LIMIT_FACTOR = 4  # drafts may run past the answer limit so an over-long answer is kept, within reason


def start_interview(
    user: User,
    *,
    topic_slugs: Sequence[str] = (),
    mode: Mode | str = Mode.MOCK,
    count: int = DEFAULT_COUNT,
    seconds: int | None = DEFAULT_SECONDS,
    include_unanswered: bool = False,
    question_ids: Sequence[int] | None = None,
    rng: random.Random | None = None,
    follow_ups: int = DEFAULT_FOLLOW_UPS,
) -> Interview:
    """Draw questions and create an interview; `question_ids` asks exactly those (drill, review).

    `follow_ups` is how many missed `must` points with an `ask` the interviewer follows up on per question.
    """
    if mode not in set(Mode):
        raise DomainError(_("Unknown interview mode."))
    if mode == Mode.MOCK and not seconds:
        raise DomainError(_("A mock interview needs a time per question."))
    count = max(1, min(count, MAX_COUNT))
    at = now()
    if question_ids is not None:
        questions = draw.given_questions(question_ids)[:count]
    else:
        questions = draw.draw(user, list(topic_slugs), count, include_unanswered, rng or random.Random(), at)
    if not questions:
        raise NoQuestions(_("No questions match these topics and options."))
    interview = Interview(
        user_id=user.id, mode=Mode(mode), seconds_per_question=seconds or None,
        include_unanswered=include_unanswered, topic_slugs=list(topic_slugs), started_at=at,
        planned_questions=len(questions), follow_ups=max(0, min(follow_ups, MAX_FOLLOW_UPS)),
    )
    for number, question in enumerate(questions, start=1):
        interview.turns.append(Turn(
            number=number, question_id=question.id, question_text=question.text,
            reference_markdown=question.reference_markdown, points_snapshot=draw.snapshot(question),
        ))
    with write_transaction():
        db.session.add(interview)
    return interview


def find_owned(user: User, interview_id: int, *, for_update: bool = False) -> Interview | None:
    """Return the user's interview with its turns and their overrides, or None when it is not the user's.

    `for_update` locks the row (PostgreSQL) and reads every column afresh, for a decision inside a write.
    """
    interview = db.session.scalars(_owned_query(for_update), {"interview": interview_id, "user": user.id}) \
        .unique().first()
    if interview is not None:
        interview.link_loaded_turns()
    return interview


# The statements of the answer loop are built once and take their values as parameters: building one (options,
# coercions, its cache key) cost a few hundred microseconds each time, about as much as running it.
@cache
def _owned_query(for_update: bool) -> Select:
    query = select(Interview).where(Interview.id == bindparam("interview"), Interview.user_id == bindparam("user"))
    if for_update:
        query = query.with_for_update(of=Interview).execution_options(populate_existing=True)
    # One joined query: loading the turns and their overrides in queries of their own cost twice the time.
    return query.options(joinedload(Interview.turns).joinedload(Turn.overrides))


@cache
def _asked_query() -> Select:
    return select(Turn).join(Interview).where(Interview.id == bindparam("interview"),
                                              Interview.user_id == bindparam("user"),
                                              Turn.number == bindparam("turn_number"))


@cache
def _ask_update() -> Update:
    return update(Turn).where(Turn.id == bindparam("turn"), Turn.state == TurnState.OPEN, Turn.asked_at.is_(None)) \
        .values(asked_at=bindparam("new_asked_at", type_=Turn.asked_at.type),
                deadline=bindparam("new_deadline", type_=Turn.deadline.type))


@cache
def _close_update(names: tuple[str, ...]) -> Update:
    """The guarded UPDATE that closes an open turn, setting the columns `names`."""
    return update(Turn).where(Turn.id == bindparam("turn"), Turn.state == TurnState.OPEN) \
        .values({name: bindparam(f"new_{name}", type_=getattr(Turn, name).type) for name in names})


def _new(values: dict) -> dict:
    """Name the new values of columns as the prebuilt UPDATEs take them."""
    return {f"new_{name}": value for name, value in values.items()}


def _owned(user: User, interview_id: int, *, for_update: bool = False) -> Interview:
    interview = find_owned(user, interview_id, for_update=for_update)
    if interview is None:
        raise NotFound(_("This interview does not exist, or it is not yours."))
    return interview


def get_interview(user: User, interview_id: int) -> Interview:
    """Return the user's interview, closing a turn whose time ran out; another user's id is NotFound."""
    interview = _owned(user, interview_id)
    turn = _expired_turn(interview, now())
    if turn is None:
        return interview
    graded = (turn.draft, _grade(turn, turn.draft))  # before the write lock is taken
    with write_transaction():
        interview = _owned(user, interview_id, for_update=True)
        _close_expired(interview, now(), graded)
    return interview


def _locked_and_settled(user: User, interview_id: int) -> Interview:
    """Inside a write transaction: the locked interview, its expired question (rare) closed first."""
    interview = _owned(user, interview_id, for_update=True)
    _close_expired(interview, now())
    return interview


def show_interview(user: User, interview_id: int) -> Interview:
    """Return the interview for the chat page, asking its current question if not asked yet."""
    interview = get_interview(user, interview_id)
    turn = current_turn(interview)
    if turn is None or turn.asked_at is not None:
        return interview
    with write_statement():
        asked = _ask(interview, turn, now())
    return interview if asked else _owned(user, interview_id)  # another request changed it first


def current_turn(interview: Interview) -> Turn | None:
    """Return the turn asked now: an open follow-up first, else the first open question; None when all are closed."""
    return next((turn for turn in interview.in_chat_order() if not turn.closed), None)


def turn_seconds(interview: Interview, turn: Turn) -> int | None:
    """The time a turn gives: its question's time, half of it (at least 30 s) for a follow-up; None untimed."""
    seconds = interview.seconds_per_question
    if seconds and turn.kind == TurnKind.FOLLOW_UP:
        return min(seconds, max(FOLLOW_UP_MIN_SECONDS, seconds // 2))
    return seconds


def _ask(interview: Interview, turn: Turn, at: datetime) -> bool:
    """Start the open turn's clock unless it was started already; tell whether this call did."""
    seconds = turn_seconds(interview, turn)
    values = {"asked_at": at, "deadline": at + timedelta(seconds=seconds) if seconds else None}
    asked = db.session.execute(_ask_update(), {"turn": turn.id, **_new(values)},
                               execution_options={"synchronize_session": False}).rowcount == 1
    if asked:
        for name, value in values.items():
            set_committed_value(turn, name, value)
    return asked


def _expired_turn(interview: Interview, at: datetime) -> Turn | None:
    turn = current_turn(interview)
    if interview.finished or turn is None or not turn.expired(at):
        return None
    return turn


def _close_expired(interview: Interview, at: datetime, graded: tuple[str, TurnGrade] | None = None) -> None:
    """Close the current turn from its last saved draft if its time ran out, and finish after the last one.

    `graded` is a draft graded earlier with its grade, used when the draft is still the same.
    """
    turn = _expired_turn(interview, at)
    if turn is None:
        return
    grade = graded[1] if graded is not None and graded[0] == turn.draft else _grade(turn, turn.draft)
    _close(turn, TurnState.EXPIRED, turn.deadline, answer=turn.draft, submission_key=None, late=False,
           **grade.columns())
    _add_follow_ups(interview, turn)
    if current_turn(interview) is None:
        _finish(interview, at)


def follow_up_points(interview: Interview, turn: Turn) -> list[dict]:
    """The snapshot points to follow up on: the first missed `must` points with an `ask`, as many as the interview
    allows per question."""
    grade = turn.grade
    if not turn.is_question or grade is None or not interview.follow_ups:
        return []
    must = turn.must_point_uids
    missed = [point for point in turn.points_snapshot
              if point["id"] in must and (point.get("ask") or "").strip() and grade.missed(point["id"])]
    return missed[:interview.follow_ups]


def _next_number(interview: Interview) -> int:
    """The number of a turn added now: follow-ups and second attempts are numbered after every turn so far."""
    return max(turn.number for turn in interview.turns) + 1


def _add_follow_ups(interview: Interview, turn: Turn) -> None:
    """Add the follow-up turns of a question just answered; each is asked, and timed, when it is shown."""
    for point in follow_up_points(interview, turn):
        interview.turns.append(Turn(
            number=_next_number(interview), kind=TurnKind.FOLLOW_UP, parent=turn, point_uid=point["id"],
            question_text=point["ask"].strip(), points_snapshot=[point],
        ))
    db.session.flush()


def _grade(turn: Turn, text: str) -> TurnGrade:
    points = [grading.KeyPoint.from_snapshot(point) for point in turn.points_snapshot]
    return TurnGrade.from_result(grading.grade(turn.question_text, points, text).to_dict())


def _close(turn: Turn, state: TurnState, at: datetime, **values) -> None:
    """Move an open turn to `state` in the database, only if it is still open there; raise if it was not."""
    values = {"state": state, "answered_at": at, **values}
    changed = db.session.execute(_close_update(tuple(sorted(values))), {"turn": turn.id, **_new(values)},
                                 execution_options={"synchronize_session": False}).rowcount
    if changed != 1:
        raise _already_closed(turn.number)
    for name, value in values.items():
        set_committed_value(turn, name, value)


def _already_closed(number: int) -> AlreadyAnswered:
    return AlreadyAnswered(_("Question %(number)d was already answered in another tab; your text is kept below.",
                             number=number))


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
        raise _already_closed(number)
    if turn is not current_turn(interview):
        raise TurnNotOpen(_("Question %(number)d has not been asked yet.", number=number))
    return turn


def _submitted(interview: Interview, submission_key: str) -> Turn | None:
    return next((turn for turn in interview.turns if turn.submission_key == submission_key), None)


def submit_answer(user: User, interview_id: int, number: int, text: str, submission_key: str) -> Turn:
    """Grade the answer to turn `number`; a repeat of the same submission is a no-op.

    The grade is computed before the write transaction, so the write lock is held only to check and store.
    """
    limit = current_app.config["MAX_ANSWER_CHARS"]
    if len(text) > limit:
        kept = save_draft(user, interview_id, number, text)
        raise AnswerTooLong(
            _("Your answer has %(length)d characters; the limit is %(limit)d. Its first %(kept)d characters were "
              "kept as a draft: shorten it and submit again.", length=len(text), limit=limit,
              kept=len(kept.draft)), limit)
    asked = db.session.scalar(_asked_query(), {"interview": interview_id, "user": user.id, "turn_number": number})
    if asked is None:
        _owned(user, interview_id)  # NotFound for another user's interview
        raise UnknownTurn(_("This interview has no question %(number)d.", number=number))
    if asked.submission_key == submission_key:
        return asked
    grade = _grade(asked, text)
    with write_transaction():
        interview = _owned(user, interview_id, for_update=True)
        repeated = _submitted(interview, submission_key)
        if repeated is not None:
            return repeated
        at = now()
        current = current_turn(interview)
        # A late answer to the current question beats its last draft, so expiry is settled only for another one.
        if current is not None and current.number != number:
            _close_expired(interview, at)
        turn = _open_turn(interview, number)
        if turn.asked_at is None:
            _ask(interview, turn, at)
        _close(turn, TurnState.EXPIRED if turn.time_ran_out(at) else TurnState.ANSWERED, at, answer=text,
               draft=text, submission_key=submission_key, late=turn.is_late(at), **grade.columns())
        _add_follow_ups(interview, turn)
        if current_turn(interview) is None:
            _finish(interview, at)
    return turn


@dataclass(frozen=True)
class DraftState:
    """What an autosave reports back: the stored draft, when it was saved, and whether its question has closed."""

    draft: str
    saved_at: datetime | None
    closed: bool


def save_draft(user: User, interview_id: int, number: int, text: str) -> DraftState:
    """Store the draft of the current question, cut to a few times the answer limit; a closed turn keeps its answer.

    One guarded UPDATE, a write of its own, does it when the question is the user's current one and its time has
    not run out; otherwise the interview is read under the lock and an expired question closed.
    """
    text = text[:current_app.config["MAX_ANSWER_CHARS"] * DRAFT_LIMIT_FACTOR]
    at = now()
    with write_statement():
        saved = db.session.execute(
            _draft_update(), {"interview": interview_id, "turn_number": number, "user": user.id, "text": text,
                              "saved_at": at, "earliest_deadline": at - LATE_GRACE},
            execution_options={"synchronize_session": False}).rowcount
    if saved:
        return DraftState(text, at, closed=False)
    with write_transaction():
        turn = _turn(_locked_and_settled(user, interview_id), number)
    return DraftState(turn.draft, turn.draft_saved_at, turn.closed)


@cache
def _draft_update() -> Update:
    """The draft's guarded UPDATE, built once (building it, alias and all, cost more than running it): it changes
    turn `number` only while that turn is open, its time not run out, and no other open turn comes first."""
    interview_id, number = bindparam("interview"), bindparam("turn_number")  # column names are taken
    # Another open turn comes first when it is a follow-up (before any question, and before later follow-ups),
    # or an earlier question while this one is a question too.
    other = aliased(Turn)
    comes_first = or_(and_(other.parent_id.is_not(None), or_(Turn.parent_id.is_(None), other.number < number)),
                      and_(other.parent_id.is_(None), Turn.parent_id.is_(None), other.number < number))
    current = (Turn.interview_id == interview_id, Turn.number == number, Turn.state == TurnState.OPEN,
               or_(Turn.deadline.is_(None), Turn.deadline >= bindparam("earliest_deadline")),
               ~select(other.id).where(other.interview_id == interview_id, other.number != number,
                                       other.state == TurnState.OPEN, comes_first).exists(),
               select(Interview.id).where(Interview.id == interview_id, Interview.user_id == bindparam("user"),
                                          Interview.status == InterviewStatus.OPEN).exists())
    return update(Turn).where(*current).values(draft=bindparam("text"), draft_saved_at=bindparam("saved_at"))


def skip(user: User, interview_id: int, number: int) -> Interview:
    """Skip the current question; skipping a question already closed does nothing."""
    with write_transaction():
        interview = _locked_and_settled(user, interview_id)
        if interview.finished or _turn(interview, number).closed:
            return interview
        at = now()
        _close(_open_turn(interview, number), TurnState.SKIPPED, at)
        if current_turn(interview) is None:
            _finish(interview, at)
    return interview


def finish(user: User, interview_id: int, typed: tuple[int, str, str] | None = None) -> Interview:
    """End the interview now; `typed` (turn, answer, key) is graded first, questions never shown are dropped."""
    if typed is not None and typed[1].strip():
        submit_answer(user, interview_id, *typed)
    try:
        with write_transaction():
            interview = _locked_and_settled(user, interview_id)
            if not interview.finished:
                _finish(interview, now())
    except IntegrityError:  # another request counted this interview's turns first; it has finished
        return _owned(user, interview_id)
    return interview


def _finish(interview: Interview, at: datetime) -> None:
    """Drop the questions never shown, skip the one shown and open, then finish the interview once and count it."""
    _drop_unasked(interview)
    for turn in interview.turns:
        if not turn.closed:
            _close(turn, TurnState.SKIPPED, at)
    values = {"status": InterviewStatus.FINISHED, "finished_at": at, "score": score_with_overrides(interview)}
    changed = db.session.execute(
        update(Interview).where(Interview.id == interview.id, Interview.status == InterviewStatus.OPEN)
        .values(**values), execution_options={"synchronize_session": False},
    ).rowcount
    if changed != 1:
        raise InterviewFinished(_("This interview has ended."))
    for name, value in values.items():
        set_committed_value(interview, name, value)
    rollups.record_finished(interview)


def _drop_unasked(interview: Interview) -> None:
    """Delete the turns never asked, so ending early neither scores, reviews nor drills questions never seen."""
    unasked = [turn for turn in interview.turns if turn.asked_at is None and not turn.closed]
    if not unasked:
        return
    db.session.execute(
        delete(Turn).where(Turn.id.in_([turn.id for turn in unasked]), Turn.state == TurnState.OPEN,
                           Turn.asked_at.is_(None)),
        execution_options={"synchronize_session": False},
    )
    for turn in unasked:
        db.session.expunge(turn)
    set_committed_value(interview, "turns", [turn for turn in interview.turns if turn not in unasked])


def automatic_score(interview: Interview) -> float | None:
    """Mean score of the gradable questions before overrides, a skipped one counting as 0; None when none was."""
    return _mean_score(interview, lambda turn: turn.automatic_score)


def score_with_overrides(interview: Interview) -> float | None:
    """Mean score of the gradable questions with the candidate's "I covered this" counted: the stored score."""
    return _mean_score(interview, lambda turn: turn.effective_score)


def _mean_score(interview: Interview, score_of: Callable[[Turn], float | None]) -> float | None:
    scores = [score_of(turn) or 0.0 for turn in interview.questions if turn.gradable]
    return round(sum(scores) / len(scores), 1) if scores else None


def override_point(user: User, interview_id: int, number: int, point_uid: str) -> Turn:
    """Record "I covered this" on a missed or partial point of an answer whose feedback was shown."""
    try:
        with write_transaction():
            interview = _locked_and_settled(user, interview_id)
            turn = _turn(interview, number)
            if not feedback_visible(interview, turn) or not turn.is_question:
                raise DomainError(_("Feedback on this question is not shown yet."))
            status = turn.grade.status_of(point_uid)
            if status is None:
                raise NotFound(_("This answer has no such key point."))
            if status == "hit":
                raise DomainError(_("This key point was already counted as covered."))
            if all(override.point_uid != point_uid for override in turn.overrides):
                before = turn.effective_score
                turn.overrides.append(PointOverride(point_uid=point_uid, created_at=now()))
                db.session.flush()  # the unique (turn, point) key refuses a second one before progress moves
                if interview.finished:
                    interview.score = score_with_overrides(interview)
                rollups.record_override(turn, point_uid, before)
    except IntegrityError:  # the same override raced in from another tab and was counted there
        return _turn(_owned(user, interview_id), number)
    return turn


def feedback_visible(interview: Interview, turn: Turn) -> bool:
    """Tell whether the per-point feedback of a turn may be shown: after the end, or in drills once the question's
    follow-ups are answered (its feedback would give their answers away)."""
    answered = turn.state in (TurnState.ANSWERED, TurnState.EXPIRED) and turn.result is not None
    question = turn.parent or turn
    follow_ups_done = all(child.closed for child in question.follow_ups)
    return answered and (interview.finished or (interview.mode != Mode.MOCK and follow_ups_done))


def can_try_again(interview: Interview, turn: Turn) -> bool:
    """Tell whether a drilled question may be answered a second time: its feedback shown, below full marks, once."""
    return (interview.mode != Mode.MOCK and turn.is_question and turn.gradable and turn.retry is None
            and feedback_visible(interview, turn) and (turn.effective_score or 0) < 100)


def try_again(user: User, interview_id: int, number: int, text: str, submission_key: str) -> Turn:
    """Grade a second attempt at a drilled question at once and keep both; the better one counts.

    A repeat of the same submission is a no-op; a question has one second attempt.
    """
    limit = current_app.config["MAX_ANSWER_CHARS"]
    if len(text) > limit:
        raise AnswerTooLong(_("Your answer has %(length)d characters; the limit is %(limit)d.", length=len(text),
                              limit=limit), limit)
    question = _turn(_owned(user, interview_id), number)
    grade = _grade(question, text)
    try:
        return _store_retry(user, interview_id, number, text, submission_key, grade)
    except IntegrityError as error:  # another tab's second attempt was stored first
        raise _already_tried(number) from error


def _already_tried(number: int) -> AlreadyAnswered:
    return AlreadyAnswered(_("Question %(number)d was already tried again.", number=number))


def _store_retry(user: User, interview_id: int, number: int, text: str, submission_key: str,
                 grade: TurnGrade) -> Turn:
    """Inside one write transaction: store the graded second attempt once, and count it if the drill ended."""
    with write_transaction():
        interview = _locked_and_settled(user, interview_id)
        repeated = _submitted(interview, submission_key)
        if repeated is not None:
            return repeated
        question = _turn(interview, number)
        if question.retry is not None:
            raise _already_tried(number)
        if not can_try_again(interview, question):
            raise DomainError(_("This question cannot be tried again."))
        before = rollups.answer_of(question)
        at = now()
        retry = Turn(
            number=_next_number(interview), kind=TurnKind.RETRY, parent=question,
            question_text=question.question_text,
            reference_markdown=question.reference_markdown, points_snapshot=question.points_snapshot,
            asked_at=at, answered_at=at, state=TurnState.ANSWERED, answer=text, draft=text,
            submission_key=submission_key, **grade.columns(),
        )
        interview.turns.append(retry)
        db.session.flush()
        if interview.finished:
            interview.score = score_with_overrides(interview)
            rollups.record_retry(question, retry, before)
    return retry


def drill_missed(user: User, interview_id: int) -> Interview:
    """Start an untimed drill on the questions of an interview that scored below the bar."""
    interview = get_interview(user, interview_id)
    missed = missed_question_ids(interview)
    if not missed:
        raise NothingToDrill(_("Every question scored %(bar)d or more: nothing to drill.", bar=DRILL_BELOW))
    return start_interview(user, mode=Mode.DRILL, count=len(missed), seconds=None,
                           include_unanswered=interview.include_unanswered, question_ids=missed,
                           topic_slugs=interview.topic_slugs, follow_ups=interview.follow_ups)


def practise(user: User, question_id: int) -> Interview:
    """Start an untimed one-question drill on a question of the bank."""
    return start_interview(user, mode=Mode.DRILL, count=1, seconds=None, question_ids=[question_id])


def missed_question_ids(interview: Interview) -> list[int]:
    """Return the questions of an interview scored below the drill bar, skipped ones included."""
    return [turn.question_id for turn in interview.questions
            if turn.gradable and turn.question_id is not None and (turn.effective_score or 0) < DRILL_BELOW]


def unfinished_interview(user: User) -> Interview | None:
    """Return the user's latest interview still in progress."""
    return db.session.scalars(
        select(Interview).where(Interview.user_id == user.id, Interview.status == InterviewStatus.OPEN)
        .order_by(Interview.started_at.desc(), Interview.id.desc()).limit(1)
    ).first()


def remaining_seconds(turn: Turn) -> int | None:
    """Whole seconds left on the turn's deadline by the server's clock, rounded up, never below zero."""
    if turn.deadline is None:
        return None
    return max(0, math.ceil((turn.deadline - now()).total_seconds()))  # the page's 0:00 is never before the deadline
