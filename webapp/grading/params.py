"""Every tunable of the grader in one object, grouped by the stage that reads it."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Parameters:
    """The grader's tunables; `Parameters()` is what ships. `disabled` switches rules off by name, to measure them."""

    # --- Stage 1, text -------------------------------------------------------------------------------------
    # How many matching units after a negation cue it turns ("不会 [让 梯度 消失]"), up to a 的 or the 而 of
    # "不是 X 而是 Y".
    negation_scope: int = 6
    # A clause of fewer units than this is the tail of the one before ("K、V" is one clause, not two).
    min_clause_units: int = 2
    # A clause that says the candidate does not know what it names is no evidence (rule `dont_know_scope`), nor are
    # the embedded questions beside it in its sentence, nor a clause of at most this many units right before them (a
    # list item: "张量并行、流水线并行这些分别怎么切"), nor, up to twice as many units, the items a gathering word
    # hands it ("别的像 Grounded SFT、DPO 这些我只听过名字", rule `unknown_items`).
    list_item_units: int = 4

    # --- Stage 2, evidence per point -----------------------------------------------------------------------
    # Coverage of a point's distinctive weight that earns full credit: about half of a long point, nearly all
    # of a short one, where `short_point_units` novel units count as short. A claim that short after a bold label
    # ("连续特征的处理方式：分桶"), or any after a numbered section's title, is also read without the label (rule
    # `label_claim`).
    saturation: float = 0.4
    saturation_cap: float = 0.9
    short_point_units: int = 6
    # Across languages only the term table and aliases match; this share of a point's terms is full credit.
    term_saturation: float = 0.9
    # Share of a point's credit that comes from how closely the window's wording follows the point's.
    fuzzy_share: float = 0.25
    # An alias of fewer units than this is a name, not a wording: matching it earns at most `alias_name_credit`.
    alias_phrase_units: int = 3
    alias_name_credit: float = 0.5
    # An alias matched for less than this share of its weight earns nothing (rule `alias_part`): "投影" alone does not
    # say "输出 投影", nor "学习率" say "学习率预热".
    alias_coverage: float = 0.4
    # A point of at least this many units needs this many of them matched to be hit, else `alias_name_credit`.
    min_hit_units: int = 2
    # A unit in at least this share (and two) of the points of a question with `topic_min_points` or more is the
    # topic's: no point rests on topic units alone, as on the question's words (with three points, two sharing a
    # unit is no topic). `disabled={"topic"}` switches this off.
    topic_share: float = 0.5
    topic_min_points: int = 4
    # On a point of at least this many units, a bigram where two of its words may meet ("权重矩阵" 重矩) is said when
    # the answer says the bigrams either side of it: counted, it may make a missed point partial (rule `bridged`).
    bridge_min_units: int = 16
    # A bigram the IDF table never saw that holds a function character (`function_chars.txt`) straddles two words
    # ("益与"): in a point's coverage it weighs at most this, not as a rare word (rule `straddling`).
    straddle_idf: float = 2.0
    # So does, on a point of at least this many units, one that runs on from a bigram the table saw ("核心机制" 心机):
    # a short point's rare bigrams are its words.
    join_min_units: int = 24
    # To a question that asks for a list, a point listing at least three items of at most this many letters is a count
    # (rule `enumeration`): its credit is the share of its items said, so half the items are half the point.
    item_chars: int = 18
    # An item is said once this share of its weight is ("连接" of "连接层（projector）").
    item_share: float = 0.5
    # Evidence is looked for in windows of this many consecutive sentences, not across the whole answer.
    window_sentences: int = 2

    # --- Stage 3, point verdicts ---------------------------------------------------------------------------
    # Credit at which a point is hit, and partial; below `partial` it is missed.
    hit: float = 0.7
    partial: float = 0.3
    # A point with evidence under `own_credit` is missed when its own words (those of no point whose evidence alone
    # is a hit) carry at least `own_share` of its weight and the evidence holds under `own_said` of theirs: it rests
    # on the words of the points the answer states (rule `shared_only`). Up to 0.5: "训练一个奖励模型…让它的回答更符合
    # 人的喜好" reaches 0.49 of "RM 质量决定上限，过度优化会出现 reward hacking" with no word of its own.
    own_share: float = 0.3
    own_said: float = 0.05
    own_credit: float = 0.5
    # A point that ends with the question's yes or no, said only in the question's words, earns this credit when the
    # answer opens with the same yes or no (rule `answered_alike`): partial, as its other words go unsaid.
    alike_credit: float = 0.3
    # A point stating a quantity is missed, short of a hit, when the sentences of its evidence hold no number and
    # none of its clauses without a number is said for this share of its weight (rule `number_unsaid`).
    unsaid_clause_share: float = 0.4
    # A point must be this well covered before a contradiction of it is worth telling the candidate.
    contradiction_evidence: float = 0.3
    # An answer clause is read against a point clause when it carries this share of that clause's weight.
    clause_share: float = 0.35
    # A clause negates a point clause when the words one of them turns carry this share of what they share: the
    # turned verb of "合成数据其实不用单独验证" carries a quarter of what it shares with "合成数据需验证" (0.3 missed
    # six wrong answers and their slips; 0.21 and under contradicts right paraphrases).
    flipped_share: float = 0.23
    # A negated clause needs less of the point clause than an agreeing one: "DoRA 并不分解权重" denies the
    # point "把预训练权重分解为幅度和方向两部分" through its verb and object alone.
    negation_share: float = 0.25
    # A point is named, not stated, when every answer clause read against it opens with the words they share (within
    # `subject_chars` characters) and goes on with this many times their weight in words of its own (rule
    # `said_otherwise`): "ZeRO-1 把参数量化到 int8" against "ZeRO-1 分片优化器状态".
    subject_chars: int = 8
    # The slot a point clause leaves between two words an answer clause shares, where the answer may put another
    # word of the question's vocabulary (rule `substituted`), is at most this many characters on both sides.
    slot_chars: int = 8
    # The point's term in that slot weighs at least this (idf): "模型" swapped for "数据" is mostly paraphrase.
    slot_term_idf: float = 1.5
    otherwise_share: float = 2.0
    # A point found through an alias that is a name is named, not stated, when the sentences carrying the alias hold
    # under this share of the weight of the point's own claim and each clause carrying it opens with it and goes on with
    # `otherwise_share` times its weight in words of its own (rule `named_only`): "残差连接的作用是减少参数量".
    claim_share: float = 0.1
    # A point of at most this many characters that is a section title (`headings.txt`: "与交叉熵的关系") takes the
    # verdict of the answer's best-stated point, once the answer names this share of its subject's weight beyond
    # the question's and the topic's words (rule `heading`).
    heading_chars: int = 40
    heading_subject_share: float = 0.5
    # One answer clause contradicting several points is charged to those it covers at least this share as well as the
    # one it covers best; the others are missed (rule `one_claim`).
    one_claim_share: float = 0.6
    # An answer that contradicts at least this many points, and more points than it hits, is credited with none of
    # the points it seems to state (rule `outweighed`).
    outweighed_contradictions: int = 2
    # A hit earns full credit, a partial point its own credit, a missed or contradicted one nothing.

    # --- Stage 4, answer rules -----------------------------------------------------------------------------
    # Each contradicted point takes off this share of its weight on top of earning nothing (and the score loses
    # the share of the covered points' weight that is contradicted).
    contradiction_penalty: float = 0.5
    # An answer that contradicts as many points as it hits keeps this share of what its partial points earn (rule
    # `doubted`), before the contradiction's own deduction.
    doubted_partial_factor: float = 0.5
    # Share of the score a bare keyword list keeps; its points count as named, not stated (`listed_credit` at best;
    # 0.6 while a listed point kept a partial credit up to `hit`).
    keywords_factor: float = 0.7
    # Credit a point of a bare keyword list earns at most, however much of it the list names (rule
    # `listed_not_stated`): a list names a point's words, it states no part of the point better than another.
    listed_credit: float = 0.3
    # Credit at which a bare keyword list names a point it names no term of (rule `named_in_list`): a list says a
    # point's words without the prose between them, so it meets less of a point's weight than a sentence would.
    listed_partial: float = 0.15
    # Share a rambling answer keeps, when under `relevant_share` of its weight is in sentences on the question: a
    # moderate cut, since the answer already earns nothing for the digressions, and a sentence that states a point in
    # the candidate's own words shares few of the reference's and reads as one (0.6 left the 48 rambling answers it
    # cut at 19 on average for labels of 29).
    rambling_factor: float = 0.75
    relevant_share: float = 0.35
    sentence_on_topic: float = 0.1
    # An answer whose weight is under this share new to the question only echoes it.
    echo_novel_share: float = 0.2
    # An answer is gibberish when under this share of its units are known words.
    gibberish_known: float = 0.3
    # An answer with no point covered and at least this many characters is flagged off-topic.
    off_topic_length: int = 30

    # --- Stage 5, score --------------------------------------------------------------------------------------
    # An interviewer listens for about `expected_points` ideas: with more points than that (a long reference split
    # claim by claim), full marks come once that many points' worth of weight is earned, never under `full_mark`
    # of the total nor over `full_mark_cap` of it. A 100 still needs every point hit: with a point partial the
    # score stops at `partial_cap`, with one missed or contradicted at `missed_cap`, `nice` or `must` alike (one-error
    # answers, a right answer with one false claim, read 100 for labels near 60 where their slip was missed in a `nice`
    # point). An answer short of a `must` point that says it does not know the rest (rule `unknown_rest`, on the
    # clauses `dont_know_scope` finds) earns its points' share of the whole weight: it left the rest out for not knowing
    # it, not for brevity.
    expected_points: float = 4.0
    full_mark: float = 0.5
    full_mark_cap: float = 0.8
    partial_cap: int = 95
    missed_cap: int = 92

    disabled: frozenset[str] = field(default_factory=frozenset)

    def enabled(self, rule: str) -> bool:
        """Tell whether the rule named `rule` runs."""
        return rule not in self.disabled


DEFAULT = Parameters()
