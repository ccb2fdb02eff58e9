"""Build users and finished interviews straight through the models, as the interview service would."""

from datetime import datetime, timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Interview, InterviewStatus, Question, Turn, TurnState, User
from webapp.services import rollups


def make_user(username: str = "alice", timezone: str = "Asia/Shanghai") -> User:
    user = User(username=username, timezone=timezone)
    user.set_password("interview-ready-1")
    db.session.add(user)
    db.session.flush()
    return user


def questions_with_topics(count: int) -> list[Question]:
    """Return `count` bank questions that have at least two key points and a topic."""
    found = [q for q in db.session.scalars(select(Question).order_by(Question.id))
             if len(q.key_points) >= 2 and q.topics]
    return found[:count]


def graded(question: Question, statuses: list[str], score: float) -> dict:
    """Shape a grade like GradeResult.to_dict(), one status per key point of the question."""
    points = [{"id": kp.uid, "text": kp.text, "status": status, "score": 1.0 if status == "hit" else 0.0,
               "evidence": [[0, 2]] if status != "miss" else []}
              for kp, status in zip(question.key_points, statuses, strict=False)]
    return {"score": score, "gradable": True, "points": points, "flags": [], "version": "test"}


def finished_interview(user: User, answers: list[tuple[Question, list[str], float]], *, at: datetime,
                       mode: str = "mock", record: bool = True, skipped: tuple[int, ...] = ()) -> Interview:
    """Add a finished interview with one graded turn per (question, point statuses, score)."""
    interview = Interview(user=user, mode=mode, seconds_per_question=120, topic_slugs=[],
                          started_at=at - timedelta(minutes=10), finished_at=at,
                          status=InterviewStatus.FINISHED)
    for number, (question, statuses, score) in enumerate(answers, start=1):
        snapshot = [kp.as_key_point().to_snapshot() for kp in question.key_points[:len(statuses)]]
        is_skipped = number in skipped
        interview.turns.append(Turn(
            number=number, question=question, question_text=question.text,
            reference_markdown=question.reference_markdown,
            asked_at=at - timedelta(minutes=10 - number), answered_at=at - timedelta(minutes=9 - number),
            answer=None if is_skipped else f"answer {number} about {question.text[:10]}",
            state=TurnState.SKIPPED if is_skipped else TurnState.ANSWERED, points_snapshot=snapshot,
            result=None if is_skipped else graded(question, statuses, score),
            score=0.0 if is_skipped else score, grader_version="test",
        ))
    scores = [turn.score for turn in interview.turns]
    interview.score = round(sum(scores) / len(scores), 1)
    db.session.add(interview)
    db.session.flush()
    if record:
        rollups.record_finished(interview)
    db.session.commit()
    return interview


def two_question_interview(username: str, *, at: datetime) -> Interview:
    """Give the named user a finished mock interview: the first question half covered, the second mostly."""
    user = db.session.scalars(select(User).where(User.username == username)).one()
    first, second = questions_with_topics(2)
    return finished_interview(user, [(first, ["hit", "miss"], 62), (second, ["partial", "hit"], 80)], at=at)
