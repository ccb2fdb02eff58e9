"""Stages 3 and 4: the rules that turn evidence into a point's verdict, and those that judge the answer as a whole.

Sums over sets of units use `fsum`: exact, so a verdict never depends on the order a process's string hash gives them.

Every rule is registered here, in `POINT_RULES` or `ANSWER_RULES`, under the name its findings carry and by which
`Parameters.disabled` switches it off.
"""

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import repeat
from math import fsum
from typing import NamedTuple

from webapp.grading.evidence import Evidence
from webapp.grading.keypoints import bare_name, core_claim, strip_filler
from webapp.grading.normalize import default_terms, normalize_for_matching, normalize_text
from webapp.grading.params import Parameters
from webapp.grading.profiles import cues, term_classes
from webapp.grading.text import (
    Clause,
    Reading,
    bare_numbers,
    is_english,
    letter_neighbours,
    letter_slots,
    neighbours,
    opposite_after,
    opposite_side,
    opposite_sides,
    quantities,
    read_bank_text,
)
from webapp.grading.units import ENGLISH_STOP_WORDS, idf, idf_table, is_cjk, units


@dataclass(frozen=True)
class Finding:
    """What one rule noticed: on which point (None for the whole answer), its effect, where, and why."""

    rule: str
    point: str | None
    effect: float
    spans: tuple[tuple[int, int], ...]
    why: str | None = None


# --- Stage 3: point verdict rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointCase:
    """What a point verdict rule looks at: the point's evidence in the answer, the answer, and the whole bank item."""

    point_id: str
    point_text: str
    evidence: Evidence
    answer: Reading
    question: Reading
    listed: bool  # the answer is a bare keyword list
    params: Parameters
    vocabulary: frozenset[str] = frozenset()  # units of the question and of all its points
    aliases: tuple[str, ...] = ()
    subject: str | None = None  # the name the point speaks of (`point_subjects`)
    subjects: tuple["Subject", ...] = ()  # every name the question's points speak of
    stated: frozenset[str] = frozenset()  # units of the question's points the answer's evidence alone makes hit
    concludes: bool | None = None  # the point answers the yes-or-no question no (True) or yes (`conclusions`)

    @cached_property
    def compared(self) -> "Compared":
        """The pairs of names the question compares (`compared_names`)."""
        return compared_names(self.question.mapped.text, self.params.enabled("modified_name"))

    @cached_property
    def compared_names(self) -> tuple["Name", ...]:
        """Every name the question compares, each with the pattern that finds it."""
        return tuple(name for pair in self.compared for name in pair)

    @cached_property
    def pairs(self) -> list[tuple[Clause, Clause, frozenset[str], float]]:
        """Pair each answer clause of the evidence with each point clause it shares words with, and what share of
        the point clause's weight those words carry (worked out once for all the contradiction rules)."""
        weights = self.evidence.wording.weights
        pairs = []
        for said in self.evidence.clauses:
            for mine in self.evidence.wording.reading.clauses:
                shared = said.units & mine.units & self.evidence.matched
                whole = fsum(weights.get(unit, 0.0) for unit in mine.units)
                if shared and whole:
                    pairs.append((said, mine, shared, _weight(self, shared) / whole))
        return pairs

    @cached_property
    def answer_term_units(self) -> frozenset[str]:
        """The units of the terms the answer names (worked out once for the rules that read them)."""
        return frozenset(unit for term in self.answer.mapped.terms for unit, _, _ in units(term))

    @cached_property
    def pair_checks(self) -> list["PairChecks"]:
        """For each of `pairs`, what the contradiction rules read alike (worked out once for all of them)."""
        checks = []
        for said, mine, shared, share in self.pairs:
            readable = not said.conditional and (not (_remedies(self, said, shared) or _remedies(self, mine, shared))
                                                 or _denies_remedy(said, mine))
            denying = readable and said.negative
            checks.append(PairChecks(
                _weight(self, shared), readable,
                denying and self.params.enabled("other_side") and _other_side(self, said),
                readable and self.params.enabled("point_aside") and _aside(mine),
                denying and self.params.enabled("unlike") and _unlike(said, mine, shared),
                denying and self.params.enabled("denied_alike") and _denied_alike(self, said, mine, shared, share),
                readable and said.negative != mine.negative and self.params.enabled("spelled_opposite")
                and _spelled_opposite(said, mine),
                denying and self.params.enabled("warned_against") and _warned_against(self, said, mine),
                denying and self.params.enabled("regardless") and _REGARDLESS.search(mine.text) is not None,
                denying and self.params.enabled("optional_part") and _optional(self, mine),
                readable and said.negative != mine.negative and self.params.enabled("other_name")
                and _other_name(self, said, mine),
                denying and self.params.enabled("not_much") and _NOT_MUCH.search(said.text) is not None
                and _LITTLE.search(mine.text) is not None))
        return checks


class PairChecks(NamedTuple):
    """What the contradiction rules read alike of one pair of an answer clause and a point clause."""

    weight: float  # of the words they share
    # The answer clause supposes nothing, and no prevention cue keeps the words off (rule `remedy_scope`) unless the
    # negation turns the very remedy: only then may a rule read the pair.
    readable: bool
    other_side: bool  # the answer clause is negated on the other side of an opposite pair (rule `other_side`)
    aside: bool  # the point clause is a bracketed list of examples (rule `point_aside`)
    unlike: bool  # the answer clause's denied words name what its subject is unlike (rule `unlike`)
    denied_alike: bool  # another point clause denies what the answer clause denies (rule `denied_alike`)
    spelled: bool  # one clause's negation spells the opposite word the other says (rule `spelled_opposite`)
    warned: bool  # the answer clause advises against what the point says goes worse (rule `warned_against`)
    regardless: bool  # the point clause says its words do not matter, as the answer's denial does (rule `regardless`)
    optional: bool  # the point marks the clause optional, "（可能）非线性激活" (rule `optional_part`)
    other_name: bool  # the clauses speak of the two names the question compares, one each (rule `other_name`)
    not_much: bool  # the answer clause says there is not much of what the point says is little (rule `not_much`)


# "没什么正则收益" says what "正则化的收益很小" says: there is little of it.
_NOT_MUCH = re.compile(r"没(?:有)?(?:什么|多少|太大|啥)|几乎没有?|基本没有?|\bnot much\b|\blittle\b")
_LITTLE = re.compile(r"很小|很少|不大|有限|甚微|微乎其微|变弱|减弱|越来越弱|接近\s*0|几乎为\s*0|\bsmall\b|\blittle\b")


def _other_name(case: PointCase, said: Clause, mine: Clause) -> bool:
    """Tell whether the answer clause speaks of one of the names the question compares and the point clause of the
    other, each opening its sentence with it ("稠密检索…，同义词也能召回" against "BM25 不理解同义词"): a negation
    between them reverses nothing. A name the point only compares with ("比 Prompt Tuning 略大") is no subject."""
    if not case.compared_names:
        return False
    theirs = _opened_subject(case.answer, said, case.compared_names)
    ours = _opened_subject(case.evidence.wording.reading, mine, case.compared_names)
    return bool(theirs) and bool(ours) and not theirs & ours


def _weight(case: PointCase, shared: frozenset[str]) -> float:
    return fsum(case.evidence.wording.weights[unit] for unit in shared)


# Whether an answer clause says a point clause the other way round, given the words they share and what share of the
# point clause's weight those carry.
Opposes = Callable[[PointCase, Clause, Clause, frozenset[str], float], bool]


def _contradiction(case: PointCase, opposes: Opposes) -> Clause | None:
    """The answer clause that says a point clause's opposite, if clauses saying so outweigh those agreeing with it."""
    against: dict[int, tuple[float, Clause]] = {}
    contrasting: set[int] = set()  # point clauses that open a contrast's second half ("而 DPO 的…")
    agreeing: dict[int, float] = {}
    # A clause that says one part of the point as the point does ("不会 OOV") is not read as negating another part;
    # an opposite word or another number in a part's slot still reverses it ("靠后部分", "初始化为 1").
    agreeing_clauses: set[int] = set()
    # A sentence that says the point clause as the point does and negates its words elsewhere contrasts two things
    # ("MSE 衡量的是数值之间的距离，…，类别之间没有数值距离"): it does not deny the point.
    agreeing_sentences: set[tuple[int, int]] = set()
    negating = opposes in _NEGATING
    alike = opposes in (*_NEGATING, _negates_predicate)
    for (said, mine, shared, share), checks in zip(case.pairs, case.pair_checks, strict=True):
        key = id(mine)
        weight = checks.weight
        if (checks.readable
                and not (negating and (checks.other_side or checks.aside or checks.unlike or checks.spelled
                                     or checks.warned or checks.regardless or checks.optional or checks.other_name
                                     or checks.not_much))
                and not (alike and checks.denied_alike) and opposes(case, said, mine, shared, share)):
            if weight > against.get(key, (0.0, said))[0]:
                against[key] = (weight, said)
            if _CONTRAST_OPENING.match(mine.text):
                contrasting.add(key)
        elif share >= case.params.clause_share:
            agreeing[key] = max(agreeing.get(key, 0.0), weight)
            if said.negative == mine.negative:
                agreeing_clauses.add(id(said))
                agreeing_sentences.add((key, said.sentence))
    for key, (weight, said) in against.items():
        # A clause that opens by denying ("…，而不是真实词的概率") says what is not so, whatever the clause before says.
        denial = opposes is _negates and _RATHER_NOT.match(said.text) is not None
        if (key, said.sentence) in agreeing_sentences and opposes is _negates and not denial:
            continue
        # A denial outweighs a clause in another sentence that says no more of the point's words than it denies
        # ("都不切分优化器状态" against the list item "梯度和优化器状态"; rule `denial_tie`).
        tie = (opposes is _negates and said.negative and case.params.enabled("denial_tie")
               and weight == agreeing.get(key))
        # An opposite word said in a clause that states the point's first half as the point does reverses nothing of
        # the half the point sets against it ("…是一致的，而 DPO 的训练奖励和推理时的似然并不对齐"; rule
        # `contrast_opening`).
        other_half = (opposes is _opposes and key in contrasting and id(said) in agreeing_clauses
                      and case.params.enabled("contrast_opening"))
        # A term replaced by another is contradicted whatever is said of the other one.
        if opposes is _replaces or denial or ((weight > agreeing.get(key, 0.0) or tie) and not other_half and (
                opposes in (_opposes, _negates_predicate, _misvalues) or id(said) not in agreeing_clauses)):
            return said
    return None


_RATHER_THAN = r"(?:而不是|而非|\brather than\b)"
_RATHER_NOT = re.compile(r"\s*" + _RATHER_THAN)
_RATHER_INSIDE = re.compile(r"[^\s,;:!?]\s*" + _RATHER_THAN)
_CONTRAST_OPENING = re.compile(r"\s*(?:而|但是?|whereas\b|while\b)")
# A bracketed list of examples ends on 等 or "etc." ("（Q-learning、Policy Gradient 等）").
_EXAMPLES = re.compile(r"(?:等|\betc\.?)\s*\)")


def _aside(mine: Clause) -> bool:
    """The point clause is a bracketed list of examples (rule `point_aside`): "（Q-learning、Policy Gradient 等）"
    names what the point speaks of and states nothing "训练策略时不会把梯度传回它" could deny."""
    return _EXAMPLES.search(mine.text) is not None


def _other_side(case: PointCase, said: Clause) -> bool:
    """The negated clause opens on one side of an opposite pair the point names only the other side of (rule
    `other_side`): "推理时没有稀疏注意力" says what inference lacks, not that training ("训练时用 S²-Attn") lacks it.
    A point naming neither side is spoken of on the side the answer asserts elsewhere: "训练时用采样近似，推理时不会用"
    agrees with "采样近似 Softmax"."""
    cue = cues().negation.search(said.text)
    opening = opposite_sides(said.text[:cue.start()]) if cue else frozenset()
    if not opening:
        return False
    point = opposite_sides(read_bank_text(case.point_text, case.params).mapped.text)
    return any(((pair, 1 - side) in point and (pair, side) not in point)
               or (not point & {(pair, 0), (pair, 1)} and _asserts_side(case.answer, (pair, 1 - side)))
               for pair, side in opening)


def _asserts_side(answer: Reading, side: tuple[int, int]) -> bool:
    """Tell whether a clause of the answer that negates nothing says this side of an opposite pair."""
    return any(side in clause.sides and not clause.negative for clause in answer.clauses)


def _spelled_opposite(said: Clause, mine: Clause) -> bool:
    """One clause's negation makes, of the opposite word right after it, the side the other clause says in one word
    (rule `spelled_opposite`): "不相关的文本" says "无关文本", "没有关联" says "无关"; neither denies the other."""
    return any(_negation_spells(one, other) for one, other in ((said, mine), (mine, said)))


def _negation_spells(negated: Clause, other: Clause) -> bool:
    """Tell whether `negated`'s only cue turns the opposite word right after it into a side `other` says uncued."""
    found = list(cues().negation.finditer(negated.text))
    plain = len(found) == 1 and cues().negation.search(other.text) is None
    side = opposite_after(negated.text, found[0].end()) if plain else None
    return side is not None and (side[0], 1 - side[1]) in other.sides


_PROHIBITION = re.compile(r"不要|不建议|不宜|\b(?:don't|do not|never)\b")


def _warned_against(case: PointCase, said: Clause, mine: Clause) -> bool:
    """The answer clause advises against what the point's sentence says goes worse (rule `warned_against`): "这种模型
    不要拿去做蒸馏" says "…拿它做蒸馏，效果往往变差", it denies nothing of it."""
    worse = opposite_side("更差")
    return (_PROHIBITION.search(said.text) is not None and worse is not None
            and any(clause.sentence == mine.sentence and not clause.negative and worse in clause.sides
                    for clause in case.evidence.wording.reading.clauses))


