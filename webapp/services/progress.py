"""Read models of a user's progress: scores over time, weakest topics, most-missed key points.

They read only the rollups, never the turns, so they stay fast however long a user's history grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Float, cast, func, select

from ..extensions import db
from ..models import DailyTopicScore, KeyPointStat, MonthlyTopicScore, Question, User
from .rollups import OVERALL

WEAKEST = 8
MIN_ANSWERS_FOR_WEAKEST = 2
DAILY_SPAN_DAYS = 120


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
