"""Per-user rollups (daily and monthly scores, key-point stats) and review cards, counted once per finished turn.

Each counted turn leaves a ProgressRecord whose key is the turn, so a second count fails in the database.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fsrs
from sqlalchemy import case, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..clock import now
from ..extensions import db
from ..models import (
    DailyTopicScore,
    Interview,
    InterviewStatus,
    KeyPointStat,
    MonthlyTopicScore,
    PointOverride,
    ProgressRecord,
    ReviewState,
    Topic,
    Turn,
    TurnGrade,
    TurnKind,
    TurnState,
    User,
    attempt_rank,
    question_topics,
    recovered_credit,
    score_with_overrides,
)
from .schedule import Answer, PointOutcome, change_rating, redo_review, review, review_state, utc_iso

OVERALL = ""


def user_zone(user: User) -> ZoneInfo:
    """Return the user's timezone, UTC when the stored name is unknown."""
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, user: User) -> date:
    """Return the calendar day `moment` falls on in the user's timezone."""
    return moment.astimezone(user_zone(user)).date()


def counts_toward_progress(turn: Turn) -> bool:
    """Tell whether the turn is a question (not a follow-up or second attempt), closed, with key points to grade."""
    return turn.is_question and turn.gradable and turn.closed


def _outcomes(grade: TurnGrade, overridden: set[str]) -> list[PointOutcome]:
    return [PointOutcome(p["id"], p["text"], grade.missed(p["id"], overridden)) for p in grade.points]


def point_outcomes(turn: Turn) -> list[PointOutcome]:
    """Return each graded point of the question's best attempt and whether it stayed missed after overrides."""
    best = turn.best_attempt
    return _outcomes(best.grade, {override.point_uid for override in best.overrides})


def _answer(turn: Turn, slugs: dict[int, list[str]]) -> Answer:
    return Answer(turn.question_id, tuple(slugs.get(turn.question_id, ())), turn.effective_score or 0.0,
                  point_outcomes(turn))


def answer_of(turn: Turn) -> Answer:
    """Return what the rollups count of one question turn as it stands."""
    return _answer(turn, topic_slugs([turn.question_id] if turn.question_id is not None else []))


def _answers(interview: Interview) -> list[tuple[Turn, Answer]]:
    """Return the interview's counted turns with what the rollups need of each."""
    counted = [turn for turn in interview.turns if counts_toward_progress(turn)]
    slugs = topic_slugs([turn.question_id for turn in counted if turn.question_id is not None])
    return [(turn, _answer(turn, slugs)) for turn in counted]


