"""Grader 3's verdicts: per-point statuses a candidate can trust, named deductions, and no traps."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from webapp.grading import GRADER_VERSION, grade, key_point
from webapp.grading.normalize import normalize_for_matching
from webapp.grading.params import DEFAULT, Parameters
from webapp.grading.profiles import cues, filler_phrases
from webapp.grading.rules import (
    ANSWER_RULES,
    POINT_RULES,
    asked_name,
    compared_names,
    heading_subject,
    is_keyword_list,
    point_subjects,
)
from webapp.grading.text import opposite_sides, read

ROOT = Path(__file__).resolve().parents[2]


def status_without(rule: str, question: str, points: list, answer: str, point: int) -> str:
    """Check that `rule` alone contradicts the point, and give the point's status with the rule switched off."""
    result = grade(question, points, answer)
    assert result.points[point].status == "contradicted"
    assert [f.rule for f in result.findings if f.why] == [rule]
    return grade(question, points, answer, Parameters(disabled=frozenset({rule}))).points[point].status


RESIDUAL_QUESTION = "残差连接为什么能缓解梯度消失？"
RESIDUAL_POINTS = [key_point("残差连接让梯度可以跳过层直接传回，缓解梯度消失", "must"),
                   key_point("恒等映射保证深层网络至少不比浅层差", "nice")]


CROSS_QUESTION = "transformer中，encoder和decoder是怎么进行交互的？"
CROSS_POINTS = [key_point("decoder 每层先对自己的输入做一次 self-attention", "must"),
                key_point("cross-attention 中用 encoder 的输出作为 K、V", "must",
                          ["encoder output as keys and values"]),
                key_point("cross-attention 中用 decoder 的输入作为 Q", "must")]
# Right but for one slip: Q taken from the encoder.
CROSS_ONE_SLIP = ("decoder先做self-attention，cross-attention 里 encoder 的输出作为K、V，"
                  "Q 也来自 encoder 的输出，不是 decoder。")


@pytest.mark.parametrize("answer", ["梯度不会消失，因为有残差连接直接传回",
                                    "残差连接让梯度跳过层直接传回，缓解梯度消失"])
def test_a_short_right_answer_with_a_dont_know_word_inside_is_graded_not_zeroed(answer):
    result = grade(RESIDUAL_QUESTION, RESIDUAL_POINTS, answer)
    assert "dont_know" not in result.flags
    assert result.score >= 30
    assert result.points[0].status in ("hit", "partial")


@pytest.mark.parametrize("answer", ["不会", "这题我真的不会，跳过吧", "I don't know.", "不知道。。。", "pass"])
def test_i_dont_know_is_only_ever_the_whole_answer(answer):
    result = grade(RESIDUAL_QUESTION, RESIDUAL_POINTS, answer)
    assert result.flags == ("dont_know",)
    assert result.score == 0


def test_an_honest_dont_know_after_a_right_point_keeps_its_credit():
    result = grade(RESIDUAL_QUESTION, RESIDUAL_POINTS, "残差连接让梯度直接跳过层传回去。后面的我不清楚了。")
    assert result.points[0].status == "hit"
    assert result.score >= 60


PARALLEL_QUESTION = "大模型训练有哪些并行方式？"
PARALLEL_POINTS = [key_point("数据并行：每张卡一份完整模型，各卡处理不同数据，再同步梯度", "must"),
                   key_point("张量并行把单层的权重矩阵切到多张卡上", "must", ["张量并行"]),
                   key_point("流水线并行把不同的层放到不同的卡上", "must", ["流水线并行"])]
NORM_QUESTION = "各种Normalization的区别"
NORM_POINTS = [key_point("BN 对每个通道跨 batch 内样本统计，推理用全局统计", "must", ["BatchNorm"]),
               key_point("LN 对单个样本的特征维统计", "must", ["LayerNorm"]),
               key_point("IN 对单个样本的每个通道在空间维上归一化", "must", ["InstanceNorm"])]
DATA_PARALLEL = "数据并行每张卡一份完整模型，各卡处理不同的数据，再同步梯度。"


@pytest.mark.parametrize("unknown", ["张量并行、流水线并行这些分别怎么切，后面的我不清楚。",
                                     "张量并行和流水线并行我没了解过。"])
def test_methods_named_only_to_say_they_are_not_known_earn_nothing(unknown):
    result = grade(PARALLEL_QUESTION, PARALLEL_POINTS, DATA_PARALLEL + unknown)
    assert [point.status for point in result.points] == ["hit", "miss", "miss"]
    before = grade(PARALLEL_QUESTION, PARALLEL_POINTS, DATA_PARALLEL + unknown,
                   Parameters(disabled=frozenset({"dont_know_scope"})))
    assert before.points[2].status != "miss"


@pytest.mark.parametrize("unknown", ["别的像张量并行、流水线并行这些我只听过名字，具体怎么做不清楚。",
                                     "听说还有张量并行、流水线并行这类，具体怎么做我不知道。"])
def test_names_a_dont_know_gathers_earn_nothing_however_long(unknown):
    result = grade(PARALLEL_QUESTION, PARALLEL_POINTS, DATA_PARALLEL + unknown)
    assert [point.status for point in result.points] == ["hit", "miss", "miss"]
    before = grade(PARALLEL_QUESTION, PARALLEL_POINTS, DATA_PARALLEL + unknown,
                   Parameters(disabled=frozenset({"unknown_items"})))
    assert before.points[1].status != "miss"


def test_a_claim_before_the_dont_know_in_its_sentence_keeps_its_credit():
    answer = ("BN 对每个通道在整个 batch 的样本上统计，推理用全局统计。"
              "LN 是对单个样本做的，具体在哪个维度上、跟 IN 怎么区分，后面的我不清楚。")
    assert [point.status for point in grade(NORM_QUESTION, NORM_POINTS, answer).points] == ["hit", "hit", "miss"]


WRONG_ROBERTA_QUESTION = "Roberta在Bert的基础上做了什么优化？"
WRONG_ROBERTA_POINTS = [key_point("动态掩码：每次送入模型时重新随机选择 mask 位置", "must"),
                        key_point("去掉 NSP 任务，实验表明 NSP 无益甚至有害", "must", ["remove NSP", "no NSP"])]
WRONG_DYNAMIC_MASK = "RoBERTa 用动态掩码，每次送入时重新随机 mask。"


@pytest.mark.parametrize("retraction", ["这一点其实不对，并不是这样。", "这个说法是错的。", "刚才说错了。"])
def test_a_retracted_claim_earns_nothing_and_the_rest_keeps_its_credit(retraction):
    answer = WRONG_DYNAMIC_MASK + "去掉 NSP 任务，实验表明 NSP 无益甚至有害，" + retraction
    statuses = [point.status for point in grade(WRONG_ROBERTA_QUESTION, WRONG_ROBERTA_POINTS, answer).points]
    assert statuses == ["hit", "miss"]
    before = grade(WRONG_ROBERTA_QUESTION, WRONG_ROBERTA_POINTS, answer, Parameters(disabled=frozenset({"retracted"})))
    assert before.points[1].status == "hit"


@pytest.mark.parametrize("retraction", ["I was wrong about that.", "That is incorrect.", "That's not correct.",
                                        "Sorry, I misspoke.", "Scratch that."])
def test_a_retraction_in_english_withdraws_the_clause_before_it(retraction):
    points = [key_point("Softmax turns the logits into a probability distribution over the vocabulary", "must")]
    answer = "Softmax turns the logits into a probability distribution over the vocabulary. " + retraction
    assert grade("What does softmax do?", points, answer).points[0].status == "miss"


def test_a_retraction_withdraws_only_the_claim_before_it_not_a_later_restatement():
    answer = ("去掉 NSP 任务，实验表明 NSP 有益，刚才说错了。"
              + WRONG_DYNAMIC_MASK + "RoBERTa 去掉了 NSP 任务，实验表明 NSP 无益甚至有害。")
    statuses = [point.status for point in grade(WRONG_ROBERTA_QUESTION, WRONG_ROBERTA_POINTS, answer).points]
    assert statuses == ["hit", "hit"]


def test_a_verdict_on_something_else_is_no_retraction():
    answer = WRONG_DYNAMIC_MASK + "去掉 NSP 任务，实验表明 NSP 无益甚至有害，原来的做法不对。"
    assert grade(WRONG_ROBERTA_QUESTION, WRONG_ROBERTA_POINTS, answer).points[1].status == "hit"


PROMPT_QUESTION = "怎么构建一个好的 prompt？"
PROMPT_POINTS = [key_point("明确任务目标和期望的输出格式", "must"),
                 key_point("补充必要上下文：受众、背景和约束条件", "must")]


def test_a_dont_know_ending_a_clause_that_asks_scopes_it_without_a_speaker():
    answer = "先明确任务目标和输出格式。上下文那部分具体要补充什么没看过。"
    assert [point.status for point in grade(PROMPT_QUESTION, PROMPT_POINTS, answer).points] == ["hit", "miss"]


def test_someone_elses_not_knowing_scopes_nothing():
    answer = ("先明确任务目标和输出格式；然后补充上下文，我们默认的前提模型并不知道，"
              "所以要写明受众是谁、背景是什么、有哪些约束条件。")
    assert [point.status for point in grade(PROMPT_QUESTION, PROMPT_POINTS, answer).points] == ["hit", "hit"]


def test_a_dont_know_word_inside_a_claim_scopes_nothing():
    points = [key_point("残差连接让梯度可以跳过层直接传回，缓解梯度消失", "must")]
    assert grade(RESIDUAL_QUESTION, points, "梯度不会消失，因为残差连接让它跳过层直接传回").points[0].status == "hit"


PARALLEL_ALL = [*PARALLEL_POINTS, key_point("ZeRO 把优化器状态、梯度和参数分片到各卡", "nice"),
                key_point("3D 并行组合数据、张量和流水线并行", "nice")]
EVERY_PARALLEL = DATA_PARALLEL + "张量并行把单层的权重矩阵切到多张卡上。流水线并行把不同的层放到不同的卡上。"
NO_REST = Parameters(disabled=frozenset({"unknown_rest"}))


def test_an_answer_short_of_a_must_point_that_says_it_does_not_know_the_rest_is_not_stretched_to_full_marks():
    answer = DATA_PARALLEL + "其他的我不清楚。"
    assert grade(PARALLEL_QUESTION, PARALLEL_ALL, answer).score < grade(PARALLEL_QUESTION, PARALLEL_ALL, answer,
                                                                         NO_REST).score


@pytest.mark.parametrize("answer", [EVERY_PARALLEL + "其他的我不清楚。", DATA_PARALLEL])
def test_every_must_point_said_or_no_dont_know_keeps_the_stretch(answer):
    assert grade(PARALLEL_QUESTION, PARALLEL_ALL, answer).score == grade(PARALLEL_QUESTION, PARALLEL_ALL, answer,
                                                                          NO_REST).score


PARALLEL_ZERO = "ZeRO 把优化器状态、梯度和参数分片到各卡。"
PARALLEL_3D = "3D 并行组合数据、张量和流水线并行。"


@pytest.mark.parametrize(("answer", "ceiling"), [(EVERY_PARALLEL, DEFAULT.missed_cap),
                                                 (EVERY_PARALLEL + PARALLEL_ZERO, DEFAULT.missed_cap),
                                                 (EVERY_PARALLEL + PARALLEL_ZERO + PARALLEL_3D, 100)])
def test_a_100_needs_every_point_hit_nice_ones_too(answer, ceiling):
    assert grade(PARALLEL_QUESTION, PARALLEL_ALL, answer).score == ceiling


def test_a_points_words_said_of_another_name_do_not_state_it():
    answer = "BN 对每个通道在整个 batch 的样本上统计，推理用全局统计。LN 对单个样本在特征维上统计。"
    result = grade(NORM_QUESTION, NORM_POINTS, answer)
    assert [point.status for point in result.points] == ["hit", "hit", "miss"]
    assert any(finding.rule == "unnamed" for finding in result.findings)
    without = grade(NORM_QUESTION, NORM_POINTS, answer, Parameters(disabled=frozenset({"unnamed"})))
    assert without.points[2].status == "hit"


@pytest.mark.parametrize("stated", ["IN 对单个样本的每个通道在空间维上归一化。",
                                    "InstanceNorm 对单个样本的每个通道单独归一化。"])
def test_a_point_named_by_its_name_or_an_alias_is_stated(stated):
    result = grade(NORM_QUESTION, NORM_POINTS, "BN 对每个通道在整个 batch 的样本上统计。" + stated)
    assert result.points[2].status == "hit"
    assert not any(finding.rule == "unnamed" for finding in result.findings)


TRAINING_QUESTION = "Transformer 为什么容易训练、收敛？"
TRAINING_POINTS = [key_point("残差连接提供梯度直通路径，使深层可训练、收敛快", "must", ["残差连接"]),
                   key_point("LayerNorm 稳定各层输入分布，加速收敛", "must", ["LayerNorm"])]


def test_a_bare_mention_of_a_points_name_is_partial():
    answer = "主要是靠 warmup 调学习率，另外还有残差连接。"
    result = grade(TRAINING_QUESTION, TRAINING_POINTS, answer)
    assert result.points[0].status == "partial"
    assert any(finding.rule == "named_bare" for finding in result.findings)
    assert result.points[0].lowered_by == "named_bare"
    assert result.to_dict()["points"][0]["lowered_by"] == "named_bare"
    unruled = grade(TRAINING_QUESTION, TRAINING_POINTS, answer, Parameters(disabled=frozenset({"named_bare"})))
    assert unruled.points[0].status == "hit"
    assert unruled.points[0].lowered_by is None


@pytest.mark.parametrize("answer", ["有残差连接，提供了梯度直通路径，深层网络也能训练，收敛也快。",
                                    "还有残差连接，梯度可以直通回去，深层也能训。"])
def test_a_name_with_what_it_does_is_hit(answer):
    result = grade(TRAINING_QUESTION, TRAINING_POINTS, answer)
    assert result.points[0].status == "hit"
    assert result.points[0].lowered_by is None
    assert not any(finding.rule == "named_bare" for finding in result.findings)


def test_swapped_roles_contradict_the_point_and_say_why():
    answer = "decoder先做self-attention，然后在cross-attention里用decoder的输入作为K、V，encoder的输出作为Q。"
    result = grade(CROSS_QUESTION, CROSS_POINTS, answer)
    contradicted = [point for point in result.points if point.status == "contradicted"]
    assert contradicted
    assert all(point.score == 0 and point.why.startswith("你说") and "参考答案是" in point.why
               and point.lowered_by is None for point in contradicted)
    assert result.score <= 10


def test_symbols_bound_to_the_other_source_contradict_the_point_however_the_binding_is_worded():
    points = [key_point("cross-attention 中 Q 来自 decoder，K、V 来自 encoder 输出", "must")]
    swapped = "然后在cross-attention里用decoder的输入作为K、V，encoder的输出作为Q。"
    result = grade(CROSS_QUESTION, points, swapped)
    assert result.points[0].status == "contradicted" and result.points[0].why.startswith("你说")
    off = grade(CROSS_QUESTION, points, swapped, Parameters(disabled=frozenset({"swapped_sources"})))
    assert off.points[0].status != "contradicted"
    right = grade(CROSS_QUESTION, points, "用encoder的输出作为K、V，decoder的输入作为Q。")
    assert right.points[0].status in ("hit", "partial")


def test_an_answer_contradicting_more_points_than_it_hits_is_credited_with_none():
    answer = "decoder先做self-attention，然后在cross-attention里用decoder的输入作为K、V，encoder的输出作为Q。"
    result = grade(CROSS_QUESTION, CROSS_POINTS, answer)
    assert [(point.status, point.lowered_by) for point in result.points] == [
        ("miss", "outweighed"), ("contradicted", None), ("contradicted", None)]
    trusting = grade(CROSS_QUESTION, CROSS_POINTS, answer, Parameters(disabled=frozenset({"outweighed"})))
    assert trusting.points[0].status in ("hit", "partial")
    assert [point.status for point in grade(CROSS_QUESTION, CROSS_POINTS, CROSS_ONE_SLIP).points] == [
        "partial", "hit", "contradicted"]


def test_the_right_roles_hit_every_point():
    answer = ("decoder每层先对自己的输入做self-attention，再做cross-attention："
              "encoder的输出作为K、V，decoder的输入作为Q。")
    result = grade(CROSS_QUESTION, CROSS_POINTS, answer)
    assert [point.status for point in result.points] == ["hit", "hit", "hit"]
    assert result.score == 100


def test_an_english_alias_states_a_point_in_english():
    result = grade(CROSS_QUESTION, CROSS_POINTS, "Cross-attention uses the encoder output as keys and values.")
    assert result.points[1].status == "hit"


def test_a_bare_name_alias_only_half_states_a_point():
    points = [key_point("register_buffer 注册的张量会随模型保存进 state_dict", "must", ["state_dict"])]
    assert grade("register_buffer 有什么用？", points, "它和 state_dict 有关。").points[0].status != "hit"


def test_evidence_is_never_only_the_questions_own_words():
    points = [key_point("Google 发布了全词 mask（WWM），改进了 mask 方式", "nice"),
              key_point("RoBERTa 去掉了 NSP 任务", "must")]
    result = grade("RoBERTa 在 BERT 的基础上做了什么优化？", points, "RoBERTa is a BERT model trained by Facebook.")
    assert result.points[0].status == "miss"
    assert result.points[0].evidence == ()


def test_an_answer_covering_no_point_scores_at_most_ten():
    result = grade(RESIDUAL_QUESTION, RESIDUAL_POINTS,
                   "Adam 优化器维护一阶动量和二阶动量，对每个参数自适应地调整学习率。")
    assert all(point.status == "miss" for point in result.points)
    assert result.score <= 10
    assert "off_topic" in result.flags


def test_a_hundred_needs_every_must_point_hit():
    points = [key_point("残差连接让梯度可以跳过层直接传回", "must"),
              key_point("恒等映射保证深层网络不比浅层差", "must"), key_point("缓解了梯度消失问题", "nice")]
    result = grade(RESIDUAL_QUESTION, points, "残差连接让梯度可以跳过层直接传回，缓解梯度消失。")
    assert result.points[1].status != "hit"
    assert result.score < 100


def test_a_keyword_list_names_points_without_stating_them_and_says_so():
    result = grade(CROSS_QUESTION, CROSS_POINTS,
                   "cross-attention，self-attention，encoder输出，decoder输入，K，V，Q，mask")
    assert all(point.status != "hit" for point in result.points)
    assert [d.rule for d in result.deductions] == ["keyword_list"]
    assert result.flags[0] == "keywords_only"


RAMBLING_ANSWER = ("嗯，这个问题我之前面试也被问到过，当时答得不太好。"
                   "大模型这块东西实在太多了，每天都有新论文，我平时主要做业务，数据处理倒是做过不少。"
                   "残差连接让梯度可以跳过层直接传回去。"
                   "其他的我记不太清了，反正实际工作中一般直接用开源框架的默认配置，很少去改这些。")


def test_a_rambling_answer_keeps_what_it_states_less_a_moderate_cut():
    result = grade(RESIDUAL_QUESTION, RESIDUAL_POINTS, RAMBLING_ANSWER)
    unrambled = grade(RESIDUAL_QUESTION, RESIDUAL_POINTS, RAMBLING_ANSWER, Parameters(disabled=frozenset({"rambling"})))
    assert result.points[0].status == "hit"
    assert [d.rule for d in result.deductions] == ["rambling"]
    assert result.score == pytest.approx(0.75 * unrambled.score, abs=1)


