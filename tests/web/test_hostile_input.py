"""Crafted input at the edge: ids, turn numbers, control characters and body sizes are refused, never a 500."""

import pytest

from .interview_helpers import answer, chat, load, start


@pytest.fixture
def alice(auth):
    auth.login()
    return auth


@pytest.mark.parametrize("action", ["answer", "draft", "skip", "finish"])
@pytest.mark.parametrize("number", ["²", "١", "1e3", "-1", "99999999999999999999"])
def test_a_turn_number_that_is_not_ascii_digits_in_range_is_refused(client, app, alice, action, number):
    interview_id = start(client)
    page = chat(client, interview_id)
    response = client.post(f"/interviews/{interview_id}/{action}",
                           data={"turn": number, "answer": "回答", "key": page.key})
    assert response.status_code in (400, 302)  # finish without a valid turn ends the interview, grading nothing
    with app.app_context():
        assert load(interview_id).turns[0].answer is None


@pytest.mark.parametrize("path", [
    "/interviews/9223372036854775808", "/interviews/2147483648", "/history/9223372036854775808",
    "/history/2147483648/export.json", "/bank/questions/9223372036854775808", "/bank/questions/2147483648",
    "/interviews/0", "/bank/questions/%D9%A3",
])
def test_an_id_no_column_can_hold_is_not_found(client, alice, path):
    assert client.get(path).status_code == 404


def test_a_rating_for_a_question_id_out_of_range_is_not_found(client, alice):
    assert client.post("/review/9223372036854775808/rating", data={"rating": 3}).status_code == 404


def test_the_largest_storable_id_is_simply_not_found(client, alice):
    assert client.get("/interviews/2147483647").status_code == 404
    assert client.get("/bank/questions/2147483647").status_code == 404


@pytest.mark.parametrize("text", ["前\x00后", "bell\x07", "esc\x1b[31m", "c1\x85"])
def test_an_answer_with_a_control_character_is_refused_with_a_message_and_nothing_changes(client, app, alice, text):
    interview_id = start(client)
    response = answer(client, interview_id, text)
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True) or "控制字符" in response.get_data(as_text=True)
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert turn.answer is None and turn.draft == ""


def test_a_draft_with_nul_is_refused_as_json_to_the_autosave(client, app, alice):
    interview_id = start(client)
    response = client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "a\x00b"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.is_json and response.json["error"]


def test_tabs_and_line_breaks_are_ordinary_text(client, app, alice):
    interview_id = start(client)
    response = client.post(f"/interviews/{interview_id}/draft",
                           data={"turn": 1, "answer": "第一行\r\n\t第二行"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    with app.app_context():
        assert load(interview_id).turns[0].draft == "第一行\n\t第二行"


@pytest.mark.parametrize("url", ["/bank/search?q=a%00b", "/bank/topics/attention%00", "/history/?topic=%00"])
def test_a_nul_in_a_query_or_path_is_refused(client, alice, url):
    assert client.get(url).status_code == 400


def test_a_nul_in_the_sign_in_name_is_refused(client):
    response = client.post("/auth/login", data={"username": "alice\x00", "password": "whatever-1234"})
    assert response.status_code == 400


def test_a_form_body_over_the_routes_limit_is_refused_before_it_is_parsed(client, alice):
    response = client.post("/auth/settings/preferences", data={"locale": "zh", "timezone": "x" * 200_000})
    assert response.status_code == 413
    assert "KB" in response.get_data(as_text=True)


def test_an_answer_body_far_over_the_limit_is_refused_by_size(client, app, alice):
    interview_id = start(client)
    page = chat(client, interview_id)
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": 1, "key": page.key, "answer": "长" * 2_000_000})
    assert response.status_code == 413 and "KB" in response.get_data(as_text=True)  # the body limit, not the service


def test_an_answer_many_times_the_limit_is_kept_as_a_draft_cut_to_the_stated_maximum(client, app, alice):
    app.config["MAX_ANSWER_CHARS"] = 100
    interview_id = start(client)
    response = answer(client, interview_id, "很长" * 300)
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "600" in page and "400" in page
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert turn.draft == ("很长" * 300)[:400] and not turn.closed


def test_a_draft_many_times_the_limit_is_kept_cut_to_the_stated_maximum(client, app, alice):
    app.config["MAX_ANSWER_CHARS"] = 100
    interview_id = start(client)
    response = client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "字" * 1000},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    with app.app_context():
        assert load(interview_id).turns[0].draft == "字" * 400


def test_a_history_topic_filter_longer_than_any_slug_finds_nothing_instead_of_failing(client, alice):
    assert client.get("/history/?topic=" + "x" * 60_000).status_code == 200
