"""The browser tests' live server: its clock endpoint exists only for an app in TESTING mode."""

import pytest

from tests.browser.conftest import add_test_clock_endpoint
from tests.conftest import FakeClock
from webapp import create_app


def test_the_clock_endpoint_is_refused_outside_testing_mode(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})
    with pytest.raises(RuntimeError):
        add_test_clock_endpoint(app, FakeClock())
    assert "/__test__/clock" not in {rule.rule for rule in app.url_map.iter_rules()}


def test_the_clock_endpoint_moves_the_servers_clock(live_server):
    before = live_server.clock()
    live_server.advance(90)
    assert (live_server.clock() - before).total_seconds() == 90