# A point clause saying what holds whatever its words say ("不管它们语义上是否重要") asserts none of them: an answer
# denying they matter ("跟语义没关系", "不是因为语义重要") says the same (rule `regardless`).
_REGARDLESS = re.compile(r"不管(?!理|控)|无论|不论|\bregardless\b|\bno matter\b|\bwhether or not\b")


# A bracketed hedge before a part of a point ("线性层 → （可能）非线性激活") marks that part optional: a denial of it
# says a case the point allows (rule `optional_part`).
_OPTIONAL = re.compile(r"\(\s*(?:可能|可选|optional|maybe|possibly)\s*$")


def _optional(case: PointCase, mine: Clause) -> bool:
    """Tell whether the point marks its clause optional with a bracketed hedge ending the clause before it."""
    clauses = case.evidence.wording.reading.clauses
    at = next((index for index, clause in enumerate(clauses) if clause is mine), 0)
    return at > 0 and _OPTIONAL.search(clauses[at - 1].text) is not None


# "不是 RNN 那样…", "不需要像 RNN 那样…": a negation before a comparison names what the subject is unlike.
_NOT_LIKE = re.compile(r"\s*像?([^,;:!?]{1,24}?)(?:那样|一样|那种)")


def _unlike(said: Clause, mine: Clause, shared: frozenset[str]) -> bool:
    """The words the clause's negation turns of those it shares with the point all name what its subject is unlike,
    or the point speaks of that (rule `unlike`): "不是 RNN 那样一格一格往后传" says RNN passes step by step, it denies
    nothing of "不同于 RNN/LSTM 的逐步传递"; "不用像 cosine 那样提前定死总步数" says cosine needs it, as "cosine 需要
    提前定好总步数" does."""
    cue = cues().negation.search(said.text)
    compared = _NOT_LIKE.match(said.text, cue.end()) if cue else None
    denied = shared & said.turned
    if compared is None or not denied:
        return False
    other = {unit for unit, _, _ in units(compared.group(1))}
    return denied <= other or bool(other & mine.units)


