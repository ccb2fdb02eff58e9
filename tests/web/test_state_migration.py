"""Upgrading a database from before explicit states reads each turn's and interview's state from its columns."""

from flask_migrate import upgrade
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db

BEFORE_STATES = "a3c5e7f9b201"
DEADLINE = "2026-11-24 12:03:00"


def test_each_old_turn_gets_the_state_its_columns_imply(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "test"})
    with app.app_context():
        upgrade(revision=BEFORE_STATES)
        run = lambda sql: db.session.execute(text(sql))  # noqa: E731
        run("INSERT INTO users (id, username, password_hash, is_admin, locale, timezone, created_at) "
            "VALUES (1, 'old-timer', 'x', 0, 'zh', 'UTC', '2025-01-01 00:00:00')")
        for interview_id, finished in ((1, "'2026-11-24 12:10:00'"), (2, "NULL")):
            run("INSERT INTO interviews (id, user_id, mode, include_unanswered, topic_slugs, started_at, finished_at) "
                f"VALUES ({interview_id}, 1, 'mock', 0, '[]', '2026-11-24 12:00:00', {finished})")
        turns = [  # number, answered_at, submission key, skipped
            (1, "'2026-11-24 12:01:00'", "'key-1'", 0),
            (2, f"'{DEADLINE}'", "NULL", 0),
            (3, "'2026-11-24 12:10:00'", "NULL", 1),
        ]
        for number, answered_at, key, skipped in turns:
            run("INSERT INTO turns (interview_id, number, question_text, reference_markdown, deadline, draft, "
                "answered_at, submission_key, skipped, late, points_snapshot, flagged_point_uids) VALUES "
                f"(1, {number}, 'q', '', '{DEADLINE}', '', {answered_at}, {key}, {skipped}, 0, '[]', '[]')")
        run("INSERT INTO turns (interview_id, number, question_text, reference_markdown, draft, skipped, late, "
            "points_snapshot, flagged_point_uids) VALUES (2, 1, 'q', '', '', 0, 0, '[]', '[]')")
        db.session.commit()
        upgrade()
        states = db.session.execute(text("SELECT interview_id, number, state FROM turns ORDER BY id")).all()
        assert states == [(1, 1, "answered"), (1, 2, "expired"), (1, 3, "skipped"), (2, 1, "open")]
        assert db.session.execute(text("SELECT id, status FROM interviews ORDER BY id")).all() == [
            (1, "finished"), (2, "open")]
        recorded = db.session.scalars(text("SELECT turn_id FROM progress_records ORDER BY turn_id")).all()
        assert recorded == [1, 2, 3]
        db.engine.dispose()
