"""Exports are safe to open: no formulas, no live HTML, one Content-Type; readable in the user's language and time."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Turn, User

from .history_builders import finished_interview, questions_with_topics

HOSTILE_ANSWERS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def hostile_history(app, auth, clock):
    """Alice with one finished mock interview whose texts are crafted to run as formulas or HTML."""
    auth.login()
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == "alice")).one()
        questions = questions_with_topics(len(HOSTILE_ANSWERS))
        interview = finished_interview(user, [(q, ["miss", "hit"], 40) for q in questions],
                                       at=clock() - timedelta(hours=1))
        for turn, text in zip(interview.turns, HOSTILE_ANSWERS, strict=True):
            turn.answer = text
        first = interview.turns[0]
        first.question_text = "=cmd|' /C calc'!A0 <script>alert('q')</script><img src=x onerror=alert(1)>"
        first.reference_markdown = "Reference <img src=x onerror=alert(2)> and <b>bold</b>"
        first.points_snapshot = [{**point, "weight": "must"} for point in first.points_snapshot]
        second = interview.turns[1]
        second.points_snapshot = [{**point, "weight": "nice"} for point in second.points_snapshot]
        db.session.commit()
        return {"id": interview.id, "started_at": interview.started_at}


def csv_cells(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_cells_that_would_run_as_formulas_are_neutralised(client, hostile_history):
    rows = csv_cells(client.get("/history/export.csv"))
    answers = [row[5] for row in rows[1:]]
    assert answers == ["'" + text for text in HOSTILE_ANSWERS]
    assert rows[1][4].startswith("'=cmd")


def test_anki_fields_are_escaped_html_and_never_start_a_formula(client, hostile_history):
    text = client.get("/history/anki.csv").data.decode("utf-8-sig")
    assert "#html:true" in text
    body = text.split("\n", 2)[2]
    assert not re.search(r"<script|<[^>]*\bon\w+=|javascript:", body, re.IGNORECASE)
    assert "&lt;script&gt;alert" in body
    for row in csv.reader(io.StringIO(body)):
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_anki_makes_one_card_per_missed_must_point_only(client, app, hostile_history):
    rows = list(csv.reader(io.StringIO(client.get("/history/anki.csv").data.decode("utf-8-sig").split("\n", 2)[2])))
    with app.app_context():
        turns = db.session.scalars(select(Turn).where(Turn.interview_id == hostile_history["id"])
                                   .order_by(Turn.number)).all()
        must_missed = sum(1 for turn in turns
                          for point, graded in zip(turn.points_snapshot, turn.result["points"], strict=False)
                          if graded["status"] == "miss" and point.get("weight", "must") == "must")
        nice_question = turns[1].question_text
    assert len(rows) == must_missed
    assert not any(nice_question[:20] in row[0] for row in rows)


def test_the_markdown_export_escapes_raw_html_in_answers_and_references(client, hostile_history):
    text = client.get(f"/history/{hostile_history['id']}/export.md").get_data(as_text=True)
    assert "<img" not in text and "<script>" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text


@pytest.mark.parametrize("url", ["/history/export.csv", "/history/anki.csv", "/history/export.md",
                                 "/history/export.json"])
def test_each_export_has_one_content_type_with_one_charset(client, hostile_history, url):
    response = client.get(url)
    assert response.headers["Content-Type"].count("charset") == 1
    assert response.headers.getlist("Content-Type") == [response.headers["Content-Type"]]


@pytest.mark.parametrize("url", ["/history/export.csv", "/history/anki.csv"])
def test_csv_exports_start_with_a_byte_order_mark(client, hostile_history, url):
    assert client.get(url).data.startswith("\ufeff".encode())


def test_export_times_are_in_the_users_timezone_with_the_offset(client, hostile_history):
    local = hostile_history["started_at"] + timedelta(hours=8)  # alice reads in Asia/Shanghai
    markdown = client.get("/history/export.md").get_data(as_text=True)
    assert f"{local:%Y-%m-%d %H:%M} (UTC+08:00)" in markdown
    rows = csv_cells(client.get("/history/export.csv"))
    assert rows[1][1] == f"{local:%Y-%m-%dT%H:%M:%S}+08:00"


def test_chinese_exports_are_written_in_chinese(client, hostile_history):
    markdown = client.get("/history/export.md").get_data(as_text=True)
    csv_text = client.get("/history/export.csv").data.decode("utf-8-sig")
    anki = client.get("/history/anki.csv").data.decode("utf-8-sig")
    for text in (markdown, csv_text, anki):
        for english in ("mock", "Missed key points", "Key point", "Interview"):
            assert english not in text
    assert " all" not in markdown and "模拟面试" in markdown
