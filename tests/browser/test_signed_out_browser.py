"""A lost sign-in loses no answer: the autosave says so, and after signing in the chat has the text back."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD
from .test_interview_browser import ANSWER, SUBMIT, start_from_form, stored

pytestmark = pytest.mark.browser


def sign_out_elsewhere(page: Page) -> None:
    """Sign out through the cookies this tab shares, as the sign-out button of another tab does."""
    # Not with a second tab: closing one while its sign-out redirect committed hung chromium in about 1 run of 20.
    home = page.context.request.get("/").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    assert page.context.request.post("/auth/logout", form={"csrf_token": token}).ok


def test_an_answer_typed_after_signing_out_elsewhere_survives_the_sign_in(signed_in, live_server):
    page = signed_in
    interview_id = start_from_form(page, count=2, seconds="180")
    sign_out_elsewhere(page)

    page.fill(ANSWER, "签出之后才写完的回答：KV cache 缓存键和值")
    status = page.locator('[data-testid="draft-status"]')
    expect(status).to_have_text(status.get_attribute("data-signed-out"), timeout=15_000)  # the 5 s autosave

    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/auth/login\?next="))
    page.fill('input[name="username"]', "alice")
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.wait_for_url(re.compile(rf"/interviews/{interview_id}(#[\w-]+)?$"))
    expect(page.locator(ANSWER)).to_have_value("签出之后才写完的回答：KV cache 缓存键和值")

    page.click(SUBMIT)
    page.wait_for_url(re.compile(rf"/interviews/{interview_id}(#[\w-]+)?$"))
    assert stored(live_server, interview_id).turns[0].answer == "签出之后才写完的回答：KV cache 缓存键和值"
