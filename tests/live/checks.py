"""What the database must show after races and faults: every answer stored once, progress counted once."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from .client import Response


def at_once(*calls: Callable[[], Response]) -> list[Response]:
    """Run the calls on their own threads, released together, and return their responses in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable[[], Response]) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = call()
        except Exception as error:  # reported to the test as the call's result
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failures = [result for result in results if not isinstance(result, Response)]
    assert not failures, failures
    return results


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def user_id(engine: sa.Engine, username: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text("SELECT id FROM users WHERE username = :name"), {"name": username})


def turns(engine: sa.Engine, interview_id: int) -> list[sa.Row]:
    with engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT number, state, answer, submission_key FROM turns WHERE interview_id = :id ORDER BY number"),
            {"id": interview_id}).all()


def expire_current_turn(engine: sa.Engine, interview_id: int) -> None:
    """Move the asked question's deadline two minutes into the past, as if the candidate had walked away."""
    past = datetime.now(UTC) - timedelta(minutes=2)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "UPDATE turns SET asked_at = :asked, deadline = :deadline "
            "WHERE interview_id = :id AND state = 'open' AND asked_at IS NOT NULL"),
            {"asked": past - timedelta(minutes=1), "deadline": past, "id": interview_id})


def assert_progress_counted_once(engine: sa.Engine, username: str) -> int:
    """Check each rollup against the user's finished turns; return how many turns were counted."""
    owner = user_id(engine, username)
    with engine.connect() as connection:
        closed = connection.execute(sa.text(
            "SELECT turns.id, turns.points_snapshot, turns.kind FROM turns "
            "JOIN interviews ON interviews.id = turns.interview_id "
            "WHERE interviews.user_id = :user AND interviews.status = 'finished' AND turns.state != 'open'"),
            {"user": owner}).all()
        records = connection.scalar(sa.text(
            "SELECT count(*) FROM progress_records JOIN turns ON turns.id = progress_records.turn_id "
            "JOIN interviews ON interviews.id = turns.interview_id WHERE interviews.user_id = :user"), {"user": owner})
        sums = {table: connection.scalar(sa.text(
            f"SELECT coalesce(sum(answers), 0) FROM {table} WHERE user_id = :user AND topic_slug = ''"),
            {"user": owner}) for table in ("daily_topic_scores", "monthly_topic_scores")}
        seen = connection.scalar(sa.text(
            "SELECT coalesce(sum(seen), 0) FROM key_point_stats WHERE user_id = :user"), {"user": owner})
    # Follow-ups and second attempts count through their question, not as answers of their own.
    gradable = [_json(snapshot) for _id, snapshot, kind in closed if _json(snapshot) and kind == "question"]
    assert records == len(closed)
    assert sums == {"daily_topic_scores": len(gradable), "monthly_topic_scores": len(gradable)}
    assert seen == sum(len(snapshot) for snapshot in gradable)
    return len(gradable)