LISTS_QUESTION = "LayerNorm 和 BatchNorm 有什么区别？"
LISTS_POINTS = [key_point("BatchNorm 对一个 batch 内同一特征做归一化，依赖 batch 大小", "must"),
                key_point("LayerNorm 对单个样本的所有特征做归一化，不依赖 batch", "must"),
                key_point("Transformer 和 LLM 多用 LayerNorm，因为序列长度可变、batch 小", "nice")]
LISTS_GROUPS = ("BatchNorm：batch 维、同一特征、依赖 batch 大小；LayerNorm：单个样本、所有特征、不依赖 batch；"
                "Transformer、LLM。")


@pytest.mark.parametrize(("text", "listed"), [
    (LISTS_GROUPS, True),
    ("Query、Key、Value；线性投影 W_Q / W_K / W_V；点积；缩放 √d_k；softmax；加权求和。", True),
    ("BatchNorm 跨样本，依赖 batch；LayerNorm 只看单个样本，训练推理一致；LLM 都用 LayerNorm。", False),
    ("对角线值大；每个位置只看自己；参数多；表达能力强。", False),
])
def test_term_groups_parted_by_semicolons_are_a_list_but_clauses_are_not(text, listed):
    assert is_keyword_list(normalize_for_matching(text).text, typed=text) is listed


@pytest.mark.parametrize(("text", "listed"), [
    ("等概率插入一个元素平均移动的元素个数是n/2\n第二问为(2n+1)/3", False),
    ("n/2\n(2n+1)/3", False),
    ("GPU/TPU/NPU", True),
    ("fp16/bf16, int8, LoRA", True),
])
def test_a_slash_or_plus_of_a_formula_parts_no_terms(text, listed):
    assert is_keyword_list(normalize_for_matching(text).text, typed=text) is listed


def test_a_semicolon_ends_a_clause_unless_the_typed_text_shows_term_groups():
    assert not is_keyword_list(normalize_for_matching(LISTS_GROUPS).text)


def test_labelled_term_groups_are_a_keyword_list_and_their_points_are_named_not_stated():
    result = grade(LISTS_QUESTION, LISTS_POINTS, LISTS_GROUPS)
    assert "keyword_list" in [deduction.rule for deduction in result.deductions]
    assert all(point.status != "hit" for point in result.points)
    prose = grade(LISTS_QUESTION, LISTS_POINTS, "BatchNorm 对一个 batch 内同一特征归一化，依赖 batch 大小；"
                  "LayerNorm 对单个样本的所有特征归一化，不依赖 batch；所以 Transformer 和 LLM 多用 LayerNorm。")
    assert "keyword_list" not in [deduction.rule for deduction in prose.deductions]
    assert result.score * 2 < prose.score


def test_the_json_output_keeps_the_contract_the_debrief_renders():
    answer = "decoder先做self-attention，然后用decoder的输入作为K、V，encoder的输出作为Q。"
    data = json.loads(json.dumps(grade(CROSS_QUESTION, CROSS_POINTS, answer).to_dict()))
    assert set(data) == {"score", "gradable", "points", "deductions", "flags", "version"}
    assert data["version"] == GRADER_VERSION == "3.30"
    assert all(set(point) == {"id", "text", "status", "score", "evidence", "why", "lowered_by"}
               for point in data["points"])
    assert {point["status"] for point in data["points"]} <= {"hit", "partial", "miss", "contradicted"}
    assert all(set(d) == {"rule", "effect", "spans"} and isinstance(d["effect"], int) and d["effect"] < 0
               for d in data["deductions"])


def test_the_score_is_the_points_less_the_deductions_in_whole_points():
    with_rules = grade(CROSS_QUESTION, CROSS_POINTS, CROSS_ONE_SLIP)
    without = grade(CROSS_QUESTION, CROSS_POINTS, CROSS_ONE_SLIP,
                    Parameters(disabled=frozenset(ANSWER_RULES)))
    assert with_rules.deductions
    assert with_rules.score == without.score + sum(d.effect for d in with_rules.deductions)


def test_every_rule_can_be_switched_off_by_its_name():
    answer = "decoder先做self-attention，然后用decoder的输入作为K、V，encoder的输出作为Q。"
    off = grade(CROSS_QUESTION, CROSS_POINTS, answer, Parameters(disabled=frozenset(POINT_RULES)))
    assert all(point.status != "contradicted" for point in off.points)


def test_no_opposite_word_sits_on_two_pairs_or_is_also_a_filler():
    words = [word for pair in cues().opposites for side in pair for word in side]
    assert len(words) == len(set(words))
    fillers = {normalize_for_matching(filler).text for filler in filler_phrases()}
    assert not fillers & set(words)


def test_near_synonyms_share_one_term():
    assert normalize_for_matching("通讯开销").text == normalize_for_matching("通信开销").text
    assert normalize_for_matching("显卡").text == normalize_for_matching("GPU").text


def test_the_command_line_grades_on_the_key_points_given():
    points = ["残差连接让梯度可以跳过层直接传回",
              {"text": "恒等映射保证深层网络不比浅层差", "weight": "nice", "aliases": ["identity"]}]
    line = json.dumps({"question": RESIDUAL_QUESTION, "reference": "- 无关的参考", "answer": "残差连接让梯度直接传回",
                       "key_points": points}, ensure_ascii=False)
    done = subprocess.run([sys.executable, "-m", "webapp.grading"], input=line, capture_output=True, text=True,
                          cwd=ROOT, check=True)
    result = json.loads(done.stdout)
    assert [point["text"] for point in result["points"]] == [points[0], points[1]["text"]]
    assert result["points"][0]["status"] == "hit"


