"""What one candidate's request costs the database: queries, transactions and pings per page of the answer loop.

Each query, each BEGIN and COMMIT and each ping is a round trip to PostgreSQL, and under load every round trip
waits for the worker's other threads; a new one here should be a choice, not an accident.
"""

import pytest
from sqlalchemy import event

from tests.conftest import _pg_admin
from webapp import database
from webapp.extensions import db

from .interview_helpers import start


class DatabaseCalls:
    """Counts the queries, the transactions begun (the app sends every BEGIN itself) and the pings while it
    listens."""

    def __init__(self, engine, monkeypatch):
        self.queries = self.transactions = self.pings = self.checkouts = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine.pool, "checkout", self._checkout)
        ping = engine.dialect.do_ping

        def counted_ping(dbapi_connection):
            self.pings += 1
            return ping(dbapi_connection)

        monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)

    def _statement(self, _connection, _cursor, statement, *_args) -> None:
        began = statement.startswith("BEGIN")
        self.transactions += began
        self.queries += not began

    def _checkout(self, *_args) -> None:
        self.checkouts += 1

    def during(self, request) -> tuple[int, int]:
        queries, transactions, pings = self.queries, self.transactions, self.pings
        request()
        assert self.pings == pings  # the connection served a request just before: no ping
        return self.queries - queries, self.transactions - transactions


@pytest.fixture
def calls(app, monkeypatch):
    with app.app_context():
        return DatabaseCalls(db.engine, monkeypatch)


def test_the_answer_loop_asks_only_what_it_needs_and_on_postgresql_begins_only_the_answer(app, client, auth, calls):
    auth.login()
    interview_id = start(client, count=3)
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    # SQLite reads in a transaction and takes the write lock with a BEGIN IMMEDIATE of its own; PostgreSQL reads
    # without one, and a guarded UPDATE alone needs none.
    reads_and_one_write = 2 if sqlite else 0
    checkouts = calls.checkouts

    def chat():
        page = client.get(f"/interviews/{interview_id}")
        assert page.status_code == 200
        chat.html = page.get_data(as_text=True)

    # the user, the interview with its turns, the question's clock started
    assert calls.during(chat) == (3, reads_and_one_write)
    key = chat.html.split('name="key" type="hidden" value="')[1].split('"')[0]
    # the user, the guarded draft UPDATE
    assert calls.during(lambda: client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "草稿"},
                                            headers={"Accept": "application/json"})) == (2, reads_and_one_write)
    # the user, the turn to grade, then in one transaction the interview locked with its turns and the guarded
    # UPDATE that closes the turn
    assert calls.during(lambda: client.post(f"/interviews/{interview_id}/answer", data={
        "turn": 1, "key": key, "answer": "注意力用查询和键的相似度给值加权"})) == (4, 2 if sqlite else 1)
    # the next question: the user, the interview, its clock
    assert calls.during(chat) == (3, reads_and_one_write)
    if not sqlite:  # one pooled connection per page, the answer's transaction begun on it too
        assert calls.checkouts - checkouts == 4


def test_a_pooled_postgresql_connection_is_pinged_after_it_sat_idle_and_a_dead_one_replaced(
        app, client, auth, calls, monkeypatch):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL's connection pool")
    auth.login()
    interview_id = start(client, count=3)
    with app.app_context():
        backend = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        db.session.remove()
    _pg_admin(f"SELECT pg_terminate_backend({backend})")  # as a restart would
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    pings = calls.pings
    assert client.get(f"/interviews/{interview_id}").status_code == 200
    assert calls.pings > pings
