"""The progress page: chart data, the same numbers as a table, weakest topics and key points."""

import json
import re
from datetime import timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User

from .history_builders import finished_interview, questions_with_topics


def chart_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="score-data">(.*?)</script>', page, re.S)[1])


def test_progress_without_answers_invites_a_first_interview(client, auth):
    auth.login()
    page = client.get("/progress/").get_data(as_text=True)
    assert 'data-testid="progress-chart"' not in page and "/progress/" in page


def test_progress_charts_daily_means_overall_and_per_topic_with_a_matching_table(app, client, auth, clock):
    auth.login()
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        q1, q2 = questions_with_topics(2)
        finished_interview(user, [(q1, ["hit", "hit"], 90), (q2, ["miss", "miss"], 30)], at=clock() - timedelta(days=2))
        finished_interview(user, [(q1, ["hit", "miss"], 70)], at=clock())
        slug = q1.topics[0].slug
    page = client.get("/progress/").get_data(as_text=True)
    data = chart_data(page)
    lines = dict(data["lines"])
    assert data["labels"] == ["2026-11-22", "2026-11-24"]
    assert lines[""] == [60.0, 70.0]
    assert lines[slug][1] == 70.0
    table = page[page.index('data-testid="progress-table"'):]
    assert "60 <span" in table and "70 <span" in table
    assert 'data-testid="progress-chart"' in page and "chart.umd.min.js" in page


def test_progress_lists_weakest_topics_and_most_missed_key_points(app, client, auth, clock):
    auth.login()
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "miss"], 40), (q1, ["hit", "miss"], 50)], at=clock())
        missed_point = q1.key_points[1].text
    page = client.get("/progress/").get_data(as_text=True)
    points = page[page.index('data-testid="weakest-points"'):]
    assert missed_point in points and "2/2" in points
    assert 'data-testid="weakest-topics"' in page and "45" in page


def test_progress_shows_only_the_signed_in_users_numbers(app, client, auth, clock):
    auth.login(username="bob")
    auth.logout()
    auth.login()
    with app.app_context():
        bob = db.session.scalars(select(User).where(User.username == "bob")).one()
        [q1] = questions_with_topics(1)
        finished_interview(bob, [(q1, ["hit", "hit"], 90)], at=clock())
    assert 'data-testid="progress-chart"' not in client.get("/progress/").get_data(as_text=True)
