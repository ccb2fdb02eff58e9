"""Question-bank parsing, dedupe and topics on the real seed documents and the shared corpus."""

import re
from pathlib import Path

import pytest

from webapp.questionbank import BankFormatError, formats, parse_text, read_bank, similarity
from webapp.questionbank.enumerations import enumerations_as_lists

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


@pytest.mark.parametrize("title", ["GRPO 为什么用 k3？", "Transformer 的优势?", "PD 分离（prefill/decode）"])
def test_a_trailing_count_after_a_question_mark_or_bracket_is_read_as_frequency(title):
    notes = f"训练篇\n\n什么是LoRA?\n\n低秩适配。\n\n{title} 2\n\n  • 一个要点\n"
    asked = parse_text(notes, "notes.txt")[-1]
    assert (asked.question, asked.frequency) == (title, 2)


def test_no_question_carries_navigation_or_boilerplate(seed_bank):
    for question in seed_bank.questions:
        assert not any(word in question.question for word in ("往期文章", "公众号", "跳至主要內容", "http", "篇"))
        assert question.topics


def test_the_import_does_not_depend_on_the_order_of_files():
    files = sorted(SEEDS.iterdir())
    assert read_bank(files).questions == read_bank(list(reversed(files))).questions


def _linked(bank, a, b):
    return any({p.key_a, p.key_b} == {a.key, b.key} for p in bank.similar)


STRONG_PARAPHRASES = [
    ("为什么 Q 和 K 要使用不同的权重矩阵", "Transformer自注意力计算中，为什么Q和K"),
    ("为什么要多头", "多头注意力相比单头有什么好处"),
    ("LoRA 相比于全参数训练,为什么可以提升训练效率", "LoRA和全参数训练在计算量和显存上相比如何"),
]
LISTED_PARAPHRASES = [
    ("在NLP中为什么不用BatchNormalization", "为什么Transformer用layernorm而不是batchnorm"),
    ("什么是 LLMs 复读机问题", "大模型为什么会有重复输出或者不能停止的现象"),
    ("为什么要进行 scale", "为什么scaled dot-product attention在计算QK内积之后要除以根号d"),
]


def _key_pairs(bank, pairs):
    return {frozenset((_by_question(bank, a).key, _by_question(bank, b).key)) for a, b in pairs}


@pytest.mark.parametrize(("one", "other"), STRONG_PARAPHRASES + LISTED_PARAPHRASES)
def test_paraphrases_by_different_authors_are_linked_not_merged(seed_bank, one, other):
    first, second = _by_question(seed_bank, one), _by_question(seed_bank, other)
    assert first.key != second.key and _linked(seed_bank, first, second)


def test_the_measure_alone_links_only_the_strong_paraphrases_of_the_seeds(seed_bank):
    measured = similarity.measured_pairs({q.key: (q.question, q.answer) for q in seed_bank.questions})
    assert {frozenset((p.key_a, p.key_b)) for p in measured} == _key_pairs(seed_bank, STRONG_PARAPHRASES)


def test_the_seeds_link_only_the_measured_and_listed_paraphrases(seed_bank):
    expected = _key_pairs(seed_bank, STRONG_PARAPHRASES + LISTED_PARAPHRASES)
    assert {frozenset((p.key_a, p.key_b)) for p in seed_bank.similar} == expected


def test_a_listed_pair_is_found_by_its_text_whatever_the_spacing_width_and_case():
    pairs = similarity.listed_pairs({
        "a": ("为什么要进行Scale", "缩放点积。"),
        "b": ("在 Transformer 模型中,为什么 Scaled Dot-Product Attention 在计算 QK 内积之后要除以根号 d?",
              "防止饱和。"),
        "c": ("什么是 LLMs 复读机问题?", "重复输出。"),
    })
    assert [(p.key_a, p.key_b) for p in pairs] == [("a", "b")]


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_the_corpus_adds_no_link_to_the_seeds():
    bank = read_bank([SEEDS, CORPUS])
    assert _key_pairs(bank, STRONG_PARAPHRASES + LISTED_PARAPHRASES) == {
        frozenset((p.key_a, p.key_b)) for p in bank.similar}


