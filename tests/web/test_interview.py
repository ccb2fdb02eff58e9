"""Starting an interview, the question draw, answering, deadlines, drafts and the chat pages."""

import itertools
import random
import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_in
from webapp.extensions import db
from webapp.models import Question, SimilarLink, Turn
from webapp.services import draw, interviews

from .interview_helpers import answer, chat, load, reference_of, start, start_on, user, well_graded_questions


@pytest.fixture
def alice(auth):
    auth.login()
    return auth


def test_the_home_page_invites_visitors_to_sign_in(client):
    page = client.get("/").get_data(as_text=True)
    assert "/auth/login" in page and "/auth/register" in page


def test_one_click_start_asks_five_questions_of_three_minutes_from_all_topics(client, app, alice):
    response = client.post("/interviews/new", data={"mode": "mock", "count": "5", "seconds": "180"})
    interview_id = int(response.location.split("/")[-1])
    with app.app_context():
        interview = load(interview_id)
        assert (interview.mode, len(interview.turns), interview.seconds_per_question) == ("mock", 5, 180)
        assert interview.topic_slugs == []


def test_the_start_form_lists_topics_with_question_counts(client, alice):
    page = client.get("/interviews/new").get_data(as_text=True)
    assert 'name="topics" value="attention"' in page
    assert 'class="count-badge"' in page


def test_a_mock_interview_without_a_time_limit_is_refused(client, alice):
    response = client.post("/interviews/new", data={"mode": "mock", "count": "5", "seconds": "0"})
    assert response.status_code == 400


def test_an_untimed_drill_has_no_deadline(client, app, alice):
    interview_id = start(client, mode="drill", seconds=0)
    chat(client, interview_id)
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert turn.asked_at is not None and turn.deadline is None


def test_chosen_topics_limit_the_draw(client, app, alice):
    interview_id = start(client, topics=["position-encoding"], count=5)
    with app.app_context():
        for turn in load(interview_id).turns:
            assert "position-encoding" in [topic.slug for topic in turn.question.topics]


def test_a_draw_never_repeats_a_question_nor_pairs_similar_ones(app, alice):
    with app.app_context():
        links = {frozenset(pair) for pair in db.session.execute(
            select(SimilarLink.question_a_id, SimilarLink.question_b_id))}
        assert links, "the seeds should link some paraphrases"
        for seed in range(8):
            interview = interviews.start_interview(user(), count=30, rng=random.Random(seed))
            ids = [turn.question_id for turn in interview.turns]
            assert len(ids) == len(set(ids)) == 30
            assert not any(frozenset(pair) in links for pair in itertools.combinations(ids, 2))


def test_questions_without_a_reference_are_asked_only_when_opted_in(app, alice):
    with app.app_context():
        unanswered = {q.id for q in db.session.scalars(select(Question)) if not q.has_answer}
        assert unanswered
        drawn = {turn.question_id for seed in range(5)
                 for turn in interviews.start_interview(user(), count=30, rng=random.Random(seed)).turns}
        assert not drawn & unanswered
        opted = {turn.question_id for seed in range(5) for turn in interviews.start_interview(
            user(), count=30, include_unanswered=True, rng=random.Random(seed)).turns}
        assert opted & unanswered


def test_a_question_without_a_reference_is_not_scored(app, alice, clock):
    with app.app_context():
        question = next(q for q in db.session.scalars(select(Question).order_by(Question.id)) if not q.has_answer)
        interview = interviews.start_interview(user(), mode="drill", seconds=None, question_ids=[question.id])
        turn = interviews.submit_answer(user(), interview.id, 1, "我会这样回答这个问题。", "key-unscored")
        assert (turn.gradable, turn.score) == (False, None)
        assert load(interview.id).score is None


def test_a_seeded_draw_is_repeatable(app, alice):
    with app.app_context():
        first = interviews.start_interview(user(), count=5, rng=random.Random(7))
        first_ids = [turn.question_id for turn in first.turns]
        db.session.delete(first)
        db.session.commit()
        second = interviews.start_interview(user(), count=5, rng=random.Random(7))
        assert [turn.question_id for turn in second.turns] == first_ids


