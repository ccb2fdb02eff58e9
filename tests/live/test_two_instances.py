"""Two gunicorn instances on one PostgreSQL run one interview between them, as behind a load balancer."""

import os
from functools import partial

import pytest

from .checks import assert_progress_counted_once, at_once, expire_current_turn, turns
from .client import Browser
from .conftest import only_on
from .server import gunicorn

pytestmark = [pytest.mark.live,
              pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")]


@pytest.fixture
def postgresql(live_database):
    return only_on("postgresql", live_database, "two instances share a PostgreSQL database")


def test_an_interview_started_on_one_instance_is_answered_and_finished_across_both(postgresql, tmp_path):
    url, engine = postgresql
    with gunicorn(url, tmp_path) as first, gunicorn(url, tmp_path) as second:
        on_first = Browser(first.url)
        username = on_first.register()
        on_second = Browser(second.url)
        on_second.cookies = on_first.cookies  # one browser, its requests spread over both instances

        interview_id = on_first.start(count=3)
        assert on_second.answer(interview_id, on_second.chat(interview_id), "在第二个实例上回答").status == 302
        racing = on_first.chat(interview_id), on_second.chat(interview_id)
        responses = at_once(partial(on_first.answer, interview_id, racing[0], "实例一的回答"),
                            partial(on_second.answer, interview_id, racing[1], "实例二的回答"))
        assert sorted(response.status for response in responses) == [302, 409]
        page = on_second.chat(interview_id)
        assert on_second.draft(interview_id, page, "第三题的草稿").status == 200
        expire_current_turn(engine, interview_id)
        reloads = at_once(partial(on_first.tab().get, f"/interviews/{interview_id}"),
                          partial(on_second.tab().get, f"/interviews/{interview_id}"),
                          partial(on_first.tab().draft, interview_id, page, "第三题的草稿"),
                          partial(on_second.tab().draft, interview_id, page, "第三题的草稿"))
        assert [response.status for response in reloads] == [200, 200, 200, 200]
        assert on_first.finish(interview_id, on_first.chat(interview_id)).status == 302

    states = [(turn.state, turn.answer) for turn in turns(engine, interview_id)]
    assert states[0] == ("answered", "在第二个实例上回答")
    assert states[1][0] == "answered" and states[1][1] in ("实例一的回答", "实例二的回答")
    assert states[2] == ("expired", "第三题的草稿")
    assert assert_progress_counted_once(engine, username) == 3
