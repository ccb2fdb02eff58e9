"""Engine settings per database and the write transaction that every state change runs in."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from functools import partial

from flask import Flask, g, request
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, event, exc, text

from .extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000
# How often a writer waiting for its turn looks again: SQLite's own busy handler backs off to 100 ms sleeps.
WRITER_TURN_POLL_SECONDS = 0.001
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A pooled PostgreSQL connection idle this long is pinged before use (one that just served a request is not): a
# restart in between would otherwise cost the next request a "try again".
PING_AFTER_IDLE_SECONDS = 1.0


class Begin(Enum):
    """What the next transaction is for, which decides how it begins."""

    READ_OR_WRITE = "read or write"  # BEGIN (outside requests, and requests not told otherwise)
    READS = "reads"  # no BEGIN on PostgreSQL: each statement sees the last commits, as under READ COMMITTED
    WRITES = "writes"  # BEGIN, and SQLite's write lock at once (BEGIN IMMEDIATE)
    ONE_WRITE = "one write"  # one guarded statement, atomic alone: no BEGIN on PostgreSQL, the write lock on SQLite


_begin: ContextVar[Begin] = ContextVar("begin", default=Begin.READ_OR_WRITE)


def engine_options(url: str) -> dict:
    """Return the engine options for a database URL: a patient writer for SQLite.

    JSON columns keep Chinese as UTF-8, not as \\u escapes: a third smaller, and read back twice as fast (every
    page load reads each turn's key points and grade).
    """
    json_options = {"json_serializer": partial(json.dumps, ensure_ascii=False)}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "factory": _TurnTakingConnection},
                **json_options}
    return json_options


def configure(app: Flask) -> None:
    """Let the app, not the driver, begin its transactions; put SQLite in WAL mode with a busy timeout, and ping
    a pooled PostgreSQL connection only after it sat idle."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        database = engine.url.database
        in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
        event.listen(engine, "begin", partial(_sqlite_begin, None if in_memory else f"{database}-writers.lock"))
    else:
        event.listen(engine, "connect", _autocommit)
        event.listen(engine, "begin", _server_begin)
        event.listen(engine.pool, "checkin", _note_idle)
        event.listen(engine.pool, "checkout", partial(_ping_if_idle, engine.dialect))
    app.before_request(_choose_begin)
    app.teardown_request(_forget_begin)


def _choose_begin() -> None:
    """Let a request that may write take the write lock at BEGIN; reads and views that run their own
    transactions begin none on PostgreSQL."""
    g.begin_token = _begin.set(Begin.READS if request.method in SAFE_METHODS else Begin.WRITES)


def own_transactions() -> None:
    """Mark a blueprint's requests as running their own short write transactions (a before_request hook)."""
    _begin.set(Begin.READS)


def _forget_begin(_error) -> None:
    token = g.pop("begin_token", None)
    if token is not None:
        _begin.reset(token)


def _autocommit(dbapi_connection, _record) -> None:
    dbapi_connection.autocommit = True  # the "begin" listener issues BEGIN itself


def _server_begin(connection) -> None:
    # Without BEGIN each statement commits alone: a read sees what READ COMMITTED would show it, and a guarded
    # UPDATE is atomic by itself. Each BEGIN and COMMIT left out is a round trip saved.
    if _begin.get() in (Begin.READ_OR_WRITE, Begin.WRITES):
        connection.exec_driver_sql("BEGIN")


def _note_idle(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dialect, dbapi_connection, record, _proxy) -> None:
    """Ping a connection back from the pool after a pause (SQLAlchemy's pre-ping, which pings every checkout, cost
    a round trip per request); a dead one makes the pool reconnect, all its older connections with it."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        raise exc.InvalidatePoolError(str(error)) from error


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the "begin" listener issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # In WAL mode a commit survives a killed process without an fsync of its own; only a power cut before the
    # next checkpoint could take the last commits back.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(turns_file: str | None, connection) -> None:
    # A deferred transaction that read before another writer committed cannot write afterwards (SQLITE_BUSY,
    # no waiting); a state change therefore takes the write lock at BEGIN and waits its turn instead.
    if _begin.get() not in (Begin.WRITES, Begin.ONE_WRITE):
        connection.exec_driver_sql("BEGIN")
        return
    dbapi_connection = connection.connection.dbapi_connection
    if turns_file is not None:
        dbapi_connection.wait_for_turn(_writer_turns(turns_file))
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        dbapi_connection.end_turn()
        raise


class _WriterTurns:
    """Writers to one SQLite file queue here, so each wakes within a millisecond of the last one's commit.

    SQLite alone makes a waiting writer sleep and retry, backing off to 100 ms, so under load a writer missed
    the lock's release by up to that long. A thread lock orders a process's threads, a file lock the processes.
    SQLite's own lock still guards the data: a writer that gives up waiting here falls back to it.
    """

    def __init__(self, path: str):
        self._threads = threading.Lock()
        self._file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._holder: int | None = None

    def take(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for this thread's turn to write; False if it did not come (or is held)."""
        if self._holder == threading.get_ident():
            return False
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        while True:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._threads.release()
                    return False
                time.sleep(WRITER_TURN_POLL_SECONDS)
            else:
                self._holder = threading.get_ident()
                return True

    def give_back(self) -> None:
        """End this thread's turn."""
        self._holder = None
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._threads.release()


_turns_by_file: dict[tuple[str, int], _WriterTurns] = {}
_turns_registry = threading.Lock()


def _writer_turns(path: str) -> _WriterTurns:
    # Keyed by process too: a forked worker must open the file itself, since a file lock belongs to an open file.
    key = (path, os.getpid())
    with _turns_registry:
        if key not in _turns_by_file:
            _turns_by_file[key] = _WriterTurns(path)
        return _turns_by_file[key]


class _TurnTakingConnection(sqlite3.Connection):
    """A SQLite connection that holds its writer's turn from BEGIN IMMEDIATE until the transaction ends."""

    turns: _WriterTurns | None = None

    def wait_for_turn(self, turns: _WriterTurns) -> None:
        if turns.take(SQLITE_BUSY_TIMEOUT_MS / 1000):
            self.turns = turns

    def end_turn(self) -> None:
        turns, self.turns = self.turns, None
        if turns is not None:
            turns.give_back()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.end_turn()


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the enclosed reads and writes as one short transaction that commits at the end.

    On SQLite it holds the write lock from its first statement; on PostgreSQL the guarded updates and row
    locks inside it order the writers. Objects loaded before or inside stay loaded after the commit (the request
    goes on to render them); reads inside that decide a change must ask for fresh rows (`populate_existing`).
    Changes made in memory while no transaction was open are written inside it.
    """
    with _writing(Begin.WRITES):
        yield


@contextmanager
def write_statement() -> Iterator[None]:
    """Run one guarded statement, atomic by itself, as a write: on SQLite inside the write lock, on PostgreSQL
    alone, without the round trips of a BEGIN and a COMMIT."""
    with _writing(Begin.ONE_WRITE):
        yield


@contextmanager
def _writing(begin: Begin) -> Iterator[None]:
    session = db.session()
    session.expire_on_commit = False
    if session.in_transaction():
        if db.engine.dialect.name == "sqlite":
            session.commit()  # end the read the request began, so that the next BEGIN takes the write lock
        elif begin is Begin.WRITES and _idle(session.connection()):
            # PostgreSQL read without a transaction so far: the same connection begins one (no checkout)
            session.connection().exec_driver_sql("BEGIN")
    token = _begin.set(begin)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _begin.reset(token)
        session.expire_on_commit = True


def _idle(connection: Connection) -> bool:
    return connection.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE


def ping() -> None:
    """Run a trivial query; raises when the database cannot be reached."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