def test_the_draw_prefers_questions_not_seen_before(client, app, alice):
    first = start(client, topics=["attention"], count=5)
    for number in range(1, 6):
        chat(client, first)
        client.post(f"/interviews/{first}/skip", data={"turn": number})
    second = start(client, topics=["attention"], count=5)
    with app.app_context():
        seen = {turn.question_id for turn in load(first).turns}
        assert not seen & {turn.question_id for turn in load(second).turns}


def test_asking_drill_questions_by_id_keeps_their_order(app, alice):
    with app.app_context():
        ids = list(db.session.scalars(select(Question.id).order_by(Question.id.desc()).limit(3)))
        interview = interviews.start_interview(user(), mode="review", seconds=None, question_ids=ids)
        assert [turn.question_id for turn in interview.turns] == ids


def test_a_question_is_asked_when_it_is_shown_and_its_deadline_set_by_the_server(client, app, alice, clock):
    interview_id = start(client, seconds=120)
    with app.app_context():
        assert load(interview_id).turns[0].asked_at is None
    clock.advance(seconds=30)
    page = chat(client, interview_id)
    assert page.count("question") == 1 and 'data-testid="countdown"' in page.html and ">2:00<" in page.html
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert turn.asked_at == clock()
        assert (turn.deadline - turn.asked_at).total_seconds() == 120


def test_the_countdown_shows_the_servers_remaining_time_and_warns(client, alice, clock):
    interview_id = start(client, seconds=60)
    chat(client, interview_id)
    clock.advance(seconds=35)
    assert 'data-state="warn"' in chat(client, interview_id).html
    clock.advance(seconds=20)
    page = chat(client, interview_id).html
    assert 'data-state="danger"' in page and ">0:05<" in page


def test_a_submitted_answer_is_graded_against_a_snapshot_with_the_grader_version(client, app, alice):
    interview_id = start_on(app)
    chat(client, interview_id)
    with app.app_context():
        question_id = load(interview_id).turns[0].question_id
        reference = reference_of(question_id)
    response = answer(client, interview_id, reference)
    assert response.status_code == 302
    with app.app_context():
        turn = load(interview_id).turns[0]
        points = db.session.get(Question, question_id).key_points
        assert turn.answer == reference and turn.answered_at is not None and not turn.late
        assert [p["id"] for p in turn.points_snapshot] == [p.uid for p in points]
        assert set(turn.points_snapshot[0]) == {"id", "text", "weight", "terms", "aliases", "ask"}
        assert turn.grader_version == turn.result["version"] and turn.score == turn.result["score"] > 50
        assert [p["id"] for p in turn.result["points"]] == [p.uid for p in points]


@pytest.mark.parametrize(("elapsed", "late", "timed_out"), [
    (59, False, False),  # a second before the deadline: answered
    (60, False, True),  # at zero: what the page sends is the answer, marked as time ran out
    (64, False, True),  # within the grace that covers the network
    (66, True, True),  # past the grace: recorded, but late
])
def test_the_servers_clock_alone_decides_late_and_time_ran_out(client, app, alice, clock, elapsed, late, timed_out):
    interview_id = start(client, seconds=60)
    page = chat(client, interview_id)
    clock.advance(seconds=elapsed)
    client.post(f"/interviews/{interview_id}/answer", data={"turn": page.turn, "key": page.key, "answer": "我的回答"})
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert (turn.late, turn.timed_out, turn.answer) == (late, timed_out, "我的回答")


def test_the_draft_the_page_sends_at_zero_is_marked_as_time_ran_out(client, app, alice, clock):
    interview_id = start(client, seconds=60)
    page = chat(client, interview_id)
    clock.advance(seconds=60)
    client.post(f"/interviews/{interview_id}/answer",
                data={"turn": page.turn, "key": page.key, "answer": "时间到的草稿"})
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert turn.timed_out and not turn.late and turn.answer == "时间到的草稿" and turn.score is not None
    assert 'data-testid="timed-out"' in client.get("/history/").get_data(as_text=True)
    assert "时间到" in client.get(f"/history/{interview_id}/export.md").get_data(as_text=True)


