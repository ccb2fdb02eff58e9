"""How a graded turn reads in the debrief and the transcript: verdict labels, overrides, grader-3 fields, summary."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from webapp.extensions import db
from webapp.grading.rules import ANSWER_RULES, CONTRADICTION_RULES, POINT_RULES
from webapp.models import Question
from webapp.rendering import render_inline
from webapp.services import interviews, presenters

from .interview_helpers import answer, load, start_on, user
from .test_i18n import switch_language
from .test_interview_debrief import missed_point


@pytest.fixture
def finished(client, app, auth):
    """Alice's finished two-question mock: the first answer states every key point, the second says nothing."""
    auth.login()
    interview_id = start_on(app, count=2)
    with app.app_context():
        points = load(interview_id).turns[0].points_snapshot
    answer(client, interview_id, "。".join(point["text"] for point in points))
    answer(client, interview_id, "不知道")
    return interview_id


def debrief(client, interview_id: int) -> str:
    return client.get(f"/interviews/{interview_id}/debrief").get_data(as_text=True)


def turn_html(page: str, number: int) -> str:
    return page.split(f'id="turn-{number}"')[1].split('data-testid="turn"')[0]


def test_every_override_button_names_its_point_and_only_uncovered_points_have_one(client, app, finished):
    page = debrief(client, finished)
    with app.app_context():
        points = [point for turn in load(finished).turns for point in turn.result["points"]]
    uncovered = [point for point in points if point["status"] != "hit"]
    assert page.count('data-testid="override"') == len(uncovered) > 0
    for point in uncovered:
        assert f'aria-label="我答到了这一点：{escape(point["text"])}"' in page


def test_an_overridden_point_shows_as_covered_with_the_automatic_verdict_beside_it(client, app, finished):
    uid = missed_point(app, finished, number=2)
    client.post(f"/interviews/{finished}/turns/2/points/{uid}/override")
    for page in (debrief(client, finished), client.get(f"/history/{finished}").get_data(as_text=True)):
        row = re.search(rf'<li class="point point-(\w+)"[^>]*data-point="{uid}"[^>]*>(.*?)</li>', page, re.S)
        assert row.group(1) == "hit"
        assert "你标记为已答到" in row.group(2) and "自动判定：未答到" in row.group(2)
        assert 'data-testid="override"' not in row.group(2)


def test_a_contradicted_point_has_its_own_status_and_says_why(client, app, finished):
    with app.app_context():
        turn = load(finished).turns[1]
        turn.result["points"][0].update(status="contradicted", why="说反了：答案说 LayerNorm 依赖 batch")
        flag_modified(turn, "result")
        db.session.commit()
    page = debrief(client, finished)
    assert 'data-status="contradicted"' in page and "point point-contradicted" in page
    assert "说反了：答案说 LayerNorm 依赖 batch" in page


def test_each_deduction_is_a_line_and_old_results_without_deductions_show_none(client, app, finished):
    assert 'data-testid="deduction"' not in debrief(client, finished)
    with app.app_context():
        turn = load(finished).turns[1]
        turn.result["deductions"] = [{"rule": "dont_know", "effect": 10, "spans": [[0, 3]]},
                                     {"rule": "a_new_rule", "effect": "at most 10", "spans": []}]
        flag_modified(turn, "result")
        db.session.commit()
    page = debrief(client, finished)
    assert page.count('data-testid="deduction"') == 2
    assert "−10" in page and "a new rule" in page and "at most 10" in page


def test_every_answer_rule_of_the_grader_has_a_label_in_the_users_language(client, app, finished):
    with app.app_context():
        turn = load(finished).turns[1]
        turn.result["deductions"] = [{"rule": name, "effect": -5, "spans": []} for name in ANSWER_RULES]
        flag_modified(turn, "result")
        db.session.commit()
    page = debrief(client, finished)
    assert page.count('data-testid="deduction"') == len(ANSWER_RULES)
    labels = re.findall(r'<span class="deduction-label">([^<]*)</span>', page)
    assert "与参考答案矛盾" in labels and "只列了关键词，没有解释" in labels
    assert not {name.replace("_", " ") for name in ANSWER_RULES} & set(labels)


def lower_first_point(app, interview_id: int, status: str, rule: str | None) -> str:
    """Store the second answer's first point as `status`, lowered by `rule` (None: a grade from before grader 3.7)."""
    with app.app_context():
        turn = load(interview_id).turns[1]
        point = turn.result["points"][0]
        point.update(status=status)
        point.pop("lowered_by", None)
        if rule:
            point["lowered_by"] = rule
        flag_modified(turn, "result")
        db.session.commit()
        return point["id"]


@pytest.mark.parametrize("status", ["partial", "miss"])
def test_a_point_a_rule_lowered_says_why_in_the_debrief_and_the_transcript(client, app, finished, status):
    uid = lower_first_point(app, finished, status, "named_bare")
    for page in (debrief(client, finished), client.get(f"/history/{finished}").get_data(as_text=True)):
        row = re.search(rf'<li class="point point-{status}"[^>]*data-point="{uid}"[^>]*>(.*?)</li>', page, re.S)
        assert re.search(r'<p class="point-why point-why-lowered" data-testid="lowered" data-rule="named_bare">'
                         r"提到了名字，但没有认出对它的解释</p>", row.group(1))
        assert page.count('data-testid="lowered"') == 1


