"""Fixtures for tests against real gunicorn: a fresh seeded database of each kind, and servers on it."""

import os
import shutil

import pytest
import sqlalchemy as sa

from tests.conftest import _pg_admin, _pg_url, database_kinds

PG_LIVE = f"mianshi_live_{os.getpid()}"


@pytest.fixture(params=database_kinds())
def live_database(request, database_template, tmp_path):
    """The URL of a fresh copy of the seeded database (SQLite file or PostgreSQL database) and an engine on it."""
    template = database_template(request.param)
    if request.param == "sqlite":
        path = tmp_path / "live.sqlite3"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_LIVE}")
        _pg_admin(f"CREATE DATABASE {PG_LIVE} TEMPLATE {template}")
        url = _pg_url(PG_LIVE)
    engine = sa.create_engine(url)
    yield url, engine
    engine.dispose()
    if request.param != "sqlite":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_LIVE} WITH (FORCE)")
