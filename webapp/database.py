"""Engine settings per database and the write transaction that every state change runs in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from flask import Flask, g, request
from sqlalchemy import event, text

from .extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_lock_at_begin: ContextVar[bool] = ContextVar("lock_at_begin", default=False)


def engine_options(url: str) -> dict:
    """Return the engine options for a database URL: a pinged pool for servers, a patient writer for SQLite.

    JSON columns keep Chinese as UTF-8, not as \\u escapes: a third smaller, and read back twice as fast (every
    page load reads each turn's key points and grade).
    """
    json_options = {"json_serializer": partial(json.dumps, ensure_ascii=False)}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **json_options}
    return {"pool_pre_ping": True, **json_options}


def configure(app: Flask) -> None:
    """Put SQLite in WAL mode with a busy timeout, and let the app, not the driver, begin its transactions."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    app.before_request(_lock_writes_at_begin)
    app.teardown_request(_forget_lock)


def _lock_writes_at_begin() -> None:
    """Let a request that may write take the write lock at BEGIN, unless its views run their own transactions."""
    if request.method not in SAFE_METHODS:
        g.lock_token = _lock_at_begin.set(True)


def own_transactions() -> None:
    """Mark a blueprint's requests as running their own short write transactions (a before_request hook)."""
    _lock_at_begin.set(False)


def _forget_lock(_error) -> None:
    token = g.pop("lock_token", None)
    if token is not None:
        _lock_at_begin.reset(token)


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the "begin" listener issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # In WAL mode a commit survives a killed process without an fsync of its own; only a power cut before the
    # next checkpoint could take the last commits back.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # A deferred transaction that read before another writer committed cannot write afterwards (SQLITE_BUSY,
    # no waiting); a state change therefore takes the write lock at BEGIN and waits its turn instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _lock_at_begin.get() else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the enclosed reads and writes as one short transaction that commits at the end.

    On SQLite it holds the write lock from its first statement; on PostgreSQL the guarded updates and row
    locks inside it order the writers. Objects loaded before or inside stay loaded after the commit (the
    request goes on to render them); reads inside that decide a change must ask for fresh rows
    (`populate_existing`). Changes made in memory while no transaction was open are written inside it.
    """
    session = db.session()
    session.expire_on_commit = False
    if session.in_transaction():
        session.commit()  # end the read the request began (loading the user) so the next BEGIN takes the lock
    token = _lock_at_begin.set(True)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _lock_at_begin.reset(token)
        session.expire_on_commit = True


def ping() -> None:
    """Run a trivial query; raises when the database cannot be reached."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


