"""PostgreSQL going away mid-session (as in a restart): pages say 'try again', nothing acknowledged is lost,
and the app carries on by itself once the database is back."""

import os

import pytest
import sqlalchemy as sa

from tests.conftest import _pg_admin

from .checks import turns
from .client import Browser
from .conftest import only_on
from .server import gunicorn

pytestmark = [pytest.mark.live,
              pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")]


def take_down(database: str) -> None:
    """Refuse new connections to the database and end the open ones, as a restart does, for it alone."""
    _pg_admin(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
    _pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")


def bring_back(database: str) -> None:
    _pg_admin(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")


def test_a_database_restart_mid_session_is_a_try_again_and_loses_nothing(live_database, tmp_path):
    url, engine = only_on("postgresql", live_database, "restarts PostgreSQL")
    database = sa.make_url(url).database
    with gunicorn(url, tmp_path) as server:
        browser = Browser(server.url)
        browser.register()
        interview_id = browser.start(count=3)
        assert browser.answer(interview_id, browser.chat(interview_id), "断线之前的回答").status == 302
        page = browser.chat(interview_id)

        engine.dispose()
        take_down(database)
        try:
            draft = browser.draft(interview_id, page, "断线期间的草稿")
            submitted = browser.answer(interview_id, page, "断线期间的回答")
            health = browser.get("/healthz")
        finally:
            bring_back(database)
        assert (draft.status, submitted.status, health.status) == (503, 503, 503)
        assert "请稍后重试" in submitted.body  # "try again in a moment"; the chat keeps the text in the browser

        assert browser.get("/healthz").status == 200
        assert browser.answer(interview_id, page, "断线期间的回答").status == 302  # the same submit, retried
    assert [(t.state, t.answer) for t in turns(engine, interview_id)] == [
        ("answered", "断线之前的回答"), ("answered", "断线期间的回答"), ("open", None)]
