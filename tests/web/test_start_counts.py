"""The start form says how many questions the chosen topics have, agrees with the bank, never asks fewer silently."""

import re

from webapp.services import bank as bank_service

from .interview_helpers import load


def topic_counts_on(page: str, slugs: list[str]) -> dict[str, int]:
    return {slug: int(re.search(rf'value="{slug}"[^>]*>.*?(\d+) 道题', page, re.S).group(1)) for slug in slugs}


def test_the_bank_and_the_start_form_give_each_topic_the_same_count(client, app, auth):
    auth.login()
    with app.app_context():
        counts = {entry.topic.slug: entry.questions for entry in bank_service.topic_counts() if entry.questions}
    bank = client.get("/bank/").get_data(as_text=True)
    form = client.get("/interviews/new").get_data(as_text=True)
    for slug, number in counts.items():
        card = bank.split(f'href="/bank/topics/{slug}"')[1].split("</a>")[0]
        assert f"{number} 道题" in card, slug
    assert topic_counts_on(form, list(counts)) == counts


def test_the_form_says_how_many_questions_the_chosen_topics_can_ask(client, app, auth):
    auth.login()
    with app.app_context():
        attention = next(entry for entry in bank_service.topic_counts() if entry.topic.slug == "attention")
    assert attention.unanswered_ids, "the seeds have an attention question without a reference"
    response = client.post("/interviews/new", data={"topics": "attention", "mode": "mock", "count": 0,
                                                   "seconds": 180})
    page = response.get_data(as_text=True)
    assert f'data-testid="available">{len(attention.answered_ids)}<' in page
    with_unanswered = client.post("/interviews/new", data={"topics": "attention", "mode": "mock", "count": 0,
                                                          "seconds": 180, "include_unanswered": "y"})
    assert f'data-testid="available">{attention.questions}<' in with_unanswered.get_data(as_text=True)


def test_asking_for_more_than_the_topics_have_says_how_many_the_interview_has(client, app, auth):
    auth.login()
    response = client.post("/interviews/new", data={"topics": "tokenization", "mode": "mock", "count": 30,
                                                   "seconds": 180})
    interview_id = int(response.location.split("/")[-1])
    with app.app_context():
        asked = len(load(interview_id).turns)
    assert asked < 30
    page = client.get(response.location).get_data(as_text=True)
    assert f"你要了 30 道题；这些主题只有 {asked} 道可问，本次面试共 {asked} 道。" in page


def test_a_start_that_gets_every_question_it_asked_for_says_nothing_more(client, auth):
    auth.login()
    response = client.post("/interviews/new", data={"mode": "mock", "count": 3, "seconds": 180})
    assert "你要了" not in client.get(response.location).get_data(as_text=True)