def _denied_alike(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """Another clause of the point denies the words the clause denies, and the clause says at least as much of it
    (rule `denied_alike`): "no supervised fine-tuning at all" says the point's "没有监督微调", not the opposite of its
    label "训练流程 & 微调区别"."""
    denied = shared & said.turned - mine.turned
    return bool(denied) and any(
        other is not mine and them is said and other.negative and denied <= other.turned and theirs >= share
        for them, other, _, theirs in case.pairs)


def _remedies(case: PointCase, clause: Clause, shared: frozenset[str]) -> bool:
    """Tell whether a clause's prevention cue keeps off words it shares with the other clause: "防止梯度消失" and
    "梯度消失缓解了" do, but "加对参考模型的 KL 惩罚防止跑偏" adds the penalty its words name before a cue that has
    its own object (rule `remedy_scope`)."""
    if not clause.prevents:
        return False
    if not case.params.enabled("remedy_scope"):
        return True
    cue = cues().prevention.search(clause.text)
    if cue is None:
        return True
    found = units(clause.text)
    return (not any(start >= cue.end() for _, start, _ in found)
            or any(unit in shared for unit, start, _ in found if start >= cue.start()))


def _denies_remedy(said: Clause, mine: Clause) -> bool:
    """Tell whether a negation turns the very remedy the point names: "也不是为了解决 KV Cache 的显存瓶颈" against
    "旨在解决…显存瓶颈" reads, where a remedy beside a negation ("防止梯度不消失") does not."""
    remedy = cues().prevention.search(said.text)
    if remedy is None or not said.negative or mine.negative or remedy.group() not in mine.text:
        return False
    return any(unit in said.turned for unit, start, _ in units(said.text) if start <= remedy.start() < start + 2)


def _negates(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause is negative where the point is not, or the other way round, and turns the words they share.

    Both the parity of the clauses' cues and the words a cue governs must differ, as neither alone is reliable.
    """
    params = case.params
    # A "rather than" inside a clause ("瓶颈在带宽而不是算力") turns only its alternative: the clause asserts the rest,
    # so "带宽并不是瓶颈" negates it though both hold one cue (rule `rather_than`).
    alike = said.negative == mine.negative and not (
        params.enabled("rather_than") and (_only_rather_than(mine.text) or _only_rather_than(said.text)))
    # A point's supposition ("如果没有 KV Cache") asserts nothing: an answer that negates its words supposes it too.
    if (share < params.negation_share or alike or mine.conditional
            or (len(shared) < 2 and not _denies_whole(case, said, mine, shared))):
        return False
    if _not_all(said, mine) or (params.enabled("change_origin") and _change_origin(case, shared)):
        return False
    flipped = fsum(idf(unit) for unit in shared if (unit in said.turned) != (unit in mine.turned))
    both = fsum(idf(unit) for unit in shared if unit in said.turned and unit in mine.turned)
    return flipped > both and flipped >= params.flipped_share * fsum(idf(unit) for unit in shared)


# What a point says a change starts from: "计算量从 O(n²) 降到 O(n·W)".
_CHANGE_ORIGIN = re.compile(r"从\s*([^,;:!?]{1,30}?)\s*"
                            r"(?:降到|降为|降至|减少到|减到|压到|缩到|升到|提高到|增加到|扩到|变成|变为|改成|改为|换成|变到)")


def _change_origin(case: PointCase, shared: frozenset[str]) -> bool:
    """Tell whether every word an answer clause shares with the point is what the point says a change starts from
    (rule `change_origin`): "而不是 O(n²)" agrees with "从 O(n²) 降到 O(n·W)"."""
    return any(shared <= origin for origin in _change_origins(case.evidence.wording.reading.mapped.text))


@lru_cache(maxsize=4096)
def _change_origins(text: str) -> tuple[frozenset[str], ...]:
    """The units of each thing a point's text says a change starts from, read once (it comes from the bank)."""
    return tuple(frozenset(unit for unit, _, _ in units(origin)) for origin in _CHANGE_ORIGIN.findall(text))


def _only_rather_than(text: str) -> bool:
    """Tell whether a clause's one negation cue is a "rather than" inside it ("瓶颈在带宽而不是算力")."""
    return _RATHER_INSIDE.search(text) is not None and len(cues().negation.findall(text)) == 1


def _denies_whole(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str]) -> bool:
    """Tell whether a negated clause denies the one word a point clause is made of (rule `denied_word`): "不要给示例"
    against "示例", "连续特征不能分桶" against "…处理方式：分桶"; the word must end what the cue turns, so
    "没有本质差异" says nothing of "本质区别"."""
    if not case.params.enabled("denied_word") or not said.negative or is_english(said.text):
        return False
    if fsum(case.evidence.wording.weights.get(unit, 0.0) for unit in mine.units - shared) > 0:
        return False
    turned = [unit for unit, _, _ in units(said.text) if unit in said.turned]
    return bool(turned) and turned[-1] in shared


# A word for "all": negated, it says "not all", which a point saying "part of" or "fewer" agrees with.
_ALL = re.compile(r"都|全部|所有|\ball\b|\bevery\b")


def _not_all(said: Clause, mine: Clause) -> bool:
    """The clause denies "all" where the point says no "all": "不把步骤都显式输出" against "减少推理步骤或其显式输出",
    "不让每个 token 看全部" against "每个 token 只看部分位置"."""
    cue = cues().negation.search(said.text)
    return cue is not None and bool(_ALL.search(said.text, cue.end())) and not _ALL.search(mine.text)


def _negates_predicate(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause names what the point speaks of, then negates what the point says of it: "分页注意力不管理 KV 缓存"
    against "PagedAttention：像操作系统分页一样分块管理 KV cache", "困惑度越低不代表模型越准确" against
    "困惑度越低，说明模型越自信，预测越准确".

    Its words before the negation cue agree with another clause of the point, so `negated` reads it as saying that part
    and lets it be; here the words the cue turns must be this point clause's, and the point must not turn them itself.
    """
    if said.negative == mine.negative or mine.negative or len(_words(shared)) < 2:
        return False
    cue = cues().negation.search(said.text)
    if cue is None:
        return False
    turned = frozenset(unit for unit in shared if unit in said.turned and unit not in mine.turned)
    if fsum(idf(unit) for unit in turned) < case.params.flipped_share * fsum(idf(unit) for unit in shared):
        return False
    # A bigram opening with 的 straddles a modifier and its head ("AdamW 的衰减": 的衰) and names nothing.
    subject = frozenset(unit for unit, _, stop in units(said.text) if stop <= cue.start() and not unit.startswith("的"))
    return bool(_words(subject & case.evidence.matched - shared))


# A copula's negation denies the whole predicate after it, "X 的 Y" included, where other cues stop at the 的 (not
# the 不是 of a question, "是不是").
_COPULA = re.compile(r"(?<!是)不是|并非|不属于")


def _negates_copula(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause denies with a copula what the point asserts with one: "困惑度不是交叉熵的指数形式" against
    "困惑度是交叉熵的指数形式", whose 的 ends the cue's reach before the words they share."""
    if share < case.params.negation_share or not said.negative or mine.negative or len(_words(shared)) < 2:
        return False
    first = cues().negation.search(said.text)
    cue = _COPULA.search(said.text, max(0, first.start() - 1)) if first else None
    if cue is None or cue.start() >= first.end():  # the copula must be the clause's first cue
        return False
    rest = said.text.find("而", cue.end())
    stop = rest if rest > 0 else len(said.text)
    denied = frozenset(unit for unit, start, _ in units(said.text) if cue.end() <= start < stop) & shared
    flipped = denied - mine.turned
    return (bool(_words(flipped - said.turned))
            and fsum(idf(unit) for unit in flipped) >= case.params.flipped_share * fsum(idf(unit) for unit in shared))


# A modal that says the point's verb can be done ("前缀的 key/value 可以缓存"); the answer's cue before the same verb
# says it cannot.
_MODAL = re.compile(r"(?:可以|能够|可|能)\s*$")


def _negates_modal(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause says of what the point speaks that it cannot do what the point says it can (rule `negated_modal`):
    "前缀的 key/value 也不能缓存" against "有了 KV Cache，前缀的 key/value 可以缓存", where the denied verb alone
    carries too little of their shared words for `negated`."""
    if share < case.params.clause_share or not said.negative or mine.negative or len(_words(shared)) < 2:
        return False
    cue = cues().negation.search(said.text)
    if cue is None:
        return False
    verb = next((unit for unit, start, _ in units(said.text) if start >= cue.end()), None)
    if verb is None or verb not in shared or verb not in said.turned or verb in mine.turned:
        return False
    return any(unit == verb and _MODAL.search(mine.text[:start]) for unit, start, _ in units(mine.text))


def _negates_topic(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause says where or of what the point speaks and negates the question's own word the point asserts there:
    "FFN 两个线性层之间不用 dropout" against "在两个线性层之间加入 Dropout", asked where dropout goes. The question's
    words are no evidence, so `negated` sees no word it turns."""
    if (share < case.params.clause_share or not said.negative or mine.negative or len(_words(shared)) < 2
            or said.turned & shared):
        return False
    return bool(_words(said.turned & case.question.units & mine.units - mine.turned))


# What opens the clause that says what is used instead of what the one before it negates ("没有用 X，而是用 Y").
_INSTEAD = re.compile(r"\s*(?:而是|而用|改用|换成|(?:but )?(?:instead|rather)\b)")


def _replaces(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause negates a term the point uses and what follows in its sentence puts another in its place: "位置编码
    没有用 RoPE，而是用的 ALiBi，靠它来支持长上下文" against "改进 RoPE 支持长上下文扩展". What the answer goes on to
    say of the other term ("支持长上下文") agrees with the point only in words."""
    if share < case.params.negation_share or not said.negative or mine.negative:
        return False
    if not _words(shared & said.turned & case.evidence.wording.term_weights.keys() - mine.turned):
        return False
    cue = cues().negation.search(said.text)
    if cue and (rest := said.text.find("而", cue.end())) >= 0 and _INSTEAD.match(said.text, rest):
        return True
    at = bisect.bisect_right(case.answer.clauses, said.start, key=lambda clause: clause.start)
    return (at < len(case.answer.clauses) and case.answer.clauses[at].sentence == said.sentence
            and _INSTEAD.match(case.answer.clauses[at].text) is not None)


def _denies(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause names what the point says and ends by denying it is needed or of use ("人工抽检没有必要" against
    "人工抽检并用小模型消融验证数据效果"): every word it shares with the point comes before the denial."""
    if share < case.params.negation_share or mine.negative or len(_words(shared)) < 2:
        return False
    denial = cues().denials.search(said.text)
    if denial is None or _negated_denial(case, said.text, denial.start()):
        return False
    return all(stop <= denial.start() for unit, _, stop in units(said.text) if unit in shared)


def _negated_denial(case: PointCase, text: str, at: int) -> bool:
    """Tell whether a negation cue before the denial or dismissal at `at` denies it in turn (rule `double_negation`):
    "最优学习率不是跟宽度无关的" says it depends on the width."""
    return case.params.enabled("double_negation") and cues().negation.search(text, 0, at) is not None


# What may sit between a dismissed word and the dismissal ending its clause ("曝光这块倒不是问题", "跟路由其实无关").
_DISMISSED_GAP = re.compile(r"(?:\s|是|这块|这部分|这一块|这里|其实|基本上?|完全|根本|倒|也|并|都|的问题)*")
# What names what a dismissal speaks of when nothing sits between them ("跟路由无关", "对样本效率没有影响"): without it
# the dismissal may end a term ("线性无关").
_DISMISSED_AFTER = re.compile(r"跟|和|与|同|对")


# A clause saying what follows is not there ("不存在漂移", "不存在分布偏差的问题") dismisses the first of the point's
# words after the cue.
_ABSENT = re.compile(r"(?:并|也|根本|完全)?不存在")


def _dismisses(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause dismisses, as unrelated, of no effect, no problem or not there, a term the point asserts (rule
    `dismissed`): "跟路由无关" against "…但路由变动打破了这个前提", "曝光这块倒不是问题" against "冷启动与曝光偏差：…",
    "不存在漂移" against "数据分布漂移：…". One term is enough where `denied` and `negated` need more of the point's
    words: the dismissal is said of it alone. A clause that names another point's term first speaks of that one
    ("梯度和优化器状态和输入长度无关" says nothing of activations growing with the sequence length), and a point that
    says there is no effect ("去掉均值不影响效果") or dismisses something itself agrees with it."""
    dismissals = cues().dismissals
    if mine.negative or mine.conditional or cues().negation.search(mine.text):
        return False
    # A point that dismisses something itself ("确保权重衰减与梯度无关") is agreed with by a dismissal.
    if any(dismissals.search(clause.text) for clause in case.evidence.wording.reading.clauses):
        return False
    found = units(said.text)
    dismissal = dismissals.search(said.text)
    if dismissal is not None:
        if _negated_denial(case, said.text, dismissal.start()):
            return False
        placed = [(unit, start, stop) for unit, start, stop in found if unit in shared and stop <= dismissal.start()]
        if not placed:
            return False
        word, start, stop = placed[-1]
        gap = said.text[stop:dismissal.start()]
        if (_DISMISSED_GAP.fullmatch(gap) is None
                or (not gap and not _DISMISSED_AFTER.search(said.text, 0, start))):
            return False
    else:
        absent = _ABSENT.search(said.text)
        after = [(unit, start) for unit, start, _ in found if absent and unit in shared and start >= absent.end()]
        if not after:
            return False
        word, start = after[0]
    if not (word in case.evidence.wording.term_weights or idf(word) >= case.params.slot_term_idf):
        return False
    # Another point's term before the word names what the clause speaks of.
    own = case.evidence.wording.weights.keys() | case.question.units
    return not any(unit in case.answer_term_units and unit in case.vocabulary and unit not in own
                   for unit, _, stop in found if stop <= start)


# An opposite word opening its clause as a frame ("区别是 bf16 的指数位更多", "不同的是…") introduces what follows; it
# says no side of the point's things.
_FRAME = re.compile(r"\s*(\S{1,4}?)的?(?:是|在于)")


def _opposes(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause says the other side of an opposite pair the point uses ("更小" for "更大", decoder for encoder).

    It shares two words with the point's clause, or one beside the opposite words ("参数更少" for "参数增多").
    """
    pairs = cues().opposites
    params = case.params
    frame = _FRAME.match(said.text)
    for pair, side in mine.sides:
        if (pair, 1 - side) not in said.sides or (pair, 1 - side) in mine.sides:
            continue
        if frame and frame.group(1) in pairs[pair][1 - side]:
            continue
        if params.enabled("contrast_half") and _other_half(case, said, mine, pair, side, shared):
            continue
        if params.enabled("both_clauses") and _states_other(case, said, mine, pair, side):
            continue
        if not _same_degree(mine.text, pairs[pair][side], said.text, pairs[pair][1 - side]):
            continue
        slot = neighbours(mine.text, pairs[pair][side]) & neighbours(said.text, pairs[pair][1 - side])
        if (pair, side) not in said.sides and (slot & shared or (len(shared) >= 2 and share >= params.clause_share)
                                               or _same_topic(case, said, mine, slot)):
            return True
        # Both sides said: reversed when the other one sits in the point's slot ("舍入误差反而越小").
        if len(shared) >= 2 and share >= params.clause_share and slot - neighbours(said.text, pairs[pair][side]):
            return True
    return False


def _other_half(case: PointCase, said: Clause, mine: Clause, pair: int, side: int, shared: frozenset[str]) -> bool:
    """The point sets two clauses against each other and the answer says the other one, in the words it shares with
    this one and more (rule `contrast_half`): "优势为正的动作概率调大" states "为正的动作上概率增大" of the point
    "…为正的动作上概率增大，A 为负的动作上概率减小", and reverses nothing of its second half."""
    return any(other is not mine and (pair, 1 - side) in other.sides and (pair, side) not in other.sides
               and shared < said.units & other.units & case.evidence.matched
               for other in case.evidence.wording.reading.clauses)


def _states_other(case: PointCase, said: Clause, mine: Clause, pair: int, side: int) -> bool:
    """The clause says another clause of the point that holds its side of the pair, in words beyond the opposite word
    and the point clause it would reverse (rule `both_clauses`): "得到 token ID 序列作为模型输入" says "作为模型的
    输入" of the point "…最终输出 token ID 序列，作为模型的输入", where the tokenizer's output is the model's input."""
    weights = case.evidence.wording.weights
    word = {unit for found in cues().opposites[pair][1 - side] for unit, _, _ in units(found)}
    for other in case.evidence.wording.reading.clauses:
        if other is mine or (pair, 1 - side) not in other.sides or (pair, side) in other.sides:
            continue
        said_of = fsum(weights.get(unit, 0.0)
                       for unit in said.units & other.units & case.evidence.matched - word - mine.units)
        whole = fsum(weights.get(unit, 0.0) for unit in other.units)
        if whole and said_of >= case.params.clause_share * whole:
            return True
    return False


def _same_topic(case: PointCase, said: Clause, mine: Clause, slot: frozenset[str]) -> bool:
    """Both clauses open with the same word of the question, right beside the opposite words ("困惑度越高" for
    "困惑度越低"): the question's words are no evidence, but the degree is said of its topic."""
    opening = [next((unit for unit, start, _ in units(text) if start >= cues().openers.match(text).end()), None)
               for text in (said.text, mine.text)]
    return opening[0] is not None and opening[0] == opening[1] and opening[0] in slot & case.question.units


_DEGREE = re.compile(r"^[较过太很]")


def _same_degree(mine: str, my_words: tuple[str, ...], said: str, their_words: tuple[str, ...]) -> bool:
    """A degree word (较大, 过小) only opposes another: "方差较大" states the problem "缩小方差" solves."""
    mine_degrees = {bool(_DEGREE.match(word)) for word in my_words if word in mine}
    said_degrees = {bool(_DEGREE.match(word)) for word in their_words if word in said}
    return bool(mine_degrees & said_degrees)


def _swaps(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause says of one single-letter symbol what the point says of another ("decoder 的输入作为 K")."""
    return (share >= case.params.clause_share and len(shared - mine.letters) >= 2 and bool(mine.letters)
            and bool(said.letters) and not mine.letters & said.letters
            and bool(letter_neighbours(said.text) & letter_neighbours(mine.text)))


def _swaps_names(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause says of one of two names the question compares what the point says of the other ("PPO 用组内相对
    奖励估计优势" where the point says it of GRPO), and the answer never says it of the point's name.

    Negating the claim, or saying its opposite, about the other name agrees with the point ("PPO 需要 Critic" against
    "GRPO 不需要 Critic"); a clause that tells a change ("从 token 级别改成了序列级别") speaks of both.
    """
    params = case.params
    compared = case.compared
    words = _words(shared)
    if (case.listed or not compared or share < params.clause_share or len(words) < 2
            or said.negative != mine.negative or any((pair, 1 - side) in said.sides for pair, side in mine.sides)):
        return False
    names = case.compared_names
    theirs = _subject(case.answer, said, names)
    ours = _subject(case.evidence.wording.reading, mine, names)
    if not ours and params.enabled("point_name"):
        ours = _named_once(case.evidence.wording.reading, names)
    if theirs & ours or not any((left in ours and right in theirs) or (right in ours and left in theirs)
                                for (left, _), (right, _) in compared):
        return False
    # A clause that names the point's own subject compares the two ("因此相比全参数训练，略有增加"), moving nothing.
    if (any(pattern.search(said.text) for pair in compared for name, pattern in pair if name in ours)
            or cues().changes.search(said.text)):
        return False
    claim = mine.units & case.evidence.wording.weights.keys()
    weight = _weight(case, words)
    return not any(_weight(case, clause.units & claim) >= weight
                   and ours & _subject(case.answer, clause, names)
                   for clause in case.answer.clauses if clause.units & claim)


def _substitutes_letter(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause keeps some of the point clause's single-letter symbols and puts another of the question's in the
    slot of one it drops ("先用 Q 和 V 做点积" for "用 Q 与所有 K 做点积"): right frame, wrong operand."""
    if (share < case.params.clause_share or len(_words(shared)) < 2 or said.negative != mine.negative
            or not mine.letters & said.letters):
        return False
    lost, put = mine.letters - said.letters, (said.letters - mine.letters) & case.vocabulary
    if not lost or not put:
        return False
    words = _words(shared) - mine.letters - said.letters
    mine_slots, said_slots = letter_slots(mine.text), letter_slots(said.text)
    return any(mine_slots.get(gone, frozenset()) & said_slots.get(other, frozenset()) & words
               for gone in lost for other in put)


def _miscounts(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The answer gives a count the point's clause gives, and none of its numbers is the point's or in its range.

    A formula counts anywhere in the sentence of a clause sharing two words with the point's, when what follows it
    agrees ("合计 3sD²" for "共约 6sD²", but "4bLsD" bytes is no "2bLsD 个数"); a unit only in the same slot of the
    clause ("参数量是 3 倍" for "参数量是 4 倍").
    Stated through an alias ("QKV 投影"), the point's own numbers count.
    """
    words = len(_words(shared))
    if not words:
        return False
    counted = quantities(mine.text)
    if not counted and case.evidence.wording.alias:
        counted = quantities(read_bank_text(strip_filler(case.point_text), case.params).mapped.text)
    if not counted:
        return False
    units = cues().units
    sentence = None
    for unit in {quantity.unit for quantity in counted}:
        ours = [quantity for quantity in counted if quantity.unit == unit]
        if unit in units:
            theirs = [quantity.value for quantity in quantities(said.text) if quantity.unit == unit and any(
                (quantity.before and quantity.before == our.before) or (quantity.after and quantity.after == our.after)
                for our in ours)]
        elif words >= 2:
            if sentence is None:
                sentence = [quantity for clause in case.answer.clauses if clause.sentence == said.sentence
                            for quantity in quantities(clause.text)]
            theirs = [quantity.value for quantity in sentence
                      if quantity.unit == unit and any(quantity.after == our.after for our in ours)]
        else:
            continue
        low, high = min(our.value for our in ours), max(our.value for our in ours)
        if theirs and not any(low <= value <= high for value in theirs):
            return True
    return False


def _misvalues(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause gives a bare number in the slot where the point's clause gives another ("m 和 v 初始化为 1" for "m、v
    从 0 初始化"): a number with no unit, beside a word the two clauses share, outside the point's numbers there (a
    range, "8~64", takes those between)."""
    if len(_words(shared)) < 2:
        return False
    ours = [(value, slot & shared) for value, slot in bare_numbers(mine.text) if slot & shared]
    if not ours:
        return False
    for value, slot in bare_numbers(said.text):
        around = slot & shared
        if not around:
            continue
        expected = [our for our, our_slot in ours if our_slot & around]
        if expected and not min(expected) <= value <= max(expected):
            return True
    return False


def _substitutes(case: PointCase, said: Clause, mine: Clause, shared: frozenset[str], share: float) -> bool:
    """The clause keeps the point clause's frame and puts another word of the question's vocabulary in its slot
    ("一阶矩是参数本身的移动平均" for "一阶矩是梯度的指数移动平均"): right words, wrong component.

    The slot is what the point has between two shared words, at most `slot_chars` long on both sides; the point's
    term there, no everyday word (模型), must be nowhere in the clause, and the clause's word there must be a term
    the question or another point uses, not this point or its aliases.
    """
    params = case.params
    if share < params.clause_share or len(_words(shared)) < 2 or said.negative != mine.negative:
        return False
    weights = case.evidence.wording.weights
    theirs = None
    own_terms = case.evidence.wording.reading.mapped.terms
    for before, after, missing in _slots(_bank_units(mine.text), shared, params.slot_chars):
        terms = missing & case.evidence.wording.term_weights.keys()
        if not any(idf(unit) >= params.slot_term_idf for unit in terms) or missing & said.units:
            continue
        # A shared word inside the point's term in the slot is no frame round it ("下一个词预测": 一个).
        if params.enabled("term_frame") and any(
                (before in term or after in term) and any(unit in term for unit in missing) for term in own_terms):
            continue
        theirs = theirs or units(said.text)
        start = next((stop for unit, _, stop in theirs if unit == before), None)
        if start is None:
            continue
        end = next((begin for unit, begin, _ in theirs if unit == after and begin >= start), None)
        if end is None or end - start > params.slot_chars:
            continue
        put = frozenset(unit for unit, begin, stop in theirs if start <= begin and stop <= end + 1)
        if (put & case.answer_term_units - mine.units - weights.keys() - _alias_units(case.aliases, params)
                & case.vocabulary):
            return True
    return False


@lru_cache(maxsize=1024)
def _alias_units(aliases: tuple[str, ...], params: Parameters) -> frozenset[str]:
    """The units of a point's aliases, which are its own words ("state value" beside "估计每个 token 的价值")."""
    return frozenset(unit for alias in aliases for clause in read_bank_text(alias, params).clauses
                     for unit in clause.units)


@lru_cache(maxsize=4096)
def _bank_units(text: str) -> tuple[tuple[str, int, int], ...]:
    """The units of a point's clause, read once (it comes from the bank)."""
    return tuple(units(text))


def _slots(found: tuple[tuple[str, int, int], ...], shared: frozenset[str],
           reach: int) -> list[tuple[str, str, frozenset[str]]]:
    """Each run of a clause's units between two shared units, at most `reach` characters: (unit before, unit after,
    units of the run)."""
    slots = []
    last: tuple[str, int] | None = None
    run: list[str] = []
    for unit, start, stop in found:
        if unit in shared:
            if last and run and start - last[1] <= reach:
                slots.append((last[0], unit, frozenset(run)))
            last, run = (unit, stop), []
        elif last:
            run.append(unit)
    return slots


def _words(shared: frozenset[str]) -> frozenset[str]:
    """The shared units that are words, not numbers or lone characters ("的")."""
    return frozenset(unit for unit in shared if len(unit) > 1 and not unit.isdigit())


Name = tuple[str, re.Pattern[str]]
Compared = tuple[tuple[Name, Name], ...]


def _named_once(reading: Reading, names: tuple[Name, ...]) -> frozenset[str]:
    """The one compared name a point that supposes a case names, which its clauses naming none speak of (rule
    `point_name`): "如果任务需要可控性（如会议转写、字幕生成），往往采用级联方案" says its case of 级联, where
    "精度需求高的模型可能效果不如 fp16" speaks of bf16."""
    if not any(clause.conditional for clause in reading.clauses):
        return frozenset()
    named = frozenset(name for name, pattern in names if pattern.search(reading.mapped.text))
    return named if len(named) == 1 else frozenset()


@lru_cache(maxsize=1024)
def compared_names(question: str, modifiers: bool = True) -> Compared:
    """The pairs of names a folded question compares ("PPO 和 DPO", "GSPO 相对于 GRPO"), each name with the pattern
    that finds it.

    A name is a term of the term table or an English word right beside a comparison cue; a pronoun there ("它与
    PPO") stands for the question's first name. Single letters are left to `swapped_roles`, and a name inside the
    other (LoRA in QLoRA) makes no swap. Names that share a Chinese prefix are found by the rest (编码器 of 仅编码器);
    with `modifiers` (rule `modified_name`), a name before 的 that modifies a head both sides share is the name
    ("端到端的大模型和级联模型" compares 端到端 with 级联, not 大模型).
    """
    every = cues()
    pairs = []
    for match in every.comparison.finditer(question):
        before, after = question[:match.start()].rstrip(), question[match.end():].lstrip()
        pronoun = _LAST_WORD.search(before)
        left = _first_name(question) if pronoun and pronoun.group() in every.pronouns else _name_at(before, end=True)
        right = _name_at(after, end=False)
        if left and right and modifiers:
            left = _modifier(before, left, after[len(right):]) or left
        if left and right and left not in right and right not in left:
            cores = _cores((left, right))
            pairs.append(((left, _pattern(cores[0])), (right, _pattern(cores[1]))))
    return tuple(pairs)


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern[str]:
    """Find a Chinese name anywhere, an English one as a whole word, a hyphen in it written or not ("bi 编码器")."""
    escaped = re.escape(name).replace(r"\-", r"[-\s]?")
    return re.compile(escaped if is_cjk(name[0]) else rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")


def _modifier(before: str, left: str, rest: str) -> str | None:
    """The name before 的 that modifies a head both names end in: "端到端的大模型和级联模型" compares 端到端, 级联."""
    lead = before[: len(before) - len(left)].rstrip()
    shares_head = any(rest.lstrip().startswith(left[-size:]) for size in range(len(left), 1, -1))
    if not is_cjk(left[-1]) or not lead.endswith("的") or not shares_head:
        return None
    return _name_at(lead[:-1].rstrip(), end=True)


_LAST_WORD = re.compile(r"(?<![a-z0-9])[a-z]+$|[\u4e00-\u9fff]$")
_ENGLISH_NAME_END = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9.+-]*[a-z0-9]$")
_ENGLISH_NAME_START = re.compile(r"^[a-z][a-z0-9.+-]*[a-z0-9](?![a-z0-9])")
_LONGEST_TERM = 12
_HYPHENED_END = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9]*-$")


def _name_at(text: str, end: bool) -> str | None:
    """The longest term, else the English word, that `text` ends with (or starts with). A term an English word is
    hyphened to is part of that word's name: "Bi-Encoder" folds to "bi-编码器", which names no 编码器 of
    "Cross-Encoder"."""
    if end:
        term = _term_at(text, end=True)
        if term:
            hyphened = _HYPHENED_END.search(text, 0, len(text) - len(term))
            return hyphened.group() + term if hyphened else term
        word = _ENGLISH_NAME_END.search(text)
        return word.group() if word else None
    word = _ENGLISH_NAME_START.search(text)
    if word and text.startswith("-", word.end()) and (onto := _term_at(text[word.end() + 1:], end=False)):
        return f"{word.group()}-{onto}"
    return _term_at(text, end=False) or (word.group() if word else None)


def _term_at(text: str, end: bool) -> str | None:
    """The longest term `text` ends with (or starts with)."""
    canonicals = default_terms().canonicals
    for size in range(min(_LONGEST_TERM, len(text)), 1, -1):
        piece = text[-size:] if end else text[:size]
        if piece in canonicals:
            return piece
    return None


def _first_name(question: str) -> str | None:
    """The name a question speaks of first: its first term or English word."""
    for start in range(len(question)):
        if name := _name_at(question[start:], end=False):
            return name
    return None


def _cores(names: tuple[str, str]) -> tuple[str, str]:
    """Chinese names less the prefix they share, where each keeps two characters (编码器 of 仅编码器)."""
    left, right = names
    size = 0
    while size < min(len(left), len(right)) and left[size] == right[size]:
        size += 1
    if is_cjk(left[0]) and is_cjk(right[0]) and min(len(left), len(right)) - size >= 2:
        return left[size:], right[size:]
    return names


@dataclass(frozen=True)
class Subject:
    """A name some of a question's points speak of, the pattern that finds it, and the units of those points."""

    name: str
    pattern: re.Pattern[str]
    units: frozenset[str]


# A short Chinese word before a colon labels a part of the point before it ("数据：", "优点：") unless it is a term
# that labels no other point ("去重：").
_LABEL = re.compile(r"[\u4e00-\u9fff]{1,4}:")
_NAME_END = re.compile(r"$|[\s(:]")


@lru_cache(maxsize=1024)
def point_subjects(points: tuple[tuple[str, tuple[str, ...]], ...], params: Parameters) -> tuple[tuple[str, ...], ...]:
    """The names each point (text, aliases) speaks of, empty for none: the term or English word it opens with, set
    off by a space, a bracket or a colon ("BN 对每个通道…", "SFT（…）", "分页注意力：…"), then its aliases that are
    names ("GroupNorm"); an opening stop word ("IN") gives way to those. A point opening with a label ("数据：…",
    "优点：…") speaks of what the point before it speaks of. A question whose points speak of fewer than two names
    has none.
    """
    folded = [read_bank_text(core_claim(strip_filler(text)), params).mapped.text for text, _ in points]
    labels = [label.group()[:-1] if (label := _LABEL.match(text)) else None for text in folded]
    found: list[tuple[str, ...]] = []
    last: tuple[str, ...] = ()
    for text, label, (_, aliases) in zip(folded, labels, points, strict=True):
        name = _name_at(text, end=False)
        if label and (name != label or labels.count(label) > 1):
            found.append(last)
            continue
        spellings = [name, *(reading.mapped.text.replace(" ", "") for alias in aliases
                             if _is_name(reading := read_bank_text(alias, params)))] if (
            name and _NAME_END.match(text, len(name))) else []
        last = tuple(dict.fromkeys(spelling for spelling in spellings
                                   if len(spelling) >= 2 and spelling not in ENGLISH_STOP_WORDS))
        found.append(last)
    return tuple(found) if len({names[0] for names in found if names}) >= 2 else ((),) * len(points)


def subjects_of(names: tuple[tuple[str, ...], ...], point_units: list[frozenset[str]]) -> tuple[Subject, ...]:
    """Each name the points speak of (the first of a point's names), what finds it in an answer (any of them), and the
    units of the points that speak of it."""
    subjects = {}
    for spellings, found in zip(names, point_units, strict=True):
        if spellings:
            known = subjects.get(spellings[0], (frozenset(), frozenset()))
            subjects[spellings[0]] = (known[0] | frozenset(spellings), known[1] | found)
    return tuple(Subject(name, re.compile("|".join(_pattern(spelling).pattern for spelling in sorted(
        spellings, key=len, reverse=True))), found) for name, (spellings, found) in subjects.items())


def _subject(reading: Reading, clause: Clause, names: tuple[Name, ...]) -> frozenset[str]:
    """The compared names a clause speaks of: those it opens with ("GRPO 和 PPO 都…" opens with both), else those
    the nearest clause before it in its sentence opens with ("GRPO 则依赖 Critic，需要额外训练一个价值模型"), else
    any it names ("所以纯理解任务 decoder-only 更优"). A name further in, after a subject, is an object ("GRPO (…) is a
    PPO variant")."""
    return _opened_subject(reading, clause, names) or frozenset(
        name for name, pattern in names if pattern.search(clause.text))


def _opened_subject(reading: Reading, clause: Clause, names: tuple[Name, ...]) -> frozenset[str]:
    """The compared names a clause, or the nearest clause before it in its sentence, opens with (see `_subject`)."""
    index = bisect.bisect_left(reading.clauses, clause.start, key=lambda other: other.start)
    while index >= 0 and reading.clauses[index].sentence == clause.sentence:
        if opening := _opening(reading.clauses[index].text, names):
            return opening
        index -= 1
    return frozenset()


def _opening(text: str, names: tuple[Name, ...]) -> frozenset[str]:
    """The names `text` opens with, after any opening connective ("而 GRPO 则…"), the others joined to the first by
    coordinating words ("GRPO 和 PPO"; "GRPO 相对于 PPO" opens with GRPO alone)."""
    every = cues()
    found: set[str] = set()
    at = every.openers.match(text).end()
    while True:
        at += len(text[at:]) - len(text[at:].lstrip())
        opened = next(((name, match) for name, pattern in names if (match := pattern.match(text, at))), None)
        if opened is None:
            return frozenset(found)
        found.add(opened[0])
        at = opened[1].end()
        at += len(text[at:]) - len(text[at:].lstrip())
        cue = every.coordination.match(text, at)
        if cue is None:
            return frozenset(found)
        at = cue.end()


def _against_question(case: PointCase) -> Clause | None:
    """A clause naming the point that says the opposite of what the question presumes ("量化会让推理变慢").

    Asked how to speed inference up, naming the right methods and saying they slow it down reverses them all;
    asked what uses memory, "权重和激活值都不占显存" negates the question's own words beside points that are names.
    """
    asked = frozenset().union(*(clause.sides for clause in case.question.clauses))
    asked_turned = frozenset().union(*(clause.turned for clause in case.question.clauses))
    bare = len(case.evidence.wording.weights) <= case.params.short_point_units
    pairs = cues().opposites
    point_sides = frozenset().union(*(clause.sides for clause in case.evidence.wording.reading.clauses))
    # A word the point denies too ("LoRA 模块本身不包含激活函数") is no presumption the answer goes against.
    point_turned = frozenset().union(*(clause.turned for clause in case.evidence.wording.reading.clauses))
    for said in case.evidence.clauses:
        if said.conditional or len(said.units & case.evidence.matched) < 1:
            continue
        turned = (said.turned & case.question.units - asked_turned - case.evidence.matched - point_turned
                  if bare else frozenset())
        compared = _compared_units(case.question.mapped.text, case.params.enabled("modified_name"))
        if turned and turned - _inside_other_terms(case, said) - compared:
            return said
        sentence = frozenset().union(*(c.sides for c in case.answer.clauses if c.sentence == said.sentence))
        for pair, side in said.sides:
            if ((pair, 1 - side) in asked and (pair, side) not in asked and (pair, 1 - side) not in sentence
                    and not {(pair, 0), (pair, 1)} & point_sides
                    and neighbours(said.text, pairs[pair][side]) & _question_neighbours(case, pairs[pair][1 - side])):
                return said
    return None


@lru_cache(maxsize=1024)
def _compared_units(question: str, modifiers: bool) -> frozenset[str]:
    """Units of the names a question compares: "不如 PPO" weighs DPO against PPO, presuming nothing of the question."""
    return frozenset(unit for pair in compared_names(question, modifiers) for name, _ in pair
                     for unit, _, _ in units(name))


def _inside_other_terms(case: PointCase, said: Clause) -> frozenset[str]:
    """Units a clause holds only inside terms the question does not use: "奖励模型" turns no "模型" of "大模型"."""
    asked = frozenset(case.question.mapped.terms)
    return frozenset(unit for term in case.answer.mapped.terms if term not in asked and term in said.text
                     for unit, _, _ in units(term))


def _question_neighbours(case: PointCase, words: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(neighbours(clause.text, words) for clause in case.question.clauses))


# A contradiction rule either compares answer clauses with point clauses, or (None) with what the question presumes.
_CONTRADICTIONS: dict[str, Opposes | None] = {
    "negated": _negates,
    "denied": _denies,
    "dismissed": _dismisses,
    "negated_topic": _negates_topic,
    "replaced": _replaces,
    "negated_predicate": _negates_predicate,
    "negated_copula": _negates_copula,
    "negated_modal": _negates_modal,
    "reversed": _opposes,
    "swapped_roles": _swaps,
    "swapped_names": _swaps_names,
    "wrong_number": _miscounts,
    "wrong_value": _misvalues,
    "substituted": _substitutes,
    "substituted_letter": _substitutes_letter,
    "against_question": None,
}


_NEEDS_NEGATION = (_negates_predicate, _negates_copula, _negates_modal, _negates_topic, _replaces)
# The rules that read a negated clause as denying the point.
_NEGATING = (_negates, _denies, _dismisses, *_NEEDS_NEGATION)


def _covered(case: PointCase) -> bool:
    """Tell whether the answer says enough of the point, in words it says, to be worth contradicting."""
    return case.evidence.credit >= case.params.contradiction_evidence and not case.evidence.bridged


def contradiction_rule(name: str) -> Callable[[PointCase, str], Finding | None]:
    """A verdict rule that contradicts a well-covered point when the answer says it the other way round."""
    opposes = _CONTRADICTIONS[name]

    def rule(case: PointCase, answer_text: str) -> Finding | None:
        if not _covered(case):
            return None
        if opposes in _NEEDS_NEGATION and not any(said.negative for said in case.evidence.clauses):
            return None  # cheap: most answers negate nothing, and these rules read only negated clauses
        said = _against_question(case) if opposes is None else _contradiction(case, opposes)
        if said is None:
            return None
        return _contradicts(name, case, (case.answer.mapped.span(said.start, said.end),), answer_text)

    return rule


def contradiction_why(said: str, point_text: str) -> str:
    """The line a contradicted point shows: what the answer said (at most 40 characters) against the point."""
    quote = said.strip()
    quote = quote if len(quote) <= 40 else quote[:39] + "…"
    return f"你说“{quote}”，参考答案是“{point_text}”"


def _contradicts(rule: str, case: PointCase, spans: tuple[tuple[int, int], ...], answer_text: str) -> Finding:
    """A finding that the answer says the point the other way round, quoting the first span."""
    return Finding(rule, case.point_id, -case.evidence.credit, spans,
                   contradiction_why(answer_text[spans[0][0]:spans[0][1]], case.point_text))


def swapped_subjects(case: PointCase, answer_text: str) -> Finding | None:
    """The answer gives this point's claim to another point's subject and not to this one's: "LN 才是跨 batch 统计的，
    每个特征在整个 batch 上算均值方差" where the point says it of BN, and "BN 是对单个样本…" of BN.

    The clauses opening with (or following in their sentence) one other subject must say more of this point's own
    words (not that subject's points') than of that subject's own words and than this point's subject's positive
    clauses say of the claim. A negated, reversed or compared claim about the other subject agrees with the point.
    """
    params = case.params
    ours = next((subject for subject in case.subjects if subject.name == case.subject), None)
    if (ours is None or case.listed or not _covered(case)
            or not ours.pattern.search(case.answer.mapped.text)):
        return None
    # A point naming one of two names the question compares is `swapped_names`'s to read.
    if any(ours.name == name for name, _ in case.compared_names) and ours.pattern.search(
            case.evidence.wording.reading.mapped.text):
        return None
    names = tuple((subject.name, subject.pattern) for subject in case.subjects)
    # Cheap first: the evidence must come from a clause about another subject.
    if not any(_subject(case.answer, clause, names) - {ours.name} for clause in case.evidence.clauses):
        return None
    named = frozenset(unit for subject in case.subjects for unit, _, _ in units(subject.name))
    claim = _words(case.evidence.wording.weights.keys() - named)
    sides = frozenset().union(*(clause.sides for clause in case.evidence.wording.reading.clauses))
    negative = any(clause.negative for clause in case.evidence.wording.reading.clauses)
    said: dict[frozenset[str], list[Clause]] = {}
    for clause in case.answer.clauses:
        if (clause.conditional or clause.negative != negative
                or any((pair, 1 - side) in clause.sides for pair, side in sides)
                or cues().changes.search(clause.text) or cues().denials.search(clause.text)):
            continue
        said.setdefault(_subject(case.answer, clause, names), []).append(clause)
    mine = frozenset().union(*(clause.units for theirs, clauses in said.items() if ours.name in theirs
                               for clause in clauses)) - named
    own = fsum(idf(unit) for unit in claim & mine)
    whole = fsum(idf(unit) for unit in claim & case.evidence.matched)
    for theirs, clauses in said.items():
        if not theirs or ours.name in theirs:
            continue
        others = frozenset().union(*(subject.units for subject in case.subjects if subject.name in theirs))
        found = frozenset().union(*(clause.units for clause in clauses)) - named
        given = claim & found - others
        weight = fsum(idf(unit) for unit in given)
        taken = _words(mine & others - ours.units)  # what the answer says of this point's subject is the other's
        if (len(given) >= 2 and len(taken) >= 2 and weight >= params.clause_share * whole and weight > own
                and fsum(map(idf, taken)) > own
                and weight > fsum(idf(unit) for unit in _words(found & others - ours.units))):
            return _contradicts("swapped_subjects", case, tuple(
                case.answer.mapped.span(clause.start, clause.end) for clause in clauses if clause.units & given),
                answer_text)
    return None


def swapped_within(case: PointCase, answer_text: str) -> Finding | None:
    """The point's clauses open with names and give each its own object ("ZeRO-1 分片优化器状态，…，ZeRO-3 再分参数");
    the answer gives two of those names each other's ("ZeRO-1 切分参数…ZeRO-3 再切分优化器状态") and neither its own."""
    if case.listed or not _covered(case):
        return None
    objects = _named_objects(case.point_text, case.params)
    if len(objects) < 2:
        return None
    names = tuple((name, pattern) for name in objects if (pattern := _pattern(name)).search(case.answer.mapped.text))
    if len(names) < 2:
        return None
    given: dict[str, frozenset[str]] = {}
    for clause in case.answer.clauses:
        if clause.conditional or clause.negative or cues().changes.search(clause.text):
            continue
        opening = _opening(clause.text, names)
        if len(opening) == 1:
            name = next(iter(opening))
            given[name] = given.get(name, frozenset()) | clause.units
    for name, units_given in given.items():
        for other, theirs in given.items():
            if (name < other and units_given & objects[other] and theirs & objects[name]
                    and not units_given & objects[name] and not theirs & objects[other]):
                return _contradicts("swapped_within", case, tuple(
                    case.answer.mapped.span(clause.start, clause.end) for clause in case.answer.clauses
                    if clause.units & (objects[name] | objects[other]) and _opening(clause.text, names)), answer_text)
    return None


# Single-letter symbols in a list ("k,v"), bound to where they come from: "q 来自 解码器" or "编码器的输出作为 q".
_SYMBOLS = r"(?<![a-z0-9_])([a-z](?:\s*[,、和与及/]\s*[a-z])*)(?![a-z0-9_])"
_FROM = re.compile(_SYMBOLS + r"\s*(?:来自|取自|来源于|源自|出自|由|\bfrom\b)\s*")
_AS = re.compile(r"(?:作为|当作|当成|充当|\bas\b)\s*" + _SYMBOLS)
# How far before "作为" the name a symbol comes from may stand ("用解码器的输入作为 k"), within its clause.
_SOURCE_REACH = 12


def _symbol_sources(text: str, names: Iterable[str]) -> dict[str, tuple[str, int, int]]:
    """Each single-letter symbol of `text` bound to one of `names` by "来自" or "作为", with the binding's span."""
    ordered = sorted(set(names), key=len, reverse=True)
    found: dict[str, tuple[str, int, int]] = {}
    for match in _FROM.finditer(text):
        rest = text[match.end():]
        name = next((name for name in ordered if rest.startswith(name)), None)
        if name:
            for symbol in re.findall(r"[a-z]", match.group(1)):
                found.setdefault(symbol, (name, match.start(), match.end() + len(name)))
    for match in _AS.finditer(text):
        before = re.split(r"[,.;:!?，。；：！？]", text[max(0, match.start() - _SOURCE_REACH):match.start()])[-1]
        places = [(before.rfind(name), name) for name in ordered if name in before]
        if places:
            name = max(places)[1]
            for symbol in re.findall(r"[a-z]", match.group(1)):
                found.setdefault(symbol, (name, match.start() - len(before), match.end()))
    return found


def swapped_sources(case: PointCase, answer_text: str) -> Finding | None:
    """The answer binds a symbol to the other of the names the point binds symbols to: "用 decoder 的输入作为 K、V，
    encoder 的输出作为 Q" against "Q 来自 decoder，K、V 来自 encoder 输出", however the two bind them."""
    if case.listed or not _covered(case):
        return None
    point = case.evidence.wording.reading.mapped
    mine = _symbol_sources(point.text, point.terms)
    names = {name for name, _, _ in mine.values()}
    if len(names) < 2:
        return None
    said = _symbol_sources(case.answer.mapped.text, names)
    wrong = [(start, end) for symbol, (name, start, end) in said.items() if symbol in mine and name != mine[symbol][0]]
    if not wrong or any(symbol in mine and name == mine[symbol][0] for symbol, (name, _, _) in said.items()):
        return None
    spans = tuple(case.answer.mapped.span(start, end) for start, end in sorted(wrong))
    return _contradicts("swapped_sources", case, spans, answer_text)


_PROMOTES = re.compile(r"让|使|需要|必须|\b(?:make|makes|need|needs|require|requires)\b")


def promoted(case: PointCase, answer_text: str) -> Finding | None:
    """The answer makes or needs what the point keeps from happening, down to its last word: "让模型更自信" against
    "防止模型对标签过度自信", "需要额外训练一个价值模型" against "避免了训练一个额外的价值模型" (not
    "让模型在初期梯度比较稳定" against "避免初期大梯度导致发散"). Not when the answer keeps it off too, nor of another
    compared name ("PPO 需要额外训练一个价值模型" against a GRPO point)."""
    if case.listed or not _covered(case):
        return None
    prevention = cues().prevention
    names = case.compared_names
    ours = case.subject or _first_name(case.question.mapped.text)
    for mine in case.evidence.wording.reading.clauses:
        cue = prevention.search(mine.text)
        if cue is None or mine.negative or mine.conditional:
            continue
        after = [unit for unit, start, _ in units(mine.text)
                 if start >= cue.end() and len(unit) > 1 and not unit.isdigit()]
        kept = frozenset(after) & case.evidence.matched
        if not after or after[-1] not in kept or any(
                prevention.search(clause.text) and len(_words(clause.units & kept)) >= 2
                for clause in case.answer.clauses):
            continue
        for said in case.evidence.clauses:
            if said.negative or said.conditional or _subject(case.answer, said, names) - {ours}:
                continue
            push = _PROMOTES.search(said.text)
            found = [(unit, start) for unit, start, _ in units(said.text) if unit in kept]
            if (push and after[-1] in said.units and len({unit for unit, _ in found}) >= 2
                    and push.start() <= min(start for _, start in found)):
                return _contradicts("promoted", case, (case.answer.mapped.span(said.start, said.end),), answer_text)
    return None


# A replacement told as "把 X 换成 Y": what stands before the verb is gone, what follows it takes its place.
_REPLACED = re.compile(r"换成|换为|替换成|替换为|改成|改为|\breplac(?:e|es|ed|ing)\b.*\bwith\b")


def wrong_member(case: PointCase, answer_text: str) -> Finding | None:
    """The answer puts another member of a class of terms (`data/classes.txt`: a loss, a position encoding, an
    optimiser) where the point names its own: "多语言部分用的是 MLM 掩码损失" against "翻译/多语言任务：可能加入对比学习
    Loss". The other member is one neither the question nor its points name, named in a clause that says more of the
    point's words, and the point's own is nowhere in the answer but where the answer replaces it with the other
    ("Qwen 最后把 RoPE 换成了 ALiBi", rule `replaced_member`)."""
    if case.listed or not _covered(case):
        return None
    answer = case.answer.mapped.text
    point = case.evidence.wording.reading.mapped.text
    for members in term_classes():
        found = [[_pattern(name) for name in names] for names in members]
        own = [pattern for patterns in found if any(pattern.search(point) for pattern in patterns)
               for pattern in patterns]
        if not own:
            continue
        others = [pattern for names, patterns in zip(members, found, strict=True) if patterns[0] not in own
                  for name, pattern in zip(names, patterns, strict=True)
                  if not {unit for unit, _, _ in units(name)} <= case.vocabulary]
        own_names = [name for names, patterns in zip(members, found, strict=True) if patterns[0] in own
                     for name in names]
        said = [clause for clause in case.answer.clauses
                if not clause.negative and not clause.conditional and _words(clause.units & case.evidence.matched)
                and any(not _qualified(clause.text, match.start(), own_names)
                        for pattern in others for match in pattern.finditer(clause.text))]
        if case.params.enabled("replaced_member"):
            gone = next((clause for clause in said if _replaces_member(clause.text, own, others)), None)
            if gone is not None:
                return _contradicts("wrong_member", case, (case.answer.mapped.span(gone.start, gone.end),),
                                    answer_text)
        if said and not any(pattern.search(answer) for pattern in own):
            return _contradicts("wrong_member", case, (case.answer.mapped.span(said[0].start, said[0].end),),
                                answer_text)
    return None


_QUALIFIER = re.compile(r"([\u4e00-\u9fff]{2,4})的\s*$")


def _qualified(text: str, at: int, own_names: list[str]) -> bool:
    """Tell whether the member named at `at` is qualified by a word of the point's own member before its 的 (rule
    `qualified_member`): "可学习的绝对位置编码" names the point's 可学习位置编码, not another position encoding."""
    qualifier = _QUALIFIER.search(text, 0, at)
    return qualifier is not None and any(qualifier.group(1)[start:] in name for name in own_names
                                         for start in range(len(qualifier.group(1)) - 1))


def _replaces_member(text: str, own: list[re.Pattern[str]], others: list[re.Pattern[str]]) -> bool:
    """The clause replaces one of the point's members with another: "把 RoPE 换成了 ALiBi"."""
    verb = _REPLACED.search(text)
    return (verb is not None and any(pattern.search(text, 0, verb.start()) for pattern in own)
            and any(pattern.search(text, verb.end()) for pattern in others)
            and not any(pattern.search(text, verb.end()) for pattern in own))


@lru_cache(maxsize=4096)
def _named_objects(text: str, params: Parameters) -> dict[str, frozenset[str]]:
    """The names a point's clauses open with, past any opening connective ("而双向掩码…"), each with the words only its
    clause says (none unless two or more)."""
    said: dict[str, frozenset[str]] = {}
    for clause in read_bank_text(strip_filler(text), params).clauses:
        opened = clause.text.lstrip()
        name = _name_at(opened[cues().openers.match(opened).end():].lstrip(), end=False)
        if name and len(name) >= 2 and name not in ENGLISH_STOP_WORDS and name not in said:
            said[name] = clause.units
    if len(said) < 2:
        return {}
    named = frozenset(unit for name in said for unit, _, _ in units(name))
    return {name: _words(found - named - frozenset().union(*(other for key, other in said.items() if key != name)))
            for name, found in said.items()}


class Comparison(NamedTuple):
    """A comparison a clause states: the opposite pair of its degree, the side the words before it are on against
    what it is compared with, those words (subject and attribute), and the units of what it is compared with."""

    pair: int
    side: int
    left: frozenset[str]
    right: frozenset[str]


_ADVERBS = r"(?:还|更|要|略|稍微?|都|反而|也|远|明显|大大|再|会)*"


@lru_cache(maxsize=1)
def _comparative() -> re.Pattern[str]:
    """"X 比 Y (更)大", "X 大于 Y" and "X is larger than Y", with the degree a comparative or an opposite word."""
    every = cues()
    words = sorted({*every.comparatives, *(word for pair in every.opposites for side in pair for word in side)},
                   key=len, reverse=True)
    degree = "|".join(map(re.escape, words))
    return re.compile(rf"(?<![对相无])比(?![例值率较如特])\s*(?P<than>[^,;:!?\n比]{{1,20}}?)\s*{_ADVERBS}\s*"
                      rf"(?P<degree>{degree})|(?P<before>{degree})于(?P<object>[^,;:!?\n]{{1,20}})"
                      rf"|(?<![a-z])(?P<english>{degree})\s+than\s+(?P<that>[^,;:!?\n]{{1,30}})")


# What every comparison holds: a clause without it is not read (most are not).
_MAY_COMPARE = re.compile(r"比|于|than")


@lru_cache(maxsize=4096)
def comparisons(text: str) -> tuple[Comparison, ...]:
    """The comparisons a folded clause states."""
    every = cues()
    found = []
    for match in _comparative().finditer(text):
        degree = match.group("degree") or match.group("before") or match.group("english")
        pair, side = every.comparatives.get(degree) or opposite_side(degree)
        if match.group("than") is not None:
            compared = match.group("than")
        else:
            rest = (match.group("object") or match.group("that")).lstrip()
            compared = _name_at(rest, end=False) or rest[:4]
        right = frozenset(unit for unit, _, _ in units(compared))
        left = frozenset(unit for unit, _, stop in units(text) if stop <= match.start())
        if right and left:
            found.append(Comparison(pair, side, left, right))
    return tuple(found)


def reversed_comparison(case: PointCase, answer_text: str) -> Finding | None:
    """The answer turns round a comparison the point states or implies: "比 Prompt Tuning 还小" against "参数量和推理
    开销比 Prompt Tuning 略大", or the two compared the other way ("SFT 的数据量要比预训练大得多" against a point about
    pre-training, "数据：规模极大").

    The answer's comparison must share with the point a word besides what it compares (the attribute compared), and
    the point its degree's opposite pair: a comparison of its own, with every word of what it compares with on one side
    of the answer's ("比 Prompt/Prefix 大" is not turned by "比 Prompt Tuning 小"), or a side said of its subject in a
    sentence.
    """
    if case.listed or not _covered(case):
        return None
    point = case.evidence.wording.reading
    stated = [(clause.units, comparison) for clause in point.clauses for comparison in comparisons(clause.text)]
    subject = frozenset(unit for unit, _, _ in units(case.subject)) if case.subject else frozenset()
    implied = [] if stated or not subject else [
        (point.sentence_units[number], pair, side) for number in range(len(point.sentence_units))
        for pair, side in _sentence_sides(point, number)]
    if not stated and not implied:
        return None
    names = tuple((other.name, other.pattern) for other in case.subjects)
    compared = {ours.pair for _, ours in stated} | {pair for _, pair, _ in implied}
    others = [(pair, side) for clause in point.clauses for pair, side in clause.sides if pair not in compared]
    for at, said in enumerate(case.answer.clauses):
        # A clause saying the other side of another of the point's pairs speaks of something else ("低频" for "高频").
        if not _MAY_COMPARE.search(said.text) or said.conditional or said.negative or any(
                (pair, 1 - side) in said.sides and (pair, side) not in said.sides for pair, side in others):
            continue
        found = comparisons(said.text)
        if found and stated and case.subject and _last_subject(case.answer, at, names) not in (None, case.subject):
            continue  # a comparison stated of another of the points' subjects
        if (any(_turns_stated(said, words, ours, theirs, subject) for theirs in found for words, ours in stated)
                or any(_turns_implied(theirs, words, pair, side, subject)
                       for theirs in found for words, pair, side in implied)):
            return _contradicts("reversed_comparison", case, (case.answer.mapped.span(said.start, said.end),),
                                answer_text)
    return None


def _turns_stated(said: Clause, words: frozenset[str], ours: Comparison, theirs: Comparison,
                  subject: frozenset[str]) -> bool:
    """The answer's comparison turns round the point's own (`words` are the point clause's units)."""
    return bool(ours.pair == theirs.pair and _words(said.units & words - ours.right - theirs.right)
                and ((ours.right <= theirs.right and not theirs.right & ours.left and theirs.side != ours.side)
                     or (theirs.right & (ours.left | subject) - ours.right and ours.right <= theirs.left
                         and theirs.side == ours.side)))


def _turns_implied(theirs: Comparison, words: frozenset[str], pair: int, side: int, subject: frozenset[str]) -> bool:
    """The answer's comparison puts the point's subject on the other side of the degree a point sentence (`words`)
    says of it."""
    if pair != theirs.pair or not _words((theirs.left | theirs.right) - subject) & words:
        return False
    if subject <= theirs.right and not subject & theirs.left:
        return 1 - theirs.side != side
    if subject <= theirs.left and not subject & theirs.right:
        return theirs.side != side
    return False


def _last_subject(reading: Reading, at: int, names: tuple[Name, ...]) -> str | None:
    """The name the clause `at`, or the nearest clause before it that opens with one, opens with; None if none."""
    for clause in reversed(reading.clauses[:at + 1]):
        if opening := _opening(clause.text, names):
            return min(opening)
    return None


def _sentence_sides(reading: Reading, number: int) -> frozenset[tuple[int, int]]:
    """The opposite sides a sentence of a reading says, less the pairs it says both sides of."""
    sides = frozenset().union(*(clause.sides for clause in reading.clauses if clause.sentence == number))
    return frozenset((pair, side) for pair, side in sides if (pair, 1 - side) not in sides)


# A sequence's cues: what opens its first step ("先", not 优先, 事先, 先验, 先后) and what opens each later one.
_FIRST_STEP = re.compile(r"(?<![优事预率原领抢争])先(?![验进前后])|(?<![a-z])first(?![a-z])")
_NEXT_STEP = re.compile(r"(?<!不)再(?!次)|然后|之后|接着|随后|最后|(?<![a-z])then(?![a-z])")
_CLAUSE_END = re.compile(r"[,;:!?\n]|(?<![a-z0-9_])\.|\.(?![a-z0-9_])")


def reversed_order(case: PointCase, answer_text: str) -> Finding | None:
    """The point tells steps in order ("先 Top-k 再 Top-p") and a sentence of the answer tells two of them the other
    way round ("先做 Top-p，再在剩下的里面取 Top-k"), while none tells those two in the point's order.

    A step is known by the words only it says (not a lone Chinese character); an answer step naming words of two of
    the point's steps is left alone. The steps it names are the evidence: the point may read as missed otherwise.
    """
    if case.listed:
        return None
    own = _own_steps(case.point_text, case.params)
    text = case.answer.mapped.text
    if len(own) < 2 or not _FIRST_STEP.search(text):
        return None
    told: dict[tuple[int, int], tuple[int, int]] = {}  # each order of two steps told, and the first sentence
    for start, end in _sentence_spans(case.answer):
        places = [index for step in _steps(text[start:end]) if len(index := {
            number for number, words in enumerate(own) if step & words}) == 1]
        for at, (first,) in enumerate(places):
            for (later,) in places[at + 1:]:
                told.setdefault((first, later), (start, end))
    against = next((span for (first, later), span in told.items() if first > later and (later, first) not in told),
                   None)
    if against is None:
        return None
    return _contradicts("reversed_order", case, (case.answer.mapped.span(*against),), answer_text)


@lru_cache(maxsize=4096)
def _own_steps(text: str, params: Parameters) -> tuple[frozenset[str], ...]:
    """The words only each step of the sequence a point tells says, or () when it tells none."""
    steps = _steps(read_bank_text(strip_filler(text), params).mapped.text)
    return tuple(step - frozenset().union(*(other for other in steps if other is not step)) for step in steps)


def _steps(text: str) -> list[frozenset[str]]:
    """The units of each step a folded text tells in order: from its first-step cue, and each next-step cue after it,
    up to the next cue or the end of the clause; empty unless two steps."""
    first = _FIRST_STEP.search(text)
    if first is None:
        return []
    cues_at = [first, *_NEXT_STEP.finditer(text, first.end())]
    if len(cues_at) < 2:
        return []
    found = units(text)
    steps = []
    for cue, following in zip(cues_at, [*cues_at[1:], None], strict=True):
        end = _CLAUSE_END.search(text, cue.end())
        stop = min(following.start() if following else len(text), end.start() if end else len(text))
        steps.append(frozenset(unit for unit, begin, finish in found if cue.end() <= begin and finish <= stop
                               and not unit.isdigit() and (len(unit) > 1 or unit.isascii())))
    return steps


def _sentence_spans(reading: Reading) -> list[tuple[int, int]]:
    """Where each sentence of a reading starts and ends in its folded text."""
    spans: dict[int, tuple[int, int]] = {}
    for clause in reading.clauses:
        spans[clause.sentence] = (spans.get(clause.sentence, (clause.start, clause.end))[0], clause.end)
    return list(spans.values())


# A complexity in big-O notation, and what its expression is written with besides its terms.
_BIG_O = re.compile(r"(?<![a-z0-9])o\s*\(([^()]{1,30})(?:\)|$)")
_O_NOISE = re.compile(r"[\s${}\\^*·]|sqrt|√")


def _complexities(text: str) -> frozenset[str]:
    """The big-O expressions of a folded text, written one way ("n^2", "n²" and "n2" alike; "n\\sqrt{n}" as "n√n")."""
    return frozenset(_O_NOISE.sub(lambda found: "r" if found.group() in ("sqrt", "√") else "", match.group(1))
                     for match in _BIG_O.finditer(text))


def wrong_complexity(case: PointCase, answer_text: str) -> Finding | None:
    """The point gives a complexity in big-O notation and a sentence the point's evidence comes from gives only
    others ("时间复杂度同样是 O(n)" against "…时间复杂度约 $O(n^2)$"), in a clause that neither negates nor supposes."""
    if case.listed or not _covered(case):
        return None
    point = case.evidence.wording.reading
    ours = _complexities(point.mapped.text)
    text = case.answer.mapped.text
    if not ours or "(" not in text:
        return None
    # The sentence must name what the point gives the complexity of, not only the complexity ("复杂度").
    told = frozenset().union(*(clause.units for clause in point.clauses if not _BIG_O.search(
        point.mapped.text, clause.start, min(len(point.mapped.text), clause.end + 3))))
    spans = _sentence_spans(case.answer)
    for number in sorted({clause.sentence for clause in case.evidence.clauses}):
        if not _words(case.answer.sentence_units[number] & told & case.evidence.matched):
            continue
        start, end = spans[number]
        # Brackets part clauses, so the expression is read in the sentence and judged by the clause it opens in.
        theirs = [(match, _complexities(match.group())) for match in _BIG_O.finditer(text, start, end)]
        stated = [found for match, found in theirs if not _supposed(case.answer, match.start())]
        if stated and not frozenset().union(*stated) & ours:
            end += text.startswith(")", end)  # the bracket closing the last expression parts no clause
            return _contradicts("wrong_complexity", case, (case.answer.mapped.span(start, end),), answer_text)
    return None


def _supposed(reading: Reading, at: int) -> bool:
    """Tell whether the clause holding the place `at` negates or supposes what it says."""
    index = bisect.bisect_right(reading.clauses, at, key=lambda clause: clause.start) - 1
    return index >= 0 and (reading.clauses[index].negative or reading.clauses[index].conditional)


def listed_not_stated(case: PointCase, answer_text: str) -> Finding | None:
    """A keyword list names a point's words without stating it: it earns no more than `listed_credit` (partial)."""
    if not case.listed or case.evidence.credit <= case.params.listed_credit:
        return None
    return Finding("listed_not_stated", case.point_id, case.params.listed_credit - case.evidence.credit,
                   case.evidence.spans)


def said_otherwise(case: PointCase, answer_text: str) -> Finding | None:
    """The answer's clauses open with the words they share with the point and go on to say something else: the
    point's subject is named, its claim is not stated.

    "ZeRO-1 把参数量化到 int8" opens with ZeRO-1 and says nothing of sharding the optimizer states; "dropout 只加在
    FFN 的权重矩阵上" says nothing of where the point puts it. A clause that shares a word past its opening states
    (part of) the claim; across languages only the term table matches, so the rule leaves that to the evidence.
    """
    params = case.params
    if (case.listed or case.evidence.credit < params.partial or not case.pairs
            or case.answer.english != case.evidence.wording.reading.english):
        return None
    # Words of the point's own text count as stating it, when its evidence is an alias ("权重量化" found, "压到 int8").
    known = (case.evidence.wording.weights.keys() | case.question.units
             | read_bank_text(strip_filler(case.point_text), params).units)
    for said, _, shared, _ in case.pairs:
        found = units(said.text)
        placed = [(start, stop) for unit, start, stop in found if unit in shared]
        opening = cues().openers.match(said.text).end()
        if not placed or placed[0][0] > opening or max(stop for _, stop in placed) - opening > params.subject_chars:
            return None
        rest = frozenset(unit for unit, start, _ in found if start >= placed[-1][1]) - known
        if fsum(idf(unit) for unit in _words(rest)) < params.otherwise_share * _weight(case, shared):
            return None
    return Finding("said_otherwise", case.point_id, -case.evidence.credit, case.evidence.spans)


def shared_only(case: PointCase, answer_text: str) -> Finding | None:
    """The point's weak evidence is only words it shares with points the answer states, though it has words of its own:
    the answer said those points, and none of what this one adds.

    Asked for RLHF's stages, "先做 SFT，然后训练一个奖励模型，最后用强化学习去调模型，让它的回答更符合人的喜好"
    states the three stages; it shares 奖励模型 and 回答 with "奖励模型用人类对多个回答的偏好排序来训练" and says
    nothing of how the reward model is trained. Across languages only the term table matches, and its terms are what
    points share, so the rule leaves that to the evidence.
    """
    evidence, params = case.evidence, case.params
    if (evidence.credit < params.partial or evidence.credit >= params.own_credit or not case.stated
            or case.answer.english != evidence.wording.reading.english):
        return None
    weights = evidence.wording.weights
    own = weights.keys() - case.stated
    own_weight = fsum(weights[unit] for unit in own)
    if own_weight < params.own_share * fsum(weights.values()):
        return None
    if fsum(weights[unit] for unit in evidence.matched & own) >= params.own_said * own_weight:
        return None
    return Finding("shared_only", case.point_id, -evidence.credit, evidence.spans)


# A number as an answer writes it: digits, or a Chinese numeral with its order or 倍 ("五万", "十倍", "千分之一").
_SAID_NUMBER = re.compile(r"\d|[一二两三四五六七八九十几][十百千万亿倍]|[百千万]分之")


# A bracketed aside, closed or cut off by the clause's end: "长上下文扩展 (128K, 1M tokens)" states no quantity.
_ASIDE = re.compile(r"[（(][^）)]*(?:[）)]|$)")


def _quantities(text: str) -> frozenset:
    return quantities(_ASIDE.sub("", text))


def number_unsaid(case: PointCase, answer_text: str) -> Finding | None:
    """The point states a quantity ("ZeRO-3 通信量约为普通数据并行的 1.5 倍", "β2 取 0.95~0.999") and the sentences of
    its evidence hold no number at all: the answer names what the point measures ("在数据并行的几张卡之间"), not the
    measure. Missed, short of a hit: a number said wrongly is for the number rules to read."""
    evidence, params = case.evidence, case.params
    if case.listed or not params.partial <= evidence.credit < params.hit:
        return None
    if not _quantities(evidence.wording.reading.mapped.text):
        return None
    # A clause of the point with no number that the answer says ("词表大小是压缩率与显存开销的折中") is stated.
    if any(share >= params.unsaid_clause_share and not _quantities(mine.text) for _, mine, _, share in case.pairs):
        return None
    sentences = {clause.sentence for clause in evidence.clauses}
    if any(_SAID_NUMBER.search(clause.text) for clause in case.answer.clauses if clause.sentence in sentences):
        return None
    return Finding("number_unsaid", case.point_id, -evidence.credit, evidence.spans)


def named_only(case: PointCase, answer_text: str) -> Finding | None:
    """The answer names the point through one of its aliases and says something else of it: the alias opens each clause
    that carries it and a predicate of the answer's own follows, while the sentences carrying it hold under
    `claim_share` of the weight of the point's own claim (its words less the question's and the alias's).

    "残差连接的作用是减少参数量" finds the point "残差连接提供梯度直通路径，使深层可训练、收敛快" through its alias
    "残差" and says nothing of gradients or depth. A bare mention ("还有残差连接") is the rule `named_bare`'s; across
    languages only the term table matches, so the rule leaves that to the evidence.
    """
    if not _named_not_stated(case) or not _says_otherwise(case):
        return None
    return Finding("named_only", case.point_id, -case.evidence.credit, case.evidence.spans)


def named_bare(case: PointCase, answer_text: str) -> Finding | None:
    """The answer names the point through an alias that is its name and says nothing of what the point states of it
    ("另外还有残差连接吧" against "残差连接提供梯度直通路径，使深层可训练、收敛快"): named, not stated, so partial at
    most, as interviewers mark a method named without what it does."""
    evidence, params = case.evidence, case.params
    if evidence.credit <= params.alias_name_credit or not _named_not_stated(case) or _says_otherwise(case):
        return None
    return Finding("named_bare", case.point_id, params.alias_name_credit - evidence.credit, evidence.spans)


def _named_not_stated(case: PointCase) -> bool:
    """The point is found through an alias that is a name, and the sentences carrying it hold under `claim_share` of
    the weight of the point's own claim (its words less the question's and the alias's)."""
    params = case.params
    evidence = case.evidence
    if not evidence.wording.alias or case.listed or evidence.credit < params.partial or not _is_name(
            evidence.wording.reading):
        return False
    point = read_bank_text(strip_filler(case.point_text), params)
    if case.answer.english != point.english:
        return False
    claim = _words(point.units - case.question.units - evidence.wording.reading.units)
    whole = fsum(idf(unit) for unit in claim)
    if not whole:
        return False
    said = frozenset().union(*(case.answer.sentence_units[clause.sentence] for clause in evidence.clauses))
    return fsum(idf(unit) for unit in claim & said) < params.claim_share * whole


def _says_otherwise(case: PointCase) -> bool:
    """Each clause carrying the alias opens with it and goes on to say something of its own: a predication, not a
    list or a bare mention."""
    params, evidence = case.params, case.evidence
    named = evidence.wording.reading.units
    for clause in evidence.clauses:
        found = units(clause.text)
        placed = [(start, stop) for unit, start, stop in found if unit in evidence.matched]
        if not placed or placed[0][0] > cues().openers.match(clause.text).end():
            return False
        rest = frozenset(unit for unit, start, _ in found if start >= placed[-1][1]) - named - case.question.units
        if fsum(idf(unit) for unit in _words(rest)) < params.otherwise_share * _weight(case, evidence.matched):
            return False
    return True


_NAME = re.compile(r"[a-z0-9][a-z0-9 .+-]*")


def _is_name(reading: Reading) -> bool:
    """Tell whether a wording is a name: one term of the term table ("残差连接", "标签平滑") or letters alone
    ("minhash"), no phrase that says something ("并行计算", "关注不同的特征")."""
    text = reading.mapped.text.replace(" ", "")
    return (len(reading.mapped.terms) == 1 and reading.mapped.terms[0] == text) or bool(_NAME.fullmatch(text))


def named_in_list(case: PointCase, answer_text: str) -> Finding | None:
    """A keyword list that names one of a point's terms (not the question's), or `listed_partial` of its words,
    names the point: partial."""
    evidence, params = case.evidence, case.params
    if not case.listed or evidence.credit >= params.partial:
        return None
    if not evidence.matched & evidence.wording.term_weights.keys() and evidence.credit < params.listed_partial:
        return None
    return Finding("named_in_list", case.point_id, params.partial - evidence.credit, evidence.spans)


_SUBJECT = re.compile(r"[a-z][a-z0-9]*(?:[-.+][a-z0-9]+)*")
_JOINERS = re.compile(r"[-_ ]")


def unnamed(case: PointCase, answer_text: str) -> Finding | None:
    """The point says something of the English name it opens with (its subject, not the question's), the answer never
    names it nor any alias of the point, and each clause of the evidence speaks of another of the question's names:
    the words it shares with the point are said of that one ("LN 是对单个样本做的" against "IN 对单个样本的每个通道在
    空间维上归一化").

    A name said only in a clause that says the candidate does not know it is not named (rule `dont_know_scope`).
    """
    evidence, params = case.evidence, case.params
    if case.listed or evidence.credit < params.partial or evidence.wording.alias:
        return None
    point = evidence.wording.reading
    if case.answer.english != point.english:
        return None
    subject = _opening_name(point.mapped.text)
    named = frozenset(unit for unit, _, _ in units(subject)) if subject else frozenset()
    if not subject or len(subject) < 2 or named & case.question.units or subject in case.question.mapped.text:
        return None
    if len(evidence.wording.weights.keys() - named) < 2:
        return None  # the point is little more than its name
    said = [_JOINERS.sub("", clause.text) for clause in case.answer.clauses if clause.units]
    names = (subject, *(_JOINERS.sub("", read_bank_text(alias, params).mapped.text) for alias in case.aliases))
    if any(_pattern(name).search(text) for name in names if name for text in said):
        return None
    # A clause that opens with no name speaks of the one its sentence opens with ("BN 是在 batch 上做，对每个通道…").
    terms = case.answer.mapped.terms
    for clause in evidence.clauses:
        other = _clause_name(clause, terms) or _clause_name(next(
            first for first in case.answer.clauses if first.sentence == clause.sentence), terms)
        theirs = frozenset(unit for unit, _, _ in units(other)) if other else frozenset()
        if not (theirs - case.question.units - point.units) & case.vocabulary:
            return None
    return Finding("unnamed", case.point_id, -evidence.credit, evidence.spans)


def _clause_name(clause: Clause, terms: tuple[str, ...]) -> str | None:
    """The English name or term (of `terms`, the answer's) a clause opens with, past its connectives, or None."""
    text = clause.text[cues().openers.match(clause.text).end():].lstrip()
    return _opening_name(text) or next((term for term in terms if text.startswith(term)), None)


def _opening_name(text: str) -> str | None:
    """The English name a folded text opens with ("gn 把通道分组…" opens with gn), without hyphens, or None."""
    found = _SUBJECT.match(text.lstrip())
    return _JOINERS.sub("", found.group()) if found else None


_LISTED = re.compile(r"、|/")


def _yes_no_units(question: Reading) -> frozenset[str]:
    """The units of the question's clause that asks yes or no ("Reward 需要可微吗"), empty if it asks none."""
    return frozenset().union(*(clause.units for clause in question.clauses if cues().yes_no.search(clause.text)))


def _answers_asked(clause: Clause, question: Reading, asked: frozenset[str]) -> bool:
    """Tell whether a point clause gives the yes or no the question asks: it is said in the question's words, or it
    denies, of a subject the question names, what the question asks in its words with a verb of having for its 有
    ("LoRA 模块本身不包含激活函数" asked "LoRA 里有没有激活函数")."""
    if not clause.units & asked:
        return False
    if clause.units <= question.units:
        return True
    if not clause.negative or not clause.turned & asked or not (clause.units - clause.turned) & asked:
        return False
    verbs = [match.span() for match in cues().existence.finditer(clause.text)]
    return all(unit in question.units or any(start < end_ and start_ < end for start_, end_ in verbs)
               for unit, start, end in units(clause.text) if unit in clause.turned)


def conclusions(question: Reading, points: tuple[str, ...], params: Parameters) -> tuple[bool | None, ...]:
    """Whether each point answers the question's yes or no no (True) or yes (False), None for a point that does
    not: a point clause said only in the question's words ("Reward 不需要可微", "不一定") answers it. A reference
    whose points answer both ways (some encodings are learned, some are not) answers with neither, nor does one to a
    question on several things ("在单链表、双链表和循环单链表中…能否删去"), which has a yes or no for each."""
    asked = _yes_no_units(question)
    if not asked or _LISTED.search(question.mapped.text) or cues().comparison.search(question.mapped.text):
        return (None,) * len(points)
    found = []
    for text in points:
        reading = read_bank_text(text, params)
        said = {clause.negative for clause in reading.clauses
                if _answers_asked(clause, question, asked) and not clause.conditional
                and not reading.mapped.text.startswith(":", clause.end)}
        found.append(said.pop() if len(said) == 1 else None)
    return tuple(found) if {f for f in found if f is not None} == {True} else (None,) * len(points)


def _yes_no_opening(case: PointCase) -> Clause | None:
    """The answer's first clause past any question it asks back ("Reward 需要可微吗？我觉得不需要"), when it says the
    yes or no of a point that answers the question (`conclusions`): it says the question's words, unconditionally,
    and no term the question and its points do not use ("损失函数一般要可微" speaks of something else)."""
    if case.concludes is None:
        return None
    text = case.answer.mapped.text
    said = next((clause for clause in case.answer.clauses if not cues().yes_no.search(clause.text)
                 and not text.startswith(("?", ":"), clause.end)), None)
    if said is None or said.conditional or said.prevents:
        return None
    # A clause that is only a negation ("没有。", "不需要吧") says no to the question's own words; "没错" is no such.
    bare = not said.units and cues().negation.fullmatch(said.text.strip().rstrip("吧啊呀呢的了"))
    if not said.units & _yes_no_units(case.question) and not bare:
        return None
    foreign = frozenset(unit for term in case.answer.mapped.terms if term in said.text
                        for unit, _, _ in units(term)) - case.vocabulary
    return None if foreign else said


def answered_otherwise(case: PointCase, answer_text: str) -> Finding | None:
    """The answer opens with the yes or no the point does not give: "必须可微" against "Reward 不需要可微", asked
    "Reward 需要可微吗"."""
    said = _yes_no_opening(case)
    if said is None or said.negative == case.concludes:
        return None
    return _contradicts("answered_otherwise", case, (case.answer.mapped.span(said.start, said.end),), answer_text)


def answered_alike(case: PointCase, answer_text: str) -> Finding | None:
    """The answer opens with the yes or no the point ends with: "不需要可微吧" states "在标准 RL 框架中，Reward 不需要
    可微", asked "Reward 需要可微吗", though the question's words it is said in are no evidence: the point earns
    `alike_credit` (partial, its other words go unsaid). A point that gives the yes or no along the way
    ("举例：围棋的胜负奖励是离散的，不可微，但依然能驱动 AlphaGo 学习") claims more than it."""
    if case.evidence.credit >= case.params.alike_credit:
        return None
    said = _yes_no_opening(case)
    if said is None or said.negative != case.concludes:
        return None
    last = read_bank_text(case.point_text, case.params).clauses[-1]
    if not _answers_asked(last, case.question, _yes_no_units(case.question)):
        return None
    return Finding("answered_alike", case.point_id, case.params.alike_credit - case.evidence.credit,
                   (case.answer.mapped.span(said.start, said.end),))


PointRule = Callable[[PointCase, str], Finding | None]
# Contradiction rules that read the answer their own way, not through `contradiction_rule`'s clause pairs.
_STANDALONE_CONTRADICTIONS: dict[str, PointRule] = {
    "answered_otherwise": answered_otherwise,
    "swapped_subjects": swapped_subjects,
    "swapped_within": swapped_within,
    "swapped_sources": swapped_sources,
    "reversed_order": reversed_order,
    "reversed_comparison": reversed_comparison,
    "wrong_complexity": wrong_complexity,
    "wrong_member": wrong_member,
    "promoted": promoted,
}
POINT_RULES: dict[str, PointRule] = {
    **{name: contradiction_rule(name) for name in _CONTRADICTIONS},
    **_STANDALONE_CONTRADICTIONS,
    "listed_not_stated": listed_not_stated,
    "said_otherwise": said_otherwise,
    "shared_only": shared_only,
    "number_unsaid": number_unsaid,
    "named_only": named_only,
    "named_bare": named_bare,
    "named_in_list": named_in_list,
    "unnamed": unnamed,
    "answered_alike": answered_alike,
}
# The contradiction rules that read a negation cue: in a bare keyword list a cue belongs to its keyword ("非对称").
NEGATION_RULES = frozenset({"negated", "denied", "dismissed", "negated_topic", "replaced", "negated_predicate",
                            "negated_copula", "negated_modal"})
# The point rules whose findings mark a point contradicted (and say why); the others lower or raise its credit.
CONTRADICTION_RULES = frozenset({*_CONTRADICTIONS, *_STANDALONE_CONTRADICTIONS})


_HEADING_LABEL = re.compile(r"^[^,;:]{1,12}:\s*")
_CLAUSE_MARK = re.compile(r"[,;:!?]|\.(?!\d)")


def asks(text: str, params: Parameters) -> bool:
    """Tell whether a point is the question its section answers ("问题：如何对 3 个二进制特征 … 做 tokenizer 处理？"):
    as a title it says nothing, and any answer to the question asked names the words it shares with it (rule
    `asked_heading`)."""
    return params.enabled("asked_heading") and normalize_text(text).rstrip().endswith("?")


@lru_cache(maxsize=1024)
def heading_subject(text: str, params: Parameters) -> str | None:
    """What a point that is only a section title names ("与交叉熵的关系": 交叉熵), or None when it says something.

    Imported banks keep their headings as points ("GPU 分区的思路", "1) 背景：为什么需要重要性采样"); an interviewer
    credits one when the answer states what its section does, so its verdict follows the answer's best-stated point
    (rule `heading`, in `scoring.grade`).
    """
    title = _HEADING_LABEL.sub("", normalize_text(core_claim(strip_filler(text))).strip(" ."), count=1)
    if asks(text, params):
        title = title.rstrip("? ")
    if len(title) > params.heading_chars or _CLAUSE_MARK.search(title):
        return None
    subject = cues().headings.sub(" ", title)
    return normalize_for_matching(subject).text.strip() if subject != title else None


@lru_cache(maxsize=1024)  # read per point of each grade; the point and the question come from the bank
def asked_name(text: str, question: frozenset[str], params: Parameters) -> str | None:
    """The name a point gives with its English expansion and nothing else, when the question asks about it
    ("2) 单向掩码（Unidirectional / Causal Mask）" asked how one- and two-way masks differ), or None.

    Such a point is a bullet label of its section: its words are the question's, which never count as evidence, so it
    takes the verdict of the answer's best-stated point like a title (rules `asked_name` and `heading`)."""
    name = bare_name(strip_filler(text)) if params.enabled("asked_name") else ""
    folded = normalize_for_matching(name).text.strip()
    return folded if folded and {unit for unit, _, _ in units(folded)} <= question else None


# --- Stage 4: answer rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerCase:
    """What an answer rule looks at: the answer, the question, the points' verdicts and the score so far."""

    answer: Reading
    answer_text: str
    question: Reading
    expected: frozenset[str]  # units of the question and of every point
    contradicted_share: float  # weight share of the contradicted points
    covered_share: float  # weight share of the points hit, partial or contradicted
    contradicted_spans: tuple[tuple[int, int], ...]
    listed: bool
    params: Parameters
    partial_share: float = 0.0  # share of the earned credit that partial points earn
    hits: int = 0  # points hit
    contradictions: int = 0  # points contradicted


def contradiction(case: AnswerCase, score: float) -> Finding | None:
    """Saying false things costs more than saying nothing: the score loses the share of what the answer says about
    the points that is false, and each contradicted point part of its weight besides."""
    if not case.contradicted_share:
        return None
    false_share = case.contradicted_share / case.covered_share
    effect = score * false_share + 100 * case.params.contradiction_penalty * case.contradicted_share
    return Finding("contradiction", None, -min(score, effect), case.contradicted_spans)


def doubted(case: AnswerCase, score: float) -> Finding | None:
    """An answer that contradicts as many points as it hits earns part of its partial points' credit: a fluent wrong
    answer says many points' words without their claims, where one slip in a right answer leaves its other points hit
    and its partial points as said as they are."""
    if not case.contradicted_share or not case.partial_share or case.hits > case.contradictions:
        return None
    return Finding("doubted", None, -score * case.partial_share * (1 - case.params.doubted_partial_factor), ())


def keyword_list(case: AnswerCase, score: float) -> Finding | None:
    """A bare list of terms names things without saying anything about them."""
    if not case.listed:
        return None
    return Finding("keyword_list", None, -score * (1 - case.params.keywords_factor), ((0, len(case.answer_text)),))


def rambling(case: AnswerCase, score: float) -> Finding | None:
    """Most of a long answer speaks of something other than the question."""
    if case.listed or len(case.answer.sentence_units) < 2:
        return None
    share, spans = _relevant_share(case)
    if share >= case.params.relevant_share:
        return None
    return Finding("rambling", None, -score * (1 - case.params.rambling_factor), spans)


AnswerRule = Callable[[AnswerCase, float], Finding | None]
ANSWER_RULES: dict[str, AnswerRule] = {
    "doubted": doubted,
    "contradiction": contradiction,
    "keyword_list": keyword_list,
    "rambling": rambling,
}


def _relevant_share(case: AnswerCase) -> tuple[float, tuple[tuple[int, int], ...]]:
    """Share of the answer's weight in sentences on the question or its points, and the spans of those off it."""
    answer = case.answer
    weights, unseen = idf_table()
    expected = case.expected
    mass = [(fsum(map(weights.get, found, repeat(unseen))), fsum(map(weights.get, found & expected, repeat(unseen))))
            for found in answer.sentence_units]
    total = sum(all_ for all_, _ in mass)
    on = [on_ >= case.params.sentence_on_topic * all_ for all_, on_ in mass]
    bounds: dict[int, tuple[int, int]] = {}
    for clause in answer.clauses:
        first = bounds.get(clause.sentence, (clause.start, clause.end))[0]
        bounds[clause.sentence] = (first, clause.end)
    spans = [answer.mapped.span(*bounds[number]) for number, relevant in enumerate(on)
             if not relevant and number in bounds]
    share = sum(all_ for (all_, _), relevant in zip(mass, on, strict=True) if relevant) / total if total else 0.0
    return share, tuple(spans)


# --- Gates: answers with nothing to grade ---------------------------------------------------------------------

# An ellipsis between terms spans a range ("t+1…t+k", folded to "..."); it ends no statement.
_ELLIPSIS = re.compile(r"\.{2,}")
_STATEMENT_END = re.compile(r"[!?]|(?<![a-z0-9_])\.|\.(?![a-z0-9_])")
# Term groups parted by semicolons ("稠密奖励：PRM、收敛快；稀疏奖励：ORM、探索难") part their items with "、";
# a comma between semicolons parts clauses. Folding writes both as ",", so this reads the answer as typed.
_ENUMERATION = re.compile(r"、")
_CLAUSE_COMMA = re.compile(r"[，,]")
# A comma inside brackets parts a formula's arguments ("U(0,1)", "min(d,k)", "[-128,127]"), not clauses.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|（[^（）]*）")
_FUNCTION = re.compile(
    r"的|是|了|在|会|能|可以|因为|所以|导致|使|让|通过|把|被|对|就|而|也|需要|用于|如果|则|时|将|比|更"
    r"|\b(?:is|are|was|be|the|a|an|to|of|because|so|can|will|which|that|by|when|if|it|makes?|uses?)\b"
)
_PUNCTUATION_OR_SPACE = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _unsayable() -> re.Pattern[str]:
    """A letter, digit or character no "I don't know" phrase or particle holds: such an answer says something else."""
    every = cues()
    held = "".join(sorted(set("".join(every.dont_know + every.particles))))
    return re.compile(rf"[^\W_{re.escape(held)}]")


def says_dont_know(folded: str) -> bool:
    """Tell whether the whole answer is "I don't know", with nothing around it but particles and punctuation."""
    if _unsayable().search(folded):
        return False  # no replacement below can take that character away: a cheap answer for long answers
    every = cues()
    rest = folded
    found = False
    for phrase in every.dont_know:
        if phrase in rest:
            found = True
            rest = rest.replace(phrase, " ")
    if not found:
        return False
    for particle in every.particles:
        rest = rest.replace(particle, " ")
    return not _PUNCTUATION_OR_SPACE.sub("", rest)


_WORD = re.compile(r"[a-z][a-z0-9_]*(?:[-'][a-z0-9_]+)*")
# What parts a list's terms; a slash or plus beside a digit or bracket is a formula's ("n/2", "(2n+1)/3").
_LIST_SEPARATOR = re.compile(r"[,;.!?\n|]+|(?<![\d()])[/+]+(?![\d()])")


def is_keyword_list(text: str, names_as_words: bool = True, typed: str = "") -> bool:
    """Tell whether folded `text` is a bare list of terms rather than statements.

    In Chinese text an English name is one word however long it is ("bradley-terry", "decoder-only"), unless
    `names_as_words` is off (the reference's points, whose names are a statement's subjects). `typed`, the text
    before folding, tells groups of terms parted by semicolons from clauses; without it a semicolon ends a clause."""
    body = _ELLIPSIS.sub("~", text).rstrip(".;!?\n~ ")
    grouped = bool(_ENUMERATION.search(typed)) and not _CLAUSE_COMMA.search(_BRACKETED.sub("", typed))
    if _STATEMENT_END.search(body) or (";" in body and not grouped):
        return False
    chinese = sum(map(is_cjk, text)) >= sum(char.isascii() and char.isalpha() for char in text)
    fragments = [f.strip() for f in _LIST_SEPARATOR.split(text) if f.strip()]
    if len(fragments) < 3:
        # A list may part its terms with spaces alone; but spaces also sit inside Chinese clauses, around English
        # names, and a clause is long and has function words or a comma ("常由 RM 初始化并参与训练，估计每个 token
        # 的价值"). (English prose is told apart before this.)
        fragments = text.split()
        if any(len(fragment) >= 8 and (_FUNCTION.search(fragment) or "," in fragment)
               for fragment in fragments if chinese):
            return False
    if len(fragments) < 3:
        return False
    lengths = [len(_WORD.sub("xx", f) if names_as_words else f) if chinese else len(f.split()) * 3 for f in fragments]
    statements = [f for f, n in zip(fragments, lengths, strict=True) if n >= 8 and _FUNCTION.search(f)]
    return len(statements) * 4 < len(fragments) and sum(lengths) / len(fragments) < 8
