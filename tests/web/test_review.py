"""Today's review: what is due by the user's own day, weakest first, rescheduling and the drill itself."""

import re
from datetime import timedelta

import fsrs
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Interview, ReviewState, User

from .history_builders import finished_interview, questions_with_topics


def alice(app, auth):
    auth.login()
    with app.app_context():
        return db.session.scalars(select(User).where(User.username == "alice")).one().id


def test_review_lists_what_is_due_today_weakest_first(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        user = db.session.get(User, user_id)
        q1, q2, q3 = questions_with_topics(3)
        finished_interview(user, [(q1, ["hit", "hit"], 70), (q2, ["miss", "miss"], 20)],
                           at=clock() - timedelta(days=3))
        finished_interview(user, [(q3, ["hit", "hit"], 95)], at=clock())
        texts = [q.text[:30] for q in (q1, q2, q3)]
    page = client.get("/review/").get_data(as_text=True)
    due = page[page.index('data-testid="review-due-list"'):page.index('data-testid="review-upcoming"')]
    assert texts[1] in due and texts[0] in due and texts[2] not in due
    assert due.index(texts[1]) < due.index(texts[0])
    assert 'data-testid="start-review"' in page


def test_due_today_follows_the_users_timezone(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        user = db.session.get(User, user_id)
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 70)], at=clock() - timedelta(days=3))
        state = db.session.scalars(select(ReviewState)).one()
        state.due = clock() + timedelta(hours=10)  # 22:00 UTC: still today in London, tomorrow in Shanghai
        db.session.commit()
        text = q1.text[:30]
    assert 'data-testid="nothing-due"' in client.get("/review/").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, user_id).timezone = "Europe/London"
        db.session.commit()
    page = client.get("/review/").get_data(as_text=True)
    assert text in page[page.index('data-testid="review-due-list"'):]


def test_changing_the_rating_reschedules_the_question(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        [q1] = questions_with_topics(1)
        finished_interview(db.session.get(User, user_id), [(q1, ["hit", "hit"], 70)], at=clock())
        before = db.session.scalars(select(ReviewState)).one().due
        question_id = q1.id
    response = client.post(f"/review/{question_id}/rating", data={"rating": int(fsrs.Rating.Easy)})
    assert response.status_code == 302
    with app.app_context():
        state = db.session.scalars(select(ReviewState)).one()
        assert state.last_rating == fsrs.Rating.Easy and state.due > before


def test_another_users_review_state_cannot_be_rated(app, client, auth, clock):
    auth.login(username="bob")
    auth.logout()
    with app.app_context():
        bob = db.session.scalars(select(User).where(User.username == "bob")).one()
        [q1] = questions_with_topics(1)
        finished_interview(bob, [(q1, ["hit", "hit"], 70)], at=clock())
        before = db.session.scalars(select(ReviewState)).one().due
        question_id = q1.id
    alice(app, auth)
    assert client.post(f"/review/{question_id}/rating", data={"rating": 4}).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(ReviewState)).one().due == before


def test_starting_the_review_asks_the_due_questions_weakest_first(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        q1, q2 = questions_with_topics(2)
        finished_interview(db.session.get(User, user_id), [(q1, ["hit", "miss"], 55), (q2, ["miss", "miss"], 10)],
                           at=clock() - timedelta(days=4))
        expected = [q2.id, q1.id]
    response = client.post("/review/start")
    assert response.status_code == 302
    with app.app_context():
        review = db.session.scalars(select(Interview).where(Interview.mode == "review")).one()
        assert [turn.question_id for turn in review.turns] == expected
        assert f"/interviews/{review.id}" in response.headers["Location"]


def test_starting_a_review_with_nothing_due_says_so(app, client, auth):
    alice(app, auth)
    response = client.post("/review/start")
    assert response.status_code == 302 and response.headers["Location"].endswith("/review/")
    with app.app_context():
        assert db.session.scalars(select(Interview)).first() is None


def test_a_reviews_transcript_shows_whether_each_flagged_point_was_covered(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        user = db.session.get(User, user_id)
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["miss", "miss"], 10)], at=clock() - timedelta(days=2))
        review_id = finished_interview(user, [(q1, ["hit", "miss"], 50)], at=clock(), mode="review").id
    page = client.get(f"/history/{review_id}").get_data(as_text=True)
    assert page.count('data-testid="flagged-point"') == 2
    assert 'data-covered="yes"' in page and 'data-covered="no"' in page


def test_a_new_user_can_review_a_weak_answer_minutes_after_the_first_interview(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        weak, strong = questions_with_topics(2)
        finished_interview(db.session.get(User, user_id), [(weak, ["miss", "miss"], 30), (strong, ["hit", "hit"], 95)],
                           at=clock())
        due = {state.question_id: state.due for state in db.session.scalars(select(ReviewState))}
        assert due[weak.id] - clock() == timedelta(minutes=10) and due[strong.id] - clock() > timedelta(days=1)
        weak_text = weak.text[:30]
    assert 'data-testid="review-due">0<' in client.get("/review/").get_data(as_text=True)
    clock.advance(minutes=10)
    page = client.get("/review/").get_data(as_text=True)
    assert 'data-testid="review-due">1<' in page and weak_text in page and 'data-testid="start-review"' in page


def test_again_brings_a_well_answered_question_back_the_same_day(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        [q1] = questions_with_topics(1)
        finished_interview(db.session.get(User, user_id), [(q1, ["hit", "hit"], 90)], at=clock())
        question_id = q1.id
    client.post(f"/review/{question_id}/rating", data={"rating": int(fsrs.Rating.Again)})
    with app.app_context():
        assert db.session.scalars(select(ReviewState)).one().due - clock() == timedelta(minutes=10)


def test_the_due_time_is_written_whole_and_labelled(app, client, auth, clock):
    user_id = alice(app, auth)
    with app.app_context():
        [q1] = questions_with_topics(1)
        finished_interview(db.session.get(User, user_id), [(q1, ["miss", "miss"], 20)], at=clock())
    page = client.get("/review/").get_data(as_text=True)
    assert re.search(r'data-label="到期"><time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d</time>', page)