def topic_slugs(question_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Return the topic slugs of each question (of all questions when none are named)."""
    query = select(question_topics.c.question_id, Topic.slug).join(Topic, Topic.id == question_topics.c.topic_id)
    if question_ids is not None:
        query = query.where(question_topics.c.question_id.in_(question_ids))
    slugs: dict[int, list[str]] = {}
    for question_id, slug in db.session.execute(query):
        slugs.setdefault(question_id, []).append(slug)
    return slugs


def _month(day: date) -> date:
    return day.replace(day=1)


# Each score rollup with the name of its period column.
_SCORE_ROLLUPS = ((DailyTopicScore, "day"), (MonthlyTopicScore, "month"))


class _Tally:
    """Score and key-point counts of some answers, gathered in memory before touching the rollups."""

    def __init__(self) -> None:
        self.scores: dict[tuple[date, str], list[float]] = {}  # (day, slug) -> [answers, score sum]
        self.months: dict[tuple[date, str], list[float]] = {}  # (first of month, slug) -> [answers, score sum]
        self.points: dict[tuple[int, str], list] = {}  # (question id, uid) -> [text, seen, missed]

    def add(self, day: date, answer: Answer) -> None:
        """Count one answer given on `day`."""
        for slug in (OVERALL, *answer.slugs):
            for sums, key in ((self.scores, (day, slug)), (self.months, (_month(day), slug))):
                entry = sums.setdefault(key, [0, 0.0])
                entry[0] += 1
                entry[1] += answer.score
        if answer.question_id is None:
            return
        for outcome in answer.outcomes:
            entry = self.points.setdefault((answer.question_id, outcome.uid), [outcome.text, 0, 0])
            entry[0] = outcome.text
            entry[1] += 1
            entry[2] += int(outcome.missed)

    def apply(self, user_id: int, sign: int) -> None:
        """Add the tally to the user's stored rollups (sign 1) or take it back out (sign -1).

        One upsert statement per table whatever the number of rows; rows taken down to nothing are deleted.
        """
        for (model, column), sums in zip(_SCORE_ROLLUPS, (self.scores, self.months), strict=True):
            if sums:
                rows = [{"user_id": user_id, column: period, "topic_slug": slug, "answers": sign * answers,
                         "score_sum": sign * score_sum} for (period, slug), (answers, score_sum) in sums.items()]
                _upsert(model, rows, keys=("user_id", column, "topic_slug"), added=("answers", "score_sum"))
        if self.points:
            _upsert(KeyPointStat, [
                {"user_id": user_id, "question_id": question_id, "point_uid": uid, "point_text": text,
                 "seen": sign * seen, "missed": sign * missed}
                for (question_id, uid), (text, seen, missed) in self.points.items()],
                keys=("user_id", "question_id", "point_uid"), added=("seen", "missed"), replaced=("point_text",))
        if sign < 0:
            for model in (DailyTopicScore, MonthlyTopicScore):
                db.session.execute(delete(model).where(model.user_id == user_id, model.answers <= 0))
            db.session.execute(delete(KeyPointStat).where(KeyPointStat.user_id == user_id, KeyPointStat.seen <= 0))

    def insert(self, user_id: int) -> None:
        """Bulk-insert the tally as the user's rollups (they must hold nothing yet)."""
        for (model, column), sums in zip(_SCORE_ROLLUPS, (self.scores, self.months), strict=True):
            if sums:
                db.session.execute(insert(model), [
                    {"user_id": user_id, column: key, "topic_slug": slug, "answers": answers, "score_sum": score_sum}
                    for (key, slug), (answers, score_sum) in sums.items()])
        if self.points:
            db.session.execute(insert(KeyPointStat), [
                {"user_id": user_id, "question_id": question_id, "point_uid": uid, "point_text": text, "seen": seen,
                 "missed": missed}
                for (question_id, uid), (text, seen, missed) in self.points.items()])


def _upsert(model: type, rows: list[dict], *, keys: tuple[str, ...], added: tuple[str, ...],
            replaced: tuple[str, ...] = ()) -> None:
    """Insert the rows, or add their `added` counts to the stored ones (never below zero) and take `replaced`.

    The rows go as parameters of one statement, built and compiled once per table, not once per call.
    """
    statement = _upsert_statement(db.session.get_bind().dialect.name, model, keys, added, replaced)
    db.session.execute(statement, rows)


@cache
def _upsert_statement(dialect: str, model: type, keys: tuple[str, ...], added: tuple[str, ...],
                      replaced: tuple[str, ...]):
    statement = (sqlite_insert if dialect == "sqlite" else postgresql_insert)(model)
    table = model.__table__
    changes = {name: case((table.c[name] + statement.excluded[name] < 0, 0),
                          else_=table.c[name] + statement.excluded[name]) for name in added}
    changes |= {name: statement.excluded[name] for name in replaced}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changes)


def _mark_recorded(turn_ids: list[int], at: datetime) -> None:
    """Record that these turns are counted; raises IntegrityError when one already was."""
    if turn_ids:
        db.session.execute(insert(ProgressRecord), [{"turn_id": turn_id, "recorded_at": at} for turn_id in turn_ids])


