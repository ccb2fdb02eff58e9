"""History pages: listing, transcripts, deletion, export and import, and privacy between users."""

import csv
import io
import json
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import DailyTopicScore, Interview, PointOverride, Turn, User

from .history_builders import finished_interview, questions_with_topics


def signed_in_user(auth, username: str = "alice") -> User:
    auth.login(username=username)
    return db.session.scalars(select(User).where(User.username == username)).one()


@pytest.fixture
def alice_history(app, auth, clock):
    """Alice signed in, with a mock interview (one late, one skipped answer) and a drill."""
    with app.app_context():
        user = signed_in_user(auth)
        q1, q2, q3 = questions_with_topics(3)
        mock = finished_interview(user, [(q1, ["hit", "miss"], 62), (q2, ["hit", "hit"], 0)],
                                  at=clock() - timedelta(days=1), skipped=(2,))
        mock.topic_slugs = [q1.topics[0].slug]
        mock.turns[0].late = True
        drill = finished_interview(user, [(q3, ["partial", "hit"], 81)], at=clock() - timedelta(hours=2),
                                   mode="drill")
        db.session.commit()
        return {"mock": mock.id, "drill": drill.id, "questions": [q1.id, q2.id, q3.id],
                "topic": q1.topics[0].slug, "q1_text": q1.text}


def interview_urls(interview_id: int) -> list[str]:
    return [f"/history/{interview_id}", f"/history/{interview_id}/export.md",
            f"/history/{interview_id}/export.json", f"/history/{interview_id}/export.csv",
            f"/history/{interview_id}/delete"]


def test_history_lists_interviews_with_date_mode_score_and_time_used(client, alice_history):
    page = client.get("/history/").get_data(as_text=True)
    assert page.count('data-testid="history-row"') == 2
    assert "2026-11-23 19:50" in page  # 11:50 UTC the day before, shown in Shanghai time
    assert "81" in page and '<td class="num">1:00</td>' in page  # one question answered in a minute
    assert page.index("2026-11-24 17:50") < page.index("2026-11-23 19:50")  # newest first


def test_history_is_paginated(app, client, auth, clock):
    with app.app_context():
        user = signed_in_user(auth)
        [q1] = questions_with_topics(1)
        for day in range(23):
            finished_interview(user, [(q1, ["hit", "hit"], 90)], at=clock() - timedelta(days=day), record=False)
    first = client.get("/history/").get_data(as_text=True)
    second = client.get("/history/?page=2").get_data(as_text=True)
    assert first.count('data-testid="history-row"') == 20
    assert second.count('data-testid="history-row"') == 3


def test_history_filters_by_mode_and_by_topic(client, alice_history):
    drills = client.get("/history/?mode=drill").get_data(as_text=True)
    assert drills.count('data-testid="history-row"') == 1 and "81" in drills
    of_topic = client.get(f"/history/?topic={alice_history['topic']}").get_data(as_text=True)
    assert of_topic.count('data-testid="history-row"') == 1 and "31" in of_topic


def test_transcript_shows_answers_points_and_marks(app, client, alice_history):
    with app.app_context():
        turn = db.session.scalars(select(Turn).where(Turn.interview_id == alice_history["mock"],
                                                     Turn.number == 1)).one()
        turn.overrides.append(PointOverride(point_uid=turn.result["points"][1]["id"], created_at=turn.answered_at))
        db.session.commit()
        answer = turn.answer
    page = client.get(f"/history/{alice_history['mock']}").get_data(as_text=True)
    assert alice_history["q1_text"] in page
    assert answer[2:] in page and '<mark data-testid="evidence" data-points="' in page
    assert page.count('data-testid="turn"') == 2
    assert 'data-status="hit"' in page and 'data-status="miss"' in page
    assert 'data-testid="late"' in page and 'data-testid="skipped"' in page
    assert 'data-testid="overridden"' in page


def test_deleting_asks_for_confirmation_first(client, alice_history, app):
    page = client.get(f"/history/{alice_history['mock']}/delete").get_data(as_text=True)
    assert "<form" in page and f"/history/{alice_history['mock']}/delete" in page
    with app.app_context():
        assert db.session.get(Interview, alice_history["mock"]) is not None


