"""Fixtures shared by the web, browser and benchmark tests."""

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings

from webapp import create_app
from webapp.extensions import db
from webapp.services import accounts
from webapp.services import bank as bank_service

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
PG_TEMPLATE = f"mianshi_template_{os.getpid()}"  # per process, so parallel runs do not collide
PG_TEST = f"mianshi_test_{os.getpid()}"


# Property tests: a bounded, repeatable run in `make test`; `make fuzz` runs FUZZ_EXAMPLES per test.
# No example database: tests never write into the checkout.
_PROPERTY_SETTINGS = {"deadline": None, "database": None, "suppress_health_check": [
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("bounded", max_examples=15, derandomize=True, **_PROPERTY_SETTINGS)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1500")), **_PROPERTY_SETTINGS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "bounded"))


def database_kinds() -> list[str]:
    """SQLite always; PostgreSQL as well when TEST_DATABASE_URL is set."""
    return ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


def csrf_token_in(html: str) -> str:
    """Read the CSRF token a page's form carries."""
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


class FakeClock:
    """An injectable clock that tests move by hand."""

    def __init__(self, start: datetime | None = None):
        self.current = start or datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def _pg_url(database: str) -> str:
    return sa.make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg", database=database) \
        .render_as_string(hide_password=False)


def _pg_admin(statement: str) -> None:
    engine = sa.create_engine(_pg_url(sa.make_url(os.environ["TEST_DATABASE_URL"]).database),
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def _build_template(url: str, instance: Path) -> None:
    """Migrate a database to the current schema and import the seeds into it."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade()
        bank_service.import_bank([SEEDS])
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Build each database kind's seeded template once per run."""
    templates: dict[str, str] = {}

    def get(kind: str) -> str:
        if kind not in templates:
            if kind == "sqlite":
                path = tmp_path_factory.mktemp("template") / "template.sqlite3"
                _build_template(f"sqlite:///{path}", path.parent)
                templates[kind] = str(path)
            else:
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_TEST}")
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_TEMPLATE}")
                _pg_admin(f"CREATE DATABASE {PG_TEMPLATE}")
                _build_template(_pg_url(PG_TEMPLATE), tmp_path_factory.mktemp("pg"))
                templates[kind] = PG_TEMPLATE
        return templates[kind]

    yield get
    if "postgresql" in templates:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_TEST}")
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_TEMPLATE}")


@pytest.fixture
def clock():
    return FakeClock()


def fresh_copy(kind: str, template: str, folder: Path, name: str) -> str:
    """Copy a seeded template into a new SQLite file in `folder` or a new PostgreSQL database; return its URL."""
    if kind == "sqlite":
        path = folder / f"{name}.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    return _pg_url(name)


@pytest.fixture(params=database_kinds())
def app(request, database_template, tmp_path, clock):
    """An app on a fresh copy of the seeded database, with an injected clock."""
    url = fresh_copy(request.param, database_template(request.param), tmp_path, PG_TEST)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "CLOCK": clock,
    })
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign up, sign in and sign out through the real forms."""

    def __init__(self, client, app):
        self._client = client
        self._app = app

    def register(self, username: str = "alice", password: str = "interview-ready-1"):
        return self._client.post(
            "/auth/register", data={"username": username, "password": password, "confirm": password}
        )

    def login(self, username: str = "alice", password: str = "interview-ready-1"):
        self.logout()  # switching users: sign-up and sign-in pages turn signed-in users away
        with self._app.app_context():
            exists = accounts.find_user(username) is not None
        if not exists:
            self.register(username, password)
            self.logout()
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client, app):
    return AuthActions(client, app)


@pytest.fixture
def admin(auth, app):
    """Alice, promoted to admin and signed in."""
    auth.login()
    with app.app_context():
        accounts.promote("alice")
    return auth
