"""What only a browser shows of the feedback and forms: a point's own evidence, the live counts, the focus ring."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_interview_browser import question_ids, start_on
from webapp.extensions import db
from webapp.models import Question

ANSWER = '[data-testid="answer"]'


def every_point_stated(live_server, question_id: int) -> str:
    with live_server.app.app_context():
        return "。".join(point.text for point in db.session.get(Question, question_id).key_points)


def finish_with_every_point(page: Page, live_server) -> int:
    """Answer a one-question mock stating each key point, so several points are covered by different words."""
    ids = question_ids(live_server, count=1)
    interview_id = start_on(live_server, ids)
    page.goto(f"/interviews/{interview_id}")
    page.fill(ANSWER, every_point_stated(live_server, ids[0]))
    page.click('[data-testid="submit"]')
    page.wait_for_selector('[data-testid="total-score"]')
    return interview_id


def marks_backing(page: Page) -> list[dict]:
    return page.eval_on_selector_all('#answer-1 mark[data-points]', """marks => marks.map(mark => ({
        points: mark.dataset.points.split(" "), selected: mark.classList.contains("selected"),
        background: getComputedStyle(mark).backgroundColor}))""")


def test_pressing_a_point_highlights_only_the_words_that_earned_it(signed_in: Page, live_server):
    page = signed_in
    finish_with_every_point(page, live_server)
    page.click("#turn-1 .turn-body > summary")  # every point covered: the question starts folded
    toggles = page.locator(".point-toggle")
    assert toggles.count() >= 2
    first, second = toggles.nth(0), toggles.nth(1)
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    uid = first.get_attribute("data-point")
    marks = marks_backing(page)
    assert any(mark["selected"] for mark in marks)
    assert all(mark["selected"] == (uid in mark["points"]) for mark in marks)
    assert any(not mark["selected"] for mark in marks), "another point's evidence should stay unmarked"
    assert all(mark["background"] == "rgba(0, 0, 0, 0)" for mark in marks if not mark["selected"])

    second.click()
    expect(first).to_have_attribute("aria-pressed", "false")
    other = second.get_attribute("data-point")
    assert all(mark["selected"] == (other in mark["points"]) for mark in marks_backing(page))
    second.click()
    assert not any(mark["selected"] for mark in marks_backing(page))


def test_the_answer_box_counts_characters_live_and_flags_an_answer_over_the_limit(signed_in: Page, live_server):
    live_server.app.config["MAX_ANSWER_CHARS"] = 20
    page = signed_in
    page.goto(f"/interviews/{start_on(live_server, question_ids(live_server, count=1))}")
    counter = page.get_by_test_id("char-count")
    expect(counter).to_have_text("0 / 20 字")
    page.fill(ANSWER, "多头注意力😀")
    expect(counter).to_have_text("6 / 20 字")
    page.fill(ANSWER, "注意力" * 7)
    expect(counter).to_contain_text("21 / 20 字")
    expect(counter).to_have_class(re.compile(r"\bover\b"))


def test_the_keyboard_focus_ring_is_thick_and_dark(signed_in: Page):
    page = signed_in
    page.goto("/bank/")
    page.keyboard.press("Tab")
    ring = page.evaluate("""() => { const style = getComputedStyle(document.activeElement);
        return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor}; }""")
    assert ring == {"style": "solid", "width": 3, "color": "rgb(29, 78, 216)"}


def test_the_start_form_counts_the_chosen_topics_questions_as_they_are_picked(signed_in: Page, live_server):
    from webapp.services import bank as bank_service

    with live_server.app.app_context():
        attention = next(entry for entry in bank_service.topic_counts() if entry.topic.slug == "attention")
    page = signed_in
    page.goto("/interviews/new")
    available = page.get_by_test_id("available")
    page.check('input[name="topics"][value="attention"]')
    expect(available).to_have_text(str(len(attention.answered_ids)))
    expect(page.get_by_test_id("unanswered")).to_contain_text(str(len(attention.unanswered_ids)))
    page.check('input[name="include_unanswered"]')
    expect(available).to_have_text(str(attention.questions))
    expect(page.get_by_test_id("unanswered")).to_be_hidden()
    page.fill('input[name="count"]', "30")
    expect(page.get_by_test_id("fewer")).to_be_visible()
    expect(page.get_by_test_id("fewer")).to_contain_text(str(attention.questions))
    page.fill('input[name="count"]', "3")
    expect(page.get_by_test_id("fewer")).to_be_hidden()
