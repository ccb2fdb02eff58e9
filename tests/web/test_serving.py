"""Serving: the health check asks the database, a database away is a 503 'try again', SQLite backups."""

import gc
import os
import runpy
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from webapp import create_app
from webapp.database import write_transaction
from webapp.extensions import db

from .interview_helpers import answer, start


def unreachable_app(tmp_path):
    """An app whose SQLite file sits in a folder that does not exist, so every query fails."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"})


def test_the_health_check_answers_503_when_the_database_is_away(tmp_path):
    response = unreachable_app(tmp_path).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "database unavailable"}


def test_a_page_that_needs_the_database_while_it_is_away_says_try_again(tmp_path):
    response = unreachable_app(tmp_path).test_client().get("/bank/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_an_autosave_while_the_database_is_away_answers_json_to_retry(app, client, auth, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("moves the SQLite file away")
    auth.login()
    interview_id = start(client)
    with app.app_context():
        db.engine.dispose()
    path = url.removeprefix("sqlite:///")
    os.rename(path, path + ".away")
    os.mkdir(path)  # in its place a folder, which SQLite cannot open
    response = client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "草稿"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.get_json()["retry"] is True


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite settings")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_a_waiting_sqlite_writer_starts_as_soon_as_the_one_before_commits(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    holding, release = threading.Event(), threading.Event()
    times: dict[str, float] = {}

    def write(name: str, hold: bool) -> None:
        with app.app_context():
            with write_transaction():
                db.session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is taken here
                times[f"{name} began"] = time.monotonic()
                if hold:
                    holding.set()
                    release.wait(5)
            times[f"{name} committed"] = time.monotonic()

    first = threading.Thread(target=write, args=("first", True))
    first.start()
    holding.wait(5)
    second = threading.Thread(target=write, args=("second", False))
    second.start()
    # Long enough for SQLite's own busy handler to be sleeping 100 ms between tries by the time the lock frees.
    time.sleep(0.24)
    release.set()
    first.join(5)
    second.join(5)
    assert times["second began"] - times["first committed"] < 0.04


def test_a_backup_restores_what_was_answered_before_it(app, client, auth, runner, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        result = runner.invoke(args=["backup", str(tmp_path / "b.sqlite3")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    auth.login()
    interview_id = start(client)
    answer(client, interview_id, "备份之前的回答")
    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    answer(client, interview_id, "备份之后的回答")
    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        answers = db.session.scalars(text("SELECT answer FROM turns WHERE answer IS NOT NULL")).all()
        assert answers == ["备份之前的回答"]


def test_a_backup_never_overwrites_a_file(runner, tmp_path):
    existing = tmp_path / "taken.sqlite3"
    existing.write_text("keep me")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and existing.read_text() == "keep me"


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_app(app, runner, tmp_path):
    stranger = tmp_path / "other.sqlite3"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    result = runner.invoke(args=["restore", "--yes", str(stranger)])
    assert result.exit_code != 0 and "not a backup" in result.output


def test_a_fresh_database_is_created_in_wal_mode(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite3'}", "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    with sqlite3.connect(tmp_path / "new.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"



def test_a_gunicorn_worker_keeps_the_loaded_app_out_of_full_garbage_collections():
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
