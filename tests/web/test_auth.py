"""Sign up, sign in, sign out, settings, account deletion, CSRF, the sign-in rate limit and the user CLI."""

import logging
import socket
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_in
from webapp import create_app
from webapp.extensions import db, limiter
from webapp.models import (
    DailyTopicScore,
    Interview,
    KeyPointStat,
    PointOverride,
    Question,
    ReviewState,
    Turn,
    User,
)
from webapp.services import accounts

PASSWORD = "interview-ready-1"


def user_named(app, username: str) -> User | None:
    with app.app_context():
        user = accounts.find_user(username)
        if user is not None:
            db.session.expunge(user)
        return user


def test_signing_up_creates_the_account_and_signs_in(client, app, auth):
    response = auth.register()
    assert response.status_code == 302
    user = user_named(app, "alice")
    assert user is not None and user.password_hash != PASSWORD and user.check_password(PASSWORD)
    assert "alice" in client.get("/").get_data(as_text=True)


def test_sign_up_refuses_a_taken_name_whatever_its_case_and_keeps_what_was_typed(client, auth):
    auth.register("alice")
    auth.logout()
    response = client.post("/auth/register", data={"username": "ALICE", "password": PASSWORD, "confirm": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That username is already taken." in page or "用户名已被占用" in page
    assert 'value="ALICE"' in page


@pytest.mark.parametrize(("username", "password", "confirm"), [
    ("al", PASSWORD, PASSWORD),
    ("alice smith", PASSWORD, PASSWORD),
    ("alice", "short", "short"),
    ("alice", PASSWORD, PASSWORD + "x"),
    ("", PASSWORD, PASSWORD),
])
def test_sign_up_with_bad_input_shows_errors_and_creates_nothing(client, app, username, password, confirm):
    response = client.post("/auth/register", data={"username": username, "password": password, "confirm": confirm})
    assert response.status_code == 400
    assert 'class="field-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_chinese_usernames_are_accepted(auth, app):
    assert auth.register("小明_2026").status_code == 302
    assert user_named(app, "小明_2026") is not None


def test_signing_in_with_the_right_password_goes_home(auth):
    response = auth.login()
    assert response.status_code == 302 and response.location == "/"


def test_signing_in_with_a_wrong_password_is_refused_with_the_name_kept(client, auth):
    auth.register()
    auth.logout()
    response = client.post("/auth/login", data={"username": "alice", "password": "wrong-password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="alice"' in page
    assert client.get("/auth/settings").status_code == 302


def test_signing_in_returns_to_the_page_that_asked(client, auth):
    auth.register()
    auth.logout()
    response = client.get("/auth/settings")
    assert response.status_code == 302 and "/auth/login?next=" in response.location
    response = client.post("/auth/login", data={"username": "alice", "password": PASSWORD, "next": "/auth/settings"})
    assert response.location == "/auth/settings"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_signing_in_never_redirects_off_site(client, auth, target):
    auth.register()
    auth.logout()
    response = client.post("/auth/login", data={"username": "alice", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.location == "/"


def test_the_sign_in_prompt_is_translated(client):
    client.get("/auth/settings")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "请先登录" in page


def test_signing_out_needs_a_post_and_ends_the_session(client, auth):
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/auth/settings").status_code == 302


def test_a_post_without_csrf_token_is_refused(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/auth/register", data={"username": "alice", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert user_named(app, "alice") is None


def test_a_post_with_the_page_csrf_token_is_accepted(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = csrf_token_in(page)
    response = client.post(
        "/auth/register", data={"username": "alice", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.fixture
def limited_app(app):
    """Build apps on the test database with the sign-in limit switched on; close their connections afterwards."""
    built = []

    def build(storage_uri: str, **config):
        # The limiter is one object for every app in this process, and Flask-Limiter sets its "storage is down"
        # flag only in the constructor: a test with Redis unreachable would leave later apps on the fallback.
        limiter._storage_dead = False
        limited = create_app({
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": storage_uri,
            **config,
        })
        built.append(limited)
        return limited

    yield build
    for limited in built:
        with limited.app_context():
            db.engine.dispose()


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in_attempts(app, count: int, address: str) -> list[int]:
    client = client_at(app, address)
    return [
        client.post("/auth/login", data={"username": "alice", "password": "wrong-password"}).status_code
        for _ in range(count)
    ]


def test_sign_in_attempts_are_limited_to_five_a_minute(limited_app):
    limited = limited_app("memory://")
    assert sign_in_attempts(limited, 6, "192.0.2.1") == [400] * 5 + [429]
    client = client_at(limited, "192.0.2.1")
    page = client.post("/auth/login", data={"username": "a", "password": "b"}).get_data(as_text=True)
    assert 'name="username"' in page  # the refusal is shown on the sign-in page itself
    assert client.get("/auth/login").status_code == 200
    assert sign_in_attempts(limited, 1, "192.0.2.2") == [400]  # other addresses are not affected


def test_a_refused_sign_in_says_when_to_retry(limited_app):
    limited = limited_app("memory://")
    sign_in_attempts(limited, 5, "192.0.2.3")
    response = client_at(limited, "192.0.2.3").post("/auth/login", data={"username": "a", "password": "b"})
    assert response.status_code == 429 and 0 < int(response.headers["Retry-After"]) <= 60


def test_sign_ups_from_one_address_are_limited(limited_app):
    client = client_at(limited_app("memory://"), "192.0.2.4")
    statuses = [client.post("/auth/register", data={"username": f"user{n}", "password": "x", "confirm": "x"})
                .status_code for n in range(6)]
    assert statuses == [400] * 5 + [429]
    page = client.post("/auth/register", data={}).get_data(as_text=True)
    assert 'name="username"' in page and "Retry-After" not in page


def test_with_redis_unreachable_the_limit_holds_per_process_with_a_warning_and_no_error(limited_app, caplog):
    limited = limited_app("redis://127.0.0.1:1")
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert sign_in_attempts(limited, 6, "192.0.2.5") == [400] * 5 + [429]
    assert any("unreachable" in record.getMessage() for record in caplog.records)


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(limited_app):
    limited = limited_app("memory://", TRUSTED_PROXIES=1)
    client = client_at(limited, "10.0.0.1")  # the proxy
    first = [client.post("/auth/login", data={"username": "a", "password": "b"},
                         headers={"X-Forwarded-For": "198.51.100.1"}).status_code for _ in range(6)]
    other = client.post("/auth/login", data={"username": "a", "password": "b"},
                        headers={"X-Forwarded-For": "198.51.100.2"}).status_code
    assert first == [400] * 5 + [429] and other == 400


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(limited_app):
    client = client_at(limited_app("memory://"), "10.0.0.2")
    statuses = [client.post("/auth/login", data={"username": "a", "password": "b"},
                            headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(6)]
    assert statuses == [400] * 5 + [429]


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_up(), reason="no Redis at 127.0.0.1:6379")
def test_sign_in_limit_is_shared_through_redis(limited_app):
    address = f"fd00::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"  # parallel runs share the Redis server
    assert sign_in_attempts(limited_app("redis://127.0.0.1:6379"), 3, address) == [400] * 3
    second_process = limited_app("redis://127.0.0.1:6379")
    assert sign_in_attempts(second_process, 3, address) == [400, 400, 429]


def test_settings_need_a_signed_in_user(client):
    response = client.get("/auth/settings")
    assert response.status_code == 302 and response.location.startswith("/auth/login?next=")


def test_changing_the_password_needs_the_current_one(client, app, auth):
    auth.login()
    wrong_current = {"current": "not-my-password", "password": "brand-new-pass", "confirm": "brand-new-pass"}
    response = client.post("/auth/settings/password", data=wrong_current)
    assert response.status_code == 400
    assert user_named(app, "alice").check_password(PASSWORD)
    response = client.post("/auth/settings/password",
                           data={"current": PASSWORD, "password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert response.status_code == 302
    assert user_named(app, "alice").check_password("brand-new-pass")


def test_preferences_save_language_and_a_valid_timezone(client, app, auth):
    auth.login()
    response = client.post("/auth/settings/preferences", data={"locale": "en", "timezone": "Europe/Berlin"})
    assert response.status_code == 302
    user = user_named(app, "alice")
    assert (user.locale, user.timezone) == ("en", "Europe/Berlin")


@pytest.mark.parametrize(("locale", "timezone"), [("en", "Mars/Olympus_Mons"), ("fr", "UTC"), ("en", "")])
def test_preferences_refuse_unknown_languages_and_timezones(client, app, auth, locale, timezone):
    auth.login()
    response = client.post("/auth/settings/preferences", data={"locale": locale, "timezone": timezone})
    assert response.status_code == 400
    user = user_named(app, "alice")
    assert (user.locale, user.timezone) == ("zh", "Asia/Shanghai")


def test_the_timezone_menu_offers_the_users_own_zone(client, app, auth):
    auth.login()
    with app.app_context():
        accounts.update_preferences(accounts.find_user("alice"), "zh", "America/Argentina/Ushuaia")
    assert '<option selected value="America/Argentina/Ushuaia">' in client.get("/auth/settings").get_data(as_text=True)


def give_history(username: str, clock) -> None:
    """Store one answered interview with an override, a review card and both rollups for the user."""
    user = accounts.find_user(username)
    question = db.session.scalars(select(Question).order_by(Question.id)).first()
    interview = Interview(user_id=user.id, mode="mock", seconds_per_question=180, started_at=clock(),
                          finished_at=clock() + timedelta(minutes=3), status="finished", score=50.0)
    turn = Turn(number=1, question_id=question.id, question_text=question.text, asked_at=clock(),
                answer="答案", answered_at=clock(), state="answered", submission_key=f"{username}-1", score=50.0)
    turn.overrides.append(PointOverride(point_uid="p1", created_at=clock()))
    interview.turns.append(turn)
    db.session.add_all([
        interview,
        ReviewState(user_id=user.id, question_id=question.id, card={}, due=clock()),
        DailyTopicScore(user_id=user.id, day=clock().date(), topic_slug="", answers=1, score_sum=50.0),
        KeyPointStat(user_id=user.id, question_id=question.id, point_uid="p1", point_text="要点", seen=1, missed=1),
    ])
    db.session.commit()


def rows_of(user_id: int) -> dict[str, int]:
    interview_ids = select(Interview.id).where(Interview.user_id == user_id)
    turn_ids = select(Turn.id).where(Turn.interview_id.in_(interview_ids))
    counts = {
        "interviews": select(func.count()).select_from(Interview).where(Interview.user_id == user_id),
        "turns": select(func.count()).select_from(Turn).where(Turn.interview_id.in_(interview_ids)),
        "overrides": select(func.count()).select_from(PointOverride).where(PointOverride.turn_id.in_(turn_ids)),
        "reviews": select(func.count()).select_from(ReviewState).where(ReviewState.user_id == user_id),
        "daily": select(func.count()).select_from(DailyTopicScore).where(DailyTopicScore.user_id == user_id),
        "points": select(func.count()).select_from(KeyPointStat).where(KeyPointStat.user_id == user_id),
        "users": select(func.count()).select_from(User).where(User.id == user_id),
    }
    return {name: db.session.scalar(query) for name, query in counts.items()}


def test_deleting_the_account_removes_all_its_rows_and_nobody_elses(client, app, auth, clock):
    auth.register("bob")
    auth.logout()
    auth.login()
    with app.app_context():
        give_history("alice", clock)
        give_history("bob", clock)
        alice_id, bob_id = accounts.find_user("alice").id, accounts.find_user("bob").id
        assert set(rows_of(alice_id).values()) == {1}
    response = client.post("/auth/settings/delete", data={"confirmation": "alice"})
    assert response.status_code == 302
    with app.app_context():
        assert set(rows_of(alice_id).values()) == {0}
        assert set(rows_of(bob_id).values()) == {1}
    assert client.get("/auth/settings").status_code == 302
    assert auth.register("alice").status_code == 302  # the name is free again


def test_deleting_the_account_needs_the_username_retyped(client, app, auth):
    auth.login()
    response = client.post("/auth/settings/delete", data={"confirmation": "ALICE"})
    assert response.status_code == 400
    assert user_named(app, "alice") is not None


def test_promote_makes_a_user_admin(runner, app, auth):
    auth.register()
    result = runner.invoke(args=["user", "promote", "alice"])
    assert result.exit_code == 0, result.output
    assert user_named(app, "alice").is_admin


def test_promote_names_an_unknown_user(runner):
    result = runner.invoke(args=["user", "promote", "nobody"])
    assert result.exit_code != 0 and "nobody" in result.output


def test_set_password_asks_twice_and_sets_it(runner, app, auth):
    auth.register()
    result = runner.invoke(args=["user", "set-password", "alice"], input="reset-by-admin\nreset-by-admin\n")
    assert result.exit_code == 0, result.output
    assert "reset-by-admin" not in result.output
    assert user_named(app, "alice").check_password("reset-by-admin")


def test_set_password_refuses_a_mismatch_and_a_short_password(runner, app, auth):
    auth.register()
    mismatch = runner.invoke(args=["user", "set-password", "alice"], input="reset-by-admin\nsomething-else\n")
    assert mismatch.exit_code != 0
    short = runner.invoke(args=["user", "set-password", "alice", "--password", "short"])
    assert short.exit_code != 0 and "8" in short.output
    assert user_named(app, "alice").check_password(PASSWORD)


def test_the_auth_helper_switches_between_users(client, auth):
    auth.login("alice")
    auth.login("bob")
    page = client.get("/").get_data(as_text=True)
    assert '<span class="nav-user">bob</span>' in page
