"""record_finished keeps the per-user rollups and the review schedule in step with finished interviews."""

from datetime import UTC, date, datetime, timedelta

import fsrs
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import DailyTopicScore, Interview, KeyPointStat, MonthlyTopicScore, PointOverride, ReviewState
from webapp.services import interviews, review, rollups, schedule

from .history_builders import finished_interview, make_user, questions_with_topics

EVENING_UTC = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # already the 25th in Shanghai


def daily(user_id: int, slug: str = "") -> list[DailyTopicScore]:
    return list(db.session.scalars(select(DailyTopicScore).where(
        DailyTopicScore.user_id == user_id, DailyTopicScore.topic_slug == slug)))


def state_of(user_id: int, question_id: int) -> ReviewState:
    return db.session.scalars(select(ReviewState).where(
        ReviewState.user_id == user_id, ReviewState.question_id == question_id)).one()


def test_daily_scores_are_summed_per_day_in_the_users_timezone(app):
    with app.app_context():
        user = make_user(timezone="Asia/Shanghai")
        q1, q2 = questions_with_topics(2)
        finished_interview(user, [(q1, ["hit", "hit"], 80), (q2, ["hit", "miss"], 50)], at=EVENING_UTC)
        [overall] = daily(user.id)
        assert overall.day == date(2026, 11, 25)
        assert (overall.answers, overall.score_sum) == (2, 130)
        [topic_row] = daily(user.id, q1.topics[0].slug)
        assert topic_row.answers >= 1


def test_a_user_in_another_timezone_gets_the_utc_day(app):
    with app.app_context():
        user = make_user(timezone="Europe/London")
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 90)], at=EVENING_UTC)
        assert [row.day for row in daily(user.id)] == [date(2026, 11, 24)]


def test_a_second_interview_on_the_same_day_adds_to_the_same_row(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 90)], at=EVENING_UTC)
        finished_interview(user, [(q1, ["miss", "miss"], 10)], at=EVENING_UTC + timedelta(hours=1))
        [overall] = daily(user.id)
        assert (overall.answers, overall.score_sum) == (2, 100)


def test_a_skipped_question_counts_as_zero_with_every_point_missed(app):
    with app.app_context():
        user = make_user()
        q1, q2 = questions_with_topics(2)
        finished_interview(user, [(q1, ["hit", "hit"], 70), (q2, ["hit", "hit"], 0)], at=EVENING_UTC, skipped=(2,))
        [overall] = daily(user.id)
        assert (overall.answers, overall.score_sum) == (2, 70)
        stats = db.session.scalars(select(KeyPointStat).where(KeyPointStat.question_id == q2.id)).all()
        assert [(s.seen, s.missed) for s in stats] == [(1, 1), (1, 1)]


def test_missed_points_are_counted_but_overridden_ones_are_not(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        interview = finished_interview(user, [(q1, ["miss", "miss"], 10)], at=EVENING_UTC, record=False)
        turn = interview.turns[0]
        turn.overrides.append(PointOverride(point_uid=q1.key_points[1].uid, created_at=EVENING_UTC))
        rollups.record_finished(interview)
        db.session.commit()
        stats = {s.point_uid: (s.seen, s.missed) for s in db.session.scalars(select(KeyPointStat))}
        assert stats == {q1.key_points[0].uid: (1, 1), q1.key_points[1].uid: (1, 0)}


def test_a_contradicted_point_counts_as_missed_and_is_flagged_for_review(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "contradicted"], 40)], at=EVENING_UTC)
        contradicted_uid = q1.key_points[1].uid
        stat = db.session.get(KeyPointStat, (user.id, q1.id, contradicted_uid))
        assert (stat.seen, stat.missed) == (1, 1)
        assert state_of(user.id, q1.id).flagged_point_uids == [contradicted_uid]


@pytest.mark.parametrize(("score", "missed_any", "rating"), [
    (10, True, fsrs.Rating.Again), (39.9, False, fsrs.Rating.Again), (50, False, fsrs.Rating.Again),
    (60, True, fsrs.Rating.Hard),
    (70, False, fsrs.Rating.Good), (95, True, fsrs.Rating.Hard), (90, False, fsrs.Rating.Easy),
])
def test_the_rating_follows_the_score_and_a_missed_point_caps_it(score, missed_any, rating):
    assert schedule.rating_for(score, missed_any) == rating


def test_a_question_with_a_missed_point_comes_back_sooner_with_that_point_flagged(app):
    with app.app_context():
        user = make_user()
        q1, q2 = questions_with_topics(2)
        finished_interview(user, [(q1, ["hit", "hit"], 90), (q2, ["hit", "miss"], 90)], at=EVENING_UTC)
        clean, missed = state_of(user.id, q1.id), state_of(user.id, q2.id)
        assert missed.due < clean.due
        assert clean.flagged_point_uids == []
        assert missed.flagged_point_uids == [q2.key_points[1].uid]
        assert fsrs.Card.from_dict(missed.card["card"]).due == missed.due


def test_the_next_answer_remembers_which_points_were_flagged(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "miss"], 50)], at=EVENING_UTC)
        review = finished_interview(user, [(q1, ["hit", "hit"], 95)], at=EVENING_UTC + timedelta(days=2),
                                    mode="review")
        assert review.turns[0].flagged_point_uids == [q1.key_points[1].uid]
        assert state_of(user.id, q1.id).flagged_point_uids == []


