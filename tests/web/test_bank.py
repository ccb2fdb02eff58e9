"""The bank pages, the import and export commands, and maintainer edits."""

import json

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Question, SimilarLink, Topic
from webapp.services import bank as bank_service

from ..conftest import SEEDS, SHARED


def question_with_text(fragment: str) -> Question:
    return db.session.scalars(select(Question).where(Question.text.contains(fragment))).one()


def test_bank_index_lists_every_topic_with_its_count(client, app):
    response = client.get("/bank/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.app_context():
        topics = bank_service.topics_with_counts()
        total = db.session.scalar(select(func.count(Question.id)))
    for topic, count in topics:
        assert escape(topic.name_zh) in page and escape(topic.name_en) in page
        assert f"{count}" in page
    assert sum(count for _, count in topics) >= total


def test_topic_page_lists_its_questions(client, app):
    with app.app_context():
        topic = db.session.scalars(select(Topic).order_by(Topic.position)).first()
        titles = [question.text for question in bank_service.questions_of_topic(topic)]
    page = client.get(f"/bank/topics/{topic.slug}").get_data(as_text=True)
    assert titles and all(title in page for title in titles[:5])


def test_unknown_topic_answers_404(client):
    assert client.get("/bank/topics/no-such-topic").status_code == 404


@pytest.mark.parametrize("query", ["多头", "LoRA", "lora", "multi-head", "attention"])
def test_search_finds_questions_in_chinese_and_english(client, query):
    page = client.get("/bank/search", query_string={"q": query}).get_data(as_text=True)
    assert 'href="/bank/questions/' in page


def test_search_in_english_finds_chinese_only_questions(client, app):
    with app.app_context():
        found = bank_service.search_questions("normalization").questions
    assert any("归一化" in question.search_text or "normalization" in question.text.lower() for question in found)
    assert any("normalization" not in question.search_text for question in found)


def test_question_page_renders_markdown_lists_and_math(client, app):
    with app.app_context():
        question = db.session.scalars(
            select(Question).join(Question.reference).where(Question.search_text.contains("$$"))
        ).first()
        assert question is not None
        qid = question.id
    page = client.get(f"/bank/questions/{qid}").get_data(as_text=True)
    assert '<span class="math display">' in page
    assert "katex.min.js" in page


def test_question_page_shows_weighed_key_points_and_hides_source_files_from_candidates(client, app):
    with app.app_context():
        question = question_with_text("为什么要使用温度T")
        points = [(point.text, point.weight) for point in question.key_points]
        sources = [str(source) for source in question.sources]
    page = client.get(f"/bank/questions/{question.id}").get_data(as_text=True)
    assert points and all(f'data-weight="{weight}"' in page and escape(text) in page for text, weight in points)
    assert not any(source in page for source in sources)


def test_admins_see_the_source_files_of_a_question(client, admin, app):
    with app.app_context():
        question = question_with_text("为什么要使用温度T")
        sources = [str(source) for source in question.sources]
    page = client.get(f"/bank/questions/{question.id}").get_data(as_text=True)
    assert sources and all(source in page for source in sources)


def test_raw_html_in_a_reference_is_sanitized(app):
    from webapp.rendering import render_markdown

    html = render_markdown("答案 <script>alert(1)</script> <mark>重点</mark> <img src=x onerror=alert(1)>")
    assert "<script" not in html and "onerror" not in html
    assert "<mark>重点</mark>" in html


def test_special_tokens_a_reference_names_are_shown_not_dropped(app):
    from webapp.rendering import render_inline, render_markdown

    # Seen on fresh43 and the corpus's Qwen3 question: "<think></think>" vanished as unknown HTML.
    html = render_markdown("模型先生成 <think> 思考 </think> 再回答，结束符是 <eos>。")
    assert "&lt;think&gt; 思考 &lt;/think&gt;" in html and "&lt;eos&gt;" in html
    assert "&lt;|im_start|&gt;" in render_inline("系统会在 <|im_start|>assistant 后注入 <think></think>")


def test_init_db_is_safe_to_run_twice(runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output


def test_reimporting_the_seeds_changes_nothing(runner, app):
    with app.app_context():
        before = list(bank_service.export_bank())
    result = runner.invoke(args=["bank", "import", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert " 0 new, 0 updated" in result.output
    with app.app_context():
        assert list(bank_service.export_bank()) == before


def test_edited_key_points_and_topics_survive_a_reimport(runner, app):
    with app.app_context():
        question = question_with_text("为什么要使用温度T")
        bank_service.edit_key_points(question.id, ["温度T让soft label更平滑", "信息熵更大"])
        bank_service.edit_topics(question.id, ["evaluation"])
        qid = question.id
    assert runner.invoke(args=["bank", "import", str(SEEDS)]).exit_code == 0
    with app.app_context():
        question = db.session.get(Question, qid)
        assert [point.text for point in question.key_points] == ["温度T让soft label更平滑", "信息熵更大"]
        assert [topic.slug for topic in question.topics] == ["evaluation"]


def test_export_writes_one_json_object_per_question(runner, app):
    result = runner.invoke(args=["bank", "export"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    with app.app_context():
        assert len(records) == db.session.scalar(select(func.count(Question.id)))
    for record in records:
        assert {"question", "reference", "topics", "key_points", "sources"} <= record.keys()
        assert record["topics"], record["question"]
        assert all(":" in source for source in record["sources"])
        assert bool(record["key_points"]) == bool(record["reference"].strip())
        for point in record["key_points"]:
            assert point.keys() == {"text", "weight", "aliases", "ask"} and point["weight"] in ("must", "nice")


def test_a_malformed_bank_names_file_and_line_and_changes_nothing(runner, app, tmp_path):
    bad = tmp_path / "broken.md"
    bad.write_text("# 1.什么是注意力？\n\n注意力是加权求和。\n\n# 2.\n\n没有题目的答案。\n", encoding="utf-8")
    with app.app_context():
        before = db.session.scalar(select(func.count(Question.id)))
    result = runner.invoke(args=["bank", "import", str(SEEDS), str(bad)])
    assert result.exit_code != 0
    assert "broken.md:5" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == before


def test_paraphrased_questions_are_linked_as_similar(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SimilarLink)) >= 3


@pytest.mark.skipif(not (SHARED / "corpus").exists(), reason="the shared corpus is not beside this checkout")
def test_the_corpus_imports_next_to_the_seeds(runner, app):
    result = runner.invoke(args=["bank", "import", str(SEEDS), str(SHARED / "corpus")])
    assert result.exit_code == 0, result.output
    assert "Skipped" in result.output and "LICENSE" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) > 240
