"""History import checks the whole file against one schema: a bad file names its first bad field, saves nothing."""

import copy
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Interview, Turn

from .history_builders import two_question_interview


@pytest.fixture
def exported(app, auth, client, clock):
    """Alice's export of one finished mock interview of two questions, after which her history is emptied."""
    auth.login()
    with app.app_context():
        two_question_interview("alice", at=clock() - timedelta(days=1))
    document = json.loads(client.get("/history/export.json").data)
    interview_id = document["interviews"][0]["id"]
    assert client.post(f"/history/{interview_id}/delete").status_code == 302
    return document


def upload(client, content: bytes | str):
    raw = content.encode() if isinstance(content, str) else content
    return client.post("/history/import", data={"file": (io.BytesIO(raw), "h.json")},
                       content_type="multipart/form-data")


def interviews_saved(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Interview))


def turns_saved(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Turn))


def with_change(document: dict, change) -> str:
    changed = copy.deepcopy(document)
    change(changed["interviews"][0])
    return json.dumps(changed, ensure_ascii=False)


def set_turn(field, value, number: int = 0):
    def change(interview):
        interview["turns"][number][field] = value
    return change


def set_interview(field, value):
    def change(interview):
        interview[field] = value
    return change


def set_first_point(field, value):
    def change(interview):
        interview["turns"][0]["result"]["points"][0][field] = value
    return change


BAD_FILES = {
    "topic slug is an object": (set_interview("topic_slugs", [{"a": 1}]), "interviews[0].topic_slugs[0]"),
    "score is a string": (set_interview("score", "abc"), "interviews[0].score"),
    "score out of range": (set_interview("score", 1e308), "interviews[0].score"),
    "seconds per question is text": (set_interview("seconds_per_question", "abc"),
                                     "interviews[0].seconds_per_question"),
    "mode too long": (set_interview("mode", "m" * 17), "interviews[0].mode"),
    "snapshot point empty": (set_turn("points_snapshot", [{}]), "interviews[0].turns[0].points_snapshot[0].id"),
    "snapshot is a string": (set_turn("points_snapshot", "abc"), "interviews[0].turns[0].points_snapshot"),
    "weight x": (lambda i: i["turns"][0]["points_snapshot"][0].update(weight="x"),
                 "interviews[0].turns[0].points_snapshot[0].weight"),
    "evidence nested one level too deep": (set_first_point("evidence", [[[0]]]),
                                           "interviews[0].turns[0].result.points[0].evidence[0]"),
    "evidence a lone number": (set_first_point("evidence", [[0]]),
                               "interviews[0].turns[0].result.points[0].evidence[0]"),
    "status weird": (set_first_point("status", "weird"), "interviews[0].turns[0].result.points[0].status"),
    "point id null": (set_first_point("id", None), "interviews[0].turns[0].result.points[0].id"),
    "point text null": (set_first_point("text", None), "interviews[0].turns[0].result.points[0].text"),
    "result a string": (set_turn("result", "str"), "interviews[0].turns[0].result"),
    "grader version of 33 characters": (set_turn("grader_version", "v" * 33), "interviews[0].turns[0].grader_version"),
    "NUL in an answer": (set_turn("answer", "a\u0000b"), "interviews[0].turns[0].answer"),
    "naive time": (set_interview("started_at", "2026-11-20T10:00:00"), "interviews[0].started_at"),
    "duplicate turn numbers": (set_turn("number", 2), "interviews[0]"),
    "a year that overflows in UTC": (set_interview("started_at", "0001-01-01T00:00:00+23:59"),
                                     "interviews[0].started_at"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_field_refuses_the_file_naming_its_path_and_saves_nothing(client, app, exported, name):
    change, path = BAD_FILES[name]
    response = upload(client, with_change(exported, change))
    assert response.status_code == 400
    assert path in response.get_data(as_text=True)
    assert interviews_saved(app) == 0 and turns_saved(app) == 0
    assert client.get("/history/").status_code == 200


@pytest.mark.parametrize("literal", ["Infinity", "NaN", "-Infinity"])
def test_a_score_that_is_not_a_finite_number_is_refused(client, app, exported, literal):
    text = with_change(exported, set_interview("score", 12345.5)).replace("12345.5", literal)
    assert upload(client, text).status_code == 400
    assert interviews_saved(app) == 0


def test_a_file_nested_a_hundred_thousand_deep_is_refused(client, app, exported):
    deep = "[" * 100_000 + "]" * 100_000
    text = with_change(exported, set_interview("topic_slugs", "HOLE")).replace('"HOLE"', deep)
    response = upload(client, text)
    assert response.status_code == 400
    assert interviews_saved(app) == 0


def test_a_file_over_the_import_limit_is_refused_before_it_is_read(client, app, exported):
    app.config["MAX_IMPORT_BYTES"] = 1000
    response = upload(client, json.dumps(exported) + " " * 2000)
    assert response.status_code == 413
    assert interviews_saved(app) == 0


def test_a_valid_file_still_imports_and_every_page_of_it_renders(client, app, exported):
    assert upload(client, json.dumps(exported)).status_code == 302
    assert interviews_saved(app) == 1
    with app.app_context():
        interview_id = db.session.scalar(select(Interview.id))
    for url in ("/history/", f"/history/{interview_id}", f"/interviews/{interview_id}/debrief", "/progress/",
                "/review/", f"/history/{interview_id}/export.md", f"/history/{interview_id}/export.csv",
                "/history/anki.csv"):
        assert client.get(url).status_code == 200, url


def test_markup_in_an_imported_answer_renders_escaped(client, app, exported):
    text = with_change(exported, set_turn("answer", "<script>alert(1)</script>"))
    assert upload(client, text).status_code == 302
    with app.app_context():
        interview_id = db.session.scalar(select(Interview.id))
    page = client.get(f"/history/{interview_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "cript&gt;alert(1)&lt;/script&gt;" in page
