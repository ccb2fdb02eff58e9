"""Per-user rollups and spaced-review state, kept up to date as interviews finish.

Progress pages read only these rollups, never the turns, so they stay fast however long
a user's history grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fsrs
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Float, cast, delete, func, insert, or_, select

from ..clock import now
from ..errors import DomainError, NotFound
from ..extensions import db
from ..models import (
    DailyTopicScore,
    Interview,
    KeyPointStat,
    MonthlyTopicScore,
    PointOverride,
    Question,
    ReviewState,
    Topic,
    Turn,
    User,
    question_topics,
)

OVERALL = ""
REVIEW_SIZE = 10
DUE_SHOWN = 50
WEAKEST = 8
MIN_ANSWERS_FOR_WEAKEST = 2
DAILY_SPAN_DAYS = 120

# No sub-day learning steps: a question answered today must not be due again within the hour,
# and no fuzzing, so a rating always gives the same next date.
SCHEDULER = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


class NothingDue(DomainError):
    """No question is due for review today."""


@dataclass(frozen=True)
class PointOutcome:
    uid: str
    text: str
    missed: bool


@dataclass(frozen=True)
class Answer:
    """What the rollups need of one counted turn."""

    question_id: int | None
    slugs: tuple[str, ...]
    score: float
    outcomes: list[PointOutcome]


def user_zone(user: User) -> ZoneInfo:
    """Return the user's timezone, UTC when the stored name is unknown."""
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, user: User) -> date:
    """Return the calendar day `moment` falls on in the user's timezone."""
    return moment.astimezone(user_zone(user)).date()


def rating_for(score: float, missed_any: bool) -> fsrs.Rating:
    """Derive the review rating from a 0-100 score; a missed key point caps it at Hard."""
    if score < 40:
        return fsrs.Rating.Again
    if score < 60 or missed_any:
        return fsrs.Rating.Hard
    if score < 85:
        return fsrs.Rating.Good
    return fsrs.Rating.Easy


def counts_toward_progress(turn: Turn) -> bool:
    """Tell whether the turn was asked, closed and has key points to grade against."""
    return turn.gradable and (turn.closed or turn.skipped)


def graded_points(result: dict | None, snapshot: list[dict]) -> list[dict]:
    """Return a turn's graded points; an ungraded turn (skipped) has every snapshot point missed."""
    graded = (result or {}).get("points") or []
    if graded:
        return graded
    return [{"id": p["id"], "text": p["text"], "status": "miss", "score": 0.0, "evidence": []} for p in snapshot]


def _outcomes(result: dict | None, snapshot: list[dict], overridden: set[str]) -> list[PointOutcome]:
    return [PointOutcome(p["id"], p["text"], p["status"] == "miss" and p["id"] not in overridden)
            for p in graded_points(result, snapshot)]


def point_outcomes(turn: Turn) -> list[PointOutcome]:
    """Return each graded point of the turn and whether it stayed missed after overrides."""
    return _outcomes(turn.result, turn.points_snapshot, {override.point_uid for override in turn.overrides})


def _answers(interview: Interview) -> list[tuple[Turn, Answer]]:
    """Return the interview's counted turns with what the rollups need of each."""
    return [(turn, Answer(turn.question_id, tuple(topic.slug for topic in turn.question.topics) if turn.question
                          else (), turn.score or 0.0, point_outcomes(turn)))
            for turn in interview.turns if counts_toward_progress(turn)]


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
        """Add the tally to the user's stored rollups (sign 1) or take it back out (sign -1)."""
        for (model, column), sums in zip(_SCORE_ROLLUPS, (self.scores, self.months), strict=True):
            for (period, slug), (answers, score_sum) in sums.items():
                _adjust_score(model, column, user_id, period, slug, sign * answers, sign * score_sum)
        for (question_id, uid), (text, seen, missed) in self.points.items():
            _adjust_point_stat(user_id, question_id, uid, text, sign * seen, sign * missed)

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


def _adjust_score(model: type[DailyTopicScore] | type[MonthlyTopicScore], column: str, user_id: int, period: date,
                  slug: str, answers: int, score_sum: float) -> None:
    row = db.session.get(model, (user_id, period, slug))
    if row is None:
        if answers <= 0:
            return
        row = model(user_id=user_id, topic_slug=slug, answers=0, score_sum=0.0, **{column: period})
        db.session.add(row)
    row.answers += answers
    row.score_sum += score_sum
    if row.answers <= 0:
        db.session.delete(row)