def record_finished(interview: Interview) -> None:
    """Add a just-finished interview to the user's rollups and review schedule (caller commits).

    Raises IntegrityError, before changing any rollup, when a turn of it was already counted.
    """
    user = interview.user
    at = interview.finished_at or interview.started_at
    _mark_recorded([turn.id for turn in interview.turns if turn.closed], at)
    day = local_day(at, user)
    tally = _Tally()
    answers = _answers(interview)
    states = {state.question_id: state for state in db.session.scalars(select(ReviewState).where(
        ReviewState.user_id == user.id, ReviewState.question_id.in_([a.question_id for _t, a in answers])))}
    for turn, answer in answers:
        tally.add(day, answer)
        if answer.question_id is None:
            continue
        state = states.get(answer.question_id)
        if state is None:
            state = states[answer.question_id] = ReviewState(user_id=user.id, question_id=answer.question_id,
                                                             flagged_point_uids=[])
            db.session.add(state)
        turn.flagged_point_uids = review(state, answer, at)
    tally.apply(user.id, 1)


def record_override(turn: Turn, point_uid: str, score_before: float | None) -> None:
    """Count "I covered this" made after the end: the answer's score in progress and review, and the point's
    missed count (caller commits)."""
    interview = turn.interview
    if not interview.finished or not counts_toward_progress(turn):
        return  # an unfinished interview's overrides are counted when it finishes
    gained = (turn.effective_score or 0.0) - (score_before or 0.0)
    if gained:
        day = local_day(interview.finished_at, interview.user)
        slugs = tuple(topic.slug for topic in turn.question.topics) if turn.question else ()
        for (model, column), period in zip(_SCORE_ROLLUPS, (day, _month(day)), strict=True):
            _upsert(model, [{"user_id": interview.user_id, column: period, "topic_slug": slug, "answers": 0,
                             "score_sum": gained} for slug in (OVERALL, *slugs)],
                    keys=("user_id", column, "topic_slug"), added=("answers", "score_sum"))
    if turn.question_id is None:
        return
    state = review_state(interview.user_id, turn.question_id)
    latest = state is not None and state.card.get("reviewed_at") == utc_iso(interview.finished_at)
    if latest:
        state.last_score = turn.effective_score
    if not turn.grade.missed(point_uid):
        return
    stat = db.session.get(KeyPointStat, (interview.user_id, turn.question_id, point_uid))
    if stat is not None:
        stat.missed = max(0, stat.missed - 1)
    if latest:
        state.flagged_point_uids = [uid for uid in state.flagged_point_uids or [] if uid != point_uid]


def record_retry(question: Turn, retry: Turn, before: Answer) -> None:
    """Count a second attempt made after the end: the question's answer is counted again from its better attempt,
    and its latest review is redone with it (caller commits). Raises IntegrityError when it was counted already."""
    interview = question.interview
    _mark_recorded([retry.id], now())
    after = answer_of(question)
    day = local_day(interview.finished_at, interview.user)
    for sign, answer in ((-1, before), (1, after)):
        tally = _Tally()
        tally.add(day, answer)
        tally.apply(interview.user_id, sign)
    state = review_state(interview.user_id, question.question_id) if question.question_id is not None else None
    if state is not None and state.card.get("reviewed_at") == utc_iso(interview.finished_at):
        redo_review(state, after)


def _attempt_answer(question_id: int | None, slugs: dict[int, list[str]], snapshot: list, overrides: set[str],
                    score: float | None, result: dict | None, recovered: dict[str, float]) -> tuple[float, Answer]:
    """Read one attempt at a question from plain rows, as `_answer` reads it from a loaded turn, with its rank."""
    grade = TurnGrade.stored(result, snapshot)
    score = score_with_overrides(score, grade.points, snapshot, overrides, recovered)
    return attempt_rank(score), Answer(question_id, tuple(slugs.get(question_id, ())), score or 0.0,
                                       _outcomes(grade, overrides))


