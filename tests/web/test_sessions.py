"""Sessions that really end, a password policy, a limit on sign-ups, and usernames folded alike on every database."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import User
from webapp.services import accounts

PASSWORD = "interview-ready-1"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def restore_cookie(client, value: str) -> None:
    client.set_cookie("session", value)


def signed_in(client) -> bool:
    return client.get("/history/").status_code == 200


def test_a_cookie_saved_before_signing_out_no_longer_signs_in(client, auth):
    auth.login()
    saved = session_cookie(client)
    auth.logout()
    restore_cookie(client, saved)
    assert not signed_in(client)


def test_changing_the_password_signs_out_other_sessions_and_keeps_this_one(app, client, auth):
    auth.login()
    other = app.test_client()
    other.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    assert signed_in(other)
    new = "a-new-long-phrase-7"
    response = client.post("/auth/settings/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert signed_in(client) and not signed_in(other)


def test_signing_out_everywhere_ends_every_session(app, client, auth):
    auth.login()
    other = app.test_client()
    other.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    saved = session_cookie(client)
    assert client.post("/auth/settings/sessions").status_code == 302
    restore_cookie(client, saved)
    assert not signed_in(client) and not signed_in(other)


def test_the_settings_page_offers_signing_out_everywhere(client, auth):
    auth.login()
    assert 'data-testid="sign-out-everywhere"' in client.get("/auth/settings").get_data(as_text=True)


@pytest.mark.parametrize("password", ["password", "12345678", "qwertyuiop", "Password1", "aliceALICE"])
def test_sign_up_refuses_common_passwords_and_the_username(client, app, password):
    username = "aliceALICE" if password == "aliceALICE" else "alice"
    response = client.post("/auth/register", data={"username": username, "password": password, "confirm": password})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_password_change_to_a_common_password_is_refused(client, auth):
    auth.login()
    response = client.post("/auth/settings/password",
                           data={"current": PASSWORD, "password": "12345678", "confirm": "12345678"})
    assert response.status_code == 400
    assert "常见" in response.get_data(as_text=True)


def test_the_shipped_common_password_list_holds_ten_thousand_entries():
    lines = [line for line in accounts.COMMON_PASSWORDS.read_text().splitlines() if not line.startswith("#")]
    assert len(lines) == 10_000 and lines[0] == "123456"


@pytest.mark.parametrize("name", ["Émile", "Иван", "Ölaf", "ＡＬＩＣＥ２"])
def test_non_ascii_usernames_sign_in_whatever_their_case_or_width(client, auth, name):
    assert auth.register(name, PASSWORD).status_code == 302
    auth.logout()
    for typed in (name, name.lower(), name.upper()):
        response = client.post("/auth/login", data={"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
        auth.logout()


@pytest.mark.parametrize(("first", "second"), [("Äbc", "äbc"), ("Straße", "STRASSE"), ("alice", "ａｌｉｃｅ")])
def test_names_that_fold_alike_cannot_both_register(client, app, auth, first, second):
    assert auth.register(first, PASSWORD).status_code == 302
    auth.logout()
    assert auth.register(second, PASSWORD).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_database_refuses_a_second_user_with_the_same_folded_name(app):
    with app.app_context():
        db.session.add_all([User(username="Äbc", password_hash="x"), User(username="äbc", password_hash="x")])
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
