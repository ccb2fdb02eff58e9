"""Follow-up questions: asked on a missed `must` point with an `ask`, timed, graded on that point, credit given back."""

import io
import json

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from webapp.errors import AlreadyAnswered
from webapp.extensions import db
from webapp.models import FOLLOW_UP_RECOVERY, DailyTopicScore, ReviewState, TurnKind, TurnState
from webapp.rendering import score_text
from webapp.services import interviews
from webapp.services.rollups import local_day

from .follow_up_helpers import follow_up_cases
from .interview_helpers import answer, chat, load, reference_of, user, well_graded_questions


@pytest.fixture
def case(app):
    with app.app_context():
        return follow_up_cases(1)[0]


@pytest.fixture
def alice(auth):
    auth.login()
    return auth


def start_case(app, case, *, others: int = 1, **options) -> int:
    """Start alice's interview on the case's question, then `others` well-graded ones."""
    options = {"mode": "mock", "seconds": 180, **options}
    with app.app_context():
        extra = [q for q in well_graded_questions(others + 1) if q != case.question_id][:others]
        return interviews.start_interview(user(), question_ids=[case.question_id, *extra], **options).id


def answer_the_rest_in_full(client, app, interview_id: int) -> None:
    """Answer every question left with its own reference, which covers its points: no more follow-ups."""
    while True:
        with app.app_context():
            turn = interviews.current_turn(load(interview_id))
            if turn is None:
                return
            text = reference_of(turn.question_id)
        answer(client, interview_id, text)


def share_of(case, point_uid: str) -> float:
    """The part of the question's score one point's full credit is worth."""
    weights = {p.id: p.weight_value for p in case.points}
    return 100 * weights[point_uid] / sum(weights.values())