def test_the_command_line_rejects_a_key_point_of_the_wrong_shape():
    line = json.dumps({"reference": "x", "answer": "y", "key_points": [{"weight": "must"}]})
    done = subprocess.run([sys.executable, "-m", "webapp.grading"], input=line, capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 1
    assert "line 1" in done.stderr


@pytest.mark.parametrize(("text", "listed"), [
    ("Longformer BigBird Reformer LSH Sparse Transformer", True),
    ("对称矩阵 对角线 表达能力 参数增多", True),
    ("KV cache 存的是每层投影后的 K 和 V，两份都要存", False),
])
def test_terms_parted_by_spaces_are_a_list_but_a_clause_with_english_names_is_not(text, listed):
    assert is_keyword_list(normalize_for_matching(text).text) is listed


GROUP_QUESTION = "GRPO 是什么？它与 PPO 有何区别？"
GROUP_POINTS = [key_point("GRPO 用组内相对奖励估计优势，不需要训练 Critic", "must"),
                key_point("PPO 依赖 Critic 估计价值，逐 token 做 credit assignment", "must")]
SWAPPED_METHODS = ("PPO 用组内相对奖励估计优势，不需要训练 Critic；"
                   "GRPO 依赖 Critic 估计价值，逐 token 做 credit assignment。")


def test_saying_of_one_compared_method_what_the_reference_says_of_the_other_contradicts_both_points():
    result = grade(GROUP_QUESTION, GROUP_POINTS, SWAPPED_METHODS)
    assert [point.status for point in result.points] == ["contradicted", "contradicted"]
    assert {f.rule for f in result.findings if f.why} == {"swapped_names"}
    assert result.points[0].why.startswith("你说“PPO 用组内相对奖励估计优势")
    assert result.score == 0


def test_without_the_swapped_names_rule_the_swapped_methods_read_as_stated():
    off = grade(GROUP_QUESTION, GROUP_POINTS, SWAPPED_METHODS, Parameters(disabled=frozenset({"swapped_names"})))
    assert [point.status for point in off.points] == ["hit", "hit"]


@pytest.mark.parametrize("answer", [
    "GRPO 用组内相对奖励估计优势，不需要训练 Critic；PPO 依赖 Critic 估计价值，逐 token 做 credit assignment。",
    # The other method's claim denied, or the other side of an opposite pair, agrees with the point.
    "GRPO 用组内相对奖励估计优势；PPO 则需要训练 Critic，逐 token 做 credit assignment。",
    # A comparison names both: it moves nothing.
    "GRPO 和 PPO 不同，GRPO 用组内相对奖励估计优势，不需要训练 Critic；"
    "PPO 依赖 Critic 估计价值，逐 token 做 credit assignment。",
])
def test_the_right_methods_or_a_comparison_of_them_are_not_swapped(answer):
    result = grade(GROUP_QUESTION, GROUP_POINTS, answer)
    assert "contradicted" not in [point.status for point in result.points]


def test_a_subject_carries_into_the_clauses_after_it_and_a_name_further_in_is_an_object():
    points = [key_point("GRPO 不需要额外训练一个价值模型，结构更简洁", "must")]
    carried = grade(GROUP_QUESTION, points, "PPO 依赖 Critic，需要额外训练一个价值模型，结构更简洁。")
    assert carried.points[0].status == "contradicted"
    objected = grade(GROUP_QUESTION, points, "GRPO (Group Relative Policy Optimization) 是 PPO 的变体，"
                                             "不需要额外训练一个价值模型，结构更简洁。")
    assert objected.points[0].status == "hit"


FLOPS_QUESTION = "Multi-Head Attention 中 Q、K、V 投影的计算量（FLOPs）是多少？"
FLOPS_POINTS = [key_point("m×k 乘 k×n 的矩阵乘约需 2mkn 次浮点运算", "must"),
                key_point("Q、K、V 三个线性投影共约 6sD²", "must", ["QKV 投影"])]


def test_a_wrong_coefficient_in_the_points_formula_contradicts_it_even_a_sentence_later():
    answer = "矩阵乘 m×k 乘 k×n 是 2mkn。QKV 三个线性投影每个 sD²，合计 3sD²。"
    result = grade(FLOPS_QUESTION, FLOPS_POINTS, answer)
    assert [point.status for point in result.points] == ["hit", "contradicted"]
    assert [f.rule for f in result.findings if f.why] == ["wrong_number"]
    off = grade(FLOPS_QUESTION, FLOPS_POINTS, answer, Parameters(disabled=frozenset({"wrong_number"})))
    assert off.points[1].status != "contradicted"
    assert off.score > result.score


def test_the_right_formula_stays_a_hit():
    result = grade(FLOPS_QUESTION, FLOPS_POINTS, "矩阵乘 m×k 乘 k×n 是 2mkn。QKV 三个线性投影每个 2sD²，合计 6sD²。")
    assert [point.status for point in result.points] == ["hit", "hit"]


@pytest.mark.parametrize(("answer", "contradicted"), [
    ("FFN 的中间层维度通常放大为 3 倍，再降回 d。", True),
    ("FFN 的中间层维度通常放大为 4 倍，再降回 d。", False),
    # The same unit in another slot counts something else.
    ("FFN 的中间层维度通常放大为 4 倍，参数量是注意力层的 2 倍。", False),
])
def test_a_count_in_the_points_slot_must_be_the_points(answer, contradicted):
    points = [key_point("FFN 的中间层维度通常放大为 4 倍", "must")]
    result = grade("Transformer 的 FFN 中间层维度一般是多少？", points, answer)
    assert (result.points[0].status == "contradicted") is contradicted


def test_a_number_inside_the_points_range_agrees_with_it():
    points = [key_point("SFT 的 epoch 不宜多，常取 1-3 轮", "must")]
    result = grade("SFT 训练多少个 epoch 合适？", points, "SFT 的 epoch 不宜多，常取 2 轮。")
    assert result.points[0].status == "hit"
    wrong = grade("SFT 训练多少个 epoch 合适？", points, "SFT 的 epoch 不宜多，常取 10 轮。")
    assert wrong.points[0].status == "contradicted"


GSPO_QUESTION = "GSPO相对于GRPO的改进有哪些？"
GSPO_POINTS = [key_point("背景问题：GRPO 在 Token 级别进行重要性比率计算（importance ratio）与剪裁（clipping）",
                         "must"),
               key_point("GSPO 的核心改进：使用 Sequence-Level Importance Ratio", "must")]


def test_a_change_from_one_compared_method_to_the_other_is_no_swap():
    answer = "GSPO 把重要性比率从 token 级别改成了序列级别。具体为什么更好，后面的我不清楚。"
    result = grade(GSPO_QUESTION, GSPO_POINTS, answer)
    assert "contradicted" not in [point.status for point in result.points]
    assert result.score > 0


def test_the_other_methods_sequence_level_reward_is_no_claim_about_its_ratio():
    answer = ("GRPO 的重要性比率和 clip 都是在 token 级别做的，"
              "但奖励是给整条回答的 sequence-level reward，两者粒度不匹配。"
              "GSPO 改成序列级的重要性比率，并在序列级别做 clip 和优化。")
    result = grade(GSPO_QUESTION, GSPO_POINTS, answer)
    assert [point.status for point in result.points] == ["hit", "hit"]


def test_a_hedge_after_a_number_is_not_the_slot_it_counts_in():
    points = [key_point("全参 SFT 学习率约 1e-5~5e-5，LoRA 常用更大的 1e-4~2e-4", "must")]
    answer = "全参 SFT 学习率 1e-5 到 5e-5，LoRA 用更大的，1e-4 左右。"
    question = "在sft中，哪些参数比较重要，有没有比较好的经验值"
    result = grade(question, points, answer)
    assert result.points[0].status == "hit"
    wrong = grade(question, points, "全参 SFT 学习率 1e-5 到 5e-5，LoRA 用更大的，1e-2 左右。")
    assert wrong.points[0].status == "contradicted"


ADAM_QUESTION = "Adam 和 AdamW 的原理是什么？"
ADAM_POINTS = [key_point("一阶矩是梯度的指数移动平均，起动量作用", "must"),
               key_point("每个参数存 m、v 两份状态，优化器显存约为参数的 2 倍", "nice")]


def test_another_term_of_the_question_in_the_points_slot_contradicts_it():
    result = grade(ADAM_QUESTION, ADAM_POINTS, "一阶矩是参数本身的移动平均，起动量作用。")
    assert result.points[0].status == "contradicted"
    assert [f.rule for f in result.findings if f.why] == ["substituted"]
    off = grade(ADAM_QUESTION, ADAM_POINTS, "一阶矩是参数本身的移动平均，起动量作用。",
                Parameters(disabled=frozenset({"substituted"})))
    assert off.points[0].status == "hit"


def test_the_points_own_term_in_its_slot_is_no_substitution():
    result = grade(ADAM_QUESTION, ADAM_POINTS, "一阶矩就是梯度的指数移动平均，相当于动量。")
    assert result.points[0].status == "hit"


CONVERGENCE_QUESTION = "如何判断一个模型是否收敛，从多个角度回答"
CONVERGENCE_POINTS = [key_point("训练 loss 趋于平稳，一段窗口内下降低于阈值", "must"),
                      key_point("梯度范数变小且稳定，参数更新量接近零", "must")]


def test_a_clause_that_names_the_points_subject_and_says_something_else_does_not_state_it():
    answer = "训练 loss 就是准确率的倒数，越低越好。"
    result = grade(CONVERGENCE_QUESTION, CONVERGENCE_POINTS, answer)
    assert result.points[0].status == "miss"
    assert result.score == 0
    assert "said_otherwise" in {f.rule for f in result.findings}
    off = grade(CONVERGENCE_QUESTION, CONVERGENCE_POINTS, answer, Parameters(disabled=frozenset({"said_otherwise"})))
    assert off.points[0].status == "partial"


def test_a_clause_that_goes_on_to_state_the_point_keeps_it():
    result = grade(CONVERGENCE_QUESTION, CONVERGENCE_POINTS, "训练 loss 趋于平稳，一段时间内基本不再下降。")
    assert result.points[0].status == "hit"


OVERFIT_QUESTION = "Transformer中有哪些加速收敛和防止过拟合的操作"
OVERFIT_POINTS = [
    key_point("残差连接提供梯度直通路径，使深层可训练、收敛快", "must", ["residual connection", "残差"]),
    key_point("LayerNorm 稳定各层输入分布，加速收敛", "must", ["LayerNorm", "LN", "Pre-LN"]),
    key_point("学习率先 warmup 再衰减，避免初期大梯度导致发散", "must", ["warmup", "Noam schedule"]),
    key_point("Dropout 加在子层输出、embedding 和注意力权重上防过拟合", "must", ["attention dropout", "dropout"]),
    key_point("Label smoothing（0.1）防止模型对标签过度自信", "nice", ["标签平滑", "label smoothing"]),
    key_point("点积除以 $\\sqrt{d_k}$ 防止 softmax 饱和，利于训练", "nice", ["scaled dot-product", "缩放点积"]),
]


@pytest.mark.parametrize(("answer", "point"), [("残差连接的作用是减少参数量，所以训练更快。", 0),
                                               ("LayerNorm 主要是防过拟合的，它和 dropout 一样给训练加随机性。", 1)])
def test_a_point_named_through_its_alias_with_another_claim_is_not_stated(answer, point):
    result = grade(OVERFIT_QUESTION, OVERFIT_POINTS, answer)
    assert result.points[point].status == "miss"
    assert "named_only" in {f.rule for f in result.findings}
    off = grade(OVERFIT_QUESTION, OVERFIT_POINTS, answer, Parameters(disabled=frozenset({"named_only"})))
    assert off.points[point].status == "hit"


@pytest.mark.parametrize(("answer", "status"), [("残差连接让梯度沿恒等路径直接传回底层，深层也能训练。", "hit"),
                                                ("还有残差连接、LayerNorm。", "partial")])
def test_an_alias_that_goes_on_to_state_the_point_or_is_only_listed_keeps_its_credit(answer, status):
    result = grade(OVERFIT_QUESTION, OVERFIT_POINTS, answer)
    assert result.points[0].status == status
    assert "named_only" not in {f.rule for f in result.findings}


OOM_QUESTION = "显存不够（OOM）一般怎么解决？"
OOM_POINTS = [key_point("梯度累积用小 micro-batch 达到大的有效 batch", "must", ["gradient accumulation"]),
              key_point("混合精度和重计算分别减少数值存储和激活显存", "must")]


def test_a_clause_that_ends_by_denying_what_it_names_contradicts_it():
    assert status_without("denied", OOM_QUESTION, OOM_POINTS, "梯度累积也没用。", 0) != "contradicted"


def test_a_denial_of_something_else_or_inside_a_clause_is_no_denial_of_the_point():
    for answer in ("用梯度累积，小 batch 累积几步再更新，不需要更大的显存。",
                   "梯度累积不用改模型结构，小 micro-batch 也能达到大的有效 batch。"):
        assert grade(OOM_QUESTION, OOM_POINTS, answer).points[0].status == "hit"


@pytest.mark.parametrize(("question", "points", "answer"), [
    # The clause names other points' terms first: it dismisses the length for those.
    ("模型的哪些部分比较耗显存？", [key_point("梯度，与参数量同规模", "must"),
                                   key_point("优化器状态，Adam 的一阶、二阶矩常以 fp32 保存", "must"),
                                   key_point("激活值，随 batch 和序列长度增长", "must")],
     "梯度和参数量同规模，优化器状态存 Adam 的一阶二阶矩。梯度和优化器状态和输入长度无关，激活值随着长度增加。"),
    # The point itself says there is no effect.
    ("RMSNorm 和 LayerNorm 有什么区别？", [key_point("去掉均值不影响效果，甚至提升训练稳定性", "must")],
     "实验上去掉均值对效果基本没影响，训练还更稳定。"),
])
def test_a_dismissal_of_another_points_term_or_agreeing_with_the_point_contradicts_nothing(question, points, answer):
    result = grade(question, points, answer)
    assert result.points[-1].status in ("hit", "partial")
    assert not any(f.why for f in result.findings)


@pytest.mark.parametrize(("clause", "negative"), [("PagedAttention 不管理 KV cache", True), ("模型不过拟合", True),
                                                  ("数据不过滤", True), ("不管序列多长", False),
                                                  ("不过模型很大", False)])
def test_not_managing_or_filtering_is_a_negation_where_no_matter_and_but_are_not(clause, negative):
    assert read(clause, Parameters()).clauses[0].negative is negative


VLLM_QUESTION = "vLLM 为什么推理快？"
VLLM_POINTS = [key_point("PagedAttention：像操作系统分页一样分块管理 KV cache", "must"),
               key_point("优化了 CUDA 内核", "nice")]
PPL_QUESTION = "困惑度是什么？和交叉熵有什么关系？"
PPL_POINTS = [key_point("困惑度越低，说明模型越自信，预测越准确", "must"),
              key_point("困惑度是交叉熵的指数形式", "must")]


def test_a_clause_that_names_the_subject_and_negates_the_points_predicate_contradicts_it():
    answer = "vLLM的PagedAttention不管理KV cache，它是把模型权重分页放到CPU内存里。"
    assert status_without("negated_predicate", VLLM_QUESTION, VLLM_POINTS, answer, 0) == "hit"


def test_a_negated_clause_saying_the_points_subject_as_it_does_still_negates_its_predicate():
    # Only a clause of the point clause's polarity agrees with it: "困惑度越低…不代表" is no agreement.
    result = grade(PPL_QUESTION, PPL_POINTS, "困惑度越低不代表模型越准确。")
    assert result.points[0].status == "contradicted"
    assert {f.rule for f in result.findings if f.why} == {"negated", "negated_predicate"}


@pytest.mark.parametrize(("question", "points", "answer"), [
    (VLLM_QUESTION, VLLM_POINTS, "PagedAttention 像操作系统分页那样分块管理 KV cache，不管序列多长都不浪费显存。"),
    (PPL_QUESTION, PPL_POINTS, "困惑度越低，模型预测越准确，也越自信。")])
def test_a_clause_that_names_the_subject_and_states_the_predicate_keeps_its_credit(question, points, answer):
    assert grade(question, points, answer).points[0].status in ("hit", "partial")


NF4_QUESTION = "NF4 和 int4 有什么区别？"
NF4_POINTS = [key_point("仍然是 16 个可选值，但在 0 附近更密集。", "must"),
              key_point("int4 是均匀分布的 16 个整数点", "must")]


def test_sparse_where_the_point_says_dense_reverses_it():
    for answer in ("NF4 的取值在两端更密集、0 附近更稀疏，照顾大权重。", "NF4 的取值在 0 附近更稀疏。"):
        result = grade(NF4_QUESTION, NF4_POINTS, answer)
        assert result.points[0].status == "contradicted"
        assert [f.rule for f in result.findings if f.why] == ["reversed"]
    right = grade(NF4_QUESTION, NF4_POINTS, "NF4 的 16 个值在 0 附近更密集，两端稀疏。")
    assert right.points[0].status == "hit"


OFFLINE_QUESTION = "推荐模型离线指标好、线上效果差，可能是什么原因？"
OFFLINE_POINTS = [key_point("曝光偏差：离线评估只基于已曝光样本，线上用户会看到没曝光过的内容", "must"),
                  key_point("数据分布漂移：离线测试集是历史数据，线上用户行为实时变化", "must")]


def test_the_same_distribution_where_the_point_says_a_difference_reverses_it():
    points = [key_point("离线评估只基于已曝光样本，线上用户会看到没见过的内容，造成行为分布差异", "must")]
    wrong = grade(OFFLINE_QUESTION, points, "离线样本覆盖了用户没见过的内容，和线上的行为分布完全一致。")
    assert wrong.points[0].status == "contradicted"
    assert [f.rule for f in wrong.findings if f.why] == ["reversed"]
    right = grade(OFFLINE_QUESTION, points, "离线只有已曝光样本，线上用户会看到没见过的内容，行为分布有差异。")
    assert right.points[0].status == "hit"


def test_an_opposite_word_framing_what_follows_says_no_side():
    points = [key_point("bf16 指数位与 fp32 相同，动态范围大，不易溢出", "must")]
    question = "bf16 和 fp16 有什么区别？"
    assert grade(question, points, "区别是 bf16 的指数位更多，动态范围大，不容易溢出。").points[0].status == "hit"
    assert grade(question, points, "bf16 的指数位和 fp32 不同，动态范围小。").points[0].status == "contradicted"


GELU_QUESTION = "激活函数GeLU是怎么设计的，有什么优点？"
GELU_POINTS = [key_point("GELU(x) = xΦ(x)，Φ 为标准正态分布的 CDF", "must", ["CDF", "累积分布函数"]),
               key_point("处处光滑可导，负半轴有小的非零输出和梯度", "must")]


def test_a_copula_denies_the_whole_predicate_past_its_de():
    answer = "公式里的 Φ(x) 并不是标准正态分布的累积分布函数。"
    assert status_without("negated_copula", GELU_QUESTION, GELU_POINTS, answer, 0) == "hit"


@pytest.mark.parametrize("answer", ["公式里的 Φ(x) 就是标准正态分布的累积分布函数。",
                                    "Φ(x) 是不是标准正态分布的累积分布函数？是的。",
                                    "Φ(x) 不是密度而是标准正态分布的累积分布函数。"])
def test_a_copula_that_asserts_asks_or_corrects_keeps_the_point(answer):
    assert grade(GELU_QUESTION, GELU_POINTS, answer).points[0].status == "hit"


MEMORY_QUESTION = "估计全量微调一个 7B 参数量的大模型,需要多少显存"
MEMORY_POINTS = [key_point("激活值取决于 batch 和序列长度，要另外估算", "must", ["activations", "激活"]),
                 key_point("7B 仅模型状态（参数、梯度、优化器）就约 112GB", "must", ["112G"])]


def test_saying_a_point_is_unrelated_to_what_it_depends_on_denies_it():
    answer = "模型状态约 112GB，激活值和 batch 大小无关。"
    result = grade(MEMORY_QUESTION, MEMORY_POINTS, answer)
    assert result.points[0].status == "contradicted"
    assert [f.rule for f in result.findings if f.why] == ["denied"]


@pytest.mark.parametrize("answer", ["模型状态约 112GB，激活值随 batch 和序列长度变化，和模型状态无关，要另外估算。",
                                    "模型状态约 112GB；激活值和 batch、序列长度有关，与参数精度无关。"])
def test_unrelated_to_something_else_keeps_the_point(answer):
    assert grade(MEMORY_QUESTION, MEMORY_POINTS, answer).points[0].status == "hit"


ZH_DATA_QUESTION = "中文指令微调的数据要注意什么？"
ZH_DATA_POINTS = [key_point("语料来源与合规性：首要问题是版权和隐私合规", "must"),
                  key_point("文本规范化：简繁混用、标点全半角不统一要统一处理", "must")]


def test_an_english_answer_states_data_and_policy_points_through_field_terms_both_languages_use():
    answer = ("Check provenance and compliance first: copyright and privacy come before anything else. Then unify "
              "mixed simplified and traditional characters and full-width versus half-width punctuation.")
    assert [point.status for point in grade(ZH_DATA_QUESTION, ZH_DATA_POINTS, answer).points] == ["hit", "hit"]
    point = [key_point("采集的轨迹来自旧策略，需要用比值修正新旧策略分布的差异", "must")]
    answer = "The rollouts come from the old policy, so the ratio of the new to the old policy corrects for the shift."
    assert grade("大模型强化学习中的重要性采样是什么？", point, answer).points[0].status == "hit"


def test_an_english_answer_on_other_data_work_states_none_of_those_points():
    answer = "Shuffle the data, batch it by length and train for three epochs with a cosine schedule."
    assert [point.status for point in grade(ZH_DATA_QUESTION, ZH_DATA_POINTS, answer).points] == ["miss", "miss"]


LATENCY_QUESTION = "生成 200 个 token 总耗时是大于还是小于 200ms？"
PREFIX_POINT = [key_point("如果没有 KV Cache，每次都要重复计算前缀", "must")]


def test_an_answer_that_negates_the_points_supposition_supposes_it_too():
    result = grade(LATENCY_QUESTION, PREFIX_POINT, "没有 KV Cache 更慢，每步都要重算整个前缀。")
    assert result.points[0].status == "hit"


def test_negating_what_follows_the_points_supposition_still_contradicts_it():
    result = grade(LATENCY_QUESTION, PREFIX_POINT, "即使没有 KV Cache，每步也不用重复计算前缀。")
    assert result.points[0].status == "contradicted"


INSTANCE_QUESTION = "常见的归一化方法有什么区别？"
INSTANCE_POINTS = [key_point("InstanceNorm 对单个样本的每个通道单独在空间维上归一化，常用于风格迁移", "must"),
               key_point("GroupNorm 把通道分成若干组，每组通道一起归一化，适合小 batch", "must"),
               key_point("RMSNorm 只除以均方根，不减均值", "nice")]


def test_giving_each_of_two_points_subjects_the_others_claim_contradicts_both():
    answer = ("InstanceNorm 把通道分成若干组，每组通道一起归一化；"
              "GroupNorm 是对单个样本的每个通道单独在空间维上归一化，常用于风格迁移。")
    result = grade(INSTANCE_QUESTION, INSTANCE_POINTS, answer)
    assert [point.status for point in result.points[:2]] == ["contradicted", "contradicted"]
    assert {f.rule for f in result.findings if f.why} == {"swapped_subjects"}
    assert result.points[0].why.startswith("你说“GroupNorm 是对单个样本的每个通道")
    off = grade(INSTANCE_QUESTION, INSTANCE_POINTS, answer, Parameters(disabled=frozenset({"swapped_subjects"})))
    assert [point.status for point in off.points[:2]] == ["hit", "hit"]


@pytest.mark.parametrize("answer", [
    "InstanceNorm 对单个样本的每个通道单独在空间维上归一化，常用于风格迁移；"
    "GroupNorm 把通道分成若干组，每组通道一起归一化。",
    # The other subject's claim denied agrees with the point.
    "InstanceNorm 对单个样本的每个通道单独在空间维上归一化；"
    "GroupNorm 不是每个通道单独在空间维上归一化，而是把通道分成若干组。",
    # Only one way round, and this point's subject never named: nothing is swapped with it.
    "GroupNorm 对单个样本的每个通道单独在空间维上归一化，常用于风格迁移。",
])
def test_a_subject_given_its_own_claim_or_only_one_claim_moved_is_no_swap(answer):
    result = grade(INSTANCE_QUESTION, INSTANCE_POINTS, answer)
    assert "swapped_subjects" not in {f.rule for f in result.findings}


def test_a_point_opening_with_a_label_speaks_of_the_point_before_it_and_a_stop_word_gives_way_to_an_alias():
    points = (("预训练（Pre-training）：学习通用语言知识", ()), ("数据：TB 级无标注语料", ()),
              ("SFT（监督微调）", ()), ("数据：高质量指令-响应对", ()), ("让模型学会遵循指令", ()),
              ("IN 对单个样本归一化", ("InstanceNorm",)))
    names = point_subjects(points, Parameters())
    assert [found[0] if found else None for found in names] == ["预训练", "预训练", "监督微调", "监督微调", None,
                                                                 "实例归一化"]
    # One name alone is no subject another point's could be swapped with.
    assert point_subjects(points[4:], Parameters()) == ((), ())


@pytest.mark.parametrize(("clause", "turned"), [("数据少的时候不能用 LLM 扩写", True),
                                                ("无监督语料去网上爬", False), ("多为无标注的通用语料", False)])
def test_cannot_use_turns_its_object_and_unsupervised_is_one_word(clause, turned):
    read_clause = read(clause, Parameters()).clauses[0]
    assert bool(read_clause.turned) is turned
    assert read_clause.negative is turned


PEFT_QUESTION = "参数高效微调有哪些方法？"
PEFT_POINTS = [key_point("Prefix Tuning 在每一层的注意力前面拼接可训练的前缀向量，LoRA 给权重矩阵加一个低秩的旁路更新",
                         "must"),
               key_point("只训练很少的参数，显存省", "nice")]


def test_giving_two_names_of_one_point_each_others_object_contradicts_it():
    answer = "Prefix Tuning 给权重矩阵加一个低秩的旁路更新；LoRA 在每一层的注意力前面拼接可训练的前缀向量。"
    assert status_without("swapped_within", PEFT_QUESTION, PEFT_POINTS, answer, 0) == "hit"


@pytest.mark.parametrize("answer", [
    "Prefix Tuning 在每一层的注意力前面拼接可训练的前缀向量；LoRA 给权重矩阵加一个低秩的旁路更新。",
    # One name given the other's object while keeping nothing of its own is no swap of the two.
    "Prefix Tuning 在每一层的注意力前面拼接可训练的前缀向量；LoRA 也在每一层前面拼接前缀向量。",
])
def test_each_name_with_its_own_object_or_one_object_shared_is_no_swap_within_a_point(answer):
    assert grade(PEFT_QUESTION, PEFT_POINTS, answer).points[0].status == "hit"


SAMPLING_QUESTION = "Top-k 和 Top-p 采样有什么区别？"
SAMPLING_POINTS = [key_point("Top-k 只保留概率最高的 k 个 token 再采样", "must"),
                   key_point("结合使用时先 Top-k 再 Top-p，Top-k 提供安全边界", "nice")]


@pytest.mark.parametrize("answer", [
    "Top-k 只保留概率最高的 k 个 token。两个一起用时先做 Top-p，再在剩下的里面取 Top-k。",
    "Top-k 保留概率最高的 k 个 token. When combined, first apply top-p, then top-k.",
])
def test_telling_two_steps_of_the_point_the_other_way_round_contradicts_it(answer):
    assert status_without("reversed_order", SAMPLING_QUESTION, SAMPLING_POINTS, answer, 1) != "contradicted"
    assert "参考答案是" in grade(SAMPLING_QUESTION, SAMPLING_POINTS, answer).points[1].why


@pytest.mark.parametrize("answer", [
    "Top-k 只保留概率最高的 k 个 token。两个一起用时先做 Top-k，再做 Top-p，Top-k 提供安全边界。",
    # The point's order told once is not taken back by a reversed aside.
    "一起用时先 Top-k 再 Top-p。有人会先 Top-p 再 Top-k，但不推荐。",
    # One step naming both is no order of the two; 优先 and 先验 open no step.
    "先把 Top-k 和 Top-p 都设好，再采样。Top-p 优先于温度，再看 Top-k 的先验。",
])
def test_steps_in_the_points_order_or_no_order_of_two_are_no_reversal(answer):
    result = grade(SAMPLING_QUESTION, SAMPLING_POINTS, answer)
    assert not any(f.rule == "reversed_order" for f in result.findings)


PEFT_COST_QUESTION = "Prompt Tuning、Prefix Tuning 和 LoRA 各有什么优缺点？"
PEFT_COST_POINTS = [key_point("Prefix Tuning：在每层的 Key/Value 前加可训练前缀向量", "must"),
                    key_point("缺点：参数量和推理开销比 Prompt Tuning 略大", "nice"),
                    key_point("LoRA：给权重矩阵加低秩旁路，效果接近全参微调", "must")]


@pytest.mark.parametrize("answer", [
    "Prefix Tuning 在每层的 Key 和 Value 前加可训练前缀向量，它的参数量和推理开销反而比 Prompt Tuning 还小。",
    "Prefix Tuning 在每层的 Key 和 Value 前加可训练前缀向量。Prompt Tuning 的参数量和推理开销比 Prefix Tuning 大。",
])
def test_a_comparison_turned_round_contradicts_the_point(answer):
    assert status_without("reversed_comparison", PEFT_COST_QUESTION, PEFT_COST_POINTS, answer, 1) != "contradicted"


@pytest.mark.parametrize("answer", [
    "Prefix Tuning 在每层的 Key 和 Value 前加可训练前缀向量，缺点是参数量和推理开销比 Prompt Tuning 略大一些。",
    # Compared with something else, or on another attribute: no turn of this comparison.
    "Prefix Tuning 在每层的 Key 和 Value 前加可训练前缀向量，参数量和推理开销比 LoRA 小。",
    "Prefix Tuning 在每层的 Key 和 Value 前加可训练前缀向量，训练时显存比全参微调小很多。",
    # 比例 is no comparison of two things; another subject's comparison is its own.
    "Prefix Tuning 在每层的 Key 和 Value 前加可训练前缀向量，前缀占参数量的比例很小。",
    "Prefix Tuning 在每层的 Key 和 Value 前加前缀向量。LoRA 的参数量和推理开销比 Prompt Tuning 还小。",
])
def test_the_same_comparison_or_another_one_is_no_reversal(answer):
    result = grade(PEFT_COST_QUESTION, PEFT_COST_POINTS, answer)
    assert not any(f.rule == "reversed_comparison" for f in result.findings)


MOMENT_QUESTION = "Adam 优化器是怎么工作的？"
MOMENT_POINTS = [key_point("一阶矩是梯度的指数移动平均，起动量作用", "must"),
                 key_point("m、v 从 0 初始化会偏小，需除以 1-β^t 做偏差修正", "must"),
                 key_point("LoRA 的秩 r 常取 8~64", "nice")]


def test_another_bare_number_in_the_points_slot_contradicts_it():
    answer = "一阶矩是梯度的指数移动平均，起动量作用。m 和 v 一开始初始化为 1，所以要除以 1-β^t 做偏差修正。"
    assert status_without("wrong_value", MOMENT_QUESTION, MOMENT_POINTS, answer, 1) == "hit"


@pytest.mark.parametrize("answer", [
    "一阶矩是梯度的指数移动平均。m 和 v 初始化为 0，所以开始偏小，要除以 1-β^t 做偏差修正。",
    # A number inside the point's range, or beside words the point's number is not beside.
    "一阶矩是梯度的指数移动平均。LoRA 的秩 r 常取 16。",
    "m、v 从 0 初始化会偏小，训练 3 个 epoch 以后偏差修正就不重要了。",
])
def test_the_points_number_or_one_in_its_range_or_another_slot_is_no_wrong_value(answer):
    result = grade(MOMENT_QUESTION, MOMENT_POINTS, answer)
    assert not any(f.rule == "wrong_value" for f in result.findings)


PPL_TOPIC_QUESTION = "什么是困惑度？"
PPL_TOPIC_POINTS = [key_point("困惑度越低，说明模型越自信，预测越准确", "must"),
                    key_point("困惑度是交叉熵的指数形式", "must")]


def test_the_opposite_degree_said_of_the_questions_topic_reverses_the_point():
    answer = "困惑度是交叉熵的指数形式。困惑度越高，说明模型越自信，预测越准确。"
    result = grade(PPL_TOPIC_QUESTION, PPL_TOPIC_POINTS, answer)
    assert result.points[0].status == "contradicted"
    assert [f.rule for f in result.findings if f.why] == ["reversed"]


@pytest.mark.parametrize("answer", ["困惑度是交叉熵的指数形式。困惑度越低，说明模型越自信，预测越准确。",
                                    # The degree said of another subject than the topic the point opens with.
                                    "困惑度是交叉熵的指数形式，交叉熵越高困惑度也越大；困惑度越低预测越准确。"])
def test_the_same_degree_of_the_topic_or_a_degree_of_another_subject_is_no_reversal(answer):
    assert grade(PPL_TOPIC_QUESTION, PPL_TOPIC_POINTS, answer).points[0].status == "hit"


SUMMARY_QUESTION = "中文指令微调的数据要注意什么？"
SUMMARY_POINT = key_point("中文 Instruction Tuning 的核心是“合规先行、清洗去重、格式规范、对齐一致、安全中立”", "must")


@pytest.mark.parametrize("answer", ["清洗很重要，还要去重。",
                                    "网上转载多，要去重；标点不统一的要规范化；格式统一，不能都是一个模板。"])
def test_the_words_of_a_long_points_item_said_apart_make_it_partial(answer):
    on = grade(SUMMARY_QUESTION, [SUMMARY_POINT], answer).points[0]
    off = grade(SUMMARY_QUESTION, [SUMMARY_POINT], answer, Parameters(disabled=frozenset({"bridged"}))).points[0]
    assert (off.status, on.status) == ("miss", "partial")
    assert on.score == Parameters().partial


@pytest.mark.parametrize(("points", "answer"), [
    ([SUMMARY_POINT], "合规和安全最重要。"),  # the first words of two items, neither item said
    ([SUMMARY_POINT], "数据要清洗，格式不用管。"),
    ([key_point("合规先行、清洗去重、格式规范", "must")], "清洗很重要，还要去重。"),  # a short point
])
def test_words_of_no_whole_item_or_of_a_short_point_bridge_nothing(points, answer):
    on = grade(SUMMARY_QUESTION, points, answer).points[0]
    off = grade(SUMMARY_QUESTION, points, answer, Parameters(disabled=frozenset({"bridged"}))).points[0]
    assert on == off
    assert on.status == "miss"


def test_a_short_point_would_bridge_without_its_length_bar():
    point = key_point("合规先行、清洗去重、格式规范", "must")
    result = grade(SUMMARY_QUESTION, [point], "清洗很重要，还要去重。", Parameters(bridge_min_units=0))
    assert result.points[0].status == "partial"


def test_a_point_partial_only_through_its_word_joins_is_not_worth_contradicting():
    question = "为什么模型 A 离线效果好，上线后反而变差？"
    point = key_point("模型A线上变差多因数据分布、特征对齐、指标设计及系统实现差异导致，"
                      "核心是离线评估与真实线上环境不一致。", "must")
    answer = "特征没有对齐，数据分布也变了。"
    # Without the joins of long points (rule `straddling`), which alone make it partial now.
    on = grade(question, [point], answer, Parameters(join_min_units=1000)).points[0]
    off = grade(question, [point], answer,
                Parameters(join_min_units=1000, disabled=frozenset({"bridged"}))).points[0]
    assert (on.status, on.why) == ("partial", None)
    assert off.status == "miss"


HITS_GPT_QUESTION = "GPT 系列从 GPT-1 到 GPT-4 各有什么主要变化？"
HITS_GPT_POINTS = [key_point("GPT-3：175B 参数，通过 in-context learning 做 few-shot", "must"),
                   key_point("GPT-4：支持图像输入的多模态模型，经 RLHF 对齐", "must"),
                   key_point("InstructGPT 用 SFT、奖励模型、PPO 三步做 RLHF", "must")]


def test_hyphenated_english_terms_are_no_function_words_so_their_list_is_no_prose():
    answer = "Decoder-only, BooksCorpus, WebText, zero-shot, 175B, few-shot, in-context learning, RLHF, PPO, 多模态"
    result = grade(HITS_GPT_QUESTION, HITS_GPT_POINTS, answer)
    assert "keyword_list" in [deduction.rule for deduction in result.deductions]
    assert all(point.status != "hit" for point in result.points)


def test_a_chinese_list_of_long_english_names_is_a_list():
    text = ("人类偏好、pairwise 比较、排序标注、同一 prompt 多回答、标量奖励、reward head、Bradley-Terry、"
            "-log σ(r_w - r_l)、RLHF、PPO。")
    assert is_keyword_list(normalize_for_matching(text).text)


HITS_LONGLORA_QUESTION = "LongLoRA 是怎么高效扩展上下文的？"
HITS_LONGLORA_POINT = key_point("推理时仍用完整的标准注意力，模型结构不变", "must", ["full attention at inference"])


def test_one_word_of_an_alias_does_not_say_it():
    answer = "长文本的难点是注意力是二次复杂度，序列一长就很贵。"
    assert grade(HITS_LONGLORA_QUESTION, [HITS_LONGLORA_POINT], answer).points[0].status == "miss"
    off = grade(HITS_LONGLORA_QUESTION, [HITS_LONGLORA_POINT], answer, Parameters(disabled=frozenset({"alias_part"})))
    assert off.points[0].status == "partial"


def test_an_alias_said_in_other_words_still_counts():
    point = key_point("Decoder 受因果掩码限制，靠前 token 的表示信息不完整", "must", ["只看左侧"])
    answer = "双向注意力每个词左右都能看；decoder 只能看左边，前面的词没有后文信息。"
    assert grade("理解任务上 encoder-only 和 decoder-only 哪个更好？", [point], answer).points[0].status != "miss"


HITS_RAG_QUESTION = "怎么减少 RAG 系统的幻觉？"
HITS_RAG_POINT = key_point("bad case 回流，用 DPO/GRPO 强化有据可依的偏好", "nice")


@pytest.mark.parametrize("answer", [
    "一是多路召回后面加 rerank。别的像 Grounded SFT、用 DPO 做偏好对齐这些我只听过名字，具体怎么做不清楚。",
    "一是多路召回后面加 rerank。至于 DPO 偏好对齐算不算有用，具体怎么做的，后面的我就不清楚了。",
])
def test_names_the_candidate_has_only_heard_of_are_no_evidence(answer):
    assert grade(HITS_RAG_QUESTION, [HITS_RAG_POINT], answer).points[0].status == "miss"


MISSES_PPL_POINTS = [key_point("困惑度 (Perplexity, PPL) 的定义", "must"),
                     key_point("与交叉熵 (Cross-Entropy) 的关系", "must"),
                     key_point("困惑度是交叉熵的指数形式，交叉熵衡量信息量", "must"),
                     key_point("困惑度越低，说明模型越自信，预测越准确", "nice")]


@pytest.mark.parametrize(("title", "subject"), [
    ("GPU 分区 (GPU Partitioning) 的思路", "gpu 分区"),
    ("什么是 MLA（Multi-Head Latent Attention）", "mla"),
    ("1) 背景：为什么需要重要性采样（Importance Sampling, IS）", "重要性采样"),
    ("与交叉熵 (Cross-Entropy) 的关系", "交叉熵"),
    ("KV Cache 在推理中的体现", "kv缓存 在推理"),
    ("过拟合是模型记住噪声的体现", None),
    ("这一缩放沿用 Shazeer 论文的做法", None),
    ("对比之下 bf16 推理只需权重约 14GB", None),
    ("残差连接让梯度可以跳过层直接传回", None),
])
def test_a_point_that_is_only_a_section_title_is_told_from_a_claim(title, subject):
    assert heading_subject(title, Parameters()) == subject


def test_a_section_title_is_stated_by_an_answer_that_states_its_section():
    answer = "困惑度就是交叉熵取指数，越低说明模型对下一个词越有把握。"
    assert [p.status for p in grade(PPL_TOPIC_QUESTION, MISSES_PPL_POINTS, answer).points][:3] == ["hit", "hit", "hit"]
    without = grade(PPL_TOPIC_QUESTION, MISSES_PPL_POINTS, answer, Parameters(disabled=frozenset({"heading"})))
    assert [p.status for p in without.points][:2] == ["miss", "miss"]


@pytest.mark.parametrize("answer", ["困惑度越低，说明模型越自信，预测越准确。",  # never names cross-entropy
                                    "困惑度不是交叉熵的指数形式，它越高模型越准。"])  # contradicts a point
def test_a_section_title_is_not_stated_when_its_subject_is_unnamed_or_the_answer_contradicts(answer):
    assert grade(PPL_TOPIC_QUESTION, MISSES_PPL_POINTS, answer).points[1].status == "miss"


MISS_MASK_QUESTION = "单向掩码和双向掩码有什么区别？"
MISS_MASK_POINTS = [key_point("2) 单向掩码（Unidirectional / Causal Mask）", "must"),
                    key_point("每个 token 只能看到自己和前面的 token，后面的位置被遮住", "must"),
                    key_point("每个 token 能看到整句，适合理解任务", "must")]


@pytest.mark.parametrize(("question", "point", "name"), [
    (MISS_MASK_QUESTION, "2) 单向掩码（Unidirectional / Causal Mask）", "单向掩码"),
    ("PPO 和 DPO 的区别是什么？", "PPO (Proximal Policy Optimization in RLHF)", "近端策略优化"),
    ("Transformer 有哪些组件？", "残差连接（Residual Connection）", None),  # a name the question does not ask about
    (MISS_MASK_QUESTION, "单向掩码只能看到前面的 token", None),  # a claim, no bare name
])
def test_a_bare_name_the_question_asks_about_is_told_from_a_claim(question, point, name):
    assert asked_name(point, read(question, Parameters()).units, Parameters()) == name


@pytest.mark.parametrize("answer", ["单向掩码和双向掩码我都不太清楚。",
                                    "单向掩码的每个 token 不能只看到前面的 token，它能看到整句。"])
def test_a_bare_name_the_question_asks_about_is_not_stated_by_an_answer_that_states_nothing_or_contradicts(answer):
    assert grade(MISS_MASK_QUESTION, MISS_MASK_POINTS, answer).points[0].status != "hit"


# A bare name the question asks about is stated by an answer that states its section (rule `asked_name`); a
# formula's LaTeX commands do not dilute a point (rule `formula_markup`).
@pytest.mark.parametrize(("question", "points", "answer", "rule", "without"), [
    (MISS_MASK_QUESTION, MISS_MASK_POINTS,
     "单向掩码就是每个 token 只能看到前面的，后面的位置被遮住，GPT 用；双向掩码前后都能看到。", "asked_name", "miss"),
    ("NF4 和 int4 量化有什么区别？", [key_point(r"映射方式：$x \to \text{round}(x/scale)$，再存为 int4。", "must")],
     "普通 int4 就是除以 scale 再 round，存成 int4。", "formula_markup", "partial")],
    ids=["asked_name", "formula_markup"])
def test_a_point_stated_is_hit_past_its_own_headings_and_markup(question, points, answer, rule, without):
    assert grade(question, points, answer).points[0].status == "hit"
    assert grade(question, points, answer, Parameters(disabled=frozenset({rule}))).points[0].status == without


@pytest.mark.parametrize("answer", ["Sparse Transformer 用跨步和固定块的模式，大概 O(n√n)。",
                                    "The Sparse Transformer uses strided and fixed blocks, roughly O(n sqrt n)."])
def test_a_formulas_root_stays_the_root_a_big_o_complexity_is_read_with(answer):
    points = [key_point("Sparse Transformer 用跨步/固定块模式，复杂度约 $O(n\\sqrt{n})$", "must")]
    result = grade("长文本稀疏注意力有哪些做法？", points, answer)
    assert result.points[0].status in ("hit", "partial")
    assert not any(f.rule == "wrong_complexity" for f in result.findings)


def test_bigrams_straddling_two_words_do_not_dilute_a_long_point():
    question = "讲讲 DeepSeek 的 MTP？"
    points = [key_point("DeepSeek-V3 技术报告明确引入了该多 token 预测目标，并报告带来评测收益与推理优化潜力。",
                        "must")]
    answer = "V3 的报告里用了它，评测有提升。"
    assert grade(question, points, answer).points[0].status == "partial"
    assert grade(question, points, answer, Parameters(disabled=frozenset({"straddling"}))).points[0].status == "miss"


LIST_QUESTION = "库存成本的构成有哪些？"
LIST_POINT = key_point("库存成本的构成：订货成本、保管成本、缺货成本、进货成本、固定成本和变动成本。", "must")


@pytest.mark.parametrize(("answer", "status"), [
    ("订货成本、保管成本、缺货成本、进货成本、固定成本和变动成本", "hit"),
    ("主要是订货成本和缺货成本。", "partial"),
])
def test_to_a_question_asking_which_ones_each_listed_item_is_a_claim(answer, status):
    assert grade(LIST_QUESTION, [LIST_POINT], answer).points[0].status == status


def test_naming_two_of_six_items_no_longer_states_the_whole_list():
    answer = "库存成本的构成：订货成本、固定成本和变动成本。"
    listed = grade(LIST_QUESTION, [LIST_POINT], answer)
    assert listed.points[0].status == "partial"
    assert grade(LIST_QUESTION, [LIST_POINT], answer, Parameters(disabled=frozenset({"enumeration"}))).score == 100


def test_a_list_with_no_colon_is_counted_from_the_word_that_opens_it_to_the_words_that_close_it():
    question = "GPT类模型训练过程中，消耗显存的主要有哪些部分？"
    points = [key_point("显存主要由参数、梯度、优化器状态和激活值四部分组成", "must")]
    assert grade(question, points, "参数、梯度、优化器状态、激活值").points[0].status == "hit"
    partly = grade(question, points, "主要是参数和梯度。").points[0]
    assert (partly.status, partly.lowered_by) == ("partial", "enumeration")


def test_a_bracket_naming_an_item_another_way_is_part_of_the_item():
    question = "多模态大模型一般包括哪几个部分？"
    points = [key_point("主流 VLM 是三段式：视觉编码器、连接层（projector）、语言模型。", "must")]
    assert grade(question, points, "视觉编码器、projector 和语言模型三块。").points[0].status == "hit"


def test_the_bare_list_a_question_asks_for_is_its_answer_not_a_keyword_dump():
    result = grade(LIST_QUESTION, [LIST_POINT], "订货成本、保管成本、缺货成本、进货成本、固定成本、变动成本")
    assert (result.score, result.deductions) == (100, ())
    # Beside a point that explains, the same list is a keyword dump.
    explained = [LIST_POINT, key_point("缺货成本指因库存不足无法满足需求而造成的损失", "nice")]
    assert [d.rule for d in grade(LIST_QUESTION, explained, "订货成本、保管成本、缺货成本、进货成本、固定成本、变动成本"
                                  ).deductions] == ["keyword_list"]


@pytest.mark.parametrize(("question", "point"), [
    # A question that asks for no list: the items are a claim's parts, as before.
    ("库存成本由什么决定？", LIST_POINT.text),
    # A list of examples: naming two of its kinds states it.
    (LIST_QUESTION, "库存成本有很多种，比如订货成本、保管成本、缺货成本、进货成本等。"),
    # Examples in brackets, and clauses parted by commas, are no items.
    (LIST_QUESTION, "库存成本主要看订货和持有两块（订货成本、保管成本、缺货成本）。"),
    (LIST_QUESTION, "订货成本、保管成本按批次摊，缺货成本、进货成本按月算，固定成本不变"),
])
def test_only_a_list_a_question_asks_for_is_counted_item_by_item(question, point):
    answer = "库存成本的构成：订货成本、固定成本和变动成本。"
    points = [key_point(point, "must")]
    assert (grade(question, points, answer).points[0].score
            == grade(question, points, answer, Parameters(disabled=frozenset({"enumeration"}))).points[0].score)


@pytest.mark.parametrize(("english", "chinese"), [("decoupled", "解耦"), ("partitioning", "分区"),
                                                  ("threshold", "阈值"), ("multilingual", "多语言"),
                                                  ("NTP", "下一个词预测"), ("sample-efficient", "样本效率"),
                                                  ("backprop", "反向传播"), ("calibration", "校准")])
def test_field_words_said_in_english_fold_to_the_points_chinese(english, chinese):
    assert normalize_for_matching(english).text == normalize_for_matching(chinese).text


def test_on_device_said_short_folds_to_the_edge_device():
    assert normalize_for_matching("小模型能上端侧").text == normalize_for_matching("小模型能上边缘设备").text


WRONGFACTS_QWEN_QUESTION = "Qwen 的架构和传统 Transformer 有什么不同？"
WRONGFACTS_QWEN_POINTS = [key_point("注意力用 GQA，减少推理时的 KV Cache", "must"),
                          key_point("更灵活：改进 RoPE 支持长上下文扩展。", "must")]
NAME_STAGES_QUESTION = "训练 Qwen 选择的训练阶段和 Loss 函数是如何决定的？"
NAME_STAGES_POINTS = [key_point("翻译/多语言任务：可能加入对比学习 Loss。", "must")]
NAME_GRPO_QUESTION = "GRPO 是什么？它与 PPO 有何区别？"
NAME_GRPO_POINTS = [key_point("这使得算法结构更简洁，避免了训练一个额外的价值模型。", "must")]
NAME_TRICKS_QUESTION = "Transformer 训练有哪些技巧？"
NAME_TRICKS_POINTS = [key_point("学习率先 warmup 再衰减，避免初期大梯度导致发散", "must"),
                      key_point("Label smoothing（0.1）防止模型对标签过度自信", "must")]
NAME_CHOICE_QUESTION = "端到端的大模型和级联模型有什么区别？"
NAME_CHOICE_POINTS = [key_point("如果任务需要可控性、可编辑性（如会议转写、字幕生成），往往采用级联方案。", "must")]
WRONGFACTS_THINK_QUESTION = "Qwen3 的混合思考是怎么实现的？"
WRONGFACTS_THINK_POINTS = [key_point("当 enable_thinking=False 时，系统会在 assistant 后注入一个空白的思考块", "must"),
                           key_point("同一个模型可以在思考和不思考两种模式间切换", "nice")]
WRONGFACTS_DATA_QUESTION = "中文指令微调数据要注意什么？"
WRONGFACTS_DATA_POINTS = [key_point("中文数据存在简繁混用、标点全半角不统一、异体字混杂等问题，需要规范化", "must"),
                          key_point("去重并防止评测集泄漏", "nice")]


JUDGE_QUESTION = "用 LLM-as-a-judge 做评测时，常见的偏差有哪些？怎么缓解？"
JUDGE_POINTS = [key_point("自我偏好（self-enhancement bias）：裁判倾向于给自己或同系列模型生成的回答打高分，"
                          "可以换不同家族的模型当裁判，或者多个裁判投票。", "must")]


@pytest.mark.parametrize(("question", "points", "answer", "point", "rule"), [
    # "没有用 RoPE，而是用的 ALiBi": what is said of ALiBi ("支持长上下文") does not make the RoPE point right.
    (WRONGFACTS_QWEN_QUESTION, WRONGFACTS_QWEN_POINTS,
     "注意力用 GQA。位置编码方面 Qwen 没有用 RoPE，而是用的 ALiBi 线性偏置，靠它来支持长上下文。", 1, "replaced"),
    # A cue reaches its words past one character and the spaces folding puts round a term ("不会在 assistant").
    (WRONGFACTS_THINK_QUESTION, WRONGFACTS_THINK_POINTS,
     "enable_thinking=False 时系统不会在 assistant 后面注入空白的思考块。", 0, "negated"),
    # A denial gathering the items before it ("这些其实不用管") denies each of them.
    (WRONGFACTS_DATA_QUESTION, WRONGFACTS_DATA_POINTS,
     "要去重、防止评测集泄漏。至于简繁混用、全角半角标点、异体字这些其实不用管，分词器都能自动归一。", 0, "negated"),
    # A verb denied at a clause's end denies what the clause names ("也不加").
    ("Transformer 中 dropout 用在哪里？", [key_point("前馈网络中：在两个线性层之间加入 Dropout，用于正则化", "must")],
     "前馈网络两个线性层之间也不加。", 0, "denied"),
    # Negated where only the question's words follow the cue: `negated` sees no word of the point it turns.
    ("Prompt Tuning 和 Prefix Tuning 各有什么优缺点？",
     [key_point("缺点：参数量和推理开销比 Prompt Tuning 略大。", "must")],
     "Prefix Tuning 的参数量和推理开销并不比 Prompt Tuning 大。", 0, "negated_topic"),
    # Another complexity in a sentence naming what the point gives the complexity of.
    ("长文本稀疏注意力有哪些做法？",
     [key_point("Sparse Transformer 用跨步/固定块模式，复杂度约 $O(n\\sqrt{n})$", "must")],
     "Sparse Transformer 用跨步和固定块的模式，复杂度是 O(n log n)。", 0, "wrong_complexity"),
    # A negation turning the very remedy the point names ("不是为了解决") reads.
    ("MLA 是什么？", [key_point("旨在解决因 KV Cache 在长上下文生成中带来的显存瓶颈。", "must")],
     "MLA 也不是为了解决 KV Cache 的显存瓶颈。", 0, "negated"),
    # One term the point asserts, dismissed as no problem at a clause's end ("这块倒不是问题").
    (OFFLINE_QUESTION, OFFLINE_POINTS, "主要是数据分布漂移，线上用户行为一直在变。曝光这块倒不是问题。", 0,
     "dismissed"),
    # One term the point asserts, said not to be there ("不存在漂移").
    (OFFLINE_QUESTION, OFFLINE_POINTS, "离线测试集就是线上数据的随机抽样，用户行为也一样，不存在漂移。", 1,
     "dismissed"),
    # One term the point asserts, said not to exist at its clause's end ("是不存在的").
    (JUDGE_QUESTION, JUDGE_POINTS, "自我偏好是不存在的，裁判给回答打分都很公平。", 0, "dismissed"),
    # Said of the point's labelled subject outside the window that carries more of its words (rule `label_named`).
    (JUDGE_QUESTION, JUDGE_POINTS,
     "裁判倾向于给更简洁的回答打高分，因为 RLHF 让模型偏好简洁。另外自我偏好是不存在的。", 0, "dismissed"),
    # A number said after a topic's 的话 ("经验值的话") is asserted, not supposed.
    ("Chinchilla 的 Scaling Law 说了什么？", [key_point("经验上大约是每个参数 20 个 token", "must")],
     "经验值的话每个参数配 2 个 token 基本就够了。", 0, "wrong_number"),
    # One term the point asserts, said to be negligible ("基本可以忽略").
    ("SFT 和 RL 的优劣势", [key_point("强依赖人工标注，数据成本高。", "must")],
     "SFT 对标注的依赖很小，数据成本基本可以忽略。", 0, "dismissed"),
    # Another member of the point's class of terms, one the question and its points never name, in its place.
    (WRONGFACTS_QWEN_QUESTION, WRONGFACTS_QWEN_POINTS,
     "注意力用 GQA。位置编码用的是可学习的绝对位置编码，支持长上下文。", 1, "wrong_member"),
    (NAME_STAGES_QUESTION, NAME_STAGES_POINTS, "多语言部分用的是 MLM 掩码损失。", 0, "wrong_member"),
    # The point's own member replaced with another ("把 RoPE 换成了 ALiBi", rule `replaced_member`).
    (WRONGFACTS_QWEN_QUESTION, WRONGFACTS_QWEN_POINTS,
     "注意力用 GQA。RoPE 在长程上会漂移，所以 Qwen 把 RoPE 换成了 ALiBi 来支持长上下文。", 1, "wrong_member"),
    # What the point keeps from happening, made or needed ("需要额外训练一个价值模型").
    (NAME_GRPO_QUESTION, NAME_GRPO_POINTS, "GRPO 需要额外训练一个价值模型来估计优势。", 0, "promoted"),
    (NAME_TRICKS_QUESTION, NAME_TRICKS_POINTS, "label smoothing 把正确标签的置信度调高，让模型更自信。", 1, "promoted"),
    # A point naming one compared name in its consequent speaks of it in its condition too (rule `point_name`).
    (NAME_CHOICE_QUESTION, NAME_CHOICE_POINTS, "会议转写、字幕生成这种要求可控的任务主要用端到端模型。", 0,
     "swapped_names"),
    # All said for a part (pair `all-part`).
    ("DeepSeek 的架构有什么特点？", [key_point("MoE 稀疏架构：仅激活部分专家，显著减少计算量与内存开销。", "must")],
     "它是 MoE 架构，每个 token 会同时激活全部专家，再加权求和。", 0, "reversed"),
])
def test_wrong_facts_said_in_other_forms_contradict_the_point(question, points, answer, point, rule):
    result = grade(question, points, answer)
    assert result.points[point].status == "contradicted"
    assert rule in {f.rule for f in result.findings if f.why and f.point == points[point].id}


@pytest.mark.parametrize(("question", "points", "answer"), [
    (WRONGFACTS_QWEN_QUESTION, WRONGFACTS_QWEN_POINTS,
     "注意力用 GQA，KV Cache 更小。位置编码用的是 RoPE，不是 ALiBi，并做了改进来支持长上下文扩展。"),
    # The point's own member named beside another ("早期模型用绝对位置编码") is no other in its place.
    (WRONGFACTS_QWEN_QUESTION, WRONGFACTS_QWEN_POINTS,
     "注意力用 GQA。早期模型用绝对位置编码，Qwen 改进了 RoPE 来支持长上下文扩展。"),
    (NAME_CHOICE_QUESTION, NAME_CHOICE_POINTS, "会议转写、字幕生成这种要求可控的任务一般用级联方案。"),
    # Another member replaced with the point's own is no replacement of it.
    (WRONGFACTS_QWEN_QUESTION, WRONGFACTS_QWEN_POINTS,
     "注意力用 GQA。Qwen 把绝对位置编码换成了 RoPE，并改进它来支持长上下文扩展。"),
    # Words of what the point keeps off said without its last word, or of the other compared name, promote nothing.
    (NAME_TRICKS_QUESTION, NAME_TRICKS_POINTS, "学习率先 warmup 再衰减，warmup 让模型在初期梯度比较稳定，不会发散。"),
    (NAME_GRPO_QUESTION, NAME_GRPO_POINTS, "PPO 需要额外训练一个价值模型，GRPO 避免了这一点，结构更简洁。"),
    (WRONGFACTS_THINK_QUESTION, WRONGFACTS_THINK_POINTS,
     "enable_thinking=False 时系统会在 assistant 后面注入空白的思考块，模型就不会再思考。"),
    (WRONGFACTS_DATA_QUESTION, WRONGFACTS_DATA_POINTS,
     "简繁混用、全角半角标点、异体字这些都要统一规范化，再去重、防止评测集泄漏。"),
    # "不到 0.1%" bounds a number; "neither … nor" is one negation.
    ("Prompt Tuning 有什么优缺点？", [key_point("优点：参数量极小（通常 <0.1%），训练与部署成本低", "must")],
     "参数量往往不到 0.1%，训练和部署成本都低。"),
    ("DPO 和 PPO 有什么区别？", [key_point("DPO 不需要奖励模型，也不需要 RL 算法", "must")],
     "DPO needs neither a reward model nor an RL algorithm."),
    # The same complexity, or one named beside it ("从 O(n²) 降到 O(n)"); a supposition after a connective asserts
    # nothing ("不过如果不用 KV Cache"), nor does the point's concession ("即使有 KV Cache").
    ("长文本稀疏注意力有哪些做法？", [key_point("Linformer 用低秩投影压缩 K、V 的长度维，复杂度降到 O(n)", "must")],
     "Linformer 用低秩投影把 K、V 的长度维压缩，复杂度从 O(n²) 降到 O(n)。"),
    ("贪心解码生成 200 个 token 要多久？",
     [key_point("耗时大于 200ms，因为即使有 KV Cache，每步都要和历史 token 做 attention 计算", "must")],
     "大于 200ms，新 token 每步都要和历史 token 做 attention 计算。不过如果不用 KV Cache 会更慢。"),
    # A negation stops at the 时 that closes its condition.
    ("Qwen3 的混合思考是怎么实现的？",
     [key_point("同一个模型在两种模式下切换：需要时输出思考过程，不需要时直接输出答案。", "must")],
     "同一个模型两种模式，需要时先输出思考过程，关掉思考它就直接输出答案。"),
    # 没有标注 says 无标注; a negated "all" says "not all", as "减少" does.
    ("预训练和 SFT 有什么区别？", [key_point("Pre-Training：无标注的自然文本，分布广，覆盖知识面大。", "must")],
     "预训练是在海量没有标注的自然文本上训练，分布广，覆盖的知识面大。"),
    ("什么是思维链压缩？", [key_point("在保持推理效果的前提下，减少中间推理步骤或其显式输出。", "must")],
     "在保持推理效果的前提下，少走一些中间推理步骤，或者不把步骤都显式输出。"),
    # 过滤 keeps what follows off as 去除 does.
    ("如何筛选出高质量数据集", [key_point("去除有害内容与隐私信息，并对评测集去污染", "must")],
     "安全上过滤色情暴力等有害内容，隐私信息脱敏，并和评测集做 n-gram 去污染。"),
    # A sentence that says the point of one thing and negates its words of another contrasts them.
    ("为什么大模型损失函数采用交叉熵损失函数，而不是MSE损失函数？",
     [key_point("MSE 衡量的是数值距离，适合回归任务，比如预测房价。", "must")],
     "MSE衡量的是数值之间的距离，适合回归，比如预测房价，类别之间没有数值距离。"),
])
def test_the_same_forms_stating_the_point_keep_it(question, points, answer):
    result = grade(question, points, answer)
    assert result.points[0].status in ("hit", "partial")
    assert not [f for f in result.findings if f.why]


UNDER_SFT_QUESTION = "LLMs Pre-Training 与 SFT 他们在训练本质上有差异吗？"


def test_a_long_point_is_not_diluted_by_the_bigrams_where_its_words_meet():
    point = key_point("1. 训练目标差异：Pre-Training：核心是 语言建模目标，通常是自回归的下一个 token 预测 "
                      "(Next Token Prediction) 或 MLM。", "must")
    answer = ("预训练做的是语言建模：GPT 这一类就是给定前文去预测下一个 token，BERT 那种是把一部分词遮住让模型去猜，"
              "损失就是每个位置负对数似然加起来。SFT 其实还是在做下一个词的预测，只是变成了有条件的生成：前面拼的是"
              "指令或者 prompt，模型只去拟合回复那一段，prompt 部分的 loss 一般会 mask 掉。")
    assert grade(UNDER_SFT_QUESTION, [point], answer).points[0].status == "hit"
    assert grade(UNDER_SFT_QUESTION, [point], answer, Parameters(join_min_units=1000)).points[0].status == "partial"


def test_text_said_to_be_unlabelled_agrees_with_unlabelled_text():
    point = key_point("2. 数据分布差异：Pre-Training：无标注的自然文本 → 分布广，覆盖知识面大。", "must")
    answer = "预训练吃的是网页、书籍、代码这种海量没有标注的文本，分布很宽，覆盖的知识面大。"
    result = grade(UNDER_SFT_QUESTION, [point], answer)
    assert result.points[0].status == "hit"
    assert not result.deductions


def test_not_only_the_next_token_does_not_deny_next_token_prediction():
    question = "讲讲DeepSeek的MTP（Multi Token Prediction）？"
    point = key_point("4) 与传统 NTP（下一-token 预测）的区别", "must")
    for answer in ("MTP 不是只预测下一个 token，而是每个位置同时预测后面好几个。",
                   "MTP 我理解就是让模型不只预测下一个词，而是预测后面多个词。"):
        assert grade(question, [point], answer).points[0].status in ("hit", "partial")


def test_an_alias_clause_that_goes_on_in_the_points_own_words_states_it():
    question = "大模型推理加速有哪些方法？"
    point = key_point("量化（INT8/INT4、GPTQ、AWQ）减小显存占用和访存带宽", "must",
                      ("quantization", "GPTQ", "AWQ", "权重量化"))
    answer = "量化和蒸馏吧。量化是把权重从fp16压到int8或int4，蒸馏是用大模型去教一个小模型，推理时用小模型。"
    assert grade(question, [point], answer).points[0].status in ("hit", "partial")


TRAPS_DPO_QUESTION = "PPO 和 DPO 在大模型对齐中的主要区别是什么？"
TRAPS_DPO_POINTS = [key_point("收敛稳定，适合大规模对齐任务。", "must"),
                    key_point("PPO 灵活、通用，能融合多种 reward，但训练复杂，DPO 简洁高效，适合大规模对齐，"
                              "但表达能力和灵活性不如 PPO。", "nice")]


def test_traps_a_section_title_is_not_contradicted():
    points = [key_point("MTP 在每个位置同时预测后面多个 token", "must"),
              key_point("与传统 NTP（下一-token 预测）的区别", "nice")]
    answer = "MTP 不是只预测下一个 token，而是在每个位置同时预测后面多个 token。"
    result = grade("讲讲 DeepSeek 的 MTP？", points, answer)
    assert [p.status for p in result.points] == ["hit", "hit"]


def test_traps_a_keyword_list_contradicts_nothing():
    points = [key_point("因为 $H(P)$ 固定，最小化 KL 散度 ⇔ 最小化交叉熵。", "must"),
              key_point("在分类任务中，我们常用的交叉熵损失本质就是在最小化 KL 散度。", "must")]
    answer = "KL散度 交叉熵 熵 H(P) 非对称 最小化 等价 蒸馏 分类"
    assert [p.status for p in grade("KL散度和交叉熵之间的关系？", points, answer).points] == ["partial", "partial"]
    prose = grade("KL散度和交叉熵之间的关系？", points, answer, Parameters(disabled=frozenset({"keyword_list"})))
    assert prose.points[0].status == "contradicted"  # read as prose, 非 turns what follows


def test_traps_a_name_the_question_compares_is_no_presumption_denied():
    points = [key_point("DPO (Direct Preference Optimization)", "must")]
    answer = "DPO（Direct Preference Optimization）直接用偏好对构造损失。DPO 简洁高效，但表达能力和灵活性不如 PPO。"
    assert grade(TRAPS_DPO_QUESTION, points, answer).points[0].status == "hit"


def test_traps_one_wrong_clause_is_charged_to_the_point_it_says_best():
    answer = "DPO 需要在线 rollout，所以 DPO 的 rollout 更容易不稳定、调参更难，不适合大规模对齐。"
    result = grade(TRAPS_DPO_QUESTION, TRAPS_DPO_POINTS, answer)
    assert [p.status for p in result.points] == ["contradicted", "miss"]
    assert result.points[1].lowered_by == "one_claim"
    assert [f.point for f in result.findings if f.why] == [TRAPS_DPO_POINTS[0].id]
    without = grade(TRAPS_DPO_QUESTION, TRAPS_DPO_POINTS, answer, Parameters(disabled=frozenset({"one_claim"})))
    assert [p.status for p in without.points] == ["contradicted", "contradicted"]


MISSES_PEFT_QUESTION = "PEFT（参数高效微调）是什么？常见的方法有哪些？"
MISSES_PREFIX_POINT = [key_point("Prefix-Tuning：在输入开头加可训练的前缀向量，主体参数不变", "must")]


def test_misses_an_english_opposite_word_inside_a_longer_word_says_no_side():
    assert opposite_sides("prefix tuning prepends trainable prefix vectors") == frozenset()
    assert opposite_sides("at the end of the input")
    answer = "Prefix tuning prepends trainable prefix vectors to the input, and the pretrained weights stay frozen."
    assert grade(MISSES_PEFT_QUESTION, MISSES_PREFIX_POINT, answer).points[0].status == "hit"


@pytest.mark.parametrize(("question", "point", "answer"), [
    ("常见的对比学习 Loss 有哪些？", "应用：在度量学习和细粒度分类任务中常用。",
     "The triplet loss is the workhorse of metric learning and fine-grained classification tasks."),
    ("BERT 怎么针对梯度消失做的优化", "背景：在深层神经网络中，梯度消失会导致参数更新缓慢甚至停滞。",
     "In a deep network the gradient shrinks toward zero, so the lower layers update slowly and barely learn."),
])
def test_misses_an_english_answer_states_a_chinese_point_through_the_fields_terms(question, point, answer):
    assert grade(question, [key_point(point, "nice")], answer).points[0].status == "hit"


def test_misses_near_synonyms_of_the_field_fold_to_one_term():
    assert normalize_for_matching("参数几乎不动").text == normalize_for_matching("参数停滞").text
    assert normalize_for_matching("更新很慢").text == normalize_for_matching("更新缓慢").text
    assert normalize_for_matching("differentiable").text == normalize_for_matching("可微").text
    assert normalize_for_matching("contrastive loss").text == normalize_for_matching("对比损失").text


WRONG_BERT_QUESTION = "BERT 怎么针对梯度消失做的优化"
WRONG_BERT_POINTS = [key_point("每个子层输入与输出相加，保证梯度在反向传播时有捷径，避免梯度过度衰减", "must"),
                     key_point("LayerNorm 稳定每层输入的分布，让梯度流动稳定", "must"),
                     key_point("AdamW 配合 warmup 学习率调度，进一步缓解梯度消失", "nice")]
WRONG_RESIDUAL = "每个子层的输入和输出相加，反向传播时梯度有捷径。"


def test_partial_points_count_for_less_beside_a_contradicted_one():
    wrong = WRONG_RESIDUAL + "LayerNorm 放大梯度。优化器不用 warmup。"
    result = grade(WRONG_BERT_QUESTION, WRONG_BERT_POINTS, wrong)
    assert [point.status for point in result.points] == ["hit", "partial", "contradicted"]
    assert [deduction.rule for deduction in result.deductions] == ["doubted", "contradiction"]
    undoubted = grade(WRONG_BERT_QUESTION, WRONG_BERT_POINTS, wrong, Parameters(disabled=frozenset({"doubted"})))
    assert result.score < undoubted.score
    right = grade(WRONG_BERT_QUESTION, WRONG_BERT_POINTS, WRONG_RESIDUAL + "LayerNorm 让分布稳定。")
    assert right.points[1].status == "partial" and not right.deductions


@pytest.mark.parametrize(("point", "answer"), [
    ("NCE 常用于训练阶段的加速", "NCE 只在推理阶段用来加速，训练时不能用。"),
    ("Dynamic NTK 在推理时根据当前长度动态调整缩放系数",
     "Dynamic NTK 只在训练时根据当前长度调整缩放系数，推理时是固定的。"),
    ("MTP is used during training to predict several future tokens",
     "MTP predicts several future tokens, but only at inference."),
])
def test_a_step_put_in_the_other_phase_contradicts_the_point(point, answer):
    result = grade("这个方法什么时候用？", [key_point(point, "must")], answer)
    assert [finding.rule for finding in result.findings if finding.why] == ["reversed"]


WRONG_TEACHER_POINTS = [key_point("训练时用 teacher forcing，推理时自回归地逐个生成", "must")]


def test_a_point_that_names_both_phases_is_not_reversed_by_one_of_them():
    answer = "训练时用 teacher forcing 喂真实的前缀，推理时只能自回归地逐个生成。"
    assert grade("Seq2seq 训练和推理有什么不同？", WRONG_TEACHER_POINTS, answer).points[0].status == "hit"


WRONG_DEPTH_QUESTION = "Transformer 里哪些设计让深层网络训练得动？"
WRONG_DEPTH_POINTS = [key_point("残差连接提供梯度直通路径，使深层可训练、收敛快", "must", ["残差连接"]),
                      key_point("LayerNorm 稳定各层输入分布，加速收敛", "must", ["LayerNorm"]),
                      key_point("学习率先 warmup 再衰减，避免初期大梯度导致发散", "must", ["warmup"])]
WRONG_RESIDUAL_ELSE = "残差连接的作用是减少参数量，相当于一种正则。"


@pytest.mark.parametrize(("other", "statuses"), [
    ("LayerNorm 的作用是增加模型的非线性表达能力。", ["contradicted", "contradicted", "miss"]),
    ("学习率不用 warmup，也不衰减。", ["contradicted", "miss", "contradicted"]),
])
def test_a_point_named_and_said_otherwise_beside_another_wrong_claim_is_contradicted(other, statuses):
    result = grade(WRONG_DEPTH_QUESTION, WRONG_DEPTH_POINTS, WRONG_RESIDUAL_ELSE + other)
    assert [point.status for point in result.points] == statuses
    assert result.points[0].why.startswith("你说“残差连接的作用是减少参数量”")
    alone = grade(WRONG_DEPTH_QUESTION, WRONG_DEPTH_POINTS, WRONG_RESIDUAL_ELSE + other,
                  Parameters(disabled=frozenset({"named_wrongly"})))
    assert alone.points[0].status == "miss"


def test_a_point_named_and_said_otherwise_alone_is_only_missed():
    result = grade(WRONG_DEPTH_QUESTION, WRONG_DEPTH_POINTS, WRONG_RESIDUAL_ELSE)
    assert [point.status for point in result.points] == ["miss", "miss", "miss"]


HITS_TOPK_QUESTION = "解码策略中 Top-k 与 Top-p 有什么区别？二者结合使用时哪个优先？"
HITS_TOPK_POINTS = [key_point("Top-k 采样：从概率分布中取前 k 个概率最高的 token，再归一化后随机采样。", "must"),
                    key_point("定义：选择最小的 token 集合，使累计概率 ≥ p，再在其中采样。", "must")]


def test_a_point_resting_on_the_words_of_a_point_the_answer_states_is_missed():
    answer = "Top-k是只保留概率最高的k个token，归一化之后再采样。"
    result = grade(HITS_TOPK_QUESTION, HITS_TOPK_POINTS, answer)
    assert [point.status for point in result.points] == ["hit", "miss"]
    assert result.points[1].lowered_by == "shared_only"
    unruled = grade(HITS_TOPK_QUESTION, HITS_TOPK_POINTS, answer, Parameters(disabled=frozenset({"shared_only"})))
    assert unruled.points[1].status == "partial"


def test_a_point_stated_in_its_own_words_beside_a_stated_one_keeps_its_credit():
    answer = ("Top-k是只保留概率最高的k个token，归一化之后再采样。"
              "Top-p 是选累计概率达到 p 的最小 token 集合，在里面采样。")
    assert [point.status for point in grade(HITS_TOPK_QUESTION, HITS_TOPK_POINTS, answer).points] == ["hit", "hit"]


HITS_ZERO_QUESTION = "DeepSpeed ZeRO 的通信代价如何？"
HITS_ZERO_POINTS = [key_point("ZeRO-1 和 ZeRO-2 的通信量与普通数据并行相同", "must"),
                    key_point("ZeRO-3 通信量约为普通数据并行的 1.5 倍", "must")]


def test_a_quantity_point_is_missed_where_its_evidence_says_no_number():
    answer = "ZeRO 是在数据并行的几张卡之间切分模型状态。"
    result = grade(HITS_ZERO_QUESTION, HITS_ZERO_POINTS, answer)
    assert result.points[1].status == "miss"
    assert result.points[1].lowered_by == "number_unsaid"
    unruled = grade(HITS_ZERO_QUESTION, HITS_ZERO_POINTS, answer, Parameters(disabled=frozenset({"number_unsaid"})))
    assert unruled.points[1].status == "partial"


def test_a_quantity_point_stated_with_its_number_is_hit():
    result = grade(HITS_ZERO_QUESTION, HITS_ZERO_POINTS, "ZeRO-3 的通信量约为数据并行的 1.5 倍。")
    assert result.points[1].status == "hit"


HITS_YARN_QUESTION = "RoPE 在超长上下文上有哪些优化工作？"
HITS_YARN_POINT = key_point("YaRN（Yet another RoPE extensioN）", "nice")


def test_a_name_the_candidate_has_heard_only_as_a_name_is_no_evidence():
    answer = "位置插值把位置索引按比例压回训练长度。YaRN 这些我听过名字。"
    assert grade(HITS_YARN_QUESTION, [HITS_YARN_POINT], answer).points[0].status == "miss"


def test_an_everyday_advantage_is_not_the_advantage_function():
    assert "优势函数" not in normalize_for_matching("PPO 在长序列与稳定性上更有优势").text
    assert "优势函数" in normalize_for_matching("GRPO 用组内归一化的奖励作为 advantage").text


WRONG2_REWARD_QUESTION = "Reward 需要可微吗？"
WRONG2_REWARD_POINTS = [key_point("在标准 RL 框架（Q-learning、Policy Gradient 等）中，Reward 不需要可微。", "must"),
                        key_point("Reward Model 本身是可微的，但作为黑箱函数打分，不直接反向传播到策略网络。", "nice")]


@pytest.mark.parametrize("answer", ["必须可微。策略参数的梯度要经过 reward 对动作求导，不可导的奖励要先平滑。",
                                    "Reward 一定要可微，不然没法训练。",
                                    "Reward 需要可微吗？需要，不可微就没法求梯度。"])
def test_an_answer_opening_with_the_other_yes_or_no_contradicts_the_references_answer(answer):
    result = grade(WRONG2_REWARD_QUESTION, WRONG2_REWARD_POINTS, answer)
    assert result.points[0].status == "contradicted"
    assert any(f.rule == "answered_otherwise" for f in result.findings)


@pytest.mark.parametrize("answer", ["不需要。策略梯度只用采样到的标量回报，不会对奖励求导。",
                                    "一般不需要可微，奖励只是一个数值信号。",
                                    "损失函数一般要可微，因为反向传播要对参数求梯度。",
                                    "Reward 需要可微吗？我觉得不需要，策略梯度只用标量回报。"])
def test_an_answer_giving_the_references_yes_or_no_or_speaking_of_something_else_is_not_answered_otherwise(answer):
    result = grade(WRONG2_REWARD_QUESTION, WRONG2_REWARD_POINTS, answer)
    assert not any(f.rule == "answered_otherwise" for f in result.findings)


def test_a_reference_answering_both_ways_gives_no_yes_or_no():
    points = [key_point("Sinusoidal：基于固定函数计算，不可学习。", "must"),
              key_point("Learnable Embedding：每个位置一个向量参数，可学习，训练中会更新。", "must")]
    result = grade("位置编码是可以学习的吗？", points, "可以学习。BERT 的位置向量就是训练出来的参数。")
    assert not any(f.rule == "answered_otherwise" for f in result.findings)


WRONG2_SYNTHETIC_POINTS = [key_point("合成数据需校验，代码类用编译或单测验证正确性", "must")]


def test_a_negated_verb_with_a_word_between_contradicts_the_point():
    answer = "合成数据质量其实不用单独验证，LLM 生成的代码基本都是对的，直接拿去训练就行。"
    assert grade("怎么构造的数据集?", WRONG2_SYNTHETIC_POINTS, answer).points[0].status == "contradicted"
    right = "合成数据一定要校验，代码类的用编译和单测验证正确性。"
    assert grade("怎么构造的数据集?", WRONG2_SYNTHETIC_POINTS, right).points[0].status == "hit"


def test_consistent_is_the_same_side_as_same():
    point = [key_point("预训练和 SFT 的损失函数形式一致，都是交叉熵", "must")]
    question = "预训练与 SFT 在训练本质上有差异吗？"
    wrong = grade(question, point, "预训练和 SFT 的损失函数形式不同，预训练用的是对比损失。")
    assert wrong.points[0].status == "contradicted"
    assert grade(question, point, "预训练和 SFT 的损失函数形式是一样的，都是交叉熵。").points[0].status == "hit"


@pytest.mark.parametrize(("text", "negative"), [("我觉得不需要", True), ("做得不好", True), ("不得不加 warmup", False)])
def test_a_negation_after_de_negates_unless_it_is_bu_de_bu(text, negative):
    assert read(text, Parameters()).clauses[0].negative is negative


def test_a_question_on_several_things_has_no_one_yes_or_no():
    question = "在单链表、双链表和循环单链表中，若仅知道指针 p 指向某节点，能否将节点 p 从链表中删去？"
    points = [key_point("单链表不可以。双链表可以，时间复杂度为 O(1)。", "must")]
    result = grade(question, points, "单链表：不知道前一个节点，不能删除。双链表可以，时间复杂度 O(1)。")
    assert not any(f.rule == "answered_otherwise" for f in result.findings)


PARTIALS_TOKENIZER_QUESTION = "有3个binary的特征和3个连续特征，怎么做tokenizer？"
PARTIALS_TOKENIZER_POINTS = [key_point("问题：如何对 3 个二进制特征 和 3 个连续特征 做 tokenizer 处理？", "must"),
                             key_point("最终 3 个 binary 特征共 6 个离散 token。", "must"),
                             key_point("连续特征用分桶，每个桶对应一个 token。", "must")]


def test_a_point_that_restates_the_question_is_stated_by_an_answer_to_it():
    answer = "每个 binary 特征给 0/1 两个 token，3 个特征一共 6 个离散 token；连续特征分桶，每个桶一个 token。"
    graded = grade(PARTIALS_TOKENIZER_QUESTION, PARTIALS_TOKENIZER_POINTS, answer)
    assert graded.points[0].status == "hit"
    without = grade(PARTIALS_TOKENIZER_QUESTION, PARTIALS_TOKENIZER_POINTS, answer,
                    Parameters(disabled=frozenset({"asked_heading"})))
    assert without.points[0].status == "miss"


def test_a_question_shaped_point_is_not_stated_by_an_answer_that_states_nothing_else():
    answer = "这个我不太清楚。连续特征我也没做过。"
    assert grade(PARTIALS_TOKENIZER_QUESTION, PARTIALS_TOKENIZER_POINTS, answer).points[0].status == "miss"


def test_english_field_words_of_a_cascade_and_of_binning_meet_their_chinese_points():
    question = "语音大模型选级联还是端到端？"
    point = key_point("如果任务更追求自然性和实时性（如同声传译、语音助手对话），则更倾向端到端语音-语音模式。", "must")
    answer = ("For simultaneous interpretation or voice assistants, where naturalness and real-time response matter, "
              "an end-to-end speech-to-speech model is preferred.")
    assert grade(question, [point], answer).points[0].status == "hit"
    binned = "For the continuous features you bin each one into intervals, one token per bucket."
    assert grade(PARTIALS_TOKENIZER_QUESTION, PARTIALS_TOKENIZER_POINTS[2:], binned).points[0].status != "miss"


def test_a_short_claim_after_a_bold_label_is_stated_without_the_label():
    point = key_point("3. 连续特征的处理方式：分桶 (Discretization/Binning)", "must")
    answer = "连续的一般还是分桶比较稳，桶的边界可以按分位数定。"
    assert grade(PARTIALS_TOKENIZER_QUESTION, [point], answer).points[0].status != "miss"
    off = grade(PARTIALS_TOKENIZER_QUESTION, [point], answer, Parameters(disabled=frozenset({"label_claim"})))
    assert off.points[0].status == "miss"


def test_a_long_claim_after_a_label_is_read_with_its_label():
    question = "推荐模型离线指标好、线上效果差，分析原因。"
    point = key_point("冷启动与曝光偏差：离线评估常基于已曝光样本，而线上用户可能未见过相关内容，造成行为分布差异。",
                      "must")
    answer = "可能是离线和线上的数据不一样，离线用的是历史数据，上线以后用户的行为变了。"
    assert grade(question, [point], answer).points[0].status == "miss"


def test_a_long_claim_after_a_numbered_section_title_is_read_without_the_title():
    question = "如何优化大模型的推理成本？"
    claim = "服务调度与批处理策略：把多个请求合成一批送进 GPU，提升吞吐。"
    answer = "把请求合在一起处理，吞吐高一些。"
    assert grade(question, [key_point("3. " + claim, "must")], answer).points[0].status == "hit"
    assert grade(question, [key_point(claim, "must")], answer).points[0].status == "partial"


def test_a_candidate_who_says_he_cannot_say_states_nothing_of_what_he_names():
    answer = "binary 特征每个给 0/1 两个 token。连续特征怎么变成 token 我没系统做过，分桶还是别的办法我说不准。"
    point = key_point("3. 连续特征的处理方式：分桶 (Discretization/Binning)", "must")
    assert grade(PARTIALS_TOKENIZER_QUESTION, [point], answer).points[0].status == "miss"


TRAPS2_R1_QUESTION = "DeepSeek R1-Zero 和 R1 有什么区别？"
TRAPS2_R1_POINTS = [key_point("R1-Zero 是在没有监督微调 (SFT) 的情况下，通过纯强化学习训练出来的模型", "must"),
                    key_point("R1 在强化学习之前先用冷启动数据做监督微调", "must")]


def test_a_point_without_sft_agrees_with_an_answer_saying_so_and_is_contradicted_by_one_with_it():
    # 没有监督 stays no negation (无监督 is a term), but 没有监督微调 is "without SFT".
    agreeing = grade(TRAPS2_R1_QUESTION, TRAPS2_R1_POINTS, "R1-Zero 没有做 SFT，直接在基座模型上用强化学习训练。")
    assert agreeing.points[0].status == "hit"
    wrong = "R1-Zero 先做了 SFT，然后再用强化学习训练。"
    assert status_without("negated", TRAPS2_R1_QUESTION, TRAPS2_R1_POINTS, wrong, 0) == "hit"  # its words, negation off


def test_a_bracketed_acronym_repeating_a_negated_term_is_negated_with_it():
    # "没有监督微调 (SFT)" folds to "没监督微调 (监督微调)": the repeat is no clause of its own, of the other polarity.
    text = "没有监督微调 (SFT) 的情况下"
    clause = read(text, Parameters()).clauses[0]
    assert clause.negative and {"监督", "微调"} <= clause.turned
    apart = read(text, Parameters(disabled=frozenset({"bracketed_repeat"}))).clauses
    assert len(apart) == 3 and not apart[1].negative
    wrong = "R1-Zero 先做了 SFT，然后再用强化学习训练。"
    off = grade(TRAPS2_R1_QUESTION, TRAPS2_R1_POINTS, wrong, Parameters(disabled=frozenset({"bracketed_repeat"})))
    assert off.points[0].status != "contradicted"


def test_a_negation_stops_at_an_arrow_to_the_next_step():
    clause = read("直接环境模拟不可行 → rollout 常由 LLM 自身生成", Parameters()).clauses[0]
    assert clause.negative and "rollout" not in clause.turned
    points = [key_point("搜索过程：直接环境模拟不可行 → rollout 常由 LLM 自身生成，需要截断与采样。", "must"),
              key_point("奖励来自奖励模型或验证器", "must")]
    result = grade("MCTS 用在 LLM 上有什么不同？", points, "rollout 只能由模型自己生成，要截断和采样。")
    assert result.points[0].status == "hit"


TRAPS2_BERT_POINTS = [*WRONG_BERT_POINTS, key_point("梯度裁剪限制梯度范数，防止梯度爆炸", "nice")]


def test_one_slip_in_an_answer_that_hits_more_points_than_it_contradicts_leaves_its_partial_points_whole():
    # Two points hit, one contradicted: a right answer's slip, not a fluent wrong one (rule `doubted` lets it be).
    answer = WRONG_RESIDUAL + "LayerNorm 放大梯度。优化器不用 warmup。梯度裁剪限制梯度的范数，防止爆炸。"
    result = grade(WRONG_BERT_QUESTION, TRAPS2_BERT_POINTS, answer)
    assert [point.status for point in result.points] == ["hit", "partial", "contradicted", "hit"]
    assert [deduction.rule for deduction in result.deductions] == ["contradiction"]


TRAPS2_LONGLORA_QUESTION = "LongLoRA 是怎样以较低成本把大模型的上下文长度扩展上去的？"
TRAPS2_LONGLORA_POINTS = [
    key_point("训练时用 S²-Attn，把序列分组，只在组内算注意力", "must",
              ["shifted sparse attention", "S2-Attn", "分组注意力"]),
    key_point("一半的头把分组平移半个组长，让信息在相邻组间流动", "must", ["shift", "半数头移位"]),
    key_point("用 LoRA 微调，并额外放开 embedding 和 norm 层训练", "must",
              ["LoRA+", "trainable embedding and normalization"]),
    key_point("推理时仍用完整的标准注意力，模型结构不变", "nice", ["full attention at inference"]),
    key_point("配合位置插值，可把 LLaMA2 7B 扩到约 100k 上下文", "nice", ["Position Interpolation", "100k"])]


def test_a_negation_said_of_the_other_side_of_a_pair_the_point_names_does_not_deny_it():
    answer = ("训练时组内注意力加一半头移位半组（S²-Attn），推理时没有稀疏注意力，直接用全注意力；"
              "LoRA之外embedding和norm也要训练，不是只训LoRA。")
    assert grade(TRAPS2_LONGLORA_QUESTION, TRAPS2_LONGLORA_POINTS, answer).points[0].status == "hit"
    assert grade(TRAPS2_LONGLORA_QUESTION, TRAPS2_LONGLORA_POINTS, answer,
                 Parameters(disabled=frozenset({"other_side"}))).points[0].status == "contradicted"
    wrong = "训练时不用 S²-Attn，不分组，每个 token 都看全部位置。"
    assert grade(TRAPS2_LONGLORA_QUESTION, TRAPS2_LONGLORA_POINTS, wrong).points[0].status == "contradicted"


MISSED_REWARD_POINTS = [key_point("在标准 RL 框架（Q-learning、Policy Gradient 等）中，Reward 不需要可微。", "must"),
                        key_point("举例：围棋的胜负奖励是离散的，不可微，但依然能驱动 AlphaGo 学习。", "nice")]
MISS2_LORA_QUESTION = "LORA里有没有激活函数？"
MISS2_LORA_POINTS = [key_point("核心回答：LoRA 模块本身不包含激活函数。", "must"),
                     key_point("在 MLP 层的线性部分加 LoRA，依旧是线性映射 + ReLU/GELU，LoRA 只修改线性部分。", "nice")]


# The reward answers open with the reference's no; the LoRA ones deny having what is asked, which is its no too.
@pytest.mark.parametrize(("question", "points", "answer"), [
    (WRONG2_REWARD_QUESTION, MISSED_REWARD_POINTS, "不需要可微吧，有个数值就行。"),
    (WRONG2_REWARD_QUESTION, MISSED_REWARD_POINTS, "Reward 需要可微吗？我觉得不需要可微，有个数值就能训。"),
    (MISS2_LORA_QUESTION, MISS2_LORA_POINTS, "没有激活函数吧，就是两个小矩阵 A 和 B 直接相乘。"),
    (MISS2_LORA_QUESTION, MISS2_LORA_POINTS, "没有。A、B 中间不插任何非线性，训完直接合进原权重。")])
def test_an_answer_opening_with_the_references_yes_or_no_states_the_point_that_ends_with_it(question, points, answer):
    result = grade(question, points, answer)
    assert result.points[0].status == "partial"
    assert any(f.rule == "answered_alike" and f.point == result.points[0].id for f in result.findings)
    assert result.points[1].status == "miss"  # it gives the yes or no along the way, and claims more


def test_an_answer_opening_with_the_other_yes_or_no_or_on_something_else_is_not_answered_alike():
    for answer in ("必须可微，不然没法求梯度。", "损失函数一般要可微，因为反向传播要对参数求梯度。"):
        result = grade(WRONG2_REWARD_QUESTION, MISSED_REWARD_POINTS, answer)
        assert not any(f.rule == "answered_alike" for f in result.findings)
    disabled = Parameters(disabled=frozenset({"answered_alike"}))
    assert grade(WRONG2_REWARD_QUESTION, MISSED_REWARD_POINTS, "不需要可微吧。", disabled).points[0].status == "miss"


def test_an_answer_saying_yes_contradicts_the_point_that_denies_having_what_is_asked():
    result = grade(MISS2_LORA_QUESTION, MISS2_LORA_POINTS, "LoRA 里是有激活函数的，A 和 B 之间过一个 ReLU。")
    assert result.points[0].status == "contradicted"
    assert any(f.rule == "answered_otherwise" for f in result.findings)


def test_a_bare_word_of_agreement_opening_with_a_negation_cue_says_no_no():
    result = grade(MISS2_LORA_QUESTION, MISS2_LORA_POINTS, "没错，A 和 B 之间要过一个 ReLU。")
    assert not any(f.rule == "answered_alike" for f in result.findings)


def test_a_denial_of_having_said_of_another_subject_gives_no_yes_or_no():
    points = [key_point("原始 Transformer 的注意力投影层本身不包含激活函数。", "must")]
    result = grade(MISS2_LORA_QUESTION, points, "LoRA 里是有激活函数的，A 和 B 之间过一个 ReLU。")
    assert not any(f.rule == "answered_otherwise" for f in result.findings)


WRONG_CASCADE_QUESTION = "端到端的大模型和级联模型有什么区别？各自的优缺点是什么？"
WRONG_CASCADE_POINTS = [
    key_point("级联模型：先用 ASR 模块把语音转文本，再由文本模型处理，最后用 TTS 模块合成语音", "must"),
    key_point("端到端模型：直接输入语音，模型输出目标语音，中间不显式依赖文本", "must")]
WRONG_CASCADE_SWAPPED = "端到端模型是先用 ASR 把语音转成文本，再由文本模型处理，最后用 TTS 合成语音。"
WRONG_CASCADE_RIGHT = ("级联模型先用 ASR 把语音转成文本，交给文本模型处理，再用 TTS 合成语音；"
                       "端到端模型直接输入语音输出语音。")


def test_names_that_modify_a_head_both_sides_share_are_the_names_compared():
    # "端到端的大模型和级联模型" compares 端到端 with 级联, not 大模型 (rule `modified_name`); a head both sides lack
    # keeps the name before the cue ("transformer 的 encoder 和 decoder").
    names = compared_names(normalize_for_matching(WRONG_CASCADE_QUESTION).text)
    assert [(left, right) for (left, _), (right, _) in names] == [("端到端", "级联")]
    names = compared_names(normalize_for_matching("transformer 的 encoder 和 decoder 是怎么交互的？").text)
    assert [(left, right) for (left, _), (right, _) in names] == [("编码器", "解码器")]


BM25_QUESTION = "BM25 与稠密检索（Dense Retrieval）有什么不同？"
BM25_POINT = "BM25 不理解同义词和改写，稠密检索能捕捉语义相似。"
BI_CROSS_QUESTION = "Bi-Encoder 和 Cross-Encoder 有什么区别？"
BI_CROSS_POINTS = [key_point("效率：Bi-Encoder 的文档向量可以离线预先算好存进向量库，配合 ANN 索引毫秒级召回", "must"),
                   key_point("使用场景：所以在 RAG 里通常先用 Bi-Encoder 做召回", "must")]


def test_a_rather_than_inside_a_point_clause_leaves_its_claim_to_be_negated():
    # Seen on fresh39: "显存带宽并不是瓶颈" against "瓶颈在显存带宽而不是算力", both clauses holding one cue.
    question = "为什么说大模型推理的 decode 阶段是访存受限（memory-bound）的？"
    points = [key_point("所以瓶颈在显存带宽而不是算力，GPU 的 Tensor Core 大部分时间在等数据，利用率很低。", "must")]
    wrong = "显存带宽并不是瓶颈，GPU 算力一直被打满，利用率很高。"
    assert grade(question, points, wrong).points[0].status == "contradicted"
    assert grade(question, points, wrong, Parameters(disabled=frozenset({"rather_than"}))).points[0].status == "hit"
    assert grade(question, points, "瓶颈在显存带宽而不是算力，GPU 大部分时间在等数据。").points[0].status == "hit"


def test_a_member_qualified_by_the_points_own_word_is_the_points_member():
    # Seen on fresh38: "可学习的绝对位置编码" is the learned position embedding the point names, not another encoding.
    question = "ALiBi 是怎么注入位置信息的？为什么它外推性好？"
    points = [key_point("所以能在比训练更长的序列上直接用，"
                        "外推效果比 sinusoidal 和 learned position embedding 好很多。", "must")]
    right = grade(question, points, "训练短推理长也不会崩，外推比 sinusoidal 和可学习的绝对位置编码都强。")
    assert right.points[0].status != "contradicted"
    wrong = grade(question, points, "训练短推理长也不会崩，外推比 sinusoidal 和旋转位置编码都强。")
    assert {f.rule for f in wrong.findings if f.why} == {"wrong_member"}


@pytest.mark.parametrize(("rule", "question", "point", "right"), [
    # Seen on fresh41: a strong answer's "而不是 O(n²)" was read as negating "从 O(n²) 降到 O(n·W)".
    ("change_origin", "滑动窗口注意力（SWA）是怎么工作的？", "单层的注意力计算量从 O(n²) 降到 O(n·W)，对长序列更友好。",
     "每层的复杂度是 O(n·W) 而不是 O(n²)，长序列友好很多。"),
    # Seen on fresh41: "训练时的奖励…是一致的" states the SimPO half and reversed the DPO half through 训练/推理.
    ("contrast_opening", "SimPO 和 DPO 的区别是什么？",
     "还有一点，SimPO 的奖励和生成时的打分方式（平均 log 概率）是一致的，而 DPO 的训练奖励和推理时的似然并不对齐。",
     "还有一个好处是训练时的奖励和生成时按平均 log 概率打分的方式是一致的。"),
    # Seen on fresh43: "稠密检索…，同义词也能召回" was read as reversing "BM25 不理解同义词".
    ("other_name", BM25_QUESTION, BM25_POINT, "稠密检索靠向量做语义匹配，同义词也能召回。"),
    # Seen on fresh43: "dropout 没什么正则收益" was read as negating "正则化的收益很小".
    ("not_much", "为什么现在很多大模型预训练时把 Dropout 设为 0？",
     "大模型预训练通常只过一遍数据，基本不存在过拟合，正则化的收益很小。",
     "预训练数据只过一遍，基本不会过拟合，dropout 没什么正则收益。"),
])
def test_a_right_answer_reads_as_a_contradiction_only_with_the_rule_off(rule, question, point, right):
    points = [key_point(point, "must")]
    assert grade(question, points, right).points[0].status in ("hit", "partial")
    off = Parameters(disabled=frozenset({rule}))
    assert grade(question, points, right, off).points[0].status == "contradicted"


def test_a_negation_about_the_same_compared_name_still_contradicts():
    points = [key_point(BM25_POINT, "must")]
    assert grade(BM25_QUESTION, points, "BM25 靠词面匹配，同义词也能召回。").points[0].status == "contradicted"


def test_a_term_an_english_word_is_hyphened_to_is_part_of_its_name():
    # Seen on fresh36: "Bi-Encoder" folds to "bi-编码器", and the names compared were 编码器 and "cross".
    names = compared_names(normalize_for_matching(BI_CROSS_QUESTION).text)
    assert [(left, right) for (left, _), (right, _) in names] == [("bi-编码器", "cross-编码器")]
    swapped = grade(BI_CROSS_QUESTION, BI_CROSS_POINTS,
                    "Cross-Encoder 的文档向量可以离线存进向量库做 ANN 召回。RAG 里是先用 Cross-Encoder 召回。")
    assert [p.status for p in swapped.points] == ["contradicted", "contradicted"]
    right = grade(BI_CROSS_QUESTION, BI_CROSS_POINTS,
                  "bi encoder 的文档向量可以离线存进向量库做 ANN 召回，RAG 里先用 bi encoder 召回，再用 cross 重排。")
    assert [p.status for p in right.points] == ["hit", "hit"]


def test_a_pipeline_given_to_the_other_modified_name_is_swapped():
    result = grade(WRONG_CASCADE_QUESTION, WRONG_CASCADE_POINTS, WRONG_CASCADE_SWAPPED)
    assert result.points[0].status == "contradicted"
    assert {f.rule for f in result.findings if f.why} == {"swapped_names"}
    off = grade(WRONG_CASCADE_QUESTION, WRONG_CASCADE_POINTS, WRONG_CASCADE_SWAPPED,
                Parameters(disabled=frozenset({"modified_name"})))
    assert off.points[0].status != "contradicted"
    assert [p.status for p in grade(WRONG_CASCADE_QUESTION, WRONG_CASCADE_POINTS, WRONG_CASCADE_RIGHT).points] == [
        "hit", "hit"]


WRONG_MASK_QUESTION = "Attention中双向掩码单向掩码的区别？"
WRONG_MASK_POINTS = [key_point("单向掩码用于生成任务，只看过去保持因果性，而双向掩码用于理解任务，允许全局交互",
                               "must")]


@pytest.mark.parametrize(("answer", "status"), [
    ("单向掩码适合理解任务，双向掩码适合生成任务。", "contradicted"),
    ("单向掩码用于生成任务，只看过去保持因果性；双向掩码用于理解任务，允许全局交互。", "hit")])
def test_a_name_after_an_opening_connective_is_one_of_the_points_named_objects(answer, status):
    # The point's second clause opens with 而 before its name: swapped_within reads both names' objects.
    result = grade(WRONG_MASK_QUESTION, WRONG_MASK_POINTS, answer)
    assert result.points[0].status == status
    assert ("swapped_within" in {f.rule for f in result.findings}) == (status == "contradicted")


WRONG_QKV_QUESTION = "Attention中QKV代表什么 说说理解?"
WRONG_QKV_POINTS = [key_point("用 Q 与所有 K 做点积，衡量查询与键的匹配程度", "must"),
                    key_point("用这些权重对对应的 V 加权求和，作为最终输出", "must")]


@pytest.mark.parametrize(("answer", "status"), [
    ("计算时先用 Q 和 V 做点积得到相似度矩阵，再 softmax。", "contradicted"),
    ("计算时先用 Q 和所有 K 做点积，衡量匹配程度，再 softmax。", "hit"),
    ("Q 和 K 做点积得到权重，再用权重对 V 加权求和。", "partial")])
def test_another_letter_in_the_slot_of_one_the_point_names_is_a_wrong_operand(answer, status):
    result = grade(WRONG_QKV_QUESTION, WRONG_QKV_POINTS, answer)
    assert result.points[0].status == status
    assert ("substituted_letter" in {f.rule for f in result.findings}) == (status == "contradicted")
    off = grade(WRONG_QKV_QUESTION, WRONG_QKV_POINTS, answer, Parameters(disabled=frozenset({"substituted_letter"})))
    assert off.points[0].status != "contradicted"


NEGATED_DPO_QUESTION = "DPO 和 PPO 有什么区别？"
NEGATED_DPO_POINTS = [key_point("DPO 不需要奖励模型，也不需要 RL 算法", "must")]


@pytest.mark.parametrize(("text", "negative"), [("也离不开 RL 算法", False), ("少不了奖励模型", False),
                                                ("这一步必不可少", False), ("归一化不可或缺", False),
                                                ("三者缺一不可", False), ("不开启 warmup", True),
                                                ("不了解这个方法", True), ("不然优势全为 0，没有梯度", False),
                                                ("其实不然", True)])
def test_cant_do_without_and_otherwise_are_no_negation_where_not_opening_or_not_knowing_is(text, negative):
    assert read(text, Parameters()).clauses[0].negative is negative


def test_an_answer_saying_the_method_cannot_do_without_what_the_point_says_it_needs_not_contradicts_it():
    answer = "DPO 和 PPO 一样离不开 RL 算法。"
    assert grade(NEGATED_DPO_QUESTION, NEGATED_DPO_POINTS, answer).points[0].status == "contradicted"
    right = "DPO 不需要 RL 算法，也不用奖励模型。"
    assert grade(NEGATED_DPO_QUESTION, NEGATED_DPO_POINTS, right).points[0].status == "hit"


NEGATED_RLHF_QUESTION = "RLHF 的流程是怎样的？"
NEGATED_RLHF_POINTS = [key_point("用 PPO 最大化奖励，同时加对参考模型的 KL 惩罚防止跑偏", "must")]
NEGATED_ZERO_QUESTION = "DeepSpeed 是什么？它的 ZeRO 各阶段怎样节省显存？"
NEGATED_ZERO_POINTS = [key_point("核心是 ZeRO：在数据并行各卡间分片，消除冗余的模型状态", "must", ["ZeRO", "分片"]),
                       key_point("ZeRO-1 分片优化器状态，ZeRO-2 再分梯度，ZeRO-3 再分参数", "must",
                                 ["stage 1", "stage 2", "stage 3"]),
                       key_point("ZeRO-Offload 把优化器状态或参数卸载到 CPU 内存/NVMe", "must", ["offload"])]


@pytest.mark.parametrize(("question", "points", "index", "wrong", "rule", "right"), [
    # A negation of what a point does before its prevention cue contradicts it (rule remedy_scope).
    (NEGATED_RLHF_QUESTION, NEGATED_RLHF_POINTS, 0, "PPO 阶段不需要对参考模型加 KL 惩罚，约束反而妨碍奖励提升。",
     "remedy_scope", "PPO 阶段最大化奖励，同时对参考模型加 KL 惩罚，防止策略跑偏。"),
    # A denial outweighs a list item naming the same words in another sentence (rule denial_tie).
    (NEGATED_ZERO_QUESTION, NEGATED_ZERO_POINTS, 1,
     "每张卡仍然保存完整的参数、梯度和优化器状态；ZeRO-1、2、3 的区别只是通信方式不同，都不切分优化器状态。",
     "denial_tie",
     "ZeRO-1 只分片优化器状态，ZeRO-2 再把梯度分片，ZeRO-3 连参数也分片，每张卡不再保存完整的优化器状态。")])
def test_a_denial_the_rule_reads_contradicts_the_point_and_the_right_claim_still_hits(question, points, index, wrong,
                                                                                        rule, right):
    assert grade(question, points, wrong).points[index].status == "contradicted"
    before = grade(question, points, wrong, Parameters(disabled=frozenset({rule})))
    assert before.points[index].status != "contradicted"
    assert grade(question, points, right).points[index].status == "hit"


NEGATED_KV_QUESTION = "生成 200 个 token 的耗时为什么大于 200ms？"
NEGATED_KV_POINTS = [key_point("有了 KV Cache，前缀的 key/value 可以缓存", "must")]


def test_a_clause_saying_the_points_subject_cannot_do_what_it_can_contradicts_it():
    answer = "前缀的 key/value 也不能缓存，每一步都得重新算。"
    assert grade(NEGATED_KV_QUESTION, NEGATED_KV_POINTS, answer).points[0].status == "contradicted"
    assert status_without("negated_modal", NEGATED_KV_QUESTION, NEGATED_KV_POINTS, answer, 0) != "contradicted"
    right = "前缀的 key/value 都可以缓存起来，每一步只算新 token。"
    assert grade(NEGATED_KV_QUESTION, NEGATED_KV_POINTS, right).points[0].status == "hit"


NEGATED_TOKENIZER_POINTS = [key_point("3. 连续特征的处理方式：分桶 (Discretization/Binning)", "must")]


def test_a_denial_of_the_one_word_a_point_clause_is_made_of_contradicts_it():
    answer = "连续特征不能分桶，只能直接当数值输入。"
    assert grade(PARTIALS_TOKENIZER_QUESTION, NEGATED_TOKENIZER_POINTS, answer).points[0].status == "contradicted"
    assert status_without("negated", PARTIALS_TOKENIZER_QUESTION, NEGATED_TOKENIZER_POINTS, answer, 0) != "contradicted"
    before = grade(PARTIALS_TOKENIZER_QUESTION, NEGATED_TOKENIZER_POINTS, answer,
                   Parameters(disabled=frozenset({"denied_word"})))
    assert before.points[0].status != "contradicted"
    right = "连续特征可以分桶，每个区间一个 token。"
    assert grade(PARTIALS_TOKENIZER_QUESTION, NEGATED_TOKENIZER_POINTS, right).points[0].status in ("hit", "partial")


TRAPS_REWARD_QUESTION = "强化学习里的奖励需要可微吗？"
TRAPS_REWARD_POINTS = [key_point("在标准 RL 框架（Q-learning、Policy Gradient 等）中，Reward 不需要可微", "must")]
TRAPS_ACTOR_QUESTION = "PPO 的 Actor 往什么方向更新？"
TRAPS_ACTOR_POINTS = [key_point("优势为正的动作概率增大，优势为负的动作概率减小", "must")]
TRAPS_UNLIKE_QUESTION = "Transformer 是怎样捕捉长距离依赖的？"
TRAPS_UNLIKE_POINTS = [key_point("不同于 RNN 的逐步传递，自注意力让任意两个位置一步直接交互", "must")]
TRAPS_CE_QUESTION = "在 LLMs 训练中，交叉熵损失 (CE Loss) 是如何计算的？"
TRAPS_CE_POINTS = [key_point("每个位置预测下一个 token 的概率分布 $P_\\theta(x_t|x_{<t})$。", "must"),
                   key_point("只取正确 token 的负对数概率，再对序列求平均", "must")]
TRAPS_TOKENS_QUESTION = "LLMs 是怎么把文本转成 token 的？"
TRAPS_TOKENS_POINTS = [key_point("这个过程由 Tokenizer 完成，最终输出 token ID 序列，作为模型的输入。", "must")]
TRAPS_MODES_QUESTION = "Qwen3 是如何实现混合思考的？"
TRAPS_MODES_POINTS = [key_point("这样就实现了同一个模型在两种模式下切换：需要时输出思考过程，不需要时直接输出答案。",
                                "must")]
TRAPS_ZERO_QUESTION = "DeepSeek-R1-Zero 和 R1 的区别"
TRAPS_ZERO_POINTS = [key_point("训练与微调的区别：R1-Zero 是在没有监督微调的情况下，纯用 GRPO 强化学习训练出来的",
                               "must")]


@pytest.mark.parametrize(("question", "points", "right", "rule", "wrong"), [
    # A denial sharing words with a point's bracketed examples does not contradict it (rule point_aside).
    (TRAPS_REWARD_QUESTION, TRAPS_REWARD_POINTS, "不需要。RL 里奖励只是一个标量，训练策略时不会把梯度传回它。",
     "point_aside", "奖励必须可微，否则 Policy Gradient 没法求梯度。"),
    # Saying one half of a point's contrast does not reverse its other half (rule contrast_half).
    (TRAPS_ACTOR_QUESTION, TRAPS_ACTOR_POINTS, "Actor 让优势为正的动作概率调大。", "contrast_half",
     "Actor 让优势为正的动作概率减小。"),
    # Saying what the point sets itself against is unlike the subject denies none of it (rule unlike).
    (TRAPS_UNLIKE_QUESTION, TRAPS_UNLIKE_POINTS, "靠自注意力，任意两个位置一步直接交互，不是 RNN 那样逐步传递。",
     "unlike", "自注意力和 RNN 一样要逐步传递，两个位置不能一步直接交互。"),
    # A denial the point makes itself in another clause does not deny its label (rule denied_alike).
    (TRAPS_ZERO_QUESTION, TRAPS_ZERO_POINTS, "R1-Zero is trained straight from the base model with GRPO "
     "reinforcement learning and no supervised fine-tuning at all.", "denied_alike",
     "R1-Zero 是先做监督微调，再用 GRPO 强化学习训练出来的。"),
    # A word the point's own term holds is no frame round a slot in that term (rule term_frame): 一个 of 下一个词预测.
    (TRAPS_CE_QUESTION, TRAPS_CE_POINTS, "每个位置会输出一个下一个 token 的概率分布 P(x_t|x_<t)。", "term_frame",
     "每个位置并不预测下一个 token 的概率分布 P(x_t|x_<t)。"),
    # Saying the point's other clause that holds the opposite word reverses nothing (rule both_clauses).
    (TRAPS_TOKENS_QUESTION, TRAPS_TOKENS_POINTS,
     "用 tokenizer 把文本切成 token，再查词表得到 token ID 序列作为模型输入。", "both_clauses",
     "Tokenizer 的输入是 token ID 序列，模型输出文本。"),
    # A word and its negation said as alternatives deny nothing (rule alternatives).
    (TRAPS_MODES_QUESTION, TRAPS_MODES_POINTS,
     "Qwen3 一个模型可以有思考和不思考两种模式，思考模式下会先输出一段思考过程再回答。", "alternatives",
     "Qwen3 同一个模型不能在两种模式下切换。")])
def test_a_right_answer_is_not_contradicted_by_what_the_point_says_beside_its_claim(question, points, right, rule,
                                                                                     wrong):
    assert grade(question, points, right).points[0].status == "hit"
    before = grade(question, points, right, Parameters(disabled=frozenset({rule})))
    assert before.points[0].status == "contradicted"
    assert grade(question, points, wrong).points[0].status == "contradicted"


TRAPS_CACHE_QUESTION = "Greedy Search 每个 token 1ms，生成 200 个 token 耗时大于还是小于 200ms？"
TRAPS_CACHE_POINTS = [key_point("有了 KV Cache，前缀的 key/value 可以缓存", "must"),
                      key_point("每步 attention 的计算量随序列长度增加", "must")]


def test_a_clause_opening_with_what_is_had_supposes_it():
    right = "大于 200ms。即使有 KV Cache，每步也不是常数时间；没有 KV Cache 更慢，每步都要重算整个前缀。"
    assert grade(TRAPS_CACHE_QUESTION, TRAPS_CACHE_POINTS, right).points[0].status != "contradicted"
    wrong = "大于 200ms。即使有 KV Cache，前缀的 key/value 也不能缓存。"
    assert grade(TRAPS_CACHE_QUESTION, TRAPS_CACHE_POINTS, wrong).points[0].status == "contradicted"


TRAPS_NF4_QUESTION = "为什么 QLoRA 用 NF4 而不是 int4？"
TRAPS_NF4_POINTS = [key_point("NF4 的表示方式：NF4 也是 4 bit（16 个点），但这些点不是等距整数，"
                              "而是一组非均匀分布的浮点值（codebook）。", "must")]


def test_an_english_non_prefix_negates_like_its_chinese_counterpart():
    right = ("NF4 also uses 4 bits and 16 values, but they form a non-uniform codebook of floats placed at the "
             "quantiles of a normal distribution.")
    assert grade(TRAPS_NF4_QUESTION, TRAPS_NF4_POINTS, right).points[0].status != "contradicted"
    wrong = right.replace("non-uniform", "uniform")
    assert grade(TRAPS_NF4_QUESTION, TRAPS_NF4_POINTS, wrong).points[0].status == "contradicted"


TRAPS_GPT_QUESTION = "GPT-1 到 GPT-3 各自的主要改进是什么？"
TRAPS_GPT_POINTS = [key_point("GPT-2：更大模型和 WebText 数据，主打 zero-shot 迁移", "must")]


def test_an_english_negation_stops_at_the_and_joining_the_next_predicate():
    answer = ("GPT-2 was scaled up to 1.5B parameters and trained on WebText; it dropped fine-tuning and showed "
              "zero-shot transfer.")
    assert grade(TRAPS_GPT_QUESTION, TRAPS_GPT_POINTS, answer).points[0].status != "contradicted"
    wrong = "GPT-2 was scaled up to 1.5B parameters and trained on WebText, but it showed no zero-shot transfer."
    assert grade(TRAPS_GPT_QUESTION, TRAPS_GPT_POINTS, wrong).points[0].status == "contradicted"


PPO_MODELS_QUESTION = "RLHF中，PPO需要哪几个模型，分别是什么作用？"
PPO_MODELS_POINTS = [key_point("Reward 模型冻结，给 Actor 的完整回答打标量奖励分", "must", ("RM", "奖励模型")),
                     key_point("Critic 常由 RM 初始化并参与训练，估计每个 token 的价值", "must",
                               ("value model", "价值模型", "state value"))]


@pytest.mark.parametrize(("answer", "status"), [
    ("critic 估计每个状态的价值。", "hit"),  # the point's own alias says "state value"
    ("Critic 由 RM 初始化并参与训练，估计每个回答的价值。", "contradicted"),
    ("critic 估计每个 actor 的价值。", "contradicted")])
def test_a_word_of_the_points_own_alias_is_no_substitute_in_its_slot(answer, status):
    result = grade(PPO_MODELS_QUESTION, PPO_MODELS_POINTS, answer)
    assert result.points[1].status == status
    assert ("substituted" in {f.rule for f in result.findings}) == (status == "contradicted")


def test_a_chinese_clause_with_english_names_and_a_comma_is_no_keyword_list():
    # Seen in the debrief: the critic point said almost word for word lost 20 points as "a keyword list".
    answer = "Critic 由 RM 初始化并参与训练，估计每个 token 的价值。"
    result = grade(PPO_MODELS_QUESTION, PPO_MODELS_POINTS, answer)
    assert result.points[1].status == "hit"
    assert not any(f.rule in ("keyword_list", "listed_not_stated") for f in result.findings)
    assert is_keyword_list(normalize_for_matching("RoPE ALiBi 位置插值 NTK YaRN").text)


KEYWORDS_FORMULA_GROUPS = "采样：proposal q(x)、包络常数 M、U(0,1)、接受率 1/M；过滤：奖励模型、阈值 τ、质量过滤"


def test_keywords_a_comma_inside_a_formula_parts_its_arguments_not_clauses():
    typed = KEYWORDS_FORMULA_GROUPS
    assert is_keyword_list(normalize_for_matching(typed).text, typed=typed)
    clauses = "采样时先从 q(x) 抽样，再按 p(x)/(M q(x)) 接受；过滤时奖励模型打分，低于阈值的丢掉"
    assert not is_keyword_list(normalize_for_matching(clauses).text, typed=clauses)


def test_keywords_a_listed_point_earns_no_more_than_a_named_one_however_much_of_it_the_list_names():
    params = Parameters()
    result = grade(LISTS_QUESTION, LISTS_POINTS, LISTS_GROUPS)
    assert [point.score for point in result.points] == [params.listed_credit] * len(LISTS_POINTS)
    unlowered = grade(LISTS_QUESTION, LISTS_POINTS, LISTS_GROUPS, Parameters(disabled=frozenset({"listed_not_stated"})))
    assert any(params.partial < point.score < params.hit for point in unlowered.points)


MISS2_SPARSE_QUESTION = "长文本场景下有哪些结合稀疏注意力的模型？它们各自怎样把注意力稀疏化？"
MISS2_SPARSE_POINTS = [key_point("Longformer 用滑动窗口局部注意力加少量全局 token", "must"),
                       key_point("BigBird 组合窗口、随机和全局三种注意力", "must")]
MISS2_SPARSE_LIST = "O(n²)、Longformer、BigBird、Reformer、LSH、Sparse Transformer、Linformer、低秩。"


def test_keywords_a_list_naming_a_points_model_names_the_point():
    assert [p.status for p in grade(MISS2_SPARSE_QUESTION, MISS2_SPARSE_POINTS, MISS2_SPARSE_LIST).points] == [
        "partial", "partial"]
    unnamed = grade(MISS2_SPARSE_QUESTION, MISS2_SPARSE_POINTS, MISS2_SPARSE_LIST,
                    Parameters(disabled=frozenset({"named_in_list"})))
    assert [p.status for p in unnamed.points] == ["miss", "miss"]


def test_keywords_an_ellipsis_between_terms_spans_a_range_it_ends_no_statement():
    typed = "多 token 预测、多个预测头、t+1…t+k、交叉熵加权、投机解码、加速。"
    assert is_keyword_list(normalize_for_matching(typed).text, typed=typed)
    said = "模型一次预测多个 token…这样训练信号更密。推理时可以拿来做投机解码。"
    assert not is_keyword_list(normalize_for_matching(said).text, typed=said)


def test_a_denial_the_point_makes_too_goes_against_no_presumption_of_the_question():
    # Seen on fresh22 after its first read: "LoRA 里有没有激活函数？" answered "没有…不带激活函数" was contradicted by
    # against_question, which read the denied 激活函数 as going against the question, though the point denies it too.
    question = "LORA里有没有激活函数？"
    point = key_point("核心回答：LoRA 模块本身不包含激活函数。", "must")
    result = grade(question, [point], "没有。LoRA 模块本身不带激活函数，A、B 中间什么非线性都不加。")
    assert result.points[0].status != "contradicted"
    assert not any(f.why for f in result.findings)


NAME_SPARED_BY_A_RULE = [
    # Seen on fresh26: "不测多跳推理、多条信息聚合、长输出" denied only its first item, and the last one, read as said,
    # contradicted the point's "也不考察长输出".
    pytest.param("denied_series", "这个检索模块有哪些局限？", "它不支持跨库检索、增量更新，也不支持权限过滤",
                 "缺点是不支持跨库检索、增量更新、权限过滤。",
                 "它跨库检索、增量更新、权限过滤都支持。", id="denied-series"),
    # Seen on fresh26: "不相关文本" against the point's "无关文本" read as a denial of the point.
    pytest.param("spelled_opposite", "对比学习的负样本怎么构造？", "从无关文档里随机抽段落作为负样本",
                 "负样本就是从很多不相关文档里随机抽的段落。",
                 "负样本不能从无关文档里随机抽段落。", id="spelled-opposite"),
    # Seen on fresh26: "用它训的 teacher 不要拿去做蒸馏" was read as denying "…做知识蒸馏，效果往往变差".
    pytest.param("warned_against", "模型剪枝有什么副作用？", "剪得太狠的模型拿去做量化，精度往往变差",
                 "剪得太狠的模型不要再拿去做量化，精度掉得厉害。",
                 "剪得太狠的模型拿去做量化，精度会变好。", id="warned-against"),
    # Seen on fresh27: "跟它们语义没关系" and "不是因为它们语义重要" against "…，不管它们语义上是否重要".
    pytest.param("regardless", "学习率 warmup 有什么作用？", "训练初期都需要 warmup，不管模型初始化是否合理",
                 "训练初期都要 warmup，跟模型初始化没关系。", "训练初期都不需要 warmup。", id="regardless-unrelated"),
    pytest.param("regardless", "学习率 warmup 有什么作用？", "训练初期都需要 warmup，不管模型初始化是否合理",
                 "训练初期都要 warmup，不是因为模型初始化合理。",
                 "训练初期都不需要 warmup。", id="regardless-not-because"),
    # Seen on fresh17: "训练时 sampled softmax…；推理时不会用采样近似" against the point "采样近似 Softmax".
    pytest.param("other_side", "神经网络有哪些常见的正则化做法？", "随机丢弃神经元",
                 "训练时会让一部分单元失活。推理时不会随机丢弃神经元。", "推理时不会随机丢弃神经元。", id="other-side"),
    # Seen on fresh22: "自己不引入非线性" against "线性层 → （可能）非线性激活 → …".
    pytest.param("optional_part", "Adapter 的结构是什么？", "结构是下投影层 → （可能）非线性激活 → 上投影层",
                 "下投影层后面不加非线性激活，直接上投影层。", "结构不是下投影层和上投影层。", id="optional-part"),
    # Seen on fresh31: "好处是不用像 cosine 那样提前定死总步数" against "cosine 需要提前定好总步数…".
    pytest.param("unlike", "WSD 学习率调度相比 cosine 有什么好处？",
                 "cosine 需要提前定好总步数，训到一半想多训就得重来",
                 "WSD 不用像 cosine 那样提前定好总步数，训到一半想多训也不用重来。",
                 "cosine 不用提前定好总步数。", id="unlike-the-point's-subject"),
]


def test_a_negated_dismissal_agrees_with_the_point():
    # Seen on fresh31: "不是跟宽度无关的" says the learning rate depends on the width.
    question = "μP 要解决什么问题？"
    points = [key_point("问题：标准参数化（SP）下，模型变宽以后最优学习率会跟着变，一般是越宽越小", "must")]
    right = "标准参数化下最优学习率不是跟宽度无关的。"
    assert grade(question, points, right).points[0].status == "partial"
    off = Parameters(disabled=frozenset({"double_negation"}))
    assert grade(question, points, right, off).points[0].status == "contradicted"
    assert grade(question, points, "标准参数化下最优学习率跟宽度无关。").points[0].status == "contradicted"


def test_a_contrast_ends_a_negation():
    # Seen on fresh31: "k1 无偏但方差大" read 方差大 as denied.
    clause = read("k1 无偏但方差大。", DEFAULT).clauses[0]
    assert clause.negative and "方差" not in clause.turned


@pytest.mark.parametrize(("rule", "question", "point", "right", "wrong"), NAME_SPARED_BY_A_RULE)
def test_a_rule_spares_a_right_statement_the_contradiction_it_would_read_and_keeps_the_wrong_one(
        rule, question, point, right, wrong):
    points = [key_point(point, "must")]
    assert grade(question, points, right).points[0].status == "hit"
    assert grade(question, points, right, Parameters(disabled=frozenset({rule}))).points[0].status == "contradicted"
    assert grade(question, points, wrong).points[0].status == "contradicted"


def test_a_prefix_cue_makes_a_word_of_its_own_and_denies_no_item_after_it():
    assert [c.negative for c in read("优点包括无方向性、抗干扰、容量大。", DEFAULT).clauses] == [True, False, False]


def test_a_denial_of_a_word_the_point_states_plainly_still_contradicts_it():
    stable = [key_point("batch 太小时训练容易不稳定", "must")]
    assert grade("batch 大小有什么影响？", stable, "batch 太小训练也不会不稳定。").points[0].status == "contradicted"


def test_a_negation_before_a_consequence_supposes_it_asserts_nothing():
    # Seen on fresh14: "相似度达不到阈值就追问或拒答" was read as denying "不达标则触发追问/拒答".
    clause = read("召回分数达不到阈值就拒答。", DEFAULT).clauses[0]
    assert clause.conditional and not clause.negative
    assert not read("这不就是正则化吗", DEFAULT).clauses[0].conditional
    point = [key_point("设最小检索分数阈值，分数低于阈值时拒答", "must")]
    assert grade("RAG 怎么减少幻觉？", point, "召回分数达不到阈值就拒答。").points[0].status == "partial"


@pytest.mark.parametrize(("text", "supposed"), [
    ("显存不够的话就用梯度累积", True),
    ("batch 太大的话容易不稳定", True),
    ("词表小的话序列会变长", True),
    ("只保留最近窗口的话会崩", True),
    # 的话 after a bare topic ("阈值的话", "LoRA 的话") marks what the clause speaks of, not a supposition.
    ("阈值的话一般设成 1.0", False),
    ("LoRA 的话秩一般取 8", False),
])
def test_de_hua_supposes_after_a_predicate_and_marks_a_topic_after_a_bare_name(text, supposed):
    assert read(text, DEFAULT).clauses[0].conditional is supposed


def test_a_negated_better_word_says_the_worse_side():
    # Seen on fresh26: "不利于蒸馏" against "蒸馏变差" and "distills worse" read as opposite claims.
    worse = read("探索变差", DEFAULT).clauses[0].sides
    assert worse and read("不利于探索", DEFAULT).clauses[0].sides == worse
    assert read("exploration gets worse", DEFAULT).clauses[0].sides == worse


def test_a_negation_stops_at_a_directly_that_opens_the_next_predicate():
    # Seen on fresh7: "去掉微调直接 zero-shot" was read as denying the zero-shot transfer the point names.
    question = "GPT-3 怎么用于下游任务？"
    points = [key_point("GPT-3 不做梯度更新，主打 few-shot 上下文学习", "must")]
    answer = "下游任务上 GPT-3 去掉微调直接靠 few-shot 上下文学习，效果不错。"
    assert grade(question, points, answer).points[0].status == "hit"
    assert "直接" in read("不要直接输出答案", DEFAULT).clauses[0].turned
    assert "直接" in read("升回去以后没法直接和残差拼接", DEFAULT).clauses[0].turned


@pytest.mark.parametrize(("english", "chinese"), [("normalised", "归一化"), ("normalizing", "归一化"),
                                                  ("optimisers", "优化器"), ("penalties", "惩罚"),
                                                  ("tokenizers", "分词器"), ("embeddings", "嵌入")])
def test_plural_verb_and_british_forms_of_a_term_fold_like_the_term(english, chinese):
    assert normalize_for_matching(english).text == normalize_for_matching(chinese).text


MORPHOLOGY_REWARD_POINT = [key_point("奖励归一化：对奖励信号进行归一化，防止某一类回答主导更新", "must")]


def test_an_english_answer_in_british_spelling_states_the_reward_normalisation_point():
    answer = "Normalise the rewards, so no single kind of answer dominates the updates."
    assert grade("PPO 怎么避免塌缩？", MORPHOLOGY_REWARD_POINT, answer).points[0].status == "hit"
    answer = "Use a larger batch and a cosine learning-rate schedule for the rewards model."
    assert grade("PPO 怎么避免塌缩？", MORPHOLOGY_REWARD_POINT, answer).points[0].status == "miss"


@pytest.mark.parametrize(("point", "answer"), [
    ("最优解是有限的", "The optimum is finite."),
    ("相当于一种正则化", "It acts as a regularizer."),
    ("AWQ 保护显著通道", "AWQ protects salient channels."),
    ("数学上等价", "It is mathematically equivalent."),
    ("避免遗忘基础能力", "So it does not forget basic abilities."),
    ("要同时量化激活", "It quantizes the activations too."),
    ("覆盖视觉、音频等模态", "It covers the vision and audio modalities."),
])
def test_an_english_answer_states_a_point_through_general_field_vocabulary(point, answer):
    status = grade("这个方法有哪些要点？", [key_point(point, "must")], answer).points[0].status
    assert status in ("hit", "partial")


@pytest.mark.parametrize(("point", "answer"), [
    ("AWQ 对显著通道乘一个系数再量化，不需要反向传播", "AWQ is a quantization method many frameworks support."),
    ("把量化难度从激活迁移到权重上，数学上等价", "SmoothQuant is used for INT8 deployment on GPUs."),
])
def test_an_english_answer_naming_only_the_fields_words_states_no_point(point, answer):
    assert grade("量化方法有哪些要点？", [key_point(point, "must")], answer).points[0].status == "miss"


def test_activation_folds_alike_in_the_singular_and_plural_and_apart_from_the_activation_function():
    folded = {normalize_for_matching(text).text for text in ("activation", "activations", "激活", "激活值")}
    assert len(folded) == 1
    assert normalize_for_matching("activation function").text not in folded


def test_roughly_and_the_term_for_out_of_vocabulary_deny_nothing():
    # Seen on fresh27: the 不 of "差不多" and the 未 of 未登录词 (OOV) were read as negation cues.
    assert not read("显存占用差不多正比于序列长度的平方", DEFAULT).clauses[0].negative
    assert read("字符级切分没有 OOV 问题", DEFAULT).clauses[0].negative
    assert not read("词表太小就容易出现 OOV", DEFAULT).clauses[0].negative
    assert read("显存占用并不正比于序列长度", DEFAULT).clauses[0].negative


def test_a_quoted_object_of_de_stays_in_its_clause():
    # Seen on fresh27: "不会出现…的“token 税”" split at the quote, so the quoted words read as asserted, not denied.
    clause = read("压缩后不会出现显存碎片的“内存税”", DEFAULT).clauses[0]
    assert clause.negative and "存税" in clause.units
    point = [key_point("分页管理后不会出现显存碎片的“内存税”", "must")]
    answer = "分页管理后没有碎片，不交内存税。"
    assert grade("PagedAttention 有什么好处？", point, answer).points[0].status != "contradicted"