def test_a_grade_stored_before_lowered_by_or_a_hit_point_shows_no_reason(client, app, finished):
    lower_first_point(app, finished, "partial", None)
    assert 'data-testid="lowered"' not in debrief(client, finished)
    lower_first_point(app, finished, "hit", "named_bare")
    assert 'data-testid="lowered"' not in debrief(client, finished)


def test_an_answer_that_only_names_a_point_is_told_so_under_it(client, app, auth):
    auth.login()
    with app.app_context():
        question_id = db.session.scalars(select(Question.id).where(
            Question.text.startswith("Roberta在Bert的基础上做了什么优化"))).one()
        interview_id = interviews.start_interview(user(), question_ids=[question_id], mode="drill",
                                                   follow_ups=0).id
    answer(client, interview_id, "去掉 NSP 任务，实验表明 NSP 无益甚至有害。另外还有dynamic masking吧。")
    page = debrief(client, interview_id)
    with app.app_context():
        point = next(p for p in load(interview_id).turns[0].result["points"] if p["text"].startswith("动态掩码"))
    assert point["status"] == "partial" and point["lowered_by"] == "named_bare"
    row = re.search(rf'data-point="{point["id"]}"[^>]*>(.*?)</li>', page, re.S).group(1)
    assert 'data-testid="lowered" data-rule="named_bare">提到了名字，但没有认出对它的解释</p>' in row
    assert page.count('data-testid="lowered"') == 1


# The contradiction rules say their own why; every other point rule lowers a verdict and needs a label.
@pytest.mark.parametrize("rule", sorted(set(POINT_RULES) - CONTRADICTION_RULES | {"outweighed", "enumeration"}))
def test_every_point_rule_that_lowers_a_verdict_has_a_label_in_the_users_language(client, app, finished, rule):
    assert rule in presenters.LOWERED_LABELS
    lower_first_point(app, finished, "partial", rule)
    chinese = re.search(rf'data-testid="lowered" data-rule="{rule}">([^<]*)</p>', debrief(client, finished)).group(1)
    switch_language(client, "en")
    english = re.search(rf'data-testid="lowered" data-rule="{rule}">([^<]*)</p>', debrief(client, finished)).group(1)
    assert re.search(r"[\u4e00-\u9fff]", chinese) and english.isascii() and english != rule.replace("_", " ")


def test_each_evidence_mark_names_the_points_it_backs(client, app, finished):
    page = debrief(client, finished)
    with app.app_context():
        hit = {point["id"] for point in load(finished).turns[0].result["points"] if point["evidence"]}
    marks = re.findall(r'data-testid="evidence" data-points="([^"]+)"', page)
    named = {uid for backing in marks for uid in backing.split()}
    assert hit and named == hit


def test_the_debrief_lists_missed_must_points_to_study_next_linked_to_their_question(client, app, finished):
    page = debrief(client, finished)
    with app.app_context():
        second = load(finished).turns[1]
        musts = [point["text"] for point in second.points_snapshot if point.get("weight", "must") == "must"]
        question_id = second.question_id
    summary = page.split('data-testid="study-next"')[1].split("</ol>")[0]
    items = re.findall(r"<li>(.*?)\s*<a", summary, re.S)
    assert [render_inline(text) for text in musts[:5]] == items
    assert f'href="/bank/questions/{question_id}"' in summary
    assert page.index('data-testid="study-next"') < page.index('id="turn-1"')


def test_what_to_study_next_typesets_the_math_in_a_point(app, auth, client):
    auth.login()
    with app.app_context():
        with_math = next(question for question in db.session.scalars(select(Question))
                         if any("$" in point.text for point in question.key_points if point.weight == "must"))
        interview_id = interviews.start_interview(user(), question_ids=[with_math.id], follow_ups=0).id
    answer(client, interview_id, "不知道")
    summary = debrief(client, interview_id).split('data-testid="study-next"')[1].split("</ol>")[0]
    assert '<span class="math inline">' in summary and "$" not in summary


def test_what_to_study_next_takes_each_weak_questions_first_point_before_anyones_second(app, auth, client):
    auth.login()
    interview_id = start_on(app, count=3)
    for text in ("不知道", "不清楚", "没学过"):
        answer(client, interview_id, text)
    with app.app_context():
        view = presenters.debrief_view(load(interview_id))
    assert [item.number for item in view.study_next] == [1, 2, 3, 1, 2]


def test_a_question_with_every_point_covered_is_folded_and_the_others_open(client, app, finished):
    with app.app_context():
        assert all(point["status"] == "hit" for point in load(finished).turns[0].result["points"])
    page = debrief(client, finished)
    assert '<details class="turn-body">' in turn_html(page, 1)
    assert '<details class="turn-body" open>' in turn_html(page, 2)


def test_the_debrief_and_the_transcript_show_the_same_score_for_each_question(client, app, finished):
    uid = missed_point(app, finished, number=2)
    client.post(f"/interviews/{finished}/turns/2/points/{uid}/override")
    scores = [re.findall(r'data-testid="turn" id="turn-\d+" data-score="(\d+)"', page)
              for page in (debrief(client, finished), client.get(f"/history/{finished}").get_data(as_text=True))]
    assert scores[0] == scores[1] and len(scores[0]) == 2
