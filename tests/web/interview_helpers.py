"""Drive the interview pages through the test client, as a browser without JavaScript would."""

import re
from dataclasses import dataclass

from sqlalchemy import select

from webapp import grading
from webapp.extensions import db
from webapp.models import Interview, Question, User
from webapp.services import interviews


@dataclass
class Page:
    """What the chat page shows: the current turn number and the submission key of this render."""

    html: str

    @property
    def turn(self) -> int:
        return int(re.search(r'name="turn" type="hidden" value="(\d+)"', self.html).group(1))

    @property
    def key(self) -> str:
        return re.search(r'name="key" type="hidden" value="([^"]+)"', self.html).group(1)

    def count(self, testid: str) -> int:
        return self.html.count(f'data-testid="{testid}"')


def start(client, **fields) -> int:
    """Start an interview through the form and return its id; without follow-ups unless asked for."""
    data = {"mode": "mock", "count": 3, "seconds": 180, "follow_ups": 0, **fields}
    response = client.post("/interviews/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").split("/")[-1])


def chat(client, interview_id: int) -> Page:
    response = client.get(f"/interviews/{interview_id}")
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def answer(client, interview_id: int, text: str, *, key: str | None = None, turn: int | None = None):
    """Answer the current question from a fresh render of the chat page."""
    page = chat(client, interview_id)
    return client.post(f"/interviews/{interview_id}/answer",
                       data={"turn": turn or page.turn, "key": key or page.key, "answer": text})


def load(interview_id: int) -> Interview:
    db.session.expire_all()
    return db.session.get(Interview, interview_id)


def user(username: str = "alice") -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def reference_of(question_id: int) -> str:
    return db.session.get(Question, question_id).reference_markdown


def well_graded_questions(count: int) -> list[int]:
    """Return questions (at least four key points) whose own reference grades 80 or more, in id order."""
    found = []
    for question in db.session.scalars(select(Question).order_by(Question.id)):
        points = [p.as_key_point() for p in question.key_points]
        if question.has_answer and len(points) >= 4 and \
                grading.grade(question.text, points, question.reference_markdown).score >= 80:
            found.append(question.id)
            if len(found) == count:
                break
    return found


def start_on(app, count: int = 2, **options) -> int:
    """Start alice's interview on fixed, well-graded questions and return its id; without follow-ups unless asked."""
    options.setdefault("follow_ups", 0)
    with app.app_context():
        return interviews.start_interview(user(), question_ids=well_graded_questions(count), **options).id
