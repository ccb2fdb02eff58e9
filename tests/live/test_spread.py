"""Connections are spread over gunicorn's workers, so kept-alive clients do not all load one process."""

import threading

import pytest

from .client import Browser
from .server import gunicorn

pytestmark = pytest.mark.live
CLIENTS = 40
REQUESTS_EACH = 20


def test_kept_alive_connections_at_once_are_served_by_every_worker(live_database, tmp_path):
    url, _engine = live_database
    with gunicorn(url, tmp_path, workers=2) as server:
        before = {pid: server.process_cpu_seconds(pid) for pid in server.workers()}
        statuses: list[int] = []

        def client() -> None:
            browser = Browser(server.url)
            statuses.extend(browser.get("/auth/login").status for _ in range(REQUESTS_EACH))

        clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(60)
        work = [server.process_cpu_seconds(pid) - seconds for pid, seconds in before.items()]
    assert statuses == [200] * CLIENTS * REQUESTS_EACH
    # 20 connections hashed over 2 sockets leave a worker under a fifth of them about once in 400 runs
    print("WORK", work)
    assert min(work) > 0.15 * sum(work), work
