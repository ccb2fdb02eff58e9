"""The app factory, configuration and health check."""

from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import select, text

import webapp.config
from webapp import MIGRATIONS_DIR, create_app
from webapp.config import _sqlalchemy_url
from webapp.extensions import db
from webapp.models import User

FIRST_REVISION = "32edb76c3af5"


def test_health_check_answers_ok(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_database_url_switches_to_postgresql_through_psycopg(monkeypatch):
    assert _sqlalchemy_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _sqlalchemy_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.instance_path in app.config["SQLALCHEMY_DATABASE_URI"]


def test_a_given_secret_key_writes_nothing_into_the_instance_folder(monkeypatch):
    def refuse(instance_path):
        raise AssertionError(f"wrote a secret key into {instance_path}")

    monkeypatch.setattr(webapp.config, "generated_secret_key", refuse)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    monkeypatch.delenv("SECRET_KEY")
    assert create_app({"SECRET_KEY": "from-the-test"}).config["SECRET_KEY"] == "from-the-test"


def test_without_a_secret_key_one_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    assert webapp.config.generated_secret_key(str(tmp_path)) == webapp.config.generated_secret_key(str(tmp_path))
    assert len((tmp_path / "secret_key").read_text()) == 64


def test_unknown_pages_answer_404_with_the_site_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Mianshi" in response.get_data(as_text=True)


def test_init_db_upgrades_an_old_database_and_keeps_its_data(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "test"})
    with app.app_context():
        upgrade(revision=FIRST_REVISION)
        db.session.execute(text("INSERT INTO users (username, password_hash, is_admin, locale, timezone, created_at) "
                                "VALUES ('old-timer', 'x', 0, 'zh', 'UTC', '2025-01-01 00:00:00')"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == head
        assert db.session.scalar(select(User.username)) == "old-timer"
        db.engine.dispose()
