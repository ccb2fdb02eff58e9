"""Questions and answers that make the interviewer follow up: a missed `must` point that has an `ask`."""

from dataclasses import dataclass

from sqlalchemy import select

from webapp import grading
from webapp.extensions import db
from webapp.grading import KeyPoint
from webapp.models import Question


@dataclass(frozen=True)
class FollowUpCase:
    """A question, its first `must` point with an `ask`, and an answer covering every other point but that one."""

    question_id: int
    point: KeyPoint
    answer: str  # covers one other point, not `point`, and scores well under the cap
    points: tuple[KeyPoint, ...]


def follow_up_cases(count: int = 1) -> list[FollowUpCase]:
    """Return questions where one other point's own words grade well under the cap, the asked point missed."""
    found = []
    for question in db.session.scalars(select(Question).order_by(Question.id)):
        points = tuple(p.as_key_point() for p in question.key_points)
        asked = [p for p in points if p.weight == "must" and p.ask]
        if not question.has_answer or len(points) < 3 or not asked:
            continue
        target = asked[0]
        answer = next(p.text for p in points if p.id != target.id)
        graded = grading.grade(question.text, points, answer)
        if graded.score > 60 or next(r for r in graded.points if r.id == target.id).status != "miss":
            continue
        if grading.grade(target.ask, [target], target.text).points[0].status != "hit":
            continue
        found.append(FollowUpCase(question.id, target, answer, points))
        if len(found) == count:
            break
    return found
