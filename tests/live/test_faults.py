"""Faults under load against real gunicorn: a killed worker loses no acknowledged answer; an online backup
taken while answers arrive restores into the running server."""

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from .checks import assert_progress_counted_once
from .client import Browser
from .conftest import only_on
from .load import run
from .server import gunicorn

pytestmark = pytest.mark.live
FLASK = Path(sys.executable).with_name("flask")


def stored_answers(engine, acknowledged) -> dict[tuple[int, int], list[str]]:
    ids = sorted({interview_id for interview_id, _turn, _text in acknowledged})
    with engine.connect() as connection:
        rows = connection.execute(sa.select(sa.text("interview_id, number, answer")).select_from(sa.text("turns"))
                                  .where(sa.text("state = 'answered'"))
                                  .where(sa.column("interview_id").in_(ids))).all()
    stored: dict[tuple[int, int], list[str]] = {}
    for interview_id, number, answer in rows:
        stored.setdefault((interview_id, number), []).append(answer)
    return stored


def test_killing_a_worker_mid_load_loses_no_acknowledged_answer(live_database, tmp_path):
    url, engine = live_database
    with gunicorn(url, tmp_path) as server:
        def kill_workers(stop):
            for _ in range(2):
                if stop.wait(4):
                    return
                server.kill_worker()

        tally = run(server.url, candidates=6, seconds=12, think=0.2, during=kill_workers)
    assert len(tally.acknowledged) >= 5
    stored = stored_answers(engine, tally.acknowledged)
    lost = [(i, n, text) for i, n, text in tally.acknowledged if stored.get((i, n)) != [text]]
    assert lost == []
    for username in tally.users:
        assert_progress_counted_once(engine, username)


def test_killing_the_whole_server_mid_load_loses_no_acknowledged_answer(live_database, tmp_path):
    url, engine = live_database
    with gunicorn(url, tmp_path) as server:
        def crash(stop):
            if not stop.wait(4):
                server.kill_all()

        tally = run(server.url, candidates=6, seconds=6, think=0.2, during=crash)
    assert len(tally.acknowledged) >= 3
    stored = stored_answers(engine, tally.acknowledged)
    assert [(i, n, text) for i, n, text in tally.acknowledged if stored.get((i, n)) != [text]] == []
    with gunicorn(url, tmp_path) as restarted:  # the database opens cleanly and the interviews go on
        browser = Browser(restarted.url)
        browser.register()
        interview_id = browser.start(count=1)
        assert browser.answer(interview_id, browser.chat(interview_id), "重启之后的回答").status == 302


def test_a_backup_taken_while_the_server_runs_restores_into_it(live_database, tmp_path):
    url, _engine = only_on("sqlite", live_database,
                           "the backup command copies SQLite; PostgreSQL is backed up with pg_dump")
    env = {"DATABASE_URL": url, "SECRET_KEY": "live-tests", "PATH": str(FLASK.parent)}
    flask = [str(FLASK), "--app", "webapp"]
    backup = tmp_path / "backup.sqlite3"
    with gunicorn(url, tmp_path) as server:
        browser = Browser(server.url)
        browser.register()
        interview_id = browser.start(count=3)
        assert browser.answer(interview_id, browser.chat(interview_id), "备份之前的回答").status == 302
        taken = subprocess.run([*flask, "backup", str(backup)], env=env, capture_output=True, text=True, timeout=60)
        assert taken.returncode == 0, taken.stderr
        assert browser.answer(interview_id, browser.chat(interview_id), "备份之后的回答").status == 302
        restored = subprocess.run([*flask, "restore", "--yes", str(backup)], env=env, capture_output=True, text=True,
                                  timeout=60)
        assert restored.returncode == 0, restored.stderr
        page = browser.chat(interview_id)  # the running server reads the restored content
        assert page.turn == 2 and "备份之前的回答" in page.html and "备份之后的回答" not in page.html
        assert browser.answer(interview_id, page, "恢复之后的回答").status == 302
