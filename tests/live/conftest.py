"""Fixtures for tests against real gunicorn: a fresh seeded database of each kind, and servers on it."""

import os

import pytest
import sqlalchemy as sa

from tests.conftest import _pg_admin, database_kinds, fresh_copy

PG_LIVE = f"mianshi_live_{os.getpid()}"


@pytest.fixture(params=database_kinds())
def live_database(request, database_template, tmp_path):
    """The URL of a fresh copy of the seeded database (SQLite file or PostgreSQL database) and an engine on it."""
    url = fresh_copy(request.param, database_template(request.param), tmp_path, PG_LIVE)
    engine = sa.create_engine(url)
    yield url, engine
    engine.dispose()
    if request.param != "sqlite":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_LIVE} WITH (FORCE)")


def only_on(kind: str, live_database: tuple[str, sa.Engine], reason: str) -> tuple[str, sa.Engine]:
    """Skip the test unless its live database is of `kind` ("sqlite" or "postgresql"); return the URL and engine."""
    url, _engine = live_database
    if not url.startswith(kind):
        pytest.skip(reason)
    return live_database
