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
from sqlalchemy import Float, cast, delete, extract, func, select
from sqlalchemy.orm import selectinload

from ..clock import now
from ..errors import DomainError, NotFound
from ..extensions import db
from ..models import DailyTopicScore, Interview, KeyPointStat, Question, ReviewState, Topic, Turn, User

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


def point_outcomes(turn: Turn) -> list[PointOutcome]:
    """Return each graded point of the turn and whether it stayed missed after overrides."""
    overridden = {override.point_uid for override in turn.overrides}
    graded = (turn.result or {}).get("points") or []
    if graded:
        return [PointOutcome(p["id"], p["text"], p["status"] == "miss" and p["id"] not in overridden)
                for p in graded]
    return [PointOutcome(p["id"], p["text"], p["id"] not in overridden) for p in turn.points_snapshot]


def turn_topic_slugs(turn: Turn) -> list[str]:
    """Return the topics the turn's question belongs to (none once the question is gone)."""
    return [topic.slug for topic in turn.question.topics] if turn.question else []


class _Tally:
    """Score and key-point counts of some interviews, gathered in memory before touching the rollups."""

    def __init__(self) -> None:
        self.scores: dict[tuple[date, str], list[float]] = {}  # (day, slug) -> [answers, score sum]
        self.points: dict[tuple[int, str], list] = {}  # (question id, uid) -> [text, seen, missed]

    def add(self, interview: Interview, user: User) -> list[tuple[Turn, float, list[PointOutcome]]]:
        """Count the interview's closed gradable turns; return them with their score and point outcomes."""
        day = local_day(interview.finished_at or interview.started_at, user)
        counted = []
        for turn in interview.turns:
            if not counts_toward_progress(turn):
                continue
            score = turn.score or 0.0
            for slug in (OVERALL, *turn_topic_slugs(turn)):
                entry = self.scores.setdefault((day, slug), [0, 0.0])
                entry[0] += 1
                entry[1] += score
            outcomes = point_outcomes(turn)
            if turn.question_id is not None:
                for outcome in outcomes:
                    entry = self.points.setdefault((turn.question_id, outcome.uid), [outcome.text, 0, 0])
                    entry[0] = outcome.text
                    entry[1] += 1
                    entry[2] += int(outcome.missed)
                counted.append((turn, score, outcomes))
        return counted


def record_finished(interview: Interview) -> None:
    """Add a just-finished interview to the user's rollups and review schedule (caller commits)."""
    user = interview.user
    tally = _Tally()
    counted = tally.add(interview, user)
    for (day, slug), (answers, score_sum) in tally.scores.items():
        _add_daily_score(user.id, day, slug, answers, score_sum)
    for (question_id, uid), (text, seen, missed) in tally.points.items():
        _add_point_stat(user.id, question_id, uid, text, seen, missed)
    at = interview.finished_at or interview.started_at
    for turn, score, outcomes in counted:
        state = _review_state(user.id, turn.question_id)
        if state is None:
            state = ReviewState(user_id=user.id, question_id=turn.question_id, flagged_point_uids=[])
            db.session.add(state)
        _review(state, turn, score, outcomes, at)


def _add_daily_score(user_id: int, day: date, slug: str, answers: int, score_sum: float) -> None:
    row = db.session.get(DailyTopicScore, (user_id, day, slug))
    if row is None:
        row = DailyTopicScore(user_id=user_id, day=day, topic_slug=slug, answers=0, score_sum=0.0)
        db.session.add(row)
    row.answers += answers
    row.score_sum += score_sum


def _add_point_stat(user_id: int, question_id: int, uid: str, text: str, seen: int, missed: int) -> None:
    stat = db.session.get(KeyPointStat, (user_id, question_id, uid))
    if stat is None:
        stat = KeyPointStat(user_id=user_id, question_id=question_id, point_uid=uid, point_text=text,
                            seen=0, missed=0)
        db.session.add(stat)
    stat.point_text = text
    stat.seen += seen
    stat.missed += missed


