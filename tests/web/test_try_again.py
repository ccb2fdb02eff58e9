"""Try again in a drill: a second attempt graded at once, both kept, the better one counted, exactly once."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import DailyTopicScore, ReviewState, Turn, TurnKind, TurnState
from webapp.services import rollups
from webapp.services.rollups import local_day

from .interview_helpers import answer, load, reference_of, start_on, user


@pytest.fixture
def alice(auth):
    auth.login()
    return auth


def retry_key(html: str) -> str:
    return html.split('name="key" type="hidden" value="')[-1].split('"')[0]


def try_again(client, interview_id: int, number: int, text: str, page: str):
    return client.post(f"/interviews/{interview_id}/turns/{number}/retry",
                       data={"answer": text, "key": retry_key(page)})


def test_a_second_attempt_in_a_drill_is_graded_at_once_and_the_better_one_counts(client, app, alice):
    interview_id = start_on(app, 2, mode="drill", seconds=None)
    response = answer(client, interview_id, "不知道")
    feedback = client.get(response.location).get_data(as_text=True)
    assert 'data-testid="try-again"' in feedback
    with app.app_context():
        question = load(interview_id).turns[0]
        first, text = question.score, reference_of(question.question_id)
    response = try_again(client, interview_id, 1, text, feedback)
    assert response.status_code == 302 and "feedback=1" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert 'data-testid="second-attempt"' in page and 'data-testid="try-again"' not in page
    assert '<details class="reference">' in feedback  # closed while the second attempt is on offer
    assert '<details class="reference" open>' in page
    with app.app_context():
        interview = load(interview_id)
        question, retry = interview.turns[0], interview.turns[-1]
        assert retry.kind == TurnKind.RETRY and retry.parent is question and retry.answer == text
        assert question.score == first and question.answer == "不知道"  # the first attempt is kept as it was
        assert question.effective_score == retry.attempt_score > first
        assert question.best_attempt is retry
        assert len(interview.questions) == 2 and not interview.finished


def test_a_second_attempt_counts_once_and_a_question_has_one(client, app, alice):
    interview_id = start_on(app, 2, mode="drill", seconds=None)
    response = answer(client, interview_id, "不知道")
    feedback = client.get(response.location).get_data(as_text=True)
    assert try_again(client, interview_id, 1, "注意力", feedback).status_code == 302
    assert try_again(client, interview_id, 1, "注意力", feedback).status_code == 302  # the same form again
    other = client.get(f"/interviews/{interview_id}?feedback=1").get_data(as_text=True)
    try_again(client, interview_id, 1, "另一次", other.replace(retry_key(other), "another-form-key"))
    with app.app_context():
        assert [t.kind for t in load(interview_id).turns].count(TurnKind.RETRY) == 1


def test_a_mock_question_cannot_be_tried_again(client, app, alice):
    interview_id = start_on(app, 1, mode="mock", seconds=180)
    answer(client, interview_id, "不知道")
    debrief = client.get(f"/interviews/{interview_id}/debrief").get_data(as_text=True)
    assert 'data-testid="try-again"' not in debrief
    try_again(client, interview_id, 1, "注意力", debrief + 'name="key" type="hidden" value="a-made-up-key"')
    with app.app_context():
        assert len(load(interview_id).turns) == 1


def test_a_second_attempt_after_a_drill_ended_moves_progress_and_review_to_the_better_score(client, app, alice):
    interview_id = start_on(app, 1, mode="drill", seconds=None)
    answer(client, interview_id, "不知道")
    with app.app_context():
        interview = load(interview_id)
        assert interview.finished
        text = reference_of(interview.turns[0].question_id)
        day = local_day(interview.finished_at, interview.user)
        before = db.session.get(DailyTopicScore, (interview.user_id, day, "")).score_sum
    debrief = client.get(f"/interviews/{interview_id}/debrief").get_data(as_text=True)
    response = try_again(client, interview_id, 1, text, debrief)
    assert response.status_code == 302 and "/debrief" in response.location
    page = client.get(response.location).get_data(as_text=True)
    with app.app_context():
        interview = load(interview_id)
        best = interview.turns[0].effective_score
        assert best > before and interview.score == best
        overall = db.session.get(DailyTopicScore, (interview.user_id, day, ""))
        assert overall.answers == 1 and overall.score_sum == pytest.approx(best)
        state = db.session.scalars(select(ReviewState).where(ReviewState.user_id == user().id)).one()
        assert state.last_score == best and state.due > interview.finished_at
    assert f'data-testid="total-score">{round(best)}<' in page and 'data-testid="second-attempt"' in page


def test_an_over_long_second_attempt_is_refused_with_its_text_kept(client, app, alice):
    interview_id = start_on(app, 2, mode="drill", seconds=None)
    response = answer(client, interview_id, "不知道")
    feedback = client.get(response.location).get_data(as_text=True)
    too_long = "注" * (app.config["MAX_ANSWER_CHARS"] + 1)
    response = try_again(client, interview_id, 1, too_long, feedback)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert f'data-testid="retry-answer">{too_long}</textarea>' in page and str(app.config["MAX_ANSWER_CHARS"]) in page
    with app.app_context():
        assert len(load(interview_id).turns) == 2


def test_the_database_refuses_a_second_retry_of_one_question(client, app, alice):
    interview_id = start_on(app, 2, mode="drill", seconds=None)
    response = answer(client, interview_id, "不知道")
    try_again(client, interview_id, 1, "注意力", client.get(response.location).get_data(as_text=True))
    with app.app_context():
        interview = load(interview_id)
        question, retry = interview.turns[0], interview.turns[-1]
        interview.turns.append(Turn(number=retry.number + 1, kind=TurnKind.RETRY, parent=question,
                                    question_text=question.question_text, state=TurnState.ANSWERED))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_an_ungradable_first_attempt_leaves_the_scored_second_one_to_count(client, app, alice):
    interview_id = start_on(app, 2, mode="drill", seconds=None)
    response = answer(client, interview_id, "不知道")
    try_again(client, interview_id, 1, "不知道", client.get(response.location).get_data(as_text=True))
    with app.app_context():
        question = load(interview_id).turns[0]
        question.result, question.score = {**question.result, "gradable": False}, None  # as a bank without points
        db.session.commit()
        question = load(interview_id).turns[0]
        retry = question.retry
        assert question.attempt_score is None and retry.attempt_score == 0.0
        assert question.best_attempt is retry and question.effective_score == 0.0
        assert rollups.answer_of(question).outcomes == rollups.point_outcomes(retry)
