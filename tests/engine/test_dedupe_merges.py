"""Merging copies of a question: each merge is reported, and headings that differ in a number or name never merge."""

from webapp.questionbank import parse_text, read_bank
from webapp.questionbank.dedupe import distinguishing_tokens, group_copies

NUMBERED_HEADINGS = "".join(
    f"# {number}.在大模型面试中关于注意力机制最常被问到的问题{ordinal}\n\n答案{ordinal}：注意力是加权求和。\n\n"
    for number, ordinal in enumerate("一二三四", start=1)
)


def test_headings_that_differ_only_in_an_ordinal_stay_four_questions():
    copies = parse_text(NUMBERED_HEADINGS, "numbered.md")
    assert len(copies) == 4
    assert len(group_copies(copies)) == 4


def test_headings_that_differ_in_a_number_or_a_model_name_never_merge():
    text = ("# 1.LoRA微调时秩r一般取多少合适呢\n\n回答。\n\n# 2.DoRA微调时秩r一般取多少合适呢\n\n回答。\n\n"
            "# 3.GPT-3的上下文窗口长度是多少个token\n\n回答。\n\n# 4.GPT-4的上下文窗口长度是多少个token\n\n回答。\n")
    assert len(group_copies(parse_text(text, "names.md"))) == 4


def test_the_same_question_in_two_files_still_merges_and_the_merge_is_reported(tmp_path):
    (tmp_path / "a.md").write_text("# 1.什么是 KV cache？\n\n缓存注意力的键和值。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# 7.什么是KV Cache?\n\n缓存 K 和 V，避免重复计算。\n", encoding="utf-8")
    bank = read_bank([tmp_path])
    assert len(bank.questions) == 1
    [merge] = bank.merges
    described = merge.describe()
    assert "a.md:1" in described and "b.md:1" in described and "same text once normalized" in described


def test_distinguishing_tokens_read_numbers_ordinals_and_names_after_normalizing():
    assert distinguishing_tokens("第二层的LoRA") == ("二", "lora")
    assert distinguishing_tokens("Ｑ1和q2") == ("q1", "q2")