def _review_state(user_id: int, question_id: int) -> ReviewState | None:
    return db.session.scalars(
        select(ReviewState).where(ReviewState.user_id == user_id, ReviewState.question_id == question_id)
    ).first()


def _review(state: ReviewState, turn: Turn, score: float, outcomes: list[PointOutcome], at: datetime) -> None:
    """Schedule the state's next review from this answer, and note on the turn which flagged points it faced."""
    before = fsrs.Card.from_dict(state.card["card"]) if state.card else fsrs.Card(due=at)
    graded_uids = {outcome.uid for outcome in outcomes}
    turn.flagged_point_uids = [uid for uid in state.flagged_point_uids or [] if uid in graded_uids]
    missed = [outcome.uid for outcome in outcomes if outcome.missed]
    _schedule(state, before, rating_for(score, bool(missed)), at)
    state.last_score = score
    state.flagged_point_uids = missed


def _schedule(state: ReviewState, before: fsrs.Card, rating: fsrs.Rating, at: datetime) -> None:
    """Review `before` with `rating` at `at`; keep the prior card so the rating can be changed later."""
    card, _ = SCHEDULER.review_card(before, rating, at.astimezone(UTC))
    state.card = {"card": card.to_dict(), "before": before.to_dict(), "reviewed_at": at.astimezone(UTC).isoformat()}
    state.due = card.due
    state.last_rating = int(rating)


def change_rating(state: ReviewState, rating: fsrs.Rating) -> None:
    """Redo the state's last review with the rating the user chose instead (caller commits)."""
    before = fsrs.Card.from_dict(state.card["before"])
    _schedule(state, before, rating, datetime.fromisoformat(state.card["reviewed_at"]))


def forget_interview(interview: Interview) -> None:
    """Take a deleted interview's answers back out of the score and key-point rollups (caller commits)."""
    user = interview.user
    day = local_day(interview.finished_at or interview.started_at, user)
    for turn in interview.turns:
        if not counts_toward_progress(turn):
            continue
        score = turn.score or 0.0
        for slug in (OVERALL, *turn_topic_slugs(turn)):
            row = db.session.get(DailyTopicScore, (user.id, day, slug))
            if row is not None:
                row.answers -= 1
                row.score_sum -= score
                if row.answers <= 0:
                    db.session.delete(row)
        if turn.question_id is None:
            continue
        for outcome in point_outcomes(turn):
            stat = db.session.get(KeyPointStat, (user.id, turn.question_id, outcome.uid))
            if stat is not None:
                stat.seen -= 1
                stat.missed = max(0, stat.missed - int(outcome.missed))
                if stat.seen <= 0:
                    db.session.delete(stat)


def rebuild(user: User) -> None:
    """Recompute the user's rollups and review schedule from all their finished interviews (caller commits)."""
    for model in (DailyTopicScore, KeyPointStat, ReviewState):
        db.session.execute(delete(model).where(model.user_id == user.id))
    interviews = db.session.scalars(
        select(Interview).where(Interview.user_id == user.id, Interview.finished_at.is_not(None))
        .order_by(Interview.finished_at, Interview.id)
        .options(selectinload(Interview.turns).selectinload(Turn.overrides),
                 selectinload(Interview.turns).selectinload(Turn.question).selectinload(Question.topics))
    )
    tally = _Tally()
    states: dict[int, ReviewState] = {}
    for interview in interviews:
        at = interview.finished_at or interview.started_at
        for turn, score, outcomes in tally.add(interview, user):
            state = states.setdefault(turn.question_id, ReviewState(
                user_id=user.id, question_id=turn.question_id, flagged_point_uids=[]))
            _review(state, turn, score, outcomes, at)
    db.session.add_all(
        DailyTopicScore(user_id=user.id, day=day, topic_slug=slug, answers=answers, score_sum=score_sum)
        for (day, slug), (answers, score_sum) in tally.scores.items())
    db.session.add_all(
        KeyPointStat(user_id=user.id, question_id=question_id, point_uid=uid, point_text=text, seen=seen,
                     missed=missed)
        for (question_id, uid), (text, seen, missed) in tally.points.items())
    db.session.add_all(states.values())


