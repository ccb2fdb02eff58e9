"""The debrief of curated questions in a real browser: a few weighed rows, typeset math, the erratum note."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Question, User
from webapp.services import interviews

pytestmark = pytest.mark.browser


def curated_question_ids(live_server) -> tuple[int, int]:
    """Return a question whose reference carries an erratum and one with math in a key point."""
    with live_server.app.app_context():
        questions = list(db.session.scalars(select(Question).order_by(Question.id)))
        erratum = next(q.id for q in questions if q.erratum and "HBM" in q.erratum)
        math = next(q.id for q in questions if not q.erratum and any("$" in p.text for p in q.key_points))
    return erratum, math


def test_a_debrief_of_curated_questions_shows_weighed_rows_math_and_the_erratum(signed_in, live_server):
    page = signed_in
    erratum_id, math_id = curated_question_ids(live_server)
    with live_server.app.app_context():
        alice = db.session.scalars(select(User).where(User.username == "alice")).one()
        interview_id = interviews.start_interview(alice, question_ids=[erratum_id, math_id], follow_ups=0).id
    page.goto(f"/interviews/{interview_id}")
    for answer in ("KV cache 缓存历史 token 的 K 和 V，解码时不用重复计算，存在显存里。", "不太清楚。"):
        page.fill('[data-testid="answer"]', answer)
        page.click('[data-testid="submit"]')
    expect(page.locator('[data-testid="total-score"]')).to_be_visible()
    turns = page.locator('[data-testid="turn"]')
    expect(turns).to_have_count(2)
    for index in range(2):
        assert 3 <= turns.nth(index).locator('[data-testid="point"]').count() <= 6
    expect(turns.nth(1).locator(".point-text .katex").first).to_be_visible()
    note = turns.nth(0).locator('[data-testid="erratum"]')
    expect(note).to_be_visible()
    expect(note).to_contain_text("参考答案此处有误：")
    expect(turns.nth(1).locator('[data-testid="erratum"]')).to_have_count(0)