def test_changing_the_rating_reschedules_from_the_same_review(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 70)], at=EVENING_UTC)
        state = state_of(user.id, q1.id)
        good_due = state.due
        schedule.change_rating(state, fsrs.Rating.Easy)
        assert state.due > good_due and state.last_rating == fsrs.Rating.Easy
        schedule.change_rating(state, fsrs.Rating.Good)
        assert state.due == good_due


def test_forgetting_an_interview_takes_it_out_of_the_rollups(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 90)], at=EVENING_UTC)
        second = finished_interview(user, [(q1, ["miss", "hit"], 40)], at=EVENING_UTC + timedelta(minutes=30))
        rollups.forget_interview(second)
        db.session.commit()
        [overall] = daily(user.id)
        assert (overall.answers, overall.score_sum) == (1, 90)
        assert {s.missed for s in db.session.scalars(select(KeyPointStat))} == {0}


def test_rebuild_gives_the_same_rollups_as_recording_one_by_one(app):
    with app.app_context():
        user = make_user()
        q1, q2 = questions_with_topics(2)
        finished_interview(user, [(q1, ["hit", "miss"], 55), (q2, ["hit", "hit"], 88)], at=EVENING_UTC)
        finished_interview(user, [(q1, ["hit", "hit"], 92)], at=EVENING_UTC + timedelta(days=3))

        def snapshot():
            return (
                sorted((r.day, r.topic_slug, r.answers, r.score_sum)
                       for r in db.session.scalars(select(DailyTopicScore))),
                sorted((r.month, r.topic_slug, r.answers, r.score_sum)
                       for r in db.session.scalars(select(MonthlyTopicScore))),
                sorted((s.point_uid, s.seen, s.missed) for s in db.session.scalars(select(KeyPointStat))),
                sorted((s.question_id, s.due, s.last_rating) for s in db.session.scalars(select(ReviewState))),
            )

        before = snapshot()
        rollups.rebuild(user)
        db.session.commit()
        assert snapshot() == before
        assert db.session.scalars(select(Interview)).all()


def monthly(user_id: int, slug: str = "") -> list[tuple[date, int, float]]:
    return [(r.month, r.answers, r.score_sum) for r in db.session.scalars(
        select(MonthlyTopicScore).where(MonthlyTopicScore.user_id == user_id, MonthlyTopicScore.topic_slug == slug)
        .order_by(MonthlyTopicScore.month))]


def test_the_monthly_rollup_sums_the_days_of_each_month_and_forgets_deleted_interviews(app):
    with app.app_context():
        user = make_user(timezone="Europe/London")
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 90)], at=datetime(2026, 10, 3, 9, tzinfo=UTC))
        finished_interview(user, [(q1, ["hit", "miss"], 60)], at=datetime(2026, 10, 28, 9, tzinfo=UTC))
        last = finished_interview(user, [(q1, ["miss", "miss"], 20)], at=datetime(2026, 11, 2, 9, tzinfo=UTC))
        assert monthly(user.id) == [(date(2026, 10, 1), 2, 150), (date(2026, 11, 1), 1, 20)]
        rollups.forget_interview(last)
        db.session.commit()
        assert monthly(user.id) == [(date(2026, 10, 1), 2, 150)]


@pytest.mark.parametrize("status", ["miss", "contradicted"])
def test_covering_a_missed_point_after_the_end_stops_counting_it_as_missed(app, status):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        interview = finished_interview(user, [(q1, ["hit", status], 50)], at=EVENING_UTC)
        missed_uid = q1.key_points[1].uid
        assert state_of(user.id, q1.id).flagged_point_uids == [missed_uid]
        interviews.override_point(user, interview.id, 1, missed_uid)
        interviews.override_point(user, interview.id, 1, missed_uid)
        stat = db.session.get(KeyPointStat, (user.id, q1.id, missed_uid))
        assert (stat.seen, stat.missed) == (1, 0)
        assert state_of(user.id, q1.id).flagged_point_uids == []
        rollups.forget_interview(interview)
        db.session.commit()
        assert db.session.get(KeyPointStat, (user.id, q1.id, missed_uid)) is None


def test_a_rating_changed_by_hand_survives_a_rebuild(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 70)], at=EVENING_UTC)
        review.set_rating(user, q1.id, fsrs.Rating.Again)
        chosen_due = state_of(user.id, q1.id).due
        rollups.rebuild(user)
        db.session.commit()
        state = state_of(user.id, q1.id)
        assert (state.last_rating, state.due) == (fsrs.Rating.Again, chosen_due)


def test_a_later_answer_replaces_a_rating_changed_by_hand_on_rebuild(app):
    with app.app_context():
        user = make_user()
        [q1] = questions_with_topics(1)
        finished_interview(user, [(q1, ["hit", "hit"], 70)], at=EVENING_UTC)
        review.set_rating(user, q1.id, fsrs.Rating.Again)
        finished_interview(user, [(q1, ["hit", "hit"], 95)], at=EVENING_UTC + timedelta(days=1), record=False)
        rollups.rebuild(user)
        db.session.commit()
        assert state_of(user.id, q1.id).last_rating == fsrs.Rating.Easy
