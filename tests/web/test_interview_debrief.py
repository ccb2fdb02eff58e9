"""The debrief, "I covered this" overrides, drilling what was missed, ownership and CSRF."""

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from tests.conftest import csrf_token_in
from webapp.extensions import db
from webapp.models import DailyTopicScore, PointOverride, Question
from webapp.rendering import clock_text, score_text
from webapp.services import bank as bank_service
from webapp.services import interviews
from webapp.services.rollups import local_day

from .interview_helpers import answer, chat, load, reference_of, start, start_on, user


def rich_questions(count: int) -> list[int]:
    """Return questions with a reference and at least four key points, in a fixed order."""
    return [q.id for q in db.session.scalars(select(Question).order_by(Question.id))
            if q.has_answer and len(q.key_points) >= 4][:count]


@pytest.fixture
def finished(client, app, auth):
    """Alice's finished two-question mock: the first answer covers one key point, the second nothing."""
    auth.login()
    with app.app_context():
        ids = rich_questions(2)
        interview_id = interviews.start_interview(user(), question_ids=ids, follow_ups=0).id
        first_point = db.session.get(Question, ids[0]).key_points[0].text
    answer(client, interview_id, first_point)
    answer(client, interview_id, "不知道")
    return interview_id


def overall_progress(interview) -> DailyTopicScore:
    """The user's overall progress row for the day the interview finished."""
    day = local_day(interview.finished_at, interview.user)
    return db.session.get(DailyTopicScore, (interview.user_id, day, ""))


def missed_point(app, interview_id: int, number: int = 1) -> str:
    with app.app_context():
        turn = load(interview_id).turns[number - 1]
        return next(p["id"] for p in turn.result["points"] if p["status"] != "hit")


def test_the_debrief_shows_scores_points_highlights_and_the_reference(client, app, finished):
    page = client.get(f"/interviews/{finished}/debrief").get_data(as_text=True)
    with app.app_context():
        interview = load(finished)
        assert f'data-testid="total-score">{round(interview.score)}<' in page
        first = interview.turns[0]
        assert f'data-score="{round(first.score)}"' in page
    assert page.count('data-testid="turn"') == 2
    assert 'data-testid="point" data-status="hit"' in page and 'data-status="miss"' in page
    assert '<mark data-testid="evidence" data-points="' in page
    assert 'class="markdown"' in page and 'data-testid="time-used"' in page


def test_the_chat_url_of_a_finished_interview_shows_the_debrief(client, finished):
    assert 'data-testid="total-score"' in client.get(f"/interviews/{finished}").get_data(as_text=True)


def test_the_debrief_of_an_unfinished_interview_goes_back_to_the_chat(client, auth):
    auth.login()
    interview_id = start(client)
    assert client.get(f"/interviews/{interview_id}/debrief").location == f"/interviews/{interview_id}"


def test_an_override_keeps_the_automatic_grade_and_changes_the_one_score_everywhere(client, app, finished):
    uid = missed_point(app, finished)
    with app.app_context():
        before = load(finished)
        automatic, result = before.turns[0].score, before.turns[0].result
        progress_before = overall_progress(before).score_sum
    response = client.post(f"/interviews/{finished}/turns/1/points/{uid}/override")
    assert response.status_code == 302
    client.post(f"/interviews/{finished}/turns/1/points/{uid}/override")
    with app.app_context():
        interview = load(finished)
        turn = interview.turns[0]
        assert [o.point_uid for o in turn.overrides] == [uid]
        assert (turn.score, turn.result) == (automatic, result)
        assert turn.effective_score > automatic and interview.score > before.score
        assert interview.score == interviews.score_with_overrides(interview)
        gained = turn.effective_score - automatic
        assert overall_progress(interview).score_sum == pytest.approx(progress_before + gained)
        total, first = score_text(interview.score), score_text(turn.effective_score)
    debrief = client.get(f"/interviews/{finished}/debrief").get_data(as_text=True)
    assert f'data-testid="total-score">{total}<' in debrief and 'data-testid="automatic-score"' in debrief
    assert f'data-testid="total-score">{total}<' in client.get(f"/history/{finished}").get_data(as_text=True)
    assert f'<td class="num">{total}</td>' in client.get("/history/").get_data(as_text=True)
    markdown = client.get(f"/history/{finished}/export.md").get_data(as_text=True)
    assert f": {total}\n" in markdown and f": {first}\n" in markdown
    assert f",{first}," in client.get(f"/history/{finished}/export.csv").get_data(as_text=True)


def test_the_debrief_and_history_show_the_same_time_used(client, app, finished):
    with app.app_context():
        used = clock_text(load(finished).time_used)
    assert f'data-testid="time-used">{used}<' in client.get(f"/interviews/{finished}/debrief").get_data(as_text=True)
    assert f'<td class="num">{used}</td>' in client.get("/history/").get_data(as_text=True)


