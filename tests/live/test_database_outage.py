"""PostgreSQL going away mid-session (as in a restart): pages say 'try again', nothing acknowledged is lost,
and the app carries on by itself once the database is back."""

import os
import socket
import threading

import pytest
import sqlalchemy as sa

from .checks import turns
from .client import Browser
from .server import free_port, gunicorn

pytestmark = [pytest.mark.live,
              pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL")]


class Outage:
    """A TCP relay between the app and PostgreSQL that a test can cut and restore, like a database restart."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()
        self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()


def test_a_database_restart_mid_session_is_a_try_again_and_loses_nothing(live_database, tmp_path):
    url, engine = live_database
    if not url.startswith("postgresql"):
        pytest.skip("relays PostgreSQL")
    address = sa.make_url(url)
    outage = Outage((address.host, address.port or 5432))
    relayed = address.set(host="127.0.0.1", port=outage.port).render_as_string(hide_password=False)
    with gunicorn(relayed, tmp_path) as server:
        browser = Browser(server.url)
        browser.register()
        interview_id = browser.start(count=3)
        assert browser.answer(interview_id, browser.chat(interview_id), "断线之前的回答").status == 302
        page = browser.chat(interview_id)

        outage.cut()
        draft = browser.draft(interview_id, page, "断线期间的草稿")
        submitted = browser.answer(interview_id, page, "断线期间的回答")
        health = browser.get("/healthz")
        assert (draft.status, submitted.status, health.status) == (503, 503, 503)
        assert "请稍后重试" in submitted.body  # "try again in a moment"; the chat keeps the text in the browser

        outage.restore()
        assert browser.get("/healthz").status == 200
        assert browser.answer(interview_id, page, "断线期间的回答").status == 302  # the same submit, retried
    assert [(t.state, t.answer) for t in turns(engine, interview_id)] == [
        ("answered", "断线之前的回答"), ("answered", "断线期间的回答"), ("open", None)]
