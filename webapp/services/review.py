"""Today's spaced review: what is due, starting a review interview, changing a rating."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import fsrs
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select

from ..clock import now
from ..database import write_transaction
from ..errors import DomainError, NotFound
from ..extensions import db
from ..models import Interview, Mode, Question, ReviewState, User
from . import interviews, schedule
from .rollups import user_zone

REVIEW_SIZE = 10
DUE_SHOWN = 50


class NothingDue(DomainError):
    """No question is due for review today."""


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


def count_due_now(user: User) -> int:
    """Count the user's review states due at this moment."""
    return db.session.scalar(select(func.count(ReviewState.id))
                             .where(ReviewState.user_id == user.id, ReviewState.due <= now())) or 0


def upcoming_reviews(user: User, limit: int = 10) -> list[tuple[ReviewState, Question]]:
    """Return the user's next reviews after today, soonest first."""
    return [(state, question) for state, question in db.session.execute(
        select(ReviewState, Question).join(Question, Question.id == ReviewState.question_id)
        .where(ReviewState.user_id == user.id, ReviewState.due >= end_of_today(user))
        .order_by(ReviewState.due, ReviewState.question_id).limit(limit)
    ).all()]


def start_review(user: User) -> Interview:
    """Start "Today's review": an untimed interview on what is due, weakest first."""
    due = [question.id for _state, question in due_reviews(user, REVIEW_SIZE)]
    if not due:
        raise NothingDue(_("Nothing is due for review today."))
    return interviews.start_interview(user, mode=Mode.REVIEW, count=len(due), seconds=None, question_ids=due)


def set_rating(user: User, question_id: int, rating: int) -> ReviewState:
    """Replace the rating of the user's last review of a question and reschedule it."""
    with write_transaction():
        state = schedule.review_state(user.id, question_id)
        if state is None:
            raise NotFound(_("This question is not in your review schedule."))
        schedule.change_rating(state, fsrs.Rating(rating))
    return state