def test_a_covered_point_cannot_be_overridden(client, app, finished):
    with app.app_context():
        turn = load(finished).turns[0]
        hit = next(p["id"] for p in turn.result["points"] if p["status"] == "hit")
    assert client.post(f"/interviews/{finished}/turns/1/points/{hit}/override").status_code == 400
    assert client.post(f"/interviews/{finished}/turns/1/points/nosuchpoint/override").status_code == 404


def test_a_mock_answer_cannot_be_overridden_before_the_end(client, app, auth):
    auth.login()
    interview_id = start(client, count=2)
    answer(client, interview_id, "不知道")
    uid = missed_point(app, interview_id)
    assert client.post(f"/interviews/{interview_id}/turns/1/points/{uid}/override").status_code == 400
    with app.app_context():
        assert db.session.scalars(select(PointOverride)).first() is None


def without_csrf_tokens(page: str) -> str:
    """Blank the CSRF tokens, whose signatures carry the second they were made in."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


def test_editing_key_points_after_grading_leaves_the_debrief_alone(client, app, finished):
    before = client.get(f"/interviews/{finished}/debrief").get_data(as_text=True)
    with app.app_context():
        question_id = load(finished).turns[0].question_id
        bank_service.edit_key_points(question_id, ["一个全新的要点", "另一个新要点"])
        assert [p.text for p in db.session.get(Question, question_id).key_points] == ["一个全新的要点", "另一个新要点"]
    after = client.get(f"/interviews/{finished}/debrief").get_data(as_text=True)
    assert without_csrf_tokens(after) == without_csrf_tokens(before)
    assert "一个全新的要点" not in after


def test_drilling_the_missed_questions_starts_an_untimed_drill_on_them(client, app, finished):
    response = client.post(f"/interviews/{finished}/drill")
    drill_id = int(response.location.split("/")[-1])
    with app.app_context():
        interview, drill = load(finished), load(drill_id)
        low = [t.question_id for t in interview.turns if (t.score or 0) < 60]
        assert drill.mode == "drill" and drill.seconds_per_question is None
        assert [t.question_id for t in drill.turns] == low


def test_there_is_nothing_to_drill_when_every_answer_scored_well(client, app, auth):
    auth.login()
    interview_id = start_on(app, count=1)
    with app.app_context():
        reference = reference_of(load(interview_id).turns[0].question_id)
    answer(client, interview_id, reference)
    with app.app_context():
        assert load(interview_id).score >= 60
    assert 'data-testid="drill-missed"' not in client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert client.post(f"/interviews/{interview_id}/drill").status_code == 400


def test_another_users_interview_answers_404_on_every_route(client, app, auth):
    auth.login("alice")
    interview_id = start(client)
    page = chat(client, interview_id)
    auth.logout()
    auth.login("mallory")
    form = {"turn": page.turn, "key": page.key, "answer": "偷看"}
    requests = [
        ("get", f"/interviews/{interview_id}", None),
        ("get", f"/interviews/{interview_id}?feedback=1", None),
        ("get", f"/interviews/{interview_id}/debrief", None),
        ("post", f"/interviews/{interview_id}/answer", form),
        ("post", f"/interviews/{interview_id}/draft", form),
        ("post", f"/interviews/{interview_id}/skip", form),
        ("post", f"/interviews/{interview_id}/finish", form),
        ("post", f"/interviews/{interview_id}/drill", form),
        ("post", f"/interviews/{interview_id}/turns/1/points/abc/override", form),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, url
    with app.app_context():
        interview = load(interview_id)
        assert not interview.finished and not interview.turns[0].closed and interview.turns[0].draft == ""


def test_a_post_without_the_csrf_token_is_refused(client, app, auth):
    auth.login()
    interview_id = start(client)
    page = chat(client, interview_id)
    app.config["WTF_CSRF_ENABLED"] = True
    for path in ("answer", "draft", "skip", "finish"):
        response = client.post(f"/interviews/{interview_id}/{path}",
                               data={"turn": page.turn, "key": page.key, "answer": "无令牌"})
        assert response.status_code == 400, path
        assert "表单已过期" in response.get_data(as_text=True), path
    response = client.post("/interviews/new", data={"mode": "mock", "count": 5, "seconds": 180})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    with app.app_context():
        interview = load(interview_id)
        assert not interview.finished and not interview.turns[0].closed


def test_a_pages_csrf_token_still_works_after_hours_of_typing(client, app, auth, monkeypatch):
    auth.login()
    interview_id = start(client)
    app.config["WTF_CSRF_ENABLED"] = True
    page = chat(client, interview_id)
    token = csrf_token_in(page.html)
    three_hours_later = int(time.time()) + 3 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: three_hours_later)
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": page.turn, "key": page.key, "answer": "慢慢写完的回答", "csrf_token": token})
    assert response.status_code == 302


def test_a_post_with_the_pages_csrf_token_is_accepted(client, app, auth):
    auth.login()
    interview_id = start(client)
    app.config["WTF_CSRF_ENABLED"] = True
    html = chat(client, interview_id).html
    token = csrf_token_in(html)
    page = chat(client, interview_id)
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": page.turn, "key": page.key, "answer": "有令牌", "csrf_token": token})
    assert response.status_code == 302