def test_an_answer_missing_an_asked_point_gets_its_follow_up_before_the_next_question(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    page = chat(client, interview_id)
    assert page.count("follow-up") == 1 and page.count("question") == 0
    assert case.point.ask in page.html and "追问" in page.html
    assert 'data-testid="countdown"' in page.html and ">1:30<" in page.html  # half of 3:00
    with app.app_context():
        interview = load(interview_id)
        follow_up = interviews.current_turn(interview)
        assert follow_up.kind == TurnKind.FOLLOW_UP and follow_up.parent.number == 1
        assert follow_up.point_uid == case.point.id and [p["id"] for p in follow_up.points_snapshot] == [case.point.id]
        assert (follow_up.deadline - follow_up.asked_at).total_seconds() == 90


def test_a_follow_up_gets_half_the_time_but_never_under_thirty_seconds(app, case):
    with app.app_context():
        interview, follow_up = interviews.Interview(seconds_per_question=60), interviews.Turn(kind=TurnKind.FOLLOW_UP)
        assert interviews.turn_seconds(interview, follow_up) == 30
        interview.seconds_per_question = 600
        assert interviews.turn_seconds(interview, follow_up) == 300
        interview.seconds_per_question = None
        assert interviews.turn_seconds(interview, follow_up) is None


def test_the_follow_up_is_graded_on_its_point_alone_and_gives_back_half_its_credit(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    answer(client, interview_id, case.point.text)
    with app.app_context():
        interview = load(interview_id)
        question, follow_up = interview.turns[0], interview.turns[-1]
        assert [p["id"] for p in follow_up.result["points"]] == [case.point.id]
        assert follow_up.result["points"][0]["status"] == "hit"
        expected = round(question.score + FOLLOW_UP_RECOVERY * share_of(case, case.point.id), 1)
        assert question.effective_score == expected > question.score
        assert question.attempt_score == expected
    page = chat(client, interview_id)
    assert page.count("question") == 1 and 'data-number="2"' in page.html  # then the next question
    assert "第 2 题，共 2 题" in page.html


def test_a_loaded_interview_hands_each_question_its_follow_ups_without_a_query_per_turn(client, app, alice, case):
    interview_id = start_case(app, case, others=2)
    answer(client, interview_id, case.answer)
    answer(client, interview_id, case.point.text)
    with app.app_context():
        interview = interviews.find_owned(user(), interview_id)
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        question, second, third, follow_up = interview.turns
        assert [turn.children for turn in interview.turns] == [[follow_up], [], [], []]
        assert interview.in_chat_order() == [question, follow_up, second, third]
        assert question.follow_ups == [follow_up] and question.retry is None
        assert interviews.current_turn(interview) is second
        assert question.effective_score > question.score
        assert statements == []


def test_follow_ups_are_not_questions_in_the_count_the_score_or_progress(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    answer(client, interview_id, case.point.text)
    answer_the_rest_in_full(client, app, interview_id)
    with app.app_context():
        interview = load(interview_id)
        assert interview.finished and len(interview.turns) == 3 and len(interview.questions) == 2
        assert not interview.ended_early
        scores = [turn.effective_score for turn in interview.questions]
        assert interview.score == round(sum(scores) / 2, 1)
        day = local_day(interview.finished_at, interview.user)
        overall = db.session.get(DailyTopicScore, (interview.user_id, day, ""))
        assert overall.answers == 2 and overall.score_sum == pytest.approx(sum(scores))
        states = db.session.scalars(select(ReviewState).where(ReviewState.user_id == interview.user_id)).all()
        assert sorted(state.question_id for state in states) == sorted(t.question_id for t in interview.questions)
        recovered = interview.turns[0].effective_score
    debrief = client.get(f"/interviews/{interview_id}/debrief").get_data(as_text=True)
    assert debrief.count('data-testid="turn"') == 2 and debrief.count('data-testid="follow-up"') == 1
    assert "追问答到" in debrief and 'data-testid="recovered"' in debrief
    assert f'data-score="{score_text(recovered)}"' in debrief
    history = client.get("/history/").get_data(as_text=True)
    assert score_text(interview.score) in history
    transcript = client.get(f"/history/{interview_id}").get_data(as_text=True)
    assert transcript.count('data-testid="follow-up"') == 1 and f'data-score="{score_text(recovered)}"' in transcript
    markdown = client.get(f"/history/{interview_id}/export.md").get_data(as_text=True)
    assert f"追问: {case.point.ask}" in markdown or f"追问：{case.point.ask}" in markdown
    csv_rows = client.get(f"/history/{interview_id}/export.csv").get_data(as_text=True).strip().splitlines()
    assert score_text(recovered) in csv_rows[1]


def test_no_follow_up_is_asked_when_the_interview_has_none(client, app, alice, case):
    interview_id = start_case(app, case, follow_ups=0)
    answer(client, interview_id, case.answer)
    page = chat(client, interview_id)
    assert page.count("follow-up") == 0 and page.turn == 2


def test_up_to_two_follow_ups_ask_the_first_two_missed_points_with_an_ask(client, app, alice):
    with app.app_context():
        question = next(c for c in follow_up_cases(20)
                        if len([p for p in c.points if p.weight == "must" and p.ask]) >= 2)
        asked = [p for p in question.points if p.weight == "must" and p.ask][:2]
    interview_id = start_case(app, question, follow_ups=2)
    answer(client, interview_id, "不知道")
    first = chat(client, interview_id)
    assert asked[0].ask in first.html
    answer(client, interview_id, "不清楚")
    second = chat(client, interview_id)
    assert asked[1].ask in second.html and second.count("follow-up") == 2  # the first one, answered, and this one
    answer(client, interview_id, asked[1].text)
    with app.app_context():
        interview = load(interview_id)
        follow_ups = interview.turns[0].follow_ups
        assert [t.point_uid for t in follow_ups] == [p.id for p in asked]
        assert interviews.current_turn(interview).number == 2


def test_an_unanswered_follow_up_expires_from_its_draft_on_the_next_request_and_is_marked(client, app, alice, case,
                                                                                          clock):
    interview_id = start_case(app, case, seconds=60)
    answer(client, interview_id, case.answer)
    page = chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/draft", data={"turn": page.turn, "answer": case.point.text})
    clock.advance(seconds=36)  # past the follow-up's 30 s and the grace
    page = chat(client, interview_id)
    assert page.turn == 2
    with app.app_context():
        follow_up = load(interview_id).turns[-1]
        assert follow_up.state == TurnState.EXPIRED and follow_up.timed_out and follow_up.answer == case.point.text
        assert load(interview_id).turns[0].effective_score > load(interview_id).turns[0].score


def test_a_follow_up_closes_exactly_once(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    page = chat(client, interview_id)
    first = client.post(f"/interviews/{interview_id}/answer",
                        data={"turn": page.turn, "key": page.key, "answer": case.point.text})
    repeat = client.post(f"/interviews/{interview_id}/answer",
                         data={"turn": page.turn, "key": page.key, "answer": case.point.text})
    other_tab = client.post(f"/interviews/{interview_id}/answer",
                            data={"turn": page.turn, "key": "another-tab-key", "answer": "别的"})
    assert first.status_code == repeat.status_code == 302 and other_tab.status_code == 409
    skipped = client.post(f"/interviews/{interview_id}/skip", data={"turn": page.turn})
    assert skipped.status_code == 302
    with app.app_context():
        follow_up = load(interview_id).turns[-1]
        assert follow_up.state == TurnState.ANSWERED and follow_up.answer == case.point.text


def test_ending_during_a_follow_up_skips_it_and_drops_the_questions_never_shown(client, app, alice, case):
    interview_id = start_case(app, case, others=2)
    answer(client, interview_id, case.answer)
    chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/finish")
    with app.app_context():
        interview = load(interview_id)
        assert interview.finished and [t.kind for t in interview.turns] == [TurnKind.QUESTION, TurnKind.FOLLOW_UP]
        assert interview.turns[1].skipped and interview.turns[0].effective_score == interview.turns[0].score


def test_a_drill_asks_the_follow_up_before_showing_feedback_without_a_countdown(client, app, alice, case):
    interview_id = start_case(app, case, mode="drill", seconds=None)
    response = answer(client, interview_id, case.answer)
    assert "feedback" not in response.location
    page = chat(client, interview_id)
    assert page.count("follow-up") == 1 and 'data-testid="countdown"' not in page.html
    assert 'data-testid="point"' not in page.html  # the feedback would name the point asked
    response = answer(client, interview_id, case.point.text)
    assert "feedback=1" in response.location
    feedback = client.get(response.location).get_data(as_text=True)
    assert 'data-testid="point"' in feedback and 'data-testid="recovered"' in feedback


def test_an_export_and_import_round_trip_keeps_follow_ups_and_the_recovered_score(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    answer(client, interview_id, case.point.text)
    answer_the_rest_in_full(client, app, interview_id)
    document = client.get("/history/export.json").get_data()
    with app.app_context():
        before = load(interview_id)
        expected = [(t.number, t.kind, t.parent.number if t.parent else None, t.point_uid, t.effective_score)
                    for t in before.turns]
        total = before.score
    client.post(f"/history/{interview_id}/delete")
    response = client.post("/history/import", data={"file": (io.BytesIO(document), "h.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        [restored] = db.session.scalars(select(interviews.Interview)).all()
        assert [(t.number, t.kind, t.parent.number if t.parent else None, t.point_uid, t.effective_score)
                for t in restored.turns] == expected
        assert restored.score == total
        day = local_day(restored.finished_at, restored.user)
        overall = db.session.get(DailyTopicScore, (restored.user_id, day, ""))
        assert overall.answers == 2
        assert overall.score_sum == pytest.approx(sum(t.effective_score for t in restored.questions))


def test_an_import_refuses_a_follow_up_without_its_question(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    answer(client, interview_id, case.point.text)
    answer_the_rest_in_full(client, app, interview_id)
    document = json.loads(client.get("/history/export.json").get_data())
    client.post(f"/history/{interview_id}/delete")
    document["interviews"][0]["turns"][-1]["parent_number"] = 2 if document["interviews"][0]["turns"][-1][
        "kind"] == "question" else 99
    response = client.post("/history/import", data={"file": (io.BytesIO(json.dumps(document).encode()), "h.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_draft_for_the_next_question_is_not_saved_while_a_follow_up_is_asked(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    page = chat(client, interview_id)
    client.post(f"/interviews/{interview_id}/draft", data={"turn": 2, "answer": "抢先写下一题"})
    client.post(f"/interviews/{interview_id}/draft", data={"turn": page.turn, "answer": "追问的草稿"})
    with app.app_context():
        interview = load(interview_id)
        assert interview.turns[1].draft == "" and interview.turns[-1].draft == "追问的草稿"


def test_the_database_refuses_a_second_follow_up_on_the_same_point(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    with app.app_context():
        interview = load(interview_id)
        question, asked = interview.turns[0], interview.turns[-1]
        interview.turns.append(interviews.Turn(
            number=asked.number + 1, kind=TurnKind.FOLLOW_UP, parent_id=question.id, point_uid=asked.point_uid,
            question_text=asked.question_text, points_snapshot=asked.points_snapshot))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_stale_follow_up_closed_elsewhere_is_not_closed_again(client, app, alice, case):
    interview_id = start_case(app, case)
    answer(client, interview_id, case.answer)
    chat(client, interview_id)
    with app.app_context():
        stale = interviews.current_turn(load(interview_id))
        db.session.expunge_all()
        answer(client, interview_id, case.point.text)
        with pytest.raises(AlreadyAnswered):
            interviews._close(stale, TurnState.SKIPPED, stale.asked_at)
        assert load(interview_id).turns[-1].state == TurnState.ANSWERED