def _adjust_point_stat(user_id: int, question_id: int, uid: str, text: str, seen: int, missed: int) -> None:
    stat = db.session.get(KeyPointStat, (user_id, question_id, uid))
    if stat is None:
        if seen <= 0:
            return
        stat = KeyPointStat(user_id=user_id, question_id=question_id, point_uid=uid, point_text=text,
                            seen=0, missed=0)
        db.session.add(stat)
    stat.point_text = text
    stat.seen += seen
    stat.missed = max(0, stat.missed + missed)
    if stat.seen <= 0:
        db.session.delete(stat)


def record_finished(interview: Interview) -> None:
    """Add a just-finished interview to the user's rollups and review schedule (caller commits)."""
    user = interview.user
    at = interview.finished_at or interview.started_at
    day = local_day(at, user)
    tally = _Tally()
    for turn, answer in _answers(interview):
        tally.add(day, answer)
        if answer.question_id is None:
            continue
        state = _review_state(user.id, answer.question_id)
        if state is None:
            state = ReviewState(user_id=user.id, question_id=answer.question_id, flagged_point_uids=[])
            db.session.add(state)
        turn.flagged_point_uids = _review(state, answer, at)
    tally.apply(user.id, 1)


def record_override(turn: Turn, point_uid: str) -> None:
    """Stop counting a point as missed once the candidate said they covered it after the end (caller commits)."""
    interview = turn.interview
    if not interview.finished or turn.question_id is None or not counts_toward_progress(turn):
        return  # an unfinished interview's overrides are counted when it finishes
    statuses = {point["id"]: point["status"] for point in (turn.result or {}).get("points") or []}
    if statuses.get(point_uid) != "miss":
        return
    stat = db.session.get(KeyPointStat, (interview.user_id, turn.question_id, point_uid))
    if stat is not None:
        stat.missed = max(0, stat.missed - 1)
    state = _review_state(interview.user_id, turn.question_id)
    if state is not None and state.card.get("reviewed_at") == _utc_iso(interview.finished_at):
        state.flagged_point_uids = [uid for uid in state.flagged_point_uids or [] if uid != point_uid]


def _review_state(user_id: int, question_id: int) -> ReviewState | None:
    return db.session.scalars(
        select(ReviewState).where(ReviewState.user_id == user_id, ReviewState.question_id == question_id)
    ).first()


def _review(state: ReviewState, answer: Answer, at: datetime) -> list[str]:
    """Schedule the state's next review from this answer; return the flagged points this answer faced."""
    before = fsrs.Card.from_dict(state.card["card"]) if state.card else fsrs.Card(due=at)
    graded_uids = {outcome.uid for outcome in answer.outcomes}
    faced = [uid for uid in state.flagged_point_uids or [] if uid in graded_uids]
    missed = [outcome.uid for outcome in answer.outcomes if outcome.missed]
    _schedule(state, before, rating_for(answer.score, bool(missed)), at)
    state.last_score = answer.score
    state.flagged_point_uids = missed
    return faced


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _schedule(state: ReviewState, before: fsrs.Card, rating: fsrs.Rating, at: datetime) -> None:
    """Review `before` with `rating` at `at`; keep the prior card so the rating can be changed later."""
    card, _ = SCHEDULER.review_card(before, rating, at.astimezone(UTC))
    state.card = {"card": card.to_dict(), "before": before.to_dict(), "reviewed_at": _utc_iso(at)}
    state.due = card.due
    state.last_rating = int(rating)


def change_rating(state: ReviewState, rating: fsrs.Rating) -> None:
    """Redo the state's last review with the rating the user chose instead (caller commits)."""
    before = fsrs.Card.from_dict(state.card["before"])
    _schedule(state, before, rating, datetime.fromisoformat(state.card["reviewed_at"]))
    state.card = {**state.card, "rated_by_hand": True}


def forget_interview(interview: Interview) -> None:
    """Take a deleted interview's answers back out of the score and key-point rollups (caller commits)."""
    user = interview.user
    day = local_day(interview.finished_at or interview.started_at, user)
    tally = _Tally()
    for _turn, answer in _answers(interview):
        tally.add(day, answer)
    tally.apply(user.id, -1)


def delete_rollups(user_id: int) -> None:
    """Delete everything derived from the user's interviews: score rollups, key-point stats and review schedule."""
    for model in (DailyTopicScore, MonthlyTopicScore, KeyPointStat, ReviewState):
        db.session.execute(delete(model).where(model.user_id == user_id))


