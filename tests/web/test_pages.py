"""Every page: one first-level heading, unique ids whose labels find their fields, a favicon, one rule a selector."""

import re
from collections import Counter

import pytest

from webapp.services import interviews

from ..conftest import REPO
from .interview_helpers import answer, start_on, user

STYLESHEET = REPO / "webapp" / "static" / "css" / "app.css"


@pytest.fixture
def pages(client, app, auth) -> dict[str, str]:
    """Every kind of page alice can reach, after one finished mock and with one drill open."""
    auth.login()
    mock = start_on(app, count=1)
    answer(client, mock, "注意力是加权求和")
    with app.app_context():
        drill = interviews.start_interview(user(), mode="drill", count=1, seconds=None).id
    urls = ["/", "/bank/", "/bank/search?q=attention", "/bank/search?q=nothing-like-this", "/bank/questions/1",
            "/interviews/new", f"/interviews/{drill}", f"/interviews/{mock}/debrief", "/history/",
            f"/history/{mock}", "/progress/", "/review/", "/auth/settings"]
    app.config["WTF_CSRF_ENABLED"] = True  # so every form renders its token field, as in production
    found = {url: client.get(url).get_data(as_text=True) for url in urls}
    app.config["WTF_CSRF_ENABLED"] = False
    auth.logout()
    found |= {url: client.get(url).get_data(as_text=True) for url in ("/auth/login", "/auth/register")}
    return found


def test_every_page_has_exactly_one_first_level_heading(pages):
    assert {url: html.count("<h1") for url, html in pages.items()} == dict.fromkeys(pages, 1)


def test_ids_are_unique_and_every_label_names_a_field_on_its_page(pages):
    for url, html in pages.items():
        ids = Counter(re.findall(r'\sid="([^"]+)"', html))
        assert [name for name, count in ids.items() if count > 1] == [], url
        assert set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html)) <= set(ids), url


def test_every_page_links_a_favicon_that_is_served(client, pages):
    for url, html in pages.items():
        assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in html, url
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_the_answer_box_counts_its_characters_against_the_limit(client, app, auth):
    auth.login()
    interview_id = start_on(app, count=1)
    client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "注意力是加权求和"})
    html = client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    limit = app.config["MAX_ANSWER_CHARS"]
    assert f'data-testid="char-count" data-limit="{limit}"' in html
    assert f"8 / {limit}" in html
    assert 'aria-describedby="char-count"' in html


def top_level_rules(css: str) -> list[str]:
    """The selector text of every rule outside @media blocks, whitespace folded."""
    outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", css)
    without_comments = re.sub(r"/\*.*?\*/", "", outside_media, flags=re.S)
    return [" ".join(rule.split()) for rule in re.findall(r"([^{}]+)\{[^{}]*\}", without_comments)
            if not rule.strip().startswith("@")]


def test_the_stylesheet_has_one_rule_per_selector_outside_media_queries():
    counts = Counter(top_level_rules(STYLESHEET.read_text(encoding="utf-8")))
    assert counts[".small"] == counts[".visually-hidden"] == counts[".point-hit"] == 1
    assert [selector for selector, count in counts.items() if count > 1] == []
