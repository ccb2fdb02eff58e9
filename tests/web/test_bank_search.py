"""Bank search: English and Chinese names of a concept find the same questions, best matches first."""

import pytest

from webapp.extensions import db
from webapp.grading.normalize import normalize_for_matching
from webapp.services import bank as bank_service


def found_titles(client, query: str) -> list[str]:
    page = client.get("/bank/search", query_string={"q": query}).get_data(as_text=True)
    return [line.split(">", 1)[1].split("</a>")[0] for line in page.splitlines() if 'href="/bank/questions/' in line]


@pytest.mark.parametrize(("query", "expected"), [
    ("KV cache", "kv cache为什么能加速推理"),
    ("kv-cache", "kv cache为什么能加速推理"),
    ("position encoding", "旋转位置编码RoPE有什么优缺点"),
    ("mixture of experts", "MoE模型中，使用更小的expert有什么优势"),
    ("learning rate", "为什么大模型训练的时候需要warmup"),
    ("tokenizer", "Roberta在Bert的基础上做了什么优化"),
    ("分词", "Roberta在Bert的基础上做了什么优化"),
])
def test_a_field_term_finds_its_questions(client, query, expected):
    assert any(expected in title for title in found_titles(client, query))


@pytest.mark.parametrize(("english", "chinese"), [
    ("position encoding", "位置编码"), ("mixture of experts", "混合专家"), ("learning rate", "学习率"),
    ("KV cache", "KV缓存"),
])
def test_english_and_chinese_names_find_the_same_questions(client, english, chinese):
    assert found_titles(client, english) == found_titles(client, chinese) != []


def test_a_multi_word_term_is_one_search_term_and_other_words_stay_apart():
    assert bank_service.search_terms("mixture of experts") == ("混合专家模型",)
    assert bank_service.search_terms("KV cache 显存") == ("kv缓存", "显存")
    assert bank_service.search_terms("“位置编码”？") == ("位置编码",)


def test_questions_naming_the_term_in_their_own_text_come_before_those_naming_it_in_the_reference(app):
    with app.app_context():
        found = bank_service.search_questions("position encoding").questions
    in_title = ["位置编码" in normalize_for_matching(question.text).text for question in found]
    assert in_title[0] and not in_title[-1]
    assert in_title == sorted(in_title, reverse=True)


def test_a_term_nothing_names_falls_back_to_its_broader_term_and_says_so(client):
    page = client.get("/bank/search", query_string={"q": "tokenizer"}).get_data(as_text=True)
    assert "分词" in page and 'href="/bank/questions/' in page


def test_a_search_that_finds_nothing_shows_an_empty_state_not_a_list_item(client):
    page = client.get("/bank/search", query_string={"q": "quantum gravity"}).get_data(as_text=True)
    assert 'data-testid="no-results"' in page
    assert "quantum gravity" in page
    assert '<ol class="question-list">' not in page


def test_an_empty_query_shows_the_search_box_alone(client):
    page = client.get("/bank/search").get_data(as_text=True)
    assert 'name="q"' in page and 'data-testid="no-results"' not in page


def test_init_db_refreshes_the_search_text_of_every_question(runner, app):
    with app.app_context():
        question = bank_service.search_questions("KV cache").questions[0]
        question.search_text, question_id = "", question.id
        db.session.commit()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert question_id in {found.id for found in bank_service.search_questions("KV cache").questions}
