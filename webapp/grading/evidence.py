"""Stage 2, evidence: for each key point, the window of the answer that states it best, and how much of it."""

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from math import fsum
from operator import attrgetter

from rapidfuzz import fuzz

from webapp.grading.keypoints import core_claim, label_name, labelled_claim, meaningful, numbered, strip_filler
from webapp.grading.params import Parameters
from webapp.grading.profiles import cues, function_chars
from webapp.grading.text import Clause, Reading, read_bank_text
from webapp.grading.units import idf, is_cjk, is_known, units

_SENTENCE = attrgetter("sentence")
# A LaTeX command of a bank's formula ("\text{RoPE}", "\frac", "\theta") is no word an answer says: it writes θ,
# which is no unit, and "text" folds to 文本. Operator names ("\log") it does say (rule `formula_markup`), and a root
# stays the √ it writes, which a big-O complexity is read with ("O(n\sqrt{n})" is "O(n√n)").
_FORMULA_MARKUP = re.compile(r"\\(?!(?:log|exp|ln|max|min|sin|cos|tan|arg|det|lim|sup|inf)\b)[A-Za-z]+")
# A counted list's items are parted by 、, a semicolon or a full stop, each without its own label ("优点——运费低").
_ITEM_SEPARATOR = re.compile(r"[、；;。]")
_ITEM_LABEL = re.compile(r"^.*(?:——|：|:)")
# A bracketed aside that itself lists gives examples ("生成式任务（对话、代码、写作）"); one that does not names the
# item another way ("连接层（projector）"). An item with a comma is a clause.
_BRACKETED = re.compile(r"（[^）]*[、；;][^）]*）|\([^)]*[、；;][^)]*\)")
_COMMA = re.compile(r"[，,]")


@dataclass(frozen=True)
class Wording:
    """One wording of a point, its text or an alias, with the weight of each unit the question does not give away."""

    reading: Reading
    weights: dict[str, float]
    total: float
    covering: dict[str, float]  # the weights coverage counts: a bigram straddling two words weighs little
    covered_total: float
    joined: dict[str, float]  # what a join (rule `straddling`) weighs beyond `covering` when the answer says it
    saturation: float
    term_weights: dict[str, float]
    alias: bool
    topic: frozenset[str]  # units of the wording most of the question's points share
    bridges: tuple[tuple[str, str, str], ...]  # (bigram, the bigram before it, the one after it), rule `bridged`
    items: tuple[frozenset[str], ...]  # the units of each item of a counted list (rule `enumeration`)


@dataclass(frozen=True)
class Evidence:
    """Where and how well the answer states one wording of a point."""

    wording: Wording
    credit: float
    matched: frozenset[str]
    clauses: tuple[Clause, ...]  # the answer's clauses in the window that carry matched units
    spans: tuple[tuple[int, int], ...]  # in the answer as typed
    bridged: bool = False  # the credit is partial only through where the point's words meet (rule `bridged`)


def _wording(text: str, question_units: frozenset[str], topic: frozenset[str], alias: bool,
             params: Parameters, listing: bool = False) -> Wording:
    if params.enabled("formula_markup"):
        text = _FORMULA_MARKUP.sub(lambda command: "√" if command.group() == "\\sqrt" else " ", text)
    reading = read_bank_text(strip_filler(text), params)
    content = frozenset().union(*(clause.units for clause in reading.clauses))
    # Evidence never rests on words the question gives away, unless the point says nothing else.
    # Sorted, so that sums and ties come out the same in every process, whatever its string hash seed.
    ordered = sorted(content)
    novel = {unit: idf(unit) for unit in ordered if unit not in question_units} or {unit: idf(unit) for unit in ordered}
    terms = {unit: weight for term in reading.mapped.terms for unit, _, _ in units(term)
             if (weight := novel.get(unit))}
    saturation = min(params.saturation_cap, max(params.saturation, params.short_point_units / max(len(novel), 1)))
    items = _item_units(_listed_items(text, params), novel, params) if listing else ()
    covering, joined = _covering(novel, reading.mapped.text, params)
    return Wording(reading, novel, sum(novel.values()), covering, sum(covering.values()), joined, saturation, terms,
                   alias, topic & novel.keys(),
                   _bridges(reading.mapped.text, novel)
                   if params.enabled("bridged") and len(novel) >= params.bridge_min_units else (), items)


