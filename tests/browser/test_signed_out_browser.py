"""A lost sign-in loses no answer: the autosave says so, and after signing in the chat has the text back."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD
from .test_interview_browser import ANSWER, SUBMIT, start_from_form, stored

pytestmark = pytest.mark.browser


def test_an_answer_typed_after_signing_out_elsewhere_survives_the_sign_in(signed_in, live_server):
    page = signed_in
    page.clock.install()
    interview_id = start_from_form(page, count=2, seconds="180")
    other_tab = page.context.new_page()
    other_tab.goto("/")
    other_tab.locator('form[action$="/auth/logout"] [type="submit"]').click()
    other_tab.close()

    page.fill(ANSWER, "签出之后才写完的回答：KV cache 缓存键和值")
    page.clock.fast_forward(6_000)
    status = page.locator('[data-testid="draft-status"]')
    expect(status).to_have_text(status.get_attribute("data-signed-out"))

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