def test_the_countdown_rounds_the_seconds_left_up(client, app, alice, clock):
    interview_id = start(client, seconds=60)
    chat(client, interview_id)
    clock.advance(seconds=0.4)
    assert 'data-remaining="60"' in chat(client, interview_id).html


def test_an_expired_question_is_closed_from_its_last_draft_on_the_next_request(client, app, alice, clock):
    interview_id = start(client, seconds=60)
    page = chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/draft", data={"turn": page.turn, "answer": "草稿：注意力"})
    clock.advance(minutes=30)
    page = chat(client, interview_id)
    assert page.turn == 2
    with app.app_context():
        first, second = load(interview_id).turns[:2]
        assert first.answer == "草稿：注意力" and first.answered_at == first.deadline and not first.late
        assert first.submission_key is None and first.grader_version is not None
        assert second.asked_at == clock()


def test_expiry_of_the_last_question_finishes_the_interview(client, app, alice, clock):
    interview_id = start(client, count=1, seconds=60)
    chat(client, interview_id)
    clock.advance(minutes=5)
    page = client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert 'data-testid="total-score"' in page
    with app.app_context():
        assert load(interview_id).finished


def test_a_draft_is_saved_with_its_time(client, app, alice, clock):
    interview_id = start(client)
    page = chat(client, interview_id)
    response = client.post(f"/interviews/{interview_id}/draft", data={"turn": page.turn, "answer": "写了一半"},
                           headers={"Accept": "application/json"})
    assert response.get_json()["label"]
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert (turn.draft, turn.draft_saved_at) == ("写了一半", clock())
    assert "写了一半" in chat(client, interview_id).html


def test_a_draft_for_a_closed_question_does_not_change_its_answer(client, app, alice):
    interview_id = start(client)
    answer(client, interview_id, "正式回答")
    client.post(f"/interviews/{interview_id}/draft", data={"turn": 1, "answer": "晚到的草稿"})
    with app.app_context():
        assert load(interview_id).turns[0].answer == "正式回答"


def test_a_double_submit_records_one_answer(client, app, alice):
    interview_id = start(client)
    page = chat(client, interview_id)
    data = {"turn": page.turn, "key": page.key, "answer": "第一次提交"}
    assert client.post(f"/interviews/{interview_id}/answer", data=data).status_code == 302
    assert client.post(f"/interviews/{interview_id}/answer", data={**data, "answer": "又点了一次"}).status_code == 302
    with app.app_context():
        turns = load(interview_id).turns
        assert turns[0].answer == "第一次提交" and not turns[1].closed


def test_a_second_answer_to_a_closed_question_with_another_key_is_refused(client, app, alice):
    interview_id = start(client)
    answer(client, interview_id, "第一次", turn=1)
    response = client.post(f"/interviews/{interview_id}/answer",
                           data={"turn": 1, "key": "another-key-123", "answer": "第二次"})
    assert response.status_code == 409
    with app.app_context():
        assert load(interview_id).turns[0].answer == "第一次"


