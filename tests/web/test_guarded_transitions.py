"""State changes happen once, enforced by the database; the loser of a race is told and keeps its text."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import DailyTopicScore, InterviewStatus, ProgressRecord, TurnState
from webapp.services import interviews, rollups

from .interview_helpers import answer, chat, load, start, user


@pytest.fixture
def alice(auth):
    auth.login()
    return auth


def test_each_closed_turn_has_an_explicit_state(client, app, alice, clock):
    interview_id = start(client, count=3, seconds=60)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    chat(client, interview_id)
    clock.advance(minutes=5)
    page = chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/skip", data={"turn": page.turn})
    with app.app_context():
        interview = load(interview_id)
        assert [turn.state for turn in interview.turns] == [TurnState.ANSWERED, TurnState.EXPIRED, TurnState.SKIPPED]
        assert interview.status == InterviewStatus.FINISHED


def test_the_losing_tab_is_told_and_its_text_fills_the_next_question(client, app, alice):
    interview_id = start(client, count=2)
    first, second = chat(client, interview_id), chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/answer", data={"turn": 1, "key": first.key, "answer": "第一个标签页"})
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": 1, "key": second.key, "answer": "第二个标签页的回答"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "已在另一个标签页中作答" in page and "第二个标签页的回答</textarea>" in page
    with app.app_context():
        assert [turn.answer for turn in load(interview_id).turns] == ["第一个标签页", None]


def test_text_sent_after_the_interview_ended_is_shown_apart(client, app, alice):
    interview_id = start(client, count=1)
    page = chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/finish")
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": page.turn, "key": page.key, "answer": "结束之后才发出的回答"})
    assert response.status_code == 409
    assert 'data-testid="kept-answer">结束之后才发出的回答</textarea>' in response.get_data(as_text=True)


def test_counting_a_finished_interview_twice_fails_in_the_database(client, app, alice):
    interview_id = start(client, count=1)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    with app.app_context():
        with pytest.raises(IntegrityError):
            rollups.record_finished(load(interview_id))
        db.session.rollback()
        assert db.session.scalar(select(func.sum(DailyTopicScore.answers))
                                 .where(DailyTopicScore.topic_slug == "")) == 1
        assert db.session.scalar(select(func.count()).select_from(ProgressRecord)) == 1


def test_finishing_a_finished_interview_again_changes_nothing(client, app, alice):
    interview_id = start(client, count=2)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    client.post(f"/interviews/{interview_id}/finish")
    with app.app_context():
        finished_at = load(interview_id).finished_at
        interviews.finish(user(), interview_id)
        assert load(interview_id).finished_at == finished_at
        # The second question was never shown, so ending early dropped it: one turn counted, once.
        assert db.session.scalar(select(func.count()).select_from(ProgressRecord)) == 1


def test_a_signed_out_submit_is_sent_to_sign_in_and_back_to_the_chat(client, app, alice):
    interview_id = start(client)
    page = chat(client, interview_id)
    alice.logout()
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": page.turn, "key": page.key, "answer": "签出之后写的回答"})
    assert response.status_code == 303
    assert response.location.endswith(f"/auth/login?next=/interviews/{interview_id}")
    alice.login()
    assert client.get(f"/interviews/{interview_id}").status_code == 200


def test_a_signed_out_autosave_says_so(client, alice):
    interview_id = start(client)
    page = chat(client, interview_id)
    alice.logout()
    response = client.post(f"/interviews/{interview_id}/draft", data={"turn": page.turn, "answer": "草稿"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["signed_out"] is True


def test_the_chat_page_offers_the_browser_a_place_to_keep_the_text(client, alice):
    interview_id = start(client)
    page = chat(client, interview_id)
    assert f'data-store-key="mianshi-draft-{interview_id}-{page.turn}"' in page.html
    assert "data-signed-out=" in page.html