def rebuild(user: User) -> None:
    """Recompute the user's rollups and review schedule from all their finished interviews (caller commits).

    Reads plain rows rather than loading every interview and turn, so importing a long history stays fast.
    A rating the user changed by hand is kept when the review it changed is still the question's latest.
    """
    by_hand = {state.question_id: (state.card["reviewed_at"], state.last_rating)
               for state in db.session.scalars(select(ReviewState).where(ReviewState.user_id == user.id))
               if state.card.get("rated_by_hand")}
    delete_rollups(user.id)
    slugs: dict[int, list[str]] = {}
    for question_id, slug in db.session.execute(
            select(question_topics.c.question_id, Topic.slug).join(Topic, Topic.id == question_topics.c.topic_id)):
        slugs.setdefault(question_id, []).append(slug)
    overridden: dict[int, set[str]] = {}
    for turn_id, uid in db.session.execute(
            select(PointOverride.turn_id, PointOverride.point_uid).join(Turn, Turn.id == PointOverride.turn_id)
            .join(Interview, Interview.id == Turn.interview_id).where(Interview.user_id == user.id)):
        overridden.setdefault(turn_id, set()).add(uid)
    turns = db.session.execute(
        select(Interview.finished_at, Turn.id, Turn.question_id, Turn.score, Turn.result, Turn.points_snapshot)
        .join(Turn, Turn.interview_id == Interview.id)
        .where(Interview.user_id == user.id, Interview.finished_at.is_not(None),
               or_(Turn.answered_at.is_not(None), Turn.skipped))
        .order_by(Interview.finished_at, Interview.id, Turn.number))
    zone = user_zone(user)
    tally = _Tally()
    states: dict[int, ReviewState] = {}
    for finished_at, turn_id, question_id, score, result, snapshot in turns:
        if not snapshot:
            continue
        answer = Answer(question_id, tuple(slugs.get(question_id, ())), score or 0.0,
                        _outcomes(result, snapshot, overridden.get(turn_id, set())))
        tally.add(finished_at.astimezone(zone).date(), answer)
        if question_id is not None:
            state = states.setdefault(question_id, ReviewState(
                user_id=user.id, question_id=question_id, flagged_point_uids=[]))
            _review(state, answer, finished_at)
    tally.insert(user.id)
    for question_id, (reviewed_at, rating) in by_hand.items():
        state = states.get(question_id)
        if state is not None and state.card["reviewed_at"] == reviewed_at:
            change_rating(state, fsrs.Rating(rating))
    db.session.add_all(states.values())


@dataclass
class ScoreSeries:
    """Mean scores per period, overall and per topic, ready for a chart and a table."""

    granularity: str  # day | month
    labels: list[str] = field(default_factory=list)
    lines: dict[str, list[float | None]] = field(default_factory=dict)  # topic slug ('' overall) -> means
    answers: dict[str, list[int]] = field(default_factory=dict)


def score_series(user: User) -> ScoreSeries:
    """Return the user's mean score over time: by day for a short history, by month (a rollup of its own) beyond."""
    first, last = db.session.execute(
        select(func.min(DailyTopicScore.day), func.max(DailyTopicScore.day))
        .where(DailyTopicScore.user_id == user.id)
    ).one()
    if first is None:
        return ScoreSeries("day")
    if (last - first).days <= DAILY_SPAN_DAYS:
        granularity = "day"
        rows = [(day.isoformat(), slug, count, total) for day, slug, count, total in db.session.execute(
            select(DailyTopicScore.day, DailyTopicScore.topic_slug, DailyTopicScore.answers,
                   DailyTopicScore.score_sum).where(DailyTopicScore.user_id == user.id))]
    else:
        granularity = "month"
        rows = [(f"{month:%Y-%m}", slug, count, total) for month, slug, count, total in db.session.execute(
            select(MonthlyTopicScore.month, MonthlyTopicScore.topic_slug, MonthlyTopicScore.answers,
                   MonthlyTopicScore.score_sum).where(MonthlyTopicScore.user_id == user.id))]
    labels = sorted({row[0] for row in rows})
    index = {label: position for position, label in enumerate(labels)}
    series = ScoreSeries(granularity, labels)
    sums: dict[str, list[float]] = {}
    for label, slug, count, total in rows:
        sums.setdefault(slug, [0.0] * len(labels))[index[label]] += total
        series.answers.setdefault(slug, [0] * len(labels))[index[label]] += count
    for slug in sorted(sums, key=lambda slug: (slug != OVERALL, slug)):
        series.lines[slug] = [round(total / count, 1) if count else None
                              for total, count in zip(sums[slug], series.answers[slug], strict=True)]
    return series