def test_an_over_long_answer_is_refused_with_the_limit_named_and_kept_as_draft(client, app, alice):
    app.config["MAX_ANSWER_CHARS"] = 100
    interview_id = start(client)
    text = "很长的回答" * 30
    response = answer(client, interview_id, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "100" in page and text in page
    with app.app_context():
        turn = load(interview_id).turns[0]
        assert turn.draft == text and not turn.closed


def test_an_answer_to_a_question_number_that_does_not_exist_is_refused(client, app, alice):
    interview_id = start(client)
    response = answer(client, interview_id, "回答", turn=99)
    assert response.status_code == 400
    with app.app_context():
        assert not any(turn.closed for turn in load(interview_id).turns)


def test_an_answer_to_a_question_not_asked_yet_is_refused(client, alice):
    interview_id = start(client)
    assert answer(client, interview_id, "回答", turn=2).status_code == 409


def test_an_empty_form_is_refused(client, alice):
    interview_id = start(client)
    chat(client, interview_id)
    for path in ("answer", "skip"):
        assert client.post(f"/interviews/{interview_id}/{path}", data={}).status_code == 400
    assert client.post(f"/interviews/{interview_id}/draft", data={}).status_code == 400
    assert client.post("/interviews/new", data={"count": "many"}).status_code == 400


def test_skipping_moves_on_and_a_repeated_skip_does_nothing(client, app, alice):
    interview_id = start(client)
    chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/skip", data={"turn": 1})
    client.post(f"/interviews/{interview_id}/skip", data={"turn": 1})
    assert chat(client, interview_id).turn == 2
    with app.app_context():
        turns = load(interview_id).turns
        assert turns[0].skipped and not turns[1].closed


def test_ending_early_drops_the_questions_never_shown_and_skips_the_one_shown(client, app, alice):
    interview_id = start_on(app, count=3)
    chat(client, interview_id)
    with app.app_context():
        reference = reference_of(load(interview_id).turns[0].question_id)
    answer(client, interview_id, reference)
    chat(client, interview_id)  # question 2 is shown, question 3 never is
    response = client.post(f"/interviews/{interview_id}/finish")
    assert response.location.endswith(f"/interviews/{interview_id}/debrief")
    with app.app_context():
        interview = load(interview_id)
        assert interview.finished and [t.number for t in interview.turns] == [1, 2]
        assert [t.skipped for t in interview.turns] == [False, True]
        assert interview.score == pytest.approx(interview.turns[0].score / 2, abs=0.1)
        assert interview.ended_early and interview.planned_questions == 3
        assert interviews.missed_question_ids(interview) == [interview.turns[1].question_id]
    debrief = client.get(f"/interviews/{interview_id}/debrief").get_data(as_text=True)
    assert 'data-testid="ended-early"' in debrief and debrief.count('data-testid="turn"') == 2


def test_an_interview_answered_to_the_end_did_not_end_early(client, app, alice):
    interview_id = start_on(app, count=1)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    with app.app_context():
        assert load(interview_id).finished and not load(interview_id).ended_early


def test_ending_the_interview_grades_the_answer_typed_for_the_open_question(client, app, alice):
    interview_id = start_on(app, count=3)
    page = chat(client, interview_id)
    with app.app_context():
        reference = reference_of(load(interview_id).turns[0].question_id)
    client.post(f"/interviews/{interview_id}/finish", data={"turn": 1, "answer": reference, "key": page.key})
    with app.app_context():
        turns = load(interview_id).turns
        assert len(turns) == 1 and turns[0].answer == reference and turns[0].score >= 80


def test_finishing_records_progress(client, app, alice):
    interview_id = start(client, count=1)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    with app.app_context():
        from webapp.models import DailyTopicScore
        assert db.session.scalars(select(DailyTopicScore)).first() is not None


def test_a_mock_interview_shows_no_feedback_until_the_end(client, app, alice):
    interview_id = start_on(app)
    with app.app_context():
        reference = reference_of(load(interview_id).turns[0].question_id)
    response = answer(client, interview_id, reference)
    assert response.location == f"/interviews/{interview_id}#current-question"
    page = chat(client, interview_id)
    assert page.count("point") == 0 and page.count("evidence") == 0 and page.turn == 2
    answer(client, interview_id, "不知道")
    debrief = client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert 'data-testid="total-score"' in debrief and 'data-testid="point"' in debrief


def test_a_drill_shows_feedback_right_after_each_answer(client, app, alice):
    interview_id = start_on(app, mode="drill", seconds=None)
    with app.app_context():
        reference = reference_of(load(interview_id).turns[0].question_id)
    response = answer(client, interview_id, reference)
    assert response.location == f"/interviews/{interview_id}?feedback=1#turn-1"
    page = client.get(response.location).get_data(as_text=True)
    assert 'data-testid="point"' in page and 'data-testid="evidence"' in page
    assert 'data-testid="question"' not in page and 'data-testid="next"' in page
    assert 'class="markdown"' in page
    with app.app_context():
        assert load(interview_id).turns[1].asked_at is None
    assert chat(client, interview_id).turn == 2


def test_the_home_page_offers_to_continue_an_unfinished_interview(client, alice):
    interview_id = start(client)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/interviews/{interview_id}"' in page and 'data-testid="continue"' in page
    client.post(f"/interviews/{interview_id}/finish")
    assert 'data-testid="continue"' not in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/interviews/new")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_turn_records_the_late_flag_from_the_servers_clock_only(app, alice, clock):
    with app.app_context():
        interview = interviews.start_interview(user(), count=1, seconds=60)
        interviews.show_interview(user(), interview.id)
        clock.advance(seconds=600)
        turn = interviews.submit_answer(user(), interview.id, 1, "回答", "client-says-on-time")
        assert turn.late
        assert db.session.scalar(select(Turn.late).where(Turn.id == turn.id))


def test_browser_line_breaks_are_stored_as_typed(client, app, alice):
    interview_id = start(client)
    answer(client, interview_id, "第一行\r\n第二行")
    with app.app_context():
        assert load(interview_id).turns[0].answer == "第一行\n第二行"


def test_the_draw_ranks_unseen_then_weak_then_stale_then_recent_and_solid(clock):
    at = clock()
    unseen = draw.Candidate(1, None, None)
    weak = draw.Candidate(2, at, 30.0)
    stale = draw.Candidate(3, at - draw.RECENTLY * 2, 90.0)
    solid = draw.Candidate(4, at, 90.0)
    ranked = sorted([solid, stale, weak, unseen], key=lambda candidate: candidate.tier(at))
    assert [candidate.id for candidate in ranked] == [1, 2, 3, 4]


def test_the_interviewer_opens_with_the_mode_the_number_of_questions_and_the_time(client, app, alice):
    interview_id = start(client, mode="mock", count=3, seconds=120)
    opening = re.search(r'data-testid="opening">([^<]*)<', chat(client, interview_id).html).group(1)
    assert "3" in opening and "2:00" in opening and "模拟面试" in opening


def test_a_mock_acknowledges_each_answer_without_judging_it(client, app, alice):
    interview_id = start(client, mode="mock", count=3)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    page = chat(client, interview_id)
    assert page.count("acknowledgement") == 1 and page.count("turn-score") == 0


def test_a_drill_gives_feedback_instead_of_an_acknowledgement(client, app, alice):
    interview_id = start(client, mode="drill", count=2)
    answer(client, interview_id, "注意力机制用查询和键计算权重")
    page = client.get(f"/interviews/{interview_id}?feedback=1").get_data(as_text=True)
    assert 'data-testid="acknowledgement"' not in page and 'data-testid="turn-score"' in page


def test_practise_this_question_starts_a_one_question_untimed_drill(client, app, alice):
    with app.app_context():
        [question_id] = well_graded_questions(1)
    page = client.get(f"/bank/questions/{question_id}").get_data(as_text=True)
    assert 'data-testid="reveal"' in page and 'data-testid="practise"' in page
    response = client.post(f"/interviews/practise/{question_id}", data={"csrf_token": csrf_token_in(page)})
    assert response.status_code == 302 and response.location.endswith("#current-question")
    interview_id = int(response.location.split("#")[0].rsplit("/", 1)[1])
    with app.app_context():
        interview = load(interview_id)
        assert interview.mode == "drill" and interview.seconds_per_question is None
        assert [turn.question_id for turn in interview.turns] == [question_id]


def test_a_visitor_reads_the_reference_without_a_reveal(client, app):
    with app.app_context():
        [question_id] = well_graded_questions(1)
    page = client.get(f"/bank/questions/{question_id}").get_data(as_text=True)
    assert 'data-testid="reveal"' not in page and 'data-testid="practise"' not in page and 'class="markdown"' in page


def test_a_drill_answer_lands_on_its_feedback_and_the_next_link_on_the_question(client, app, alice):
    interview_id = start_on(app, count=2, mode="drill", seconds=None)
    response = answer(client, interview_id, "注意力机制用查询和键计算权重")
    assert response.location.endswith("?feedback=1#turn-1")
    page = client.get(response.location.split("#")[0]).get_data(as_text=True)
    assert f'href="/interviews/{interview_id}#current-question"' in page
