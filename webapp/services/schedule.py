"""Spaced-review scheduling (FSRS): one card per user and question, rescheduled by each counted answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
from sqlalchemy import select

from ..extensions import db
from ..models import ReviewState

# One ten-minute learning step: a question failed ("Again", or a score under 60) comes back the same day,
# so a new user can review at once; one answered well graduates to days. No fuzzing: a rating always gives
# the same next date.
LEARNING_STEP = timedelta(minutes=10)
SCHEDULER = fsrs.Scheduler(learning_steps=(LEARNING_STEP,), relearning_steps=(LEARNING_STEP,),
                           enable_fuzzing=False)


@dataclass(frozen=True)
class PointOutcome:
    uid: str
    text: str
    missed: bool


@dataclass(frozen=True)
class Answer:
    """What the rollups and the schedule need of one counted turn."""

    question_id: int | None
    slugs: tuple[str, ...]
    score: float
    outcomes: list[PointOutcome]


def rating_for(score: float, missed_any: bool) -> fsrs.Rating:
    """Derive the review rating from a 0-100 score; a missed key point caps it at Hard."""
    if score < 60:
        return fsrs.Rating.Again
    if missed_any:
        return fsrs.Rating.Hard
    if score < 85:
        return fsrs.Rating.Good
    return fsrs.Rating.Easy


def review_state(user_id: int, question_id: int) -> ReviewState | None:
    return db.session.scalars(
        select(ReviewState).where(ReviewState.user_id == user_id, ReviewState.question_id == question_id)
    ).first()


def review(state: ReviewState, answer: Answer, at: datetime) -> list[str]:
    """Schedule the state's next review from this answer; return the flagged points this answer faced."""
    # A new card is named by its question: fsrs names one by the clock and sleeps a millisecond to keep names apart.
    before = fsrs.Card.from_dict(state.card["card"]) if state.card else fsrs.Card(card_id=state.question_id, due=at)
    graded_uids = {outcome.uid for outcome in answer.outcomes}
    faced = [uid for uid in state.flagged_point_uids or [] if uid in graded_uids]
    missed = [outcome.uid for outcome in answer.outcomes if outcome.missed]
    _schedule(state, before, rating_for(answer.score, bool(missed)), at)
    state.last_score = answer.score
    state.flagged_point_uids = missed
    return faced


def redo_review(state: ReviewState, answer: Answer) -> None:
    """Redo the state's latest review from a better answer to the same question (a second attempt in a drill)."""
    missed = [outcome.uid for outcome in answer.outcomes if outcome.missed]
    _schedule(state, fsrs.Card.from_dict(state.card["before"]), rating_for(answer.score, bool(missed)),
              datetime.fromisoformat(state.card["reviewed_at"]))
    state.last_score = answer.score
    state.flagged_point_uids = missed


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _schedule(state: ReviewState, before: fsrs.Card, rating: fsrs.Rating, at: datetime) -> None:
    """Review `before` with `rating` at `at`; keep the prior card so the rating can be changed later."""
    card, _ = SCHEDULER.review_card(before, rating, at.astimezone(UTC))
    state.card = {"card": card.to_dict(), "before": before.to_dict(), "reviewed_at": utc_iso(at)}
    state.due = card.due
    state.last_rating = int(rating)


def change_rating(state: ReviewState, rating: fsrs.Rating) -> None:
    """Redo the state's last review with the rating the user chose instead (caller commits)."""
    before = fsrs.Card.from_dict(state.card["before"])
    _schedule(state, before, rating, datetime.fromisoformat(state.card["reviewed_at"]))
    state.card = {**state.card, "rated_by_hand": True}
