"""The app factory, configuration and health check."""

from webapp import create_app
from webapp.config import _sqlalchemy_url


def test_health_check_answers_ok(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_database_url_switches_to_postgresql_through_psycopg(monkeypatch):
    assert _sqlalchemy_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _sqlalchemy_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.instance_path in app.config["SQLALCHEMY_DATABASE_URI"]


def test_unknown_pages_answer_404_with_the_site_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Mianshi" in response.get_data(as_text=True)
