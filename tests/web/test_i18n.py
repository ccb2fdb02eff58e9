"""The Chinese default, the language switch, dates in the user's timezone, and the catalog's completeness."""

from datetime import UTC, datetime

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from webapp.services import accounts

from ..conftest import REPO

CATALOG = REPO / "webapp" / "translations" / "zh" / "LC_MESSAGES"


def switch_language(client, locale: str, next_page: str = "/"):
    return client.post("/auth/language", data={"locale": locale, "next": next_page})


def read_catalog():
    with open(CATALOG / "messages.po", "rb") as handle:
        return read_po(handle, locale="zh")


def message_key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple | list) else message_id


def message_strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


@pytest.mark.parametrize("path", ["/", "/bank/", "/auth/login", "/auth/register", "/no/such/page"])
def test_every_page_is_chinese_by_default_and_offers_the_switch(client, path):
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "题库" in page and "Question bank" not in page
    assert 'data-testid="lang-switch"' in page


def test_switching_to_english_shows_english_on_the_same_page(client):
    response = switch_language(client, "en", "/bank/")
    assert response.status_code == 302 and response.location == "/bank/"
    page = client.get("/bank/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Question bank" in page and "题库" not in page


def test_a_visitors_choice_lives_in_their_session_only(client, app):
    switch_language(client, "en")
    assert "Sign in" in client.get("/").get_data(as_text=True)
    assert "登录" in app.test_client().get("/").get_data(as_text=True)


def test_a_signed_in_users_choice_persists_across_sessions(client, app, auth):
    auth.login()
    switch_language(client, "en")
    with app.app_context():
        assert accounts.find_user("alice").locale == "en"
    auth.logout()
    other_browser = app.test_client()
    assert "题库" in other_browser.get("/").get_data(as_text=True)
    other_browser.post("/auth/login", data={"username": "alice", "password": "interview-ready-1"})
    assert "Question bank" in other_browser.get("/").get_data(as_text=True)


def test_signing_out_keeps_the_language_the_user_was_reading(client, auth):
    auth.login()
    switch_language(client, "en")
    auth.logout()
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_a_new_account_keeps_the_language_chosen_before_signing_up(client, app, auth):
    switch_language(client, "en")
    auth.register("bob")
    with app.app_context():
        assert accounts.find_user("bob").locale == "en"


@pytest.mark.parametrize("next_page", ["https://evil.example/", "//evil.example/"])
def test_the_switch_never_redirects_off_site(client, next_page):
    assert switch_language(client, "en", next_page).location == "/"


def test_the_switch_refuses_an_unknown_language(client):
    assert switch_language(client, "fr").status_code == 400
    assert "题库" in client.get("/").get_data(as_text=True)


def test_dates_are_shown_in_the_users_timezone_and_language(client, auth, clock):
    clock.current = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    auth.login()
    assert "2026年11月25日" in client.get("/auth/settings").get_data(as_text=True)  # Asia/Shanghai by default
    client.post("/auth/settings/preferences", data={"locale": "en", "timezone": "America/Los_Angeles"})
    assert "Nov 24, 2026, 12:30:00\u202fPM" in client.get("/auth/settings").get_data(as_text=True)


def test_every_message_has_a_chinese_translation():
    untranslated = [
        message_key(message.id)
        for message in read_catalog()
        if message.id and not all(message_strings(message))
    ]
    assert untranslated == []


def test_the_catalog_holds_exactly_the_messages_in_the_sources():
    with open(REPO / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    in_sources = {message_key(found[2]) for found in extract_from_dir(str(REPO), method_map, options_map)}
    in_catalog = {message_key(message.id) for message in read_catalog() if message.id}
    assert sorted(in_sources - in_catalog) == [], "run pybabel extract + update and translate the new messages"
    assert sorted(in_catalog - in_sources) == [], "run pybabel extract + update to retire unused messages"


def test_the_compiled_catalog_matches_the_po_file():
    with open(CATALOG / "messages.mo", "rb") as handle:
        compiled = {message_key(message.id): message_strings(message) for message in read_mo(handle) if message.id}
    expected = {
        message_key(message.id): message_strings(message)
        for message in read_catalog() if message.id and all(message_strings(message))
    }
    compiled = {key: strings for key, strings in compiled.items() if key in expected or all(strings)}
    assert compiled == expected, "run pybabel compile -d webapp/translations"