def test_neighbouring_lora_variants_stay_unlinked(seed_bank):
    lora, dora, longlora = (next(q for q in seed_bank.questions if q.question == name)
                            for name in ("LoRA", "DoRA", "LongLoRA"))
    assert not _linked(seed_bank, dora, lora) and not _linked(seed_bank, dora, longlora)
    assert not _linked(seed_bank, lora, longlora)


PRIMARY_TOPICS = {
    "为什么要进行 scale": "attention",
    "为什么 Q 和 K 要使用不同的权重矩阵": "attention",
    "GPT1-GPT4 的主要技术要点": "architectures",
    "LLaMA 的技术改进": "architectures",
    "Encoder-Decoder 有什么好处": "architectures",
    "为什么现在主流的LLM模型基本都是Decoder-only": "architectures",
    "位置编码内插后注意力计算会增加": "position-encoding",
    "在NLP中为什么不用BatchNormalization": "normalization-activation",
    "Bert的预训练方式是MLM": "pretraining",
    "RLHF 的几个阶段的 Loss": "alignment",
    "思维链有什么好处": "applications",
    "LoRA的参数是怎么初始化的": "finetuning",
    "fp32 和 fp16 的区别": "training-efficiency",
    "什么是 LLMs 复读机问题": "decoding-inference",
    "Xavier初始化思路是什么": "dl-foundations",
    "除了 loss 之外,如何在训练过程中监控模型能力": "evaluation",
}


@pytest.mark.parametrize(("question", "topic"), PRIMARY_TOPICS.items())
def test_a_question_gets_the_right_primary_topic(seed_bank, question, topic):
    assert _by_question(seed_bank, question).topics[0] == topic


def test_the_fallback_topic_is_rare(seed_bank):
    assert sum(q.topics == ("dl-foundations",) for q in seed_bank.questions) <= 8


def test_no_plain_text_bullet_survives_the_import(seed_bank):
    assert not any("•" in q.answer for q in seed_bank.questions)
    assert "- 并行化能力更强" in _by_question(seed_bank, "Transformer 的优势是什么").answer


def test_answer_text_before_the_first_plain_title_names_file_and_line():
    notes = "跳至主要內容\n\n大约 3 分钟\n\n  • 没有题目的要点\n\n什么是LoRA?\n\n  • 低秩适配\n"
    with pytest.raises(BankFormatError) as error:
        parse_text(notes, "notes.txt")
    assert str(error.value) == "notes.txt:5: answer text before the first question title"


def test_a_plain_notes_title_line_above_the_first_section_is_no_question():
    notes = ("大模型面试笔记（自己整理）\n\n训练篇\n\n什么是LoRA?\n\n  • 低秩适配\n\n混合精度\n\n推理篇\n\n"
             "KV cache 是什么？\n\n缓存 K 和 V。\n")
    questions = parse_text(notes, "notes.txt")
    assert [q.question for q in questions] == ["什么是LoRA?", "混合精度", "KV cache 是什么？"]
    assert questions[1].answer == ""
    for asked in ("为什么要多头？", "Transformer 的优势?"):
        found = parse_text(f"{asked}\n\n训练篇\n\n什么是LoRA?\n\n低秩适配。\n", "notes.txt")
        assert [q.question for q in found] == [asked, "什么是LoRA?"]