@dataclass(frozen=True)
class TopicStanding:
    slug: str
    answers: int
    mean: float


def weakest_topics(user: User, limit: int = WEAKEST) -> list[TopicStanding]:
    """Return the user's topics by mean score, weakest first (topics with too few answers left out)."""
    answers = func.sum(MonthlyTopicScore.answers)
    mean = func.sum(MonthlyTopicScore.score_sum) / cast(answers, Float)
    rows = db.session.execute(
        select(MonthlyTopicScore.topic_slug, answers, mean)
        .where(MonthlyTopicScore.user_id == user.id, MonthlyTopicScore.topic_slug != OVERALL)
        .group_by(MonthlyTopicScore.topic_slug).having(answers >= MIN_ANSWERS_FOR_WEAKEST)
        .order_by(mean, MonthlyTopicScore.topic_slug).limit(limit)
    ).all()
    return [TopicStanding(slug, count, round(value, 1)) for slug, count, value in rows]


def weakest_points(user: User, limit: int = WEAKEST) -> list[tuple[KeyPointStat, str]]:
    """Return the key points the user misses most often, with their question's text."""
    miss_rate = cast(KeyPointStat.missed, Float) / KeyPointStat.seen
    return [(stat, text) for stat, text in db.session.execute(
        select(KeyPointStat, Question.text).join(Question, Question.id == KeyPointStat.question_id)
        .where(KeyPointStat.user_id == user.id, KeyPointStat.missed > 0)
        .order_by(miss_rate.desc(), KeyPointStat.missed.desc(), KeyPointStat.question_id, KeyPointStat.point_uid)
        .limit(limit)
    ).all()]


def end_of_today(user: User) -> datetime:
    """Return the UTC instant the user's current day ends, in their own timezone."""
    zone = user_zone(user)
    today = now().astimezone(zone).date()
    return datetime.combine(today + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)


def _due_by_today(user: User) -> tuple[ColumnElement[bool], ...]:
    """Filter the user's review states down to those due by the end of their today."""
    return ReviewState.user_id == user.id, ReviewState.due < end_of_today(user)


def due_reviews(user: User, limit: int | None = None) -> list[tuple[ReviewState, Question]]:
    """Return the user's review states due by the end of their today, weakest first."""
    query = (select(ReviewState, Question).join(Question, Question.id == ReviewState.question_id)
             .where(*_due_by_today(user))
             .order_by(ReviewState.last_score, ReviewState.due, ReviewState.question_id))
    if limit is not None:
        query = query.limit(limit)
    return [(state, question) for state, question in db.session.execute(query).all()]


def count_due(user: User) -> int:
    """Count the user's review states due by the end of their today."""
    return db.session.scalar(select(func.count(ReviewState.id)).where(*_due_by_today(user))) or 0


def upcoming_reviews(user: User, limit: int = 10) -> list[tuple[ReviewState, Question]]:
    """Return the user's next reviews after today, soonest first."""
    return [(state, question) for state, question in db.session.execute(
        select(ReviewState, Question).join(Question, Question.id == ReviewState.question_id)
        .where(ReviewState.user_id == user.id, ReviewState.due >= end_of_today(user))
        .order_by(ReviewState.due, ReviewState.question_id).limit(limit)
    ).all()]


def start_review(user: User) -> Interview:
    """Start "Today's review": an untimed interview on what is due, weakest first."""
    from . import interviews  # the interview service records finished reviews through this module

    due = [question.id for _state, question in due_reviews(user, REVIEW_SIZE)]
    if not due:
        raise NothingDue(_("Nothing is due for review today."))
    return interviews.start_interview(user, mode="review", count=len(due), seconds=None, question_ids=due)


def set_rating(user: User, question_id: int, rating: int) -> ReviewState:
    """Replace the rating of the user's last review of a question and reschedule it."""
    state = _review_state(user.id, question_id)
    if state is None:
        raise NotFound(_("This question is not in your review schedule."))
    change_rating(state, fsrs.Rating(rating))
    db.session.commit()
    return state
