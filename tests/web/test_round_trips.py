"""What one candidate's request costs the database: queries and transactions per page of the answer loop.

Each query and each transaction is a round trip to PostgreSQL (a transaction also checks a pooled connection
out and pings it), and under load every round trip waits for the worker's other threads; a new one here
should be a choice, not an accident.
"""

import pytest
from sqlalchemy import event

from webapp.extensions import db

from .interview_helpers import start


class DatabaseCalls:
    """Counts the queries (SQLite's BEGINs not included) and the transactions begun while it listens."""

    def __init__(self, engine):
        self.queries = self.transactions = 0
        event.listen(engine, "before_cursor_execute", self._query)
        event.listen(engine, "begin", self._begin)

    def _query(self, _connection, _cursor, statement, *_args) -> None:
        self.queries += not statement.startswith("BEGIN")

    def _begin(self, _connection) -> None:
        self.transactions += 1

    def during(self, request) -> tuple[int, int]:
        queries, transactions = self.queries, self.transactions
        request()
        return self.queries - queries, self.transactions - transactions


@pytest.fixture
def calls(app):
    with app.app_context():
        return DatabaseCalls(db.engine)


def test_each_page_of_the_answer_loop_is_one_transaction_on_postgresql_and_asks_only_what_it_needs(
        app, client, auth, calls):
    auth.login()
    interview_id = start(client, count=3)
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    # On SQLite a write first ends the read that loaded the user, so that its BEGIN IMMEDIATE takes the lock.
    write_transactions = 2 if sqlite else 1

    def chat():
        page = client.get(f"/interviews/{interview_id}")
        assert page.status_code == 200
        chat.html = page.get_data(as_text=True)

    # the user, the interview with its turns, the question's clock started
    assert calls.during(chat) == (3, write_transactions)
    key = chat.html.split('name="key" type="hidden" value="')[1].split('"')[0]
    # the user, the guarded draft UPDATE
    assert calls.during(lambda: client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "草稿"},
                                            headers={"Accept": "application/json"})) == (2, write_transactions)
    # the user, the turn to grade, the interview locked with its turns, the guarded UPDATE that closes the turn
    assert calls.during(lambda: client.post(f"/interviews/{interview_id}/answer", data={
        "turn": 1, "key": key, "answer": "注意力用查询和键的相似度给值加权"})) == (4, write_transactions)
    # the next question: the user, the interview, its clock
    assert calls.during(chat) == (3, write_transactions)