def test_plain_notes_boilerplate_under_the_title_and_after_the_last_answer_is_dropped():
    # Seen when fresh37 was written: the author and follow-us lines became the answer of a question named after the
    # notes, and the sign-off the last answer's end.
    notes = ("大模型面试八股第七弹\n\n作者：阿橙\n欢迎关注公众号「橙子的炼丹笔记」\n合集：https://zhuanlan.zhihu.com/p/1\n\n"
             "Dropout 和 DropPath 的区别是什么？\n\n• DropPath 按样本丢整条残差分支。\n\n"
             "（完）觉得有用的话点个赞，我们下期见～\n")
    questions = parse_text(notes, "notes.txt")
    assert [(q.question, q.answer) for q in questions] == [
        ("Dropout 和 DropPath 的区别是什么？", "- DropPath 按样本丢整条残差分支。")]


@pytest.mark.parametrize("name", ["深度学习训练基本功：面试高频八股（整理版）", "训练 基本功"])
def test_a_plain_notes_name_worded_as_no_title_is_no_answer_text(name):
    # Seen when fresh46 was written: a colon or a space in the notes' first line failed the whole file.
    notes = f"{name}\n\n为什么要用残差连接？\n\n• 缓解梯度消失。\n\nAdam 和 SGD 的区别？\n\n• Adam 自适应学习率。\n"
    assert [(q.question, q.answer) for q in parse_text(notes, "notes.txt")] == [
        ("为什么要用残差连接？", "- 缓解梯度消失。"), ("Adam 和 SGD 的区别？", "- Adam 自适应学习率。")]
    with pytest.raises(BankFormatError, match=r"notes\.txt:1: answer text before the first question title"):
        parse_text("残差连接缓解梯度消失。\n\n为什么要用残差连接？\n\n• 恒等映射。\n", "notes.txt")


@pytest.mark.parametrize("placeholder", ["（待补充，下期再写）", "TODO", "【未完待续】"])
def test_a_placeholder_is_no_answer(placeholder):
    # Seen when fresh47 was written: an unanswered heading took "（待补充，下期再写）" as its answer.
    bank = f"# 1. MCP 是什么？\n\n模型调用外部工具的协议。\n\n# 2. A2A 是什么？\n\n{placeholder}\n"
    assert [(q.question, q.answer) for q in parse_text(bank, "bank.md")] == [
        ("MCP 是什么？", "模型调用外部工具的协议。"), ("A2A 是什么？", "")]
    notes = f"A2A 是什么？\n\n{placeholder}\n\nMCP 是什么？\n\n• 模型调用外部工具的协议。\n"
    assert [q.answer for q in parse_text(notes, "notes.txt")] == ["", "- 模型调用外部工具的协议。"]


def test_a_qa_bank_sign_off_after_the_last_answer_is_dropped():
    # Seen when fresh36 was written: "以上就是本期内容…点个赞" was read into the last answer.
    bank = "# 整理\n\n### Q. SwiGLU 是什么？\n\n门控的 FFN。\n\n---\n\n以上就是本期内容，觉得有用的话点个赞。\n"
    assert [q.answer for q in parse_text(bank, "bank.md")] == ["门控的 FFN。"]


def test_a_folder_import_lists_what_it_skipped(tmp_path):
    (tmp_path / "LICENSE").write_text("MIT License\n\nPermission is hereby granted, free of charge.\n")
    (tmp_path / "README.md").write_text("# Bank\n\nTemplate:\n\n```\n### Q. 你的问题？\n\n答案\n```\n")
    (tmp_path / "bank.md").write_text("# 注意力\n\n### Q. 为什么要多头？\n> **Company**: x\n\n多个子空间。\n")
    bank = read_bank([tmp_path])
    assert [Path(f).name for f in bank.files] == ["bank.md"]
    assert [q.question for q in bank.questions] == ["为什么要多头？"]
    assert {Path(s.path).name: s.reason for s in bank.skipped} == {
        "LICENSE": "no Chinese question text",
        "README.md": "its question headings are only inside code fences (a template)",
    }


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


