"""The maintainer's question editor: admins only, edits saved through the bank service and kept on re-import."""

import html

import pytest
from markupsafe import escape
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Question

from ..conftest import SEEDS

TEMPERATURE_QUESTION = "为什么要使用温度T"


@pytest.fixture
def question_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(Question.id).where(Question.text.contains(TEMPERATURE_QUESTION))).one()


def stored(app, question_id: int) -> dict:
    with app.app_context():
        question = db.session.get(Question, question_id)
        return {
            "key_points": [point.text for point in question.key_points],
            "weights": [point.weight for point in question.key_points],
            "asks": [point.ask for point in question.key_points],
            "aliases_of_points": [list(point.aliases) for point in question.key_points],
            "erratum": question.erratum,
            "aliases": list(question.aliases),
            "topics": [topic.slug for topic in question.topics],
            "key_points_edited": question.key_points_edited,
            "topics_edited": question.topics_edited,
        }


def edit_url(question_id: int) -> str:
    return f"/bank/questions/{question_id}/edit"


EDITED_POINTS = """erratum = "参考答案此处有误：温度越高分布越平滑，不是越尖锐"

[[points]]
text = "温度T让soft label更平滑"
weight = "must"
aliases = ["soften the distribution", "软化分布"]
ask = "那温度系数在这里起什么作用？"

[[points]]
text = "平滑后的分布信息熵更大"
weight = "nice"
"""


def test_admins_see_the_edit_link_and_the_editor_filled_in(client, admin, app, question_id):
    page = client.get(f"/bank/questions/{question_id}").get_data(as_text=True)
    assert f'href="{edit_url(question_id)}"' in page
    editor = client.get(edit_url(question_id)).get_data(as_text=True)
    before = stored(app, question_id)
    assert before["key_points"] and all(str(escape(point)) in editor for point in before["key_points"])
    assert all(f"weight = &#34;{weight}&#34;" in editor for weight in before["weights"])
    checked = {tag.split('value="')[1].split('"')[0] for tag in editor.split("<input checked")[1:]}
    assert checked == set(before["topics"])


def test_visitors_are_sent_to_sign_in_and_see_no_edit_link(client, question_id):
    assert "/edit" not in client.get(f"/bank/questions/{question_id}").get_data(as_text=True)
    response = client.get(edit_url(question_id))
    assert response.status_code == 302 and "/auth/login" in response.location


def test_signed_in_non_admins_cannot_reach_the_editor(client, auth, app, question_id):
    auth.login("bob")
    assert "/edit" not in client.get(f"/bank/questions/{question_id}").get_data(as_text=True)
    assert client.get(edit_url(question_id)).status_code == 404
    before = stored(app, question_id)
    response = client.post(edit_url(question_id), data={"key_points": "x", "aliases": "", "topics": ["evaluation"]})
    assert response.status_code == 404
    assert stored(app, question_id) == before


def test_editing_a_missing_question_answers_404(client, admin):
    assert client.get(edit_url(999999)).status_code == 404


def test_an_admin_edit_saves_weighed_key_points_erratum_aliases_and_topics(client, admin, app, question_id):
    response = client.post(edit_url(question_id), data={
        "key_points": EDITED_POINTS,
        "aliases": "蒸馏里温度的作用\nHinton-style dark knowledge",
        "topics": ["evaluation", "training-efficiency"],
    })
    assert response.status_code == 302 and response.location == f"/bank/questions/{question_id}"
    after = stored(app, question_id)
    assert after["key_points"] == ["温度T让soft label更平滑", "平滑后的分布信息熵更大"]
    assert after["weights"] == ["must", "nice"]
    assert after["asks"] == ["那温度系数在这里起什么作用？", None]
    assert after["aliases_of_points"] == [["soften the distribution", "软化分布"], []]
    assert after["erratum"] == "参考答案此处有误：温度越高分布越平滑，不是越尖锐"
    assert after["aliases"] == ["蒸馏里温度的作用", "Hinton-style dark knowledge"]
    assert set(after["topics"]) == {"evaluation", "training-efficiency"}
    assert after["key_points_edited"] and after["topics_edited"]
    found = client.get("/bank/search", query_string={"q": "Hinton-style"}).get_data(as_text=True)
    assert f'href="/bank/questions/{question_id}"' in found


def test_the_editor_shows_what_it_saved_so_a_second_save_changes_nothing(client, admin, app, question_id):
    client.post(edit_url(question_id), data={"key_points": EDITED_POINTS, "aliases": "", "topics": ["evaluation"]})
    saved = stored(app, question_id)
    editor = client.get(edit_url(question_id)).get_data(as_text=True)
    shown = html.unescape(editor.split('name="key_points"')[1].split(">", 1)[1].split("</textarea>")[0])
    client.post(edit_url(question_id), data={"key_points": shown, "aliases": "", "topics": ["evaluation"]})
    assert stored(app, question_id) == saved


def test_a_point_the_curated_rules_refuse_is_named_inline_and_the_text_kept(client, admin, app, question_id):
    before = stored(app, question_id)
    typed = EDITED_POINTS.replace('weight = "nice"', 'weight = "high"')
    response = client.post(edit_url(question_id), data={"key_points": typed, "aliases": "", "topics": ["evaluation"]})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Line 11: points[2].weight" in page or "第 11 行：points[2].weight" in page
    assert typed.strip() in page
    assert stored(app, question_id) == before


def test_saving_untouched_fields_does_not_pin_them(client, admin, app, question_id):
    before = stored(app, question_id)
    editor = client.get(edit_url(question_id)).get_data(as_text=True)
    shown = html.unescape(editor.split('name="key_points"')[1].split(">", 1)[1].split("</textarea>")[0])
    client.post(edit_url(question_id), data={"key_points": shown, "aliases": "新的说法", "topics": before["topics"]})
    after = stored(app, question_id)
    assert after["aliases"] == ["新的说法"]
    assert not after["key_points_edited"] and not after["topics_edited"]


def test_a_question_needs_at_least_one_topic(client, admin, app, question_id):
    before = stored(app, question_id)
    response = client.post(edit_url(question_id), data={"key_points": EDITED_POINTS, "aliases": ""})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert 'class="field-error"' in page and "温度T让soft label更平滑" in page  # the typed text is kept
    assert stored(app, question_id) == before


def test_edits_survive_importing_the_seeds_again(client, admin, runner, app, question_id):
    client.post(edit_url(question_id),
                data={"key_points": EDITED_POINTS, "aliases": "蒸馏温度", "topics": ["evaluation"]})
    result = runner.invoke(args=["bank", "import", str(SEEDS)])
    assert result.exit_code == 0, result.output
    after = stored(app, question_id)
    assert after["key_points"] == ["温度T让soft label更平滑", "平滑后的分布信息熵更大"]
    assert after["weights"] == ["must", "nice"] and after["erratum"].startswith("参考答案此处有误：")
    assert after["aliases"] == ["蒸馏温度"]
    assert after["topics"] == ["evaluation"]