def test_deleting_removes_the_interview_its_turns_and_its_progress(client, alice_history, app):
    response = client.post(f"/history/{alice_history['mock']}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Interview, alice_history["mock"]) is None
        assert db.session.scalar(select(func.count(Turn.id)).where(Turn.interview_id == alice_history["mock"])) == 0
        overall = db.session.scalars(select(DailyTopicScore).where(DailyTopicScore.topic_slug == "")).all()
        assert sum(row.answers for row in overall) == 1
    assert client.get(f"/history/{alice_history['mock']}").status_code == 404


def test_another_users_interview_answers_404_everywhere(client, auth, alice_history, app):
    auth.logout()
    auth.login(username="bob")
    for url in interview_urls(alice_history["mock"]):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/history/{alice_history['mock']}/delete").status_code == 404
    with app.app_context():
        assert db.session.get(Interview, alice_history["mock"]) is not None
    assert 'data-testid="history-row"' not in client.get("/history/").get_data(as_text=True)
    assert json.loads(client.get("/history/export.json").data)["interviews"] == []


def test_history_pages_ask_a_visitor_to_sign_in(client):
    for url in ("/history/", "/history/1", "/history/export.json", "/history/anki.csv", "/progress/", "/review/"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def csv_rows(response) -> list[list[str]]:
    """Read a CSV download's rows after its byte-order mark and header row."""
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]


def test_one_interview_exports_as_markdown_json_and_csv(client, alice_history):
    base = f"/history/{alice_history['mock']}/export"
    markdown = client.get(base + ".md")
    assert markdown.mimetype == "text/markdown" and "attachment" in markdown.headers["Content-Disposition"]
    assert alice_history["q1_text"] in markdown.get_data(as_text=True)
    document = json.loads(client.get(base + ".json").data)
    assert [i["id"] for i in document["interviews"]] == [alice_history["mock"]]
    assert len(document["interviews"][0]["turns"]) == 2
    rows = csv_rows(client.get(base + ".csv"))
    number, late, skipped, missed = 3, 7, 8, 9
    assert [row[number] for row in rows] == ["1", "2"]
    assert rows[0][late] == "1" and rows[1][skipped] == "1" and rows[0][missed]
    assert client.get(base + ".pdf").status_code == 404


def test_the_whole_history_exports_in_every_format(client, alice_history):
    assert len(json.loads(client.get("/history/export.json").data)["interviews"]) == 2
    assert len(csv_rows(client.get("/history/export.csv"))) == 3
    assert client.get("/history/export.md").get_data(as_text=True).count("\n# ") + 1 == 2


def without_ids(document: dict) -> list[dict]:
    return [{key: value for key, value in interview.items() if key != "id"} for interview in document["interviews"]]


def progress_figures(client) -> str:
    page = client.get("/progress/").get_data(as_text=True)
    return page[page.index('id="score-data"'):page.index("</main>")]


def test_export_delete_import_round_trip_restores_the_history(client, alice_history, app):
    exported = json.loads(client.get("/history/export.json").data)
    progress_before = progress_figures(client)
    for interview_id in (alice_history["mock"], alice_history["drill"]):
        client.post(f"/history/{interview_id}/delete")
    assert json.loads(client.get("/history/export.json").data)["interviews"] == []
    response = client.post("/history/import", data={"file": (io.BytesIO(json.dumps(exported).encode()), "h.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    again = json.loads(client.get("/history/export.json").data)
    assert without_ids(again) == without_ids(exported)
    assert progress_figures(client) == progress_before


def test_a_round_trip_keeps_the_grades_deductions_and_why_a_point_was_contradicted_or_lowered(client, alice_history,
                                                                                             app):
    with app.app_context():
        turn = db.session.scalars(select(Turn).where(Turn.interview_id == alice_history["mock"],
                                                     Turn.number == 1)).one()
        points = [{**point, "why": "你说 A，参考答案是 B", "lowered_by": "named_bare"}
                  for point in turn.result["points"]]
        turn.result = {**turn.result, "points": points,
                       "deductions": [{"rule": "keyword_list", "effect": -20, "spans": [[0, 4]]}]}
        db.session.commit()
    exported = json.loads(client.get("/history/export.json").data)
    client.post(f"/history/{alice_history['mock']}/delete")
    client.post("/history/import", data={"file": (io.BytesIO(json.dumps(exported).encode()), "h.json")},
                content_type="multipart/form-data")
    again = json.loads(client.get("/history/export.json").data)
    restored = next(i for i in again["interviews"] if i["mode"] == "mock")["turns"][0]["result"]
    assert restored["deductions"] == [{"rule": "keyword_list", "effect": -20, "spans": [[0, 4]]}]
    assert {point["why"] for point in restored["points"]} == {"你说 A，参考答案是 B"}
    assert {point["lowered_by"] for point in restored["points"]} == {"named_bare"}


def test_importing_the_same_export_twice_adds_nothing_the_second_time(client, alice_history):
    exported = client.get("/history/export.json").data
    client.post("/history/import", data={"file": (io.BytesIO(exported), "h.json")}, content_type="multipart/form-data")
    assert len(json.loads(client.get("/history/export.json").data)["interviews"]) == 2


@pytest.mark.parametrize("content", [b"not json", b'{"format": "something else"}',
                                     b'{"format": "mianshi-history", "version": 1, "interviews": [{"mode": "x"}]}'])
def test_a_bad_import_file_is_refused_with_a_message(client, alice_history, content):
    response = client.post("/history/import", data={"file": (io.BytesIO(content), "h.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert len(json.loads(client.get("/history/export.json").data)["interviews"]) == 2


def test_anki_export_puts_the_question_in_front_and_each_missed_point_behind(client, alice_history, app):
    text = client.get("/history/anki.csv").data.decode("utf-8-sig")
    assert text.startswith("#separator:Comma\n#html:true\n")
    rows = list(csv.reader(io.StringIO(text.split("\n", 2)[2])))
    with app.app_context():
        turn = db.session.scalars(select(Turn).where(Turn.interview_id == alice_history["mock"],
                                                     Turn.number == 1)).one()
        missed_text = turn.result["points"][1]["text"]
    cards = [row for row in rows if escape(alice_history["q1_text"]) in row[0]]
    assert len(cards) == 1 and escape(missed_text) in cards[0][1]
    assert all(len(row) == 2 for row in rows)
