"""Property tests over every form, the JSON autosave and the history import: random Unicode, control characters,
huge and nested values, wrong types. Whatever arrives: no server error, nothing half-saved, saved text escaped."""

import io
import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Interview, Turn

from .history_builders import two_question_interview
from .interview_helpers import start

# Planted in generated text: if it ever reaches a page unescaped, a saved text rendered as HTML.
MARKER = "<b data-fuzz>"
NASTY = ["²", "١٢", "\x00", "\x1b[0m", "\u202e", "\ufeff", "9" * 30, "-1", "0", "1e400", "NaN", "Infinity",
         "=HYPERLINK(\"x\")", "../../etc/passwd", "%00", "' OR 1=1 --", "{{7*7}}", "<script>alert(1)</script>",
         "\\", "\r\n", "\t", "𝕏", "🀄", "Ａ", "ß", "İ", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59",
         "2026-11-24T12:00:00", "2026-11-24T12:00:00+08:00", "must", "nice", "hit", "miss", "mock"]

texts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(NASTY),
    st.builds(lambda left, right: left + MARKER + right, st.text(max_size=20), st.text(max_size=20)),
    st.builds(lambda piece, times: piece * times, st.sampled_from(["长", "a", MARKER, "\x00"]),
              st.integers(1, 40_000)),
)


def field_values(names: list[str]):
    return st.dictionaries(st.sampled_from([*names, "csrf_token", "extra"]), texts, max_size=len(names) + 1)


@pytest.fixture
def world(app, client, auth, clock):
    """Alice signed in with one finished interview, one in progress, and the ids the routes can name."""
    auth.login()
    with app.app_context():
        done = two_question_interview("alice", at=clock() - timedelta(days=1))
        finished_id, question_id = done.id, done.turns[0].question_id
        point_uid = done.turns[0].points_snapshot[0]["id"]
    open_id = start(client, mode="drill", count=2)
    return {"finished": finished_id, "open": open_id, "question": question_id, "point": point_uid}


def check(response) -> None:
    """No server error, and no planted markup rendered as HTML."""
    assert response.status_code < 500, response.status_code
    if response.mimetype == "text/html":
        assert MARKER not in response.get_data(as_text=True)


def revisit(client, world) -> None:
    """Render every page the saved data shows on."""
    for url in ("/history/", f"/history/{world['finished']}", f"/interviews/{world['open']}", "/auth/settings"):
        check(client.get(url))


FORMS = {
    "/auth/register": ["username", "password", "confirm"],
    "/auth/login": ["username", "password", "next"],
    "/auth/settings/password": ["current", "password", "confirm"],
    "/auth/settings/preferences": ["locale", "timezone"],
    "/auth/settings/delete": ["confirmation"],
    "/auth/language": ["locale", "next"],
    "/interviews/new": ["topics", "mode", "count", "seconds", "include_unanswered"],
    "/interviews/{open}/answer": ["turn", "answer", "key"],
    "/interviews/{open}/draft": ["turn", "answer"],
    "/interviews/{open}/skip": ["turn"],
    "/interviews/{open}/finish": ["turn", "answer", "key"],
    "/interviews/{finished}/turns/{number}/points/{point}/override": [],
    "/interviews/{finished}/drill": [],
    "/history/{finished}/delete": [],
    "/review/start": [],
    "/review/{question}/rating": ["rating"],
    "/bank/questions/{question}/edit": ["key_points", "aliases", "topics"],
}


@given(form=st.sampled_from(sorted(FORMS)), data=st.data(), number=st.one_of(st.integers(-5, 2**64), texts),
       point=texts)
def test_any_form_with_any_values_never_errors_and_never_renders_markup(client, app, world, form, data, number,
                                                                        point):
    fields = data.draw(field_values(FORMS[form]))
    url = form.format(open=world["open"], finished=world["finished"], question=world["question"],
                      number=quote(str(number), safe=""), point=quote(point, safe="") or "x")
    if form.endswith("/delete") and form.startswith("/history"):
        fields = {}  # deleting the finished interview would leave nothing to revisit; its GET is still fuzzed
        check(client.get(url))
    else:
        check(client.post(url, data=fields))
    revisit(client, world)


@given(path=texts, query=texts)
def test_any_path_or_query_never_errors(client, world, path, query):
    path, query = quote(path, safe=""), quote(query, safe="")
    for url in (f"/bank/topics/{path}", f"/bank/search?q={query}", f"/history/?topic={query}&mode={path}&page={query}",
                f"/interviews/{path}", f"/history/{path}/export.{query}",
                f"/interviews/{world['open']}?feedback={query}"):
        check(client.get(url))


@given(text=texts, accept_json=st.booleans())
def test_an_answer_or_draft_is_saved_whole_or_not_at_all_and_renders_escaped(client, app, world, text, accept_json):
    interview_id = start(client, mode="drill", count=1)
    headers = {"Accept": "application/json"} if accept_json else {}
    draft = client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": text}, headers=headers)
    check(draft)
    if accept_json and draft.status_code < 500:
        assert draft.is_json
    answered = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": 1, "answer": text, "key": f"fuzz-key-{interview_id}"})
    check(answered)
    with app.app_context():
        turn = db.session.scalars(select(Turn).where(Turn.interview_id == interview_id)).one()
        limit = app.config["MAX_ANSWER_CHARS"]
        if answered.status_code == 302:
            assert turn.answer == text.replace("\r\n", "\n") and turn.result is not None
        else:
            assert turn.answer is None and turn.result is None
        assert len(turn.draft) <= 4 * limit
    check(client.get(f"/interviews/{interview_id}"))
    check(client.get(f"/history/{interview_id}"))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), texts),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)),
    max_leaves=12,
)


def _paths(value, prefix=()):
    """Every path into a JSON value, so a mutation can land on any field at any depth."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _replaced(document, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(document))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = new
    return copy


@pytest.fixture
def export(client, world):
    """Alice's export, with her finished interview deleted so a valid import adds it back."""
    document = json.loads(client.get("/history/export.json").data)
    client.post(f"/history/{world['finished']}/delete")
    document["interviews"] = [i for i in document["interviews"] if i["id"] == world["finished"]]
    return document


@given(data=st.data(), raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_a_mutated_history_import_is_saved_whole_or_not_at_all(client, app, export, data, raw):
    if raw is None:
        path = data.draw(st.sampled_from(list(_paths(export))))
        document = _replaced(export, path, data.draw(json_values))
        body = json.dumps(document, ensure_ascii=data.draw(st.booleans())).encode()
    else:
        document, body = None, raw
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Interview))
        turns_before = db.session.scalar(select(func.count()).select_from(Turn))
    response = client.post("/history/import", data={"file": (io.BytesIO(body), "h.json")},
                           content_type="multipart/form-data")
    check(response)
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(Interview))
        turns_after = db.session.scalar(select(func.count()).select_from(Turn))
        imported = db.session.scalars(select(Interview).order_by(Interview.id.desc())).first()
    if after == before:
        assert turns_after == turns_before
    else:
        assert after == before + 1 and turns_after - turns_before == len(document["interviews"][0]["turns"])
        for url in (f"/history/{imported.id}", f"/interviews/{imported.id}", f"/interviews/{imported.id}/debrief",
                    f"/history/{imported.id}/export.md", f"/history/{imported.id}/export.csv"):
            check(client.get(url))
        check(client.get("/history/"))
        check(client.get("/progress/"))
        check(client.get("/review/"))
        check(client.get("/history/anki.csv"))
        client.post(f"/history/{imported.id}/delete")
