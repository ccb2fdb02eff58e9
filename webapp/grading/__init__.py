"""Pure grading engine: normalize text, extract key points from a reference, grade answers against them.

Grading is a pipeline of five stages, each in its own module:

1. text (`text.py`): the answer, the question and each point are read once into sentences and clauses of
   matching units, with what negation cues turn, conditions, opposite words and letters (numbers with their units are
   read by `text.quantities` only when a rule compares them). A clause that says the candidate does not know what it
   names, and the embedded questions beside it ("张量并行、流水线并行这些分别怎么切，后面的我不清楚"), carries no units
   (rule `dont_know_scope`), nor do the names a gathering word hands it ("Grounded SFT、DPO 这些我只听过名字", rule
   `unknown_items`); a denial gathering a list negates its items (rule `denied_list`), and a negation reaching its
   clause's end the items joined to it by "、" ("不支持跨库检索、增量更新", rule `denied_series`); a retraction
   ("这一点其实不对") empties the claim right before it (rule `retracted`); a bracketed acronym that folds to the term
   before it ("没有监督微调 (SFT)") is no clause of its own (rule `bracketed_repeat`); a word and its negation said as
   alternatives ("思考和不思考两种模式") deny nothing (rule `alternatives`).
2. evidence (`evidence.py`): for each point, its core claim (the text without a list number, summary lead-in or English
   expansion in brackets; rule `core_claim`; a short claim after a bold label, or any after a numbered section's title,
   is also read without the label, rule `label_claim`; a formula's LaTeX commands but its operator names are no words of
   it, rule `formula_markup`) and each of its aliases (none said in part; rule `alias_part`), the window of the answer
   that states it best, and the credit that earns. Words the question already contains never count as evidence, and no
   point rests on the question's topic alone (the words most of its points share; rule `topic`), nor much on a
   never-seen bigram that straddles two words (rule `straddling`). To a question that asks for a list, a point listing
   short items is a count, each item a claim: half the items earn about half the point (rule `enumeration`).
3. point verdicts (`rules.py`, `POINT_RULES`): rules that read the evidence clause against clause and mark a point
   `contradicted` (negated, a named subject's predicate negated, denied by a copula or at a clause's end, one term it
   asserts dismissed as unrelated or no problem (rule `dismissed`), a verb the point says can be done said to be
   impossible, reversed, swapped roles (symbols bound to the other source, "decoder 的输入作为 K、V" against "K、V 来自
   encoder", rule `swapped_sources`), one compared name's claim given to the other (a point naming one of them only
   in its consequent speaks of it in its condition too, rule `point_name`), two points' subjects or two names of one
   point given each other's claims, another member of the point's class of terms in its place (a loss, a position
   encoding, an optimiser; rule `wrong_member`, also where the answer replaces the point's with it, rule
   `replaced_member`, but not one qualified by a word of the point's own, "可学习的绝对位置编码", rule
   `qualified_member`), what it keeps from happening made or needed (rule `promoted`), a wrong number, another of the
   question's terms or letters in the point's slot (rules `substituted`, `substituted_letter`), against what the
   question presumes, two of its steps told in the other order, its comparison turned round, a term replaced by
   another, the question's word negated, another big-O complexity, the reference's yes or no to the question answered
   the other way round; a clause anywhere in the answer that names the subject a point's bold label gives is read
   against the point too, rule `label_named`) or
   demote it (a keyword list names a point without stating it; a clause names its subject, or an alias that is its name,
   and says something else of it; the point's words are said of another of the question's names and its own is never
   named; its weak evidence is only words it shares with points the answer states, rule `shared_only`; it states a
   quantity and the sentences of its weak evidence hold no number, rule `number_unsaid`), or raise it (a
   keyword list that names one of a point's terms names the point: partial; a point that is only a section title,
   restates the question, or is only a name the question asks about with its English expansion ("单向掩码（Causal
   Mask）"), takes the verdict of the answer's best-stated point, rules `heading`, `asked_heading` and `asked_name`; a
   point ending with the question's yes or no in the question's words is partial when the answer opens with the same yes
   or no, rule `answered_alike`); one clause contradicting several points counts against those it says best, the others
   are missed (rule `one_claim`); a point named and said otherwise beside another wrong claim is contradicted (rule
   `named_wrongly`); an answer contradicting at least two points and more than it hits is credited with none of the
   points it seems to state (rule `outweighed`); a negation said of one side of an opposite pair the point names only
   the other side of denies nothing (rule `other_side`), nor does one spelling the opposite word the other clause says
   ("不相关文档" against "无关文档", rule `spelled_opposite`), nor advice against what the point says goes worse
   ("不要拿去做蒸馏" against "做蒸馏效果变差", rule `warned_against`), nor a denial that words matter of a point saying
   what holds whatever they say ("跟语义没关系" against "不管它们语义上是否重要", rule `regardless`), nor a denial of a
   part the point's bracketed hedge marks optional ("不引入非线性" against "线性层 → （可能）非线性激活", rule
   `optional_part`); a negation opening on one side of a pair ("推理时不会用采样近似") denies nothing of a point
   naming neither side when the answer asserts the other side elsewhere (rule `other_side`);
   a prevention cue with its own object shields from a negation only the words after it ("加 KL 惩罚防止跑偏" is denied
   by "不需要加 KL 惩罚", rule `remedy_scope`); a "rather than" inside a clause ("瓶颈在带宽而不是算力") turns only its
   alternative, so a denial of the rest negates it (rule `rather_than`); denying what a change starts from ("而不是
   O(n²)" against "从 O(n²) 降到 O(n·W)") agrees with the change (rule `change_origin`); an opposite word in a clause
   that states a contrast's first half as the point does reverses nothing of the half the point opens with 而 (rule
   `contrast_opening`); a negation between a clause about one of the names the question compares and a clause about the
   other reverses nothing ("稠密检索…同义词也能召回" against "BM25 不理解同义词", rule `other_name`), nor does "not
   much" of what the point says is little ("没什么正则收益" against "正则化的收益很小", rule `not_much`); a denial of a
   point's words outweighs a clause in another sentence that names no more of them (rule `denial_tie`), as does a denial
   ending on the one word a point clause is made of ("连续特征不能分桶" against "处理方式：分桶", rule `denied_word`); a
   point's bracketed list of examples ("（Q-learning、Policy Gradient 等）") is no claim a negation denies (rule
   `point_aside`), an answer saying one half of a point's contrast in its words and more reverses nothing of the other
   half (rule `contrast_half`), a negation denies nothing of what its subject is said to be unlike ("不是 RNN
   那样逐步传递", or "不用像 cosine 那样提前定好总步数" of a point about cosine; rule `unlike`), a dismissal or denial
   that a negation cue before it turns round agrees with the point ("不是跟宽度无关的", rule `double_negation`), a
   denial of words another clause of the point denies too, and that it says as much of, contradicts no other clause ("no
   supervised fine-tuning" against the label "微调区别", rule `denied_alike`), a word inside the point's own term in a
   slot is no frame round it (一个 of "下一个词预测", rule `term_frame`), and an opposite word reverses nothing when the
   answer says the other point clause that holds it ("ID 序列作为模型输入" against "最终输出 token ID
   序列，作为模型的输入", rule `both_clauses`). A keyword list also names a point it says `listed_partial` of; a verb of
   having stands for the 有 of a yes-or-no question ("LoRA 模块本身不包含激活函数" answers "有没有激活函数"), and an
   answer opening with a bare "没有。" says its no.
   Each finding carries its rule, point, effect, span and, for a contradiction, why ("你说 X，参考答案是 Y"). A point
   left below the status its evidence alone earns names the rule that took most (`PointResult.lowered_by`), and a
   counted list left partial names `enumeration`.
4. answer rules (`rules.py`, `ANSWER_RULES`): named deductions on the whole answer (partial points of an answer
   that contradicts as many points as it hits, contradiction, keyword list, rambling); gates in `scoring.py` give
   empty, "I don't know" (the whole answer only), echoed and gibberish answers nothing to grade.
5. score (`scoring.py`): the weighted mean of the points' credits (must 2, nice 1) less the deductions, in whole
   points. No point hit or partial scores 0; a 100 needs every point hit, `nice` ones too (`partial_cap` with one
   partial, `missed_cap` with one missed or contradicted). A long reference's full marks come before all its
   weight is earned, unless the answer misses a `must` point and says it does not know the rest (rule
   `unknown_rest`).

Every tunable sits in `params.Parameters`; `Parameters(disabled={"rule"})` switches any rule off by name.

To add a rule: write it in `rules.py` as a function of a `PointCase` (returning a `Finding` whose `effect` is
the credit it takes away, with a `why` if it contradicts) or of an `AnswerCase` and the score so far (returning a
`Finding` whose `effect` is the points it takes off), and register it under its name in `POINT_RULES` or
`ANSWER_RULES`. Nothing else changes: the score, the JSON output, the ablation table and `disabled` follow; the
debrief only needs a label for it (`webapp/services/presenters.py`, unless it contradicts).

To add a language: create `data/<code>/` with the files `data/README.md` describes (negation, prevention and
conditional cues, fillers, "I don't know" phrases, particles, opposites and comparatives keyed like the other
languages', stop words, comparison, coordination and opening words, pronouns, units, hedges, change cues, denials,
dismissals, asking words, speakers, yes-or-no question cues, verbs of having, retractions) and add the code to
`profiles.LANGUAGES`. A language written in a script `units.py` does not yet split (it knows CJK characters and ASCII
words) also needs its tokenizer there; shared terms go in `data/terms.txt`.
"""

from webapp.grading.keypoints import KeyPoint, extract_key_points, key_point
from webapp.grading.normalize import normalize_text
from webapp.grading.scoring import GRADER_VERSION, GradeResult, PointResult, grade

__all__ = ["GRADER_VERSION", "GradeResult", "KeyPoint", "PointResult", "extract_key_points", "grade",
           "key_point", "normalize_text"]
