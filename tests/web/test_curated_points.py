"""The curated seed points after `flask bank import seeds/`: weighed claims, real questions, errata on the pages."""

import shutil

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import Question
from webapp.questionbank import meaningful_length

from ..conftest import SEEDS

KV_CACHE_TITLE = "kv cache为什么能加速推理？"


def _questions() -> list[Question]:
    return list(db.session.scalars(select(Question).options(selectinload(Question.key_points))))


def test_every_answered_seed_question_has_three_to_six_weighed_claims(app):
    with app.app_context():
        answered = [question for question in _questions() if question.has_answer]
        assert len(answered) == 96
        for question in answered:
            assert 3 <= len(question.key_points) <= 6, question.text
            assert any(point.weight == "must" for point in question.key_points), question.text
            for point in question.key_points:
                assert point.weight in ("must", "nice")
                assert not point.text.rstrip().endswith((":", "：")), point.text
                assert meaningful_length(point.text) >= 6, point.text
            assert all(point.ask for point in question.key_points if point.weight == "must"), question.text


def test_no_seed_question_is_a_bare_topic_name_and_the_old_title_still_finds_it(app, client):
    with app.app_context():
        questions = _questions()
        assert all(meaningful_length(question.text) >= 6 for question in questions)
        adam = next(question for question in questions if "Adam" in (question.aliases or []))
        assert adam.text.startswith("Adam 优化器")
        adam_id = adam.id
    found = client.get("/bank/search", query_string={"q": "Adam"}).get_data(as_text=True)
    assert f'href="/bank/questions/{adam_id}"' in found


def test_the_question_page_shows_the_erratum_beside_the_reference_and_math_in_points(app, client):
    with app.app_context():
        kv = next(question for question in _questions() if KV_CACHE_TITLE in question.text)
        erratum, kv_id = kv.erratum, kv.id
        with_math = next(question for question in _questions() if any("$" in p.text for p in question.key_points))
        math_id = with_math.id
    assert erratum.startswith("参考答案此处有误：") and "HBM" in erratum
    page = client.get(f"/bank/questions/{kv_id}").get_data(as_text=True)
    assert page.index('data-testid="erratum"') < page.index('class="markdown"')
    math_page = client.get(f"/bank/questions/{math_id}").get_data(as_text=True)
    points = math_page.split('class="key-points"')[1].split("</ol>")[0]
    assert '<span class="math inline">' in points and "$" not in points


def test_a_stale_or_unknown_curated_entry_is_reported_not_dropped_silently(runner, tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    curated = tmp_path / "seeds" / "keypoints" / "decoding-inference.toml"
    text = curated.read_text(encoding="utf-8")
    curated.write_text(text.replace(f'title = "{KV_CACHE_TITLE}"', 'title = "kv cache 为什么快？"')
                       + '\n[q.000000000000]\ntitle = "一道已删除的题"\n', encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(tmp_path / "seeds")])
    assert result.exit_code == 0, result.output
    assert "curated key points for 96 question(s)" in result.output
    assert "decoding-inference.toml:146: its title 'kv cache 为什么快？' no longer matches" in result.output
    assert "no question has the key 000000000000 (一道已删除的题)" in result.output


def test_a_broken_curated_file_names_file_line_and_field_and_imports_nothing(runner, tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    curated = tmp_path / "seeds" / "keypoints" / "attention.toml"
    curated.write_text(curated.read_text(encoding="utf-8").replace('weight = "nice"', 'weight = "bonus"', 1),
                       encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(tmp_path / "seeds")])
    assert result.exit_code != 0
    assert "attention.toml:" in result.output and '.weight: must be "must" or "nice"' in result.output
    assert "nothing was imported" in result.output


def test_the_curated_points_reach_a_bank_imported_without_them(runner, app, tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("keypoints"))
    assert runner.invoke(args=["bank", "import", str(tmp_path / "seeds")]).exit_code == 0
    with app.app_context():
        kv = next(question for question in _questions() if KV_CACHE_TITLE in question.text)
        assert kv.erratum and kv.curated_source == "decoding-inference.toml:146"
