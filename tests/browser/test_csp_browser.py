"""Under the strict Content-Security-Policy the pages still typeset math, draw charts and autosave: no violations."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from tests.web.history_builders import finished_interview, questions_with_topics
from webapp.extensions import db
from webapp.models import ReferenceAnswer, User

pytestmark = pytest.mark.browser


def test_pages_run_their_scripts_and_styles_without_a_csp_violation(signed_in: Page, live_server):
    page = signed_in
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    with live_server.app.app_context():
        alice = db.session.scalars(select(User).where(User.username == "alice")).one()
        q1, q2 = questions_with_topics(2)
        finished_interview(alice, [(q1, ["hit", "miss"], 40), (q2, ["hit", "hit"], 90)],
                           at=datetime(2026, 11, 20, 4, tzinfo=UTC))
        math_question = db.session.scalar(select(ReferenceAnswer.question_id)
                                          .where(ReferenceAnswer.markdown.contains("$")).limit(1))
    page.goto(f"/bank/questions/{math_question}")
    page.wait_for_selector(".katex", state="attached")  # the reference sits behind "show the answer"
    page.goto("/progress/")
    page.wait_for_function("() => document.querySelector('[data-testid=\"progress-chart\"]')?.width > 0")
    page.goto("/interviews/new")
    page.click('[data-testid="start"]')
    page.fill('[data-testid="answer"]', "自注意力")
    page.wait_for_selector('[data-testid="draft-status"]:not(:empty)')
    assert violations == []