def forget_interview(interview: Interview) -> None:
    """Take a deleted interview's answers back out of the score and key-point rollups (caller commits)."""
    user = interview.user
    day = local_day(interview.finished_at or interview.started_at, user)
    tally = _Tally()
    for _turn, answer in _answers(interview):
        tally.add(day, answer)
    tally.apply(user.id, -1)


def delete_rollups(user_id: int) -> None:
    """Delete everything derived from the user's interviews: score rollups, key-point stats, review schedule
    and the records of what was counted."""
    for model in (DailyTopicScore, MonthlyTopicScore, KeyPointStat, ReviewState):
        db.session.execute(delete(model).where(model.user_id == user_id))
    users_turns = select(Turn.id).join(Interview, Interview.id == Turn.interview_id).where(Interview.user_id == user_id)
    db.session.execute(delete(ProgressRecord).where(ProgressRecord.turn_id.in_(users_turns)))


def rebuild(user: User) -> None:
    """Recompute the user's rollups and review schedule from all their finished interviews (caller commits).

    Reads plain rows rather than loading every interview and turn, so importing a long history stays fast.
    A rating the user changed by hand is kept when the review it changed is still the question's latest.
    """
    by_hand = {state.question_id: (state.card["reviewed_at"], state.last_rating)
               for state in db.session.scalars(select(ReviewState).where(ReviewState.user_id == user.id))
               if state.card.get("rated_by_hand")}
    delete_rollups(user.id)
    slugs = topic_slugs()
    overridden: dict[int, set[str]] = {}
    for turn_id, uid in db.session.execute(
            select(PointOverride.turn_id, PointOverride.point_uid).join(Turn, Turn.id == PointOverride.turn_id)
            .join(Interview, Interview.id == Turn.interview_id).where(Interview.user_id == user.id)):
        overridden.setdefault(turn_id, set()).add(uid)
    turns = db.session.execute(
        select(Interview.finished_at, Turn.id, Turn.question_id, Turn.score, Turn.result, Turn.points_snapshot,
               Turn.kind, Turn.parent_id, Turn.point_uid)
        .join(Turn, Turn.interview_id == Interview.id)
        .where(Interview.user_id == user.id, Interview.status == InterviewStatus.FINISHED,
               Turn.state != TurnState.OPEN)
        .order_by(Interview.finished_at, Interview.id, Turn.number)).all()
    follow_ups: dict[int, list[tuple[str | None, dict | None]]] = {}
    retries: dict[int, tuple] = {}
    for row in turns:
        if row.kind == TurnKind.FOLLOW_UP:
            follow_ups.setdefault(row.parent_id, []).append((row.point_uid, row.result))
        elif row.kind == TurnKind.RETRY:
            retries[row.parent_id] = row
    zone = user_zone(user)
    tally = _Tally()
    states: dict[int, ReviewState] = {}
    recorded: list[int] = []
    for finished_at, turn_id, question_id, score, result, snapshot, kind, _parent, _point in turns:
        recorded.append(turn_id)
        if not snapshot or kind != TurnKind.QUESTION:
            continue
        attempts = [(turn_id, score, result, recovered_credit(follow_ups.get(turn_id, ())))]
        if turn_id in retries:
            retry = retries[turn_id]
            attempts.append((retry.id, retry.score, retry.result, {}))
        _rank, answer = max((_attempt_answer(question_id, slugs, snapshot, overridden.get(attempt_id, set()),
                                             *attempt) for attempt_id, *attempt in attempts),
                            key=lambda ranked: ranked[0])
        tally.add(finished_at.astimezone(zone).date(), answer)
        if question_id is not None:
            state = states.setdefault(question_id, ReviewState(
                user_id=user.id, question_id=question_id, flagged_point_uids=[]))
            review(state, answer, finished_at)
    tally.insert(user.id)
    _mark_recorded(recorded, now())
    for question_id, (reviewed_at, rating) in by_hand.items():
        state = states.get(question_id)
        if state is not None and state.card["reviewed_at"] == reviewed_at:
            change_rating(state, fsrs.Rating(rating))
    db.session.add_all(states.values())
