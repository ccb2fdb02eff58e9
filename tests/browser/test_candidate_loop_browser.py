"""The candidate's loop in a real browser: ending early, time running out, one score everywhere, follow-ups."""

import fsrs
import pytest
from playwright.sync_api import expect

from .test_interview_browser import (
    ANSWER,
    QUESTION,
    SUBMIT,
    question_ids,
    reference,
    start_from_form,
    start_on,
    stored,
)

pytestmark = pytest.mark.browser


def test_ending_after_one_of_ten_questions_debriefs_only_what_was_shown(signed_in, live_server):
    page = signed_in
    interview_id = start_from_form(page, count=10, seconds="180")
    page.fill(ANSWER, "自注意力用查询和键的点积得到权重，再对值加权求和。")
    page.click(SUBMIT)
    expect(page.locator(QUESTION)).to_have_attribute("data-number", "2")
    page.click('[data-testid="finish"]')

    expect(page.locator('[data-testid="total-score"]')).to_be_visible()
    expect(page.locator('[data-testid="turn"]')).to_have_count(2)
    expect(page.locator('[data-testid="ended-early"]')).to_contain_text("10")
    interview = stored(live_server, interview_id)
    assert len(interview.turns) == 2 and interview.planned_questions == 10


def test_a_card_rated_again_is_due_again_the_same_day(signed_in, live_server):
    page = signed_in
    [question] = question_ids(live_server, count=1)
    interview_id = start_on(live_server, [question], mode="drill", seconds=None)
    page.goto(f"/interviews/{interview_id}")
    page.fill(ANSWER, reference(live_server, question))
    page.click(SUBMIT)
    expect(page.locator('[data-testid="total-score"]')).to_be_visible()

    page.goto("/review/")
    item = page.locator('[data-testid="review-item"]')
    expect(item).to_have_count(1)
    item.locator('select[name="rating"]').select_option(str(int(fsrs.Rating.Again)))
    item.locator('button[type="submit"]').click()
    expect(page.locator('[data-testid="review-due-list"] [data-testid="review-item"]')).to_have_count(1)
    expect(page.locator('[data-testid="review-due"]')).to_have_text("0")

    live_server.advance(10 * 60)
    page.reload()
    expect(page.locator('[data-testid="review-due"]')).to_have_text("1")


def in_view(page, selector: str) -> bool:
    """Tell whether the element's top edge is inside the viewport."""
    box = page.locator(selector).bounding_box()
    return box is not None and -1 <= box["y"] < page.viewport_size["height"]


def test_a_drill_on_a_phone_shows_the_graded_answer_then_the_next_question_with_the_box_focused(signed_in, live_server):
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    ids = question_ids(live_server, count=3)
    interview_id = start_on(live_server, ids, mode="drill", seconds=None)
    page.goto(f"/interviews/{interview_id}")
    expect(page.locator(ANSWER)).to_be_focused()
    for number in (1, 2):
        page.fill(ANSWER, reference(live_server, ids[number - 1]))
        page.click(SUBMIT)
        expect(page.locator('[data-testid="turn-score"]').nth(number - 1)).to_be_visible()
        page.wait_for_function(f"Math.abs(document.getElementById('turn-{number}').getBoundingClientRect().top) < 2")
        assert page.evaluate("window.scrollY") > 0  # scrolled down to the answer just graded
        page.click('[data-testid="next"]')
        expect(page.locator(QUESTION)).to_have_attribute("data-number", str(number + 1))
        expect(page.locator(ANSWER)).to_be_focused()
        assert in_view(page, QUESTION) and in_view(page, ANSWER)
    assert stored(live_server, interview_id).turns[1].score is not None
