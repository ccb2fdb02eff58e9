"""Drawing an interview's questions: unseen first, then weak, then stale, never two similar ones."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Interview, Question, ReferenceAnswer, SimilarLink, Topic, Turn, User, question_topics

DRILL_BELOW = 60
RECENTLY = timedelta(days=3)


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


def snapshot(question: Question) -> list[dict]:
    """Copy the key points a turn is graded against, so later edits leave the transcript alone."""
    return [point.as_key_point().to_snapshot() for point in question.key_points]


def given_questions(question_ids: Sequence[int]) -> list[Question]:
    """Return the questions with these ids in the order given, unknown ids left out."""
    wanted = list(dict.fromkeys(question_ids))
    found = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_(wanted))
        .options(selectinload(Question.key_points), selectinload(Question.reference)))}
    return [found[question_id] for question_id in wanted if question_id in found]


def draw(user: User, topic_slugs: list[str], count: int, include_unanswered: bool,
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
    return given_questions(chosen)


def _candidates(user: User, topic_slugs: list[str], include_unanswered: bool) -> list[Candidate]:
    """List the drawable questions with the user's last time asked and mean score for each."""
    query = select(Question.id)
    if topic_slugs:
        in_topics = (select(question_topics.c.question_id)
                     .join(Topic, Topic.id == question_topics.c.topic_id)
                     .where(Topic.slug.in_(topic_slugs)))
        query = query.where(Question.id.in_(in_topics))
    if not include_unanswered:
        query = query.where(Question.id.in_(_answered_questions()))
    ids = list(db.session.scalars(query.order_by(Question.id)))
    history = db.session.execute(
        select(Turn.question_id, func.max(Turn.asked_at), func.avg(Turn.score))
        .join(Interview, Interview.id == Turn.interview_id)
        .where(Interview.user_id == user.id, Turn.asked_at.is_not(None), Turn.question_id.in_(ids))
        .group_by(Turn.question_id)
    )
    seen = {question_id: (asked, score) for question_id, asked, score in history}
    return [Candidate(question_id, *seen.get(question_id, (None, None))) for question_id in ids]


def _answered_questions():
    return select(ReferenceAnswer.question_id).where(func.trim(ReferenceAnswer.markdown) != "")


def _similar_pairs(ids: list[int]) -> dict[int, set[int]]:
    links: dict[int, set[int]] = {}
    rows = db.session.execute(select(SimilarLink.question_a_id, SimilarLink.question_b_id)
                              .where(SimilarLink.question_a_id.in_(ids) | SimilarLink.question_b_id.in_(ids)))
    for first, second in rows:
        links.setdefault(first, set()).add(second)
        links.setdefault(second, set()).add(first)
    return links