@dataclass
class ScoreSeries:
    """Mean scores per period, overall and per topic, ready for a chart and a table."""

    granularity: str  # day | month
    labels: list[str] = field(default_factory=list)
    lines: dict[str, list[float | None]] = field(default_factory=dict)  # topic slug ('' overall) -> means
    answers: dict[str, list[int]] = field(default_factory=dict)


def score_series(user: User) -> ScoreSeries:
    """Return the user's mean score over time: by day for a short history, by month (summed in SQL) beyond."""
    first, last = db.session.execute(
        select(func.min(DailyTopicScore.day), func.max(DailyTopicScore.day))
        .where(DailyTopicScore.user_id == user.id)
    ).one()
    if first is None:
        return ScoreSeries("day")
    answers, score_sum = func.sum(DailyTopicScore.answers), func.sum(DailyTopicScore.score_sum)
    if (last - first).days <= DAILY_SPAN_DAYS:
        granularity = "day"
        rows = [(day.isoformat(), slug, count, total) for day, slug, count, total in db.session.execute(
            select(DailyTopicScore.day, DailyTopicScore.topic_slug, DailyTopicScore.answers,
                   DailyTopicScore.score_sum).where(DailyTopicScore.user_id == user.id))]
    else:
        granularity = "month"
        year, month = extract("year", DailyTopicScore.day), extract("month", DailyTopicScore.day)
        rows = [(f"{int(y):04d}-{int(m):02d}", slug, count, total) for y, m, slug, count, total in db.session.execute(
            select(year, month, DailyTopicScore.topic_slug, answers, score_sum)
            .where(DailyTopicScore.user_id == user.id).group_by(year, month, DailyTopicScore.topic_slug))]
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
    topic: Topic | None
    slug: str
    answers: int
    mean: float


def weakest_topics(user: User, limit: int = WEAKEST) -> list[TopicStanding]:
    """Return the user's topics by mean score, weakest first (topics with too few answers left out)."""
    answers = func.sum(DailyTopicScore.answers)
    mean = func.sum(DailyTopicScore.score_sum) / cast(answers, Float)
    rows = db.session.execute(
        select(DailyTopicScore.topic_slug, answers, mean)
        .where(DailyTopicScore.user_id == user.id, DailyTopicScore.topic_slug != OVERALL)
        .group_by(DailyTopicScore.topic_slug).having(answers >= MIN_ANSWERS_FOR_WEAKEST)
        .order_by(mean, DailyTopicScore.topic_slug).limit(limit)
    ).all()
    topics = {t.slug: t for t in db.session.scalars(select(Topic).where(Topic.slug.in_([r[0] for r in rows])))}
    return [TopicStanding(topics.get(slug), slug, count, round(value, 1)) for slug, count, value in rows]


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


def due_reviews(user: User, limit: int | None = None) -> list[tuple[ReviewState, Question]]:
    """Return the user's review states due by the end of their today, weakest first."""
    query = (select(ReviewState, Question).join(Question, Question.id == ReviewState.question_id)
             .where(ReviewState.user_id == user.id, ReviewState.due < end_of_today(user))
             .order_by(ReviewState.last_score, ReviewState.due, ReviewState.question_id))
    if limit is not None:
        query = query.limit(limit)
    return [(state, question) for state, question in db.session.execute(query).all()]


def count_due(user: User) -> int:
    """Count the user's review states due by the end of their today."""
    return db.session.scalar(select(func.count(ReviewState.id)).where(
        ReviewState.user_id == user.id, ReviewState.due < end_of_today(user))) or 0


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
    state = db.session.scalars(select(ReviewState).where(
        ReviewState.user_id == user.id, ReviewState.question_id == question_id)).first()
    if state is None:
        raise NotFound(_("This question is not in your review schedule."))
    change_rating(state, fsrs.Rating(rating))
    db.session.commit()
    return state
