"""Races a careful tester provokes against real gunicorn (2 workers x 4 threads), on SQLite and PostgreSQL:
no answer is lost, nothing is counted twice, and the loser of a race is told and keeps its text."""

from functools import partial

import pytest

from .checks import assert_progress_counted_once, at_once, expire_current_turn, turns
from .client import Browser
from .server import gunicorn

pytestmark = pytest.mark.live
TRIALS = 5


@pytest.fixture
def server(live_database, tmp_path):
    url, _engine = live_database
    with gunicorn(url, tmp_path) as running:
        yield running


@pytest.fixture
def engine(live_database):
    return live_database[1]


def test_a_reload_racing_the_drafts_beacon_after_the_deadline_counts_the_turn_once(server, engine):
    browser = Browser(server.url)
    username = browser.register()
    for _trial in range(TRIALS):
        interview_id = browser.start(count=1, seconds=60)
        page = browser.chat(interview_id)
        assert browser.draft(interview_id, page, "注意力机制的草稿").status == 200
        expire_current_turn(engine, interview_id)
        tabs = [browser.tab() for _ in range(4)]
        responses = at_once(partial(tabs[0].draft, interview_id, page, "注意力机制的草稿"),
                            partial(tabs[1].get, f"/interviews/{interview_id}"),
                            partial(tabs[2].draft, interview_id, page, "注意力机制的草稿"),
                            partial(tabs[3].get, f"/interviews/{interview_id}"))
        assert [response.status for response in responses] == [200, 200, 200, 200]
        [turn] = turns(engine, interview_id)
        assert (turn.state, turn.answer) == ("expired", "注意力机制的草稿")
    assert assert_progress_counted_once(engine, username) == TRIALS


def test_two_tabs_answering_the_same_question_store_one_answer_and_tell_the_other(server, engine):
    browser = Browser(server.url)
    browser.register()
    for trial in range(TRIALS):
        interview_id = browser.start(count=2)
        first, second = browser.tab(), browser.tab()
        pages = first.chat(interview_id), second.chat(interview_id)
        texts = f"第一个标签页的回答 {trial}", f"第二个标签页的回答 {trial}"
        responses = at_once(partial(first.answer, interview_id, pages[0], texts[0]),
                            partial(second.answer, interview_id, pages[1], texts[1]))
        assert sorted(response.status for response in responses) == [302, 409]
        won, lost = (0, 1) if responses[0].status == 302 else (1, 0)
        assert "已在另一个标签页中作答" in responses[lost].body  # "already answered in another tab"
        assert texts[lost] in responses[lost].body  # kept on the page, not silently dropped
        assert [(t.state, t.answer) for t in turns(engine, interview_id)] == [("answered", texts[won]), ("open", None)]


def test_answering_the_last_question_while_two_tabs_finish_counts_progress_once(server, engine):
    browser = Browser(server.url)
    username = browser.register()
    for trial in range(TRIALS):
        interview_id = browser.start(count=1)
        tabs = [browser.tab() for _ in range(3)]
        pages = [tab.chat(interview_id) for tab in tabs]
        text = f"最后一题的回答 {trial}"
        answered, *finished = at_once(partial(tabs[0].answer, interview_id, pages[0], text),
                                      partial(tabs[1].finish, interview_id, pages[1]),
                                      partial(tabs[2].finish, interview_id, pages[2]))
        assert [response.status for response in finished] == [302, 302]
        [turn] = turns(engine, interview_id)
        if answered.status == 302:
            assert (turn.state, turn.answer) == ("answered", text)
        else:
            assert answered.status == 409 and text in answered.body and turn.state == "skipped"
    assert assert_progress_counted_once(engine, username) == TRIALS


def test_an_answer_racing_a_skip_leaves_the_question_either_answered_or_skipped(server, engine):
    browser = Browser(server.url)
    username = browser.register()
    for trial in range(TRIALS):
        interview_id = browser.start(count=1)
        answering, skipping = browser.tab(), browser.tab()
        pages = answering.chat(interview_id), skipping.chat(interview_id)
        text = f"与跳过赛跑的回答 {trial}"
        answered, skipped = at_once(partial(answering.answer, interview_id, pages[0], text),
                                    partial(skipping.skip, interview_id, pages[1]))
        assert skipped.status == 302
        [turn] = turns(engine, interview_id)
        if answered.status == 302:
            assert (turn.state, turn.answer) == ("answered", text)
        else:
            assert answered.status == 409 and text in answered.body
            assert (turn.state, turn.answer) == ("skipped", None)
    assert assert_progress_counted_once(engine, username) == TRIALS
