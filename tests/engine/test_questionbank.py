"""Question-bank parsing, dedupe and topics on the real seed documents and the shared corpus."""

from pathlib import Path

import pytest

from webapp.questionbank import BankFormatError, parse_text, read_bank

REPO = Path(__file__).parents[2]
SEEDS = REPO / "seeds"
CORPUS = REPO / ".." / "shared" / "corpus"
SEED_QUESTION_COUNT = 103


@pytest.fixture(scope="module")
def seed_bank():
    return read_bank([SEEDS])


def test_the_seeds_hold_exactly_the_distinct_questions_counted_by_hand(seed_bank):
    assert len(seed_bank.questions) == SEED_QUESTION_COUNT


def test_a_numbered_heading_without_text_names_file_and_line():
    with pytest.raises(BankFormatError) as error:
        parse_text("# 1.什么是LoRA？\n\n低秩适配。\n\n# 2.\n\n没有题目。\n", "broken.md")
    assert str(error.value) == "broken.md:5: numbered heading has no question text"


def _by_question(bank, text):
    return next(q for q in bank.questions if text in q.question)


def test_a_blog_answer_keeps_every_paragraph_and_drops_the_trailing_boilerplate(seed_bank):
    warmup = _by_question(seed_bank, "为什么大模型训练的时候需要warmup")
    assert warmup.answer.endswith("使用少数step让模型进行热身，可以很大程度规避这些问题。")
    lora = _by_question(seed_bank, "LoRA的参数是怎么初始化的")
    assert "asset_img" not in lora.answer and "点赞" not in lora.answer


def test_posts_republished_in_003_merge_with_all_their_sources(seed_bank):
    roberta = _by_question(seed_bank, "Roberta在Bert的基础上做了什么优化")
    assert [s.file[:3] for s in roberta.sources] == ["000", "003"]
    assert roberta.answer.startswith("1. Bert在MLM训练中")


def test_web_page_bullets_become_nested_markdown_lists(seed_bank):
    gpt = _by_question(seed_bank, "GPT1-GPT4 的主要技术要点")
    assert "- GPT1\n  - 基于 Transformer 架构" in gpt.answer


def test_a_note_without_answer_is_kept_with_an_empty_answer(seed_bank):
    assert _by_question(seed_bank, "多层堆叠时如何避免梯度消失和梯度爆炸").answer == ""


def test_a_trailing_count_is_read_as_frequency(seed_bank):
    sparse = _by_question(seed_bank, "Sparse Attention 稀疏注意力")
    assert sparse.question == "Sparse Attention 稀疏注意力" and sparse.frequency == 2


def test_no_question_carries_navigation_or_boilerplate(seed_bank):
    for question in seed_bank.questions:
        assert not any(word in question.question for word in ("往期文章", "公众号", "跳至主要內容", "http", "篇"))
        assert question.topics


def test_the_import_does_not_depend_on_the_order_of_files():
    files = sorted(SEEDS.iterdir())
    assert read_bank(files).questions == read_bank(list(reversed(files))).questions


def test_paraphrases_by_different_authors_are_linked_not_merged(seed_bank):
    qk = _by_question(seed_bank, "为什么 Q 和 K 要使用不同的权重矩阵")
    other = _by_question(seed_bank, "Transformer自注意力计算中，为什么Q和K")
    assert qk.key != other.key
    assert {(p.key_a, p.key_b) for p in seed_bank.similar} >= {tuple(sorted((qk.key, other.key)))}
    dora, longlora = _by_question(seed_bank, "DoRA"), _by_question(seed_bank, "LongLoRA")
    assert all({p.key_a, p.key_b} != {dora.key, longlora.key} for p in seed_bank.similar)


def test_a_qa_heading_without_question_text_names_file_and_line():
    with pytest.raises(BankFormatError, match=r"^bad\.md:3: "):
        parse_text("# Title\n\n### Q. \n> **Company**: x\n\nanswer\n", "bad.md")


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_the_corpus_imports_its_banks_and_skips_the_rest():
    bank = read_bank([CORPUS])
    assert sorted(Path(s.path).name for s in bank.skipped) == ["LICENSE", "README.md", "SOURCE.md"]
    assert len(bank.files) == 17 and 130 <= len(bank.questions) <= 150
    answers = "\n".join(q.answer for q in bank.questions)
    assert "| 模型" in answers and "$$" in answers and "\\[" in answers
    assert not any("**Company**" in q.answer for q in bank.questions)


def test_the_question_bank_never_imports_flask_or_the_database():
    import ast

    for module in (REPO / "webapp" / "questionbank").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in {"flask", "sqlalchemy", "flask_sqlalchemy"} for n in names), module
            assert not any(n.startswith(("webapp.models", "webapp.extensions")) for n in names), module