def _listed_items(text: str, params: Parameters) -> list[str]:
    """The items of a claim that lists at least three short ones ("库存成本的构成：订货成本、保管成本、缺货成本",
    "优点——运费低、可靠性高。缺点——产品单一"), or none; none of a list of examples ("比如网页、代码、书籍等"),
    which an answer states by naming two."""
    body = _BRACKETED.sub("", text.partition("：")[2] or text.partition(":")[2] or _after_opener(text))
    items = [item for item in (_ITEM_LABEL.sub("", item) for item in _ITEM_SEPARATOR.split(body)) if item.strip()]
    if items:
        items[-1] = cues().list_closer.sub("", items[-1])
    if (len(items) < 3 or not all(2 <= meaningful(item) <= params.item_chars and not _COMMA.search(item)
                                  for item in items) or cues().examples.search(body.lower())):
        return []
    return items


def _after_opener(text: str) -> str:
    """What follows the last word opening a list ("包括", "由") before the first item separator, or ""."""
    first = _ITEM_SEPARATOR.search(text)
    openers = list(cues().list_opener.finditer(text, 0, first.start())) if first else []
    return text[openers[-1].end():] if openers else ""


def _item_units(items: list[str], weights: dict[str, float], params: Parameters) -> tuple[frozenset[str], ...]:
    """The weighted units of each listed item but those most items share: "原则" of "战略性原则；适应性原则；…" names
    the list, and an answer naming another 原则 names none of its items."""
    found = [frozenset(read_bank_text(item, params).units & weights.keys()) for item in items]
    shared = _repeated(found, len(found) // 2 + 1)
    return tuple(own for units_ in found if (own := units_ - shared))


def _repeated(unit_sets: list[frozenset[str]], least: float) -> frozenset[str]:
    """The units at least `least` of the sets hold."""
    counts = Counter(unit for unit_set in unit_sets for unit in unit_set)
    return frozenset(unit for unit, count in counts.items() if count >= least)


def _covering(weights: dict[str, float], text: str, params: Parameters) -> tuple[dict[str, float], dict[str, float]]:
    """The weights coverage counts, and what a join weighs beyond that when the answer says it.

    A bigram the IDF table never saw that holds a function character straddles two words ("益与", "了该") and weighs at
    most `straddle_idf`, not as a rare word, so it does not dilute the point. On a long point so does one between two
    seen bigrams ("核心机制" 心机, "缓慢甚至" 慢甚), though said as the point words it, it counts in full: the answer
    follows the point's own wording there.
    """
    if not params.enabled("straddling"):
        return weights, {}
    joining = function_chars()
    covering = {unit: min(weight, params.straddle_idf)
                if len(unit) == 2 and not is_known(unit) and (unit[0] in joining or unit[1] in joining) else weight
                for unit, weight in weights.items()}
    if len(weights) < params.join_min_units:
        return covering, {}
    joined = {unit: covering[unit] - params.straddle_idf for unit in _joins(text)
              if covering.get(unit, 0.0) > params.straddle_idf}
    return {unit: weight - joined.get(unit, 0.0) for unit, weight in covering.items()}, joined


def _runs(text: str) -> Iterator[tuple[str, str, str]]:
    """Each Chinese bigram of `text` between the two bigrams of its run that share a character with it, as (bigram,
    the one before, the one after): where two words may meet."""
    found = units(text)
    for i in range(1, len(found) - 1):
        (before, *before_span), (unit, start, end), (after, *after_span) = found[i - 1:i + 2]
        if (end - start == 2 and is_cjk(unit[0]) and before_span == [start - 1, start + 1]
                and after_span == [start + 1, end + 1]):
            yield unit, before, after


@lru_cache(maxsize=2048)
def _joins(text: str) -> frozenset[str]:
    """The unseen bigrams of `text` between two seen ones of their run."""
    return frozenset(unit for unit, before, after in _runs(text)
                     if not is_known(unit) and is_known(before) and is_known(after))


def _bridges(text: str, weights: dict[str, float]) -> tuple[tuple[str, str, str], ...]:
    """Each weighted bigram of `text` between two other weighted bigrams of its run: where two words may meet."""
    return tuple(sorted({(unit, before, after) for unit, before, after in _runs(text)
                         if unit in weights and before in weights and after in weights}))


@lru_cache(maxsize=2048)
def wordings(text: str, aliases: tuple[str, ...], question_units: frozenset[str], topic: frozenset[str],
             params: Parameters, listing: bool = False) -> tuple[Wording, ...]:
    """Read a point's text, its core claim and its aliases once per question (all come from the bank).

    An imported bank's point may keep the heading it came from ("约束方式：…", "PPO (Proximal Policy Optimization)"):
    its core claim, read as a wording of its own (rule `core_claim`), is not diluted by the heading's words; nor is a
    short claim after a bold label the bank kept, or any after a numbered section's title (rule `label_claim`).
    To a question that asks for a list (`listing`), a point listing short items is a count: each item a claim of
    its own, so half the list is half the point (rule `enumeration`).
    """
    found = [_wording(text, question_units, topic, False, params, listing)]
    plain = strip_filler(text)
    core = core_claim(plain)
    if params.enabled("core_claim") and core != plain:
        wording = _wording(core, question_units, topic, False, params)
        # A core that only names what the question asks about ("PPO") states nothing of it.
        if not wording.weights.keys() <= question_units:
            found.append(wording)
    claim = labelled_claim(core) if params.enabled("label_claim") else ""
    if claim:
        # A short claim after a label ("连续特征的处理方式：分桶") is drowned by it; a long one stands beside it, except
        # after a numbered section's title ("1. 算法层面优化：混合精度训练…"), which an answer stating it never says.
        wording = _wording(claim, question_units, topic, False, params)
        if (len(wording.weights) <= params.short_point_units or numbered(plain)) and not (
                wording.weights.keys() <= question_units):
            found.append(wording)
    found.extend(_wording(alias, question_units, topic, True, params) for alias in aliases)
    return tuple(wording for wording in found if wording.total)


@lru_cache(maxsize=1024)
def topic_units(point_texts: tuple[str, ...], params: Parameters) -> frozenset[str]:
    """Units most of a question's points repeat: the topic, on which alone no point rests.

    Asked how encoder and decoder interact, "注意力" sits in every point; an answer that says "attention" has
    stated none of them.
    """
    if len(point_texts) < params.topic_min_points:
        return frozenset()
    return _repeated([read_bank_text(strip_filler(text), params).units for text in point_texts],
                     max(2, params.topic_share * len(point_texts)))


def _windows(answer: Reading, wording: Wording, size: int) -> list[tuple[int, int]]:
    """The windows of `size` sentences around the sentences that carry the most of the wording."""
    mass: dict[int, float] = {}
    for unit, weight in wording.weights.items():
        for sentence in answer.unit_sentences.get(unit, ()):
            mass[sentence] = mass.get(sentence, 0.0) + weight
    last = len(answer.sentence_units)
    out = set()
    for sentence in sorted(mass, key=lambda number: (-mass[number], number))[:3]:
        for first in range(max(0, sentence - size + 1), sentence + 1):
            out.add((first, min(last, first + size)))
    return sorted(out)


def _raw(coverage: float, closeness: float, params: Parameters) -> float:
    return coverage * (1 - params.fuzzy_share) + params.fuzzy_share * coverage ** 0.5 * closeness


def _credit(answer: Reading, wording: Wording, matched: frozenset[str], window: str,
            params: Parameters) -> tuple[float, bool]:
    """The credit a window earns, and whether it reaches partial only through the point's word joins."""
    said = fsum(wording.joined.get(unit, 0.0) for unit in matched)
    coverage = (fsum(wording.covering[unit] for unit in matched) + said) / (wording.covered_total + said)
    if wording.items:  # each item counts the same, however many words it takes; half of an item's weight says it
        coverage = fsum(min(1.0, fsum(wording.weights[unit] for unit in item & matched)
                            / fsum(map(wording.weights.get, item)) / params.item_share)
                        for item in wording.items) / len(wording.items)
    if wording.alias and coverage < params.alias_coverage and params.enabled("alias_part"):
        # An alias is a wording of its own: one word of it ("注意力" of "full 注意力 at 推理") does not say it.
        return 0.0, False
    alignment = fuzz.partial_ratio_alignment(wording.reading.mapped.text, window) if coverage else None
    closeness = alignment.score / 100 if alignment else 0.0
    # A counted list's credit is the share of its items said, whatever their wording's order.
    credit = coverage if wording.items else min(1.0, _raw(coverage, closeness, params) / wording.saturation)
    bridged = False
    if credit < params.partial and wording.bridges:
        # A bigram where two of the point's words meet ("权重矩阵" 重矩) is said when both words are: counted, it may
        # make a missed point partial, never more (rule `bridged`).
        joins = fsum(wording.covering[unit] for unit, before, after in wording.bridges
                     if unit not in matched and before in matched and after in matched) / wording.covered_total
        bridged = _raw(coverage + joins, closeness, params) >= params.partial * wording.saturation
        credit = params.partial if bridged else credit
    if answer.english != wording.reading.english and wording.term_weights:
        # Across languages only the term table's words can match, so measure coverage of those alone.
        terms = fsum(weight for unit, weight in wording.term_weights.items() if unit in matched)
        credit = max(credit, min(1.0, terms / sum(wording.term_weights.values()) / params.term_saturation))
    if len(matched) < params.min_hit_units <= len(wording.weights):
        # One rare word is not a statement of a point that has more to it.
        credit = min(credit, params.alias_name_credit)
    if wording.alias and len(wording.weights) < params.alias_phrase_units:
        # A bare name among the aliases ("state_dict") names the point; only a phrase says it.
        credit = min(credit, params.alias_name_credit)
    return credit, bridged and credit == params.partial


def find(answer: Reading, wording: Wording, params: Parameters) -> Evidence | None:
    """Find the window of the answer that states `wording` best, or None when it shares nothing with it.

    Credit saturates, so among windows of equal credit the one that says more of the point, then the shorter, wins.
    """
    best: tuple[float, float, int, tuple[int, int], frozenset[str], bool] | None = None
    # A counted list is said in its items' words; the lead-in's ("显存主要由") back no item.
    said = frozenset().union(*wording.items) if wording.items else wording.weights
    for first, end in _windows(answer, wording, params.window_sentences):
        seen = frozenset().union(*answer.sentence_units[first:end])
        matched = frozenset(filter(seen.__contains__, said))
        if matched <= wording.topic:
            continue
        window = _window_text(answer, first, end)
        mass = fsum(wording.weights[unit] for unit in matched)
        credit, bridged = _credit(answer, wording, matched, window, params)
        candidate = (credit, mass, first - end, (first, end), matched, bridged)
        if best is None or candidate[:3] > best[:3]:
            best = candidate
    if best is None:
        return None
    credit, _, _, (first, end), matched, bridged = best
    # Evidence stays on the sentences that carry the point, not on one that shares a word with it.
    mass = {number: fsum(wording.weights[unit] for unit in matched & answer.sentence_units[number])
            for number in range(first, end)}
    carrying = {number for number, weight in mass.items() if weight >= 0.5 * max(mass.values())}
    clauses = tuple(clause for clause in _sentences(answer, first, end)
                    if clause.sentence in carrying and clause.units & matched)
    spans = sorted(span for unit in matched for span in _occurrences(answer, unit, clauses)
                   if any(clause.start <= span[0] < clause.end for clause in clauses))
    return Evidence(wording, credit, matched, clauses,
                    tuple(answer.mapped.span(start, end_) for start, end_ in _merge(spans)), bridged)


def _sentences(answer: Reading, first: int, end: int) -> tuple[Clause, ...]:
    """The answer's clauses in sentences `first` to `end` (clauses come in sentence order)."""
    lo = bisect.bisect_left(answer.clauses, first, key=_SENTENCE)
    return answer.clauses[lo:bisect.bisect_left(answer.clauses, end, lo, key=_SENTENCE)]


def _occurrences(answer: Reading, unit: str, clauses: tuple[Clause, ...]) -> list[tuple[int, int]]:
    """The occurrences of `unit` (in order) that start between the first of `clauses` and the end of the last."""
    if not clauses:
        return []
    spans = answer.occurrences[unit]
    lo = bisect.bisect_left(spans, (clauses[0].start,))
    return spans[lo:bisect.bisect_left(spans, (clauses[-1].end,), lo)]


def _window_text(answer: Reading, first: int, end: int) -> str:
    inside = _sentences(answer, first, end)
    return answer.mapped.text[inside[0].start:inside[-1].end] if inside else ""


def best_evidence(answer: Reading, found: tuple[Wording, ...], params: Parameters) -> Evidence | None:
    """The evidence of whichever wording of a point the answer states best."""
    candidates = [evidence for wording in found if (evidence := find(answer, wording, params))]
    return max(candidates, key=lambda evidence: evidence.credit, default=None)


@lru_cache(maxsize=2048)
def label_units(text: str, params: Parameters) -> frozenset[str]:
    """The units of the subject a point's bold label names (`keypoints.label_name`), read once (it comes from the
    bank)."""
    name = label_name(core_claim(strip_filler(text)))
    return read_bank_text(name, params).units if name else frozenset()


def with_named_clauses(evidence: Evidence, answer: Reading, label: frozenset[str]) -> Evidence:
    """The evidence with every answer clause outside its window that names the point's labelled subject (`label`, of
    which the units the point weighs), so the point is read against what the answer says of that subject anywhere
    (rule `label_named`): "自我偏好是不存在的" denies "自我偏好：裁判倾向于给自己…打高分" where another sentence
    carries more of the point's words."""
    named = label & evidence.wording.weights.keys()
    if not named:
        return evidence
    inside = set(evidence.clauses)
    extra = [clause for clause in answer.clauses if clause not in inside and named <= clause.units]
    if not extra:
        return evidence
    return replace(evidence, clauses=tuple(sorted((*evidence.clauses, *extra), key=attrgetter("start"))),
                   matched=evidence.matched | named)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