def test_an_inline_enumeration_becomes_an_ordered_list(seed_bank):
    assert _by_question(seed_bank, "Transformer自注意力计算中，为什么Q和K").answer == (
        "1. 如果Q和K一样，则矩阵乘积的结果是一个对称矩阵，这样减弱了模型的表达能力。\n"
        "2. 如果Q和K一样，乘积结果的对称矩阵中，对角线的值会比较大，导致每个位置过分关注自己。\n"
        "3. 使用不同的投影矩阵，参数增多，可以增强模型表达能力。"
    )


def test_parenthesized_numbers_on_separate_paragraphs_become_one_list(seed_bank):
    memory = _by_question(seed_bank, "大模型训练过程中有什么可以缓解显存不足的办法")
    assert [s.file[:3] for s in memory.sources] == ["001", "003"]
    assert memory.answer.startswith("1. 模型结构：使用LoRA、adaptor等训练\n2. 注意力计算底层优化：")


def test_the_text_before_an_inline_enumeration_stays_a_paragraph(seed_bank):
    ppo = _by_question(seed_bank, "RLHF中，PPO需要哪几个模型")
    assert ppo.answer.startswith("一般来说，PPO需要使用4个模型。\n\n1. Actor模型：由SFT初始化")


@pytest.mark.parametrize("lines", [
    ["1、只有一点，没有第二点。"],
    ["2、从二开始。", "3、然后是三。"],
    ["1、第一点。", "这里插了一段。", "2、第二点。"],
    ["显存大约是2.5倍。1.5B的模型也一样。"],
    ["```", "1.print(x)", "2.print(y)", "```"],
    ["$$", "1.x", "2.y", "$$"],
    ["  1、缩进的行。2、不动。"],
])
def test_text_that_is_not_clearly_an_enumeration_keeps_its_lines(lines):
    assert enumerations_as_lists(lines) == lines


def test_a_glued_number_without_a_sentence_end_stays_inside_its_item():
    assert enumerations_as_lists(["1.QK内积：h × s^2", "2.scaling：h × s^24.softmax：h × 3 × s^2"]) == [
        "1. QK内积：h × s^2", "2. scaling：h × s^24.softmax：h × 3 × s^2"]


def test_an_enumeration_right_after_an_item_closing_on_a_colon_nests_under_it():
    lines = ["1、GPipe：先做完所有前向。", "", "2、进一步的优化：", "（1）interleaved 1F1B；", "（2）Zero Bubble。", "",
             "总之 bubble 很难完全消除。"]
    assert enumerations_as_lists(lines) == [
        "1. GPipe：先做完所有前向。", "2. 进一步的优化：", "   1. interleaved 1F1B；", "   2. Zero Bubble。", "",
        "总之 bubble 很难完全消除。"]
    flat = ["1、第一点：", "", "2、第二点。"]
    assert enumerations_as_lists(flat) == ["1. 第一点：", "2. 第二点。"]


_MARKER = re.compile(r"\d{1,2}(?:、|[.．])|[（(]\d{1,2}[）)]|\s")


def _seed_copies():
    return [copy for path in sorted(SEEDS.glob("*.txt"))
            for copy in parse_text(path.read_text(encoding="utf-8"), path.name)]


def test_making_lists_loses_no_text_of_any_seed_answer(monkeypatch):
    converted = _seed_copies()
    monkeypatch.setattr(formats, "enumerations_as_lists", lambda lines: lines)
    original = _seed_copies()
    assert [c.question for c in converted] == [c.question for c in original]
    for after, before in zip(converted, original, strict=True):
        assert _MARKER.sub("", after.answer) == _MARKER.sub("", before.answer), after.question


def test_making_lists_twice_changes_nothing(seed_bank):
    for question in seed_bank.questions:
        lines = question.answer.splitlines()
        assert enumerations_as_lists(lines) == lines, question.question


def test_reading_the_seeds_twice_gives_the_same_bank(seed_bank):
    assert read_bank([SEEDS]) == seed_bank
