"""Follow-ups and second attempts in a real browser: asked, timed, graded, credit given back; try again in a drill."""

import re

import pytest
from playwright.sync_api import expect

from tests.web.follow_up_helpers import follow_up_cases
from webapp.extensions import db
from webapp.models import Interview

from .test_interview_browser import ANSWER, COUNTDOWN, SUBMIT, reference, start_on

pytestmark = pytest.mark.browser
FOLLOW_UP = '[data-testid="follow-up"]'


def first_question(live_server, interview_id: int) -> tuple[float, float, str]:
    """The stored automatic score, effective score and answer of the interview's first question."""
    with live_server.app.app_context():
        question = db.session.get(Interview, interview_id).turns[0]
        return question.score, question.effective_score, question.answer


def test_a_follow_up_is_asked_with_its_own_countdown_graded_and_its_credit_given_back(signed_in, live_server):
    page = signed_in
    with live_server.app.app_context():
        case = follow_up_cases(1)[0]
    interview_id = start_on(live_server, [case.question_id], mode="mock", seconds=180, follow_ups=1)
    page.goto(f"/interviews/{interview_id}")
    page.fill(ANSWER, case.answer)
    page.click(SUBMIT)

    bubble = page.locator(f"{FOLLOW_UP}#current-question")
    expect(bubble).to_contain_text(case.point.ask)
    expect(page.locator(COUNTDOWN)).to_have_text(re.compile(r"^1:[0-3]\d$"))  # half of 3:00
    expect(page.locator(ANSWER)).to_be_focused()
    page.fill(ANSWER, case.point.text)
    page.click(SUBMIT)

    expect(page.locator('[data-testid="total-score"]')).to_be_visible()
    expect(page.locator('[data-testid="recovery-rule"]')).to_have_text("追问答到，补回该要点一半分数。")
    expect(page.locator(f'[data-testid="turn"] {FOLLOW_UP}')).to_contain_text(case.point.ask)
    expect(page.locator('[data-testid="follow-up-verdict"]')).to_have_attribute("data-status", "hit")
    expect(page.locator('[data-testid="point"] [data-testid="recovered"]')).to_be_visible()
    automatic, effective, _answer = first_question(live_server, interview_id)
    assert effective > automatic
    expect(page.locator('[data-testid="turn"]')).to_have_attribute("data-score", str(round(effective)))


def test_try_again_in_a_drill_grades_a_second_attempt_and_keeps_the_better_score(signed_in, live_server):
    page = signed_in
    with live_server.app.app_context():
        case = follow_up_cases(1)[0]
    interview_id = start_on(live_server, [case.question_id], mode="drill", seconds=None, follow_ups=0)
    page.goto(f"/interviews/{interview_id}")
    page.fill(ANSWER, "不知道")
    page.click(SUBMIT)
    expect(page.locator('[data-testid="turn"]')).to_have_attribute("data-score", "0")

    page.locator('[data-testid="try-again"] summary').click()
    page.fill('[data-testid="retry-answer"]', reference(live_server, case.question_id))
    page.click('[data-testid="retry-submit"]')

    attempt = page.locator('[data-testid="second-attempt"]')
    expect(attempt).to_be_visible()
    automatic, effective, first_answer = first_question(live_server, interview_id)
    best = round(effective)
    assert best > 0 and automatic == 0 and first_answer == "不知道"
    expect(attempt).to_have_attribute("data-score", str(best))
    expect(page.locator('[data-testid="turn"]')).to_have_attribute("data-score", str(best))
    expect(page.locator('[data-testid="total-score"]')).to_have_text(str(best))
    expect(page.locator('[data-testid="try-again"]')).to_have_count(0)
