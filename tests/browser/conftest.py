"""A live server on a free port with a movable clock, and Playwright pages in Debian's chromium."""

import json
import logging
import os
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask, jsonify, request
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import FakeClock
from webapp import create_app
from webapp.extensions import csrf, db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PASSWORD = "interview-ready-1"
DESKTOP = {"width": 1280, "height": 800}


def add_test_clock_endpoint(app: Flask, clock: FakeClock) -> None:
    """Let a test move the server's injected clock over HTTP; refuses any app not in TESTING mode."""
    if not app.config.get("TESTING"):
        raise RuntimeError("the test clock endpoint exists only in TESTING mode")

    @app.post("/__test__/clock")
    @csrf.exempt
    def move_test_clock():
        clock.advance(seconds=float(request.get_json()["seconds"]))
        return jsonify(now=clock().isoformat())


@dataclass
class LiveServer:
    """The app served from a thread; `advance` moves its clock through the test endpoint."""

    app: Flask
    url: str
    clock: FakeClock

    def advance(self, seconds: float) -> None:
        body = json.dumps({"seconds": seconds}).encode()
        call = urllib.request.Request(f"{self.url}/__test__/clock", data=body, method="POST",
                                      headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(call, timeout=10) as response:
            assert response.status == 200


def pytest_collection_modifyitems(items):
    """Mark every test that drives chromium as a browser test, so `make test-fast` leaves it out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(database_template, tmp_path) -> Iterator[LiveServer]:
    """Serve the app on a free port against a fresh copy of the seeded SQLite database."""
    path = tmp_path / "live.sqlite3"
    shutil.copyfile(database_template("sqlite"), path)
    clock = FakeClock()
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SECRET_KEY": "browser-tests",
        "RATELIMIT_ENABLED": False,
        "CLOCK": clock,
    })
    add_test_clock_endpoint(app, clock)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", clock)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium; on a machine without it the browser tests are skipped, except in CI."""
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh browser tab in Chinese at desktop size, its URLs relative to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in(page) -> Page:
    """The page with alice signed up and signed in through the real form."""
    page.goto("/auth/register")
    page.fill('input[name="username"]', "alice")
    page.fill('input[name="password"]', PASSWORD)
    page.fill('input[name="confirm"]', PASSWORD)
    page.locator('form:has(input[name="confirm"]) [type="submit"]').click()
    page.wait_for_url("**/")
    return page
