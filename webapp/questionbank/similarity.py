"""Link distinct questions that ask the same thing in other words, by the field's concepts they share.

A question and its answer are reduced to concepts: the canonical forms of the grader's bilingual term
table (so scale/scaling/缩放, LayerNorm/层归一化, 复读/重复输出 become one concept) and the remaining
English words, each weighted by the rarest of its units in the grader's IDF table. Two questions are
compared by the cosine of their concept vectors, question concepts counted at half the weight of the
answer's: authors phrase the same question differently, but their answers name the same concepts.

Measured with the grader's tables of 24 Nov (commit e432a0e), the six cross-author paraphrases in the
seeds score: Q/K different weights 0.81, multi-head 0.78, LoRA efficiency 0.77, LayerNorm vs BatchNorm
0.54, repetitive output 0.30, √d scaling 0.26. The highest other pairs score 0.58 (002 RLHF losses vs
003 PPO models), 0.55 and 0.53 (both within 004) across the seeds, and 0.68 (RMSNorm vs LayerNorm),
0.64 and 0.63 (near-duplicates within one corpus file) across seeds and corpus. Pairs link at 0.70,
in the gap: three of the six seed pairs and nothing else. LayerNorm vs BatchNorm sits below two
unrelated pairs, and √d scaling and repetitive output (one side a one-line question or answer) below
about sixty; no bag-of-units measure tried separates them (IDF cosine over the grader's character
bigrams, question-weighted: 0.23 / 0.14 / 0.17 against 0.42 for the best non-pair).

Question-level containment was measured as a second signal (25 Nov): every concept of the shorter
question, generic words (为什么, 什么, 模型, LLM, 问题, 区别, 作用) left out, found in the longer question,
with the cosine above as a floor. It holds for √d scaling (0.26) and repetitive output (0.30) but not
for LayerNorm vs BatchNorm (NLP is named only in the other answer); at a 0.26 floor it also holds for
13 other pairs in the seeds (best 0.55, 数据集构建比例 vs 筛选高质量数据集) and 80 with the corpus (best
0.60). Allowing the longer question's answer as well catches all three at a cost of 28 and 260 other
pairs; so does no cross measure (question A's concepts covered by answer B and back: 0.00 for √d
scaling and multi-head). Having no honest automatic rule for them, the known paraphrases are listed in
data/similar.toml and linked in addition to the measured ones.
"""

import math
import re
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

from webapp.grading.normalize import default_terms, normalize_for_matching
from webapp.grading.units import ENGLISH_STOP_WORDS, idf, is_cjk, stem, units
from webapp.questionbank.dedupe import comparison_form
from webapp.questionbank.model import SimilarPair

LISTED_PAIRS_FILE = Path(__file__).parent / "data" / "similar.toml"
SIMILAR_SCORE = 0.70
QUESTION_SHARE = 0.5

Vector = dict[str, float]


def concept_vector(question: str, answer: str) -> Vector:
    """Weight the concepts of a question and its answer, normalized to unit length."""
    weights: dict[str, float] = defaultdict(float)
    for concept in _concepts(question):
        weights[concept] += QUESTION_SHARE * _weight(concept)
    for concept in _concepts(answer):
        weights[concept] += _weight(concept)
    length = math.sqrt(sum(w * w for w in weights.values()))
    return {concept: w / length for concept, w in weights.items() if w} if length else {}


def similar_pairs(questions: dict[str, tuple[str, str]]) -> list[SimilarPair]:
    """Link distinct questions (key -> (question, answer)) that are measured or listed as paraphrases."""
    pairs = {(pair.key_a, pair.key_b): pair for pair in listed_pairs(questions)}
    pairs.update(((pair.key_a, pair.key_b), pair) for pair in measured_pairs(questions))
    return [pairs[keys] for keys in sorted(pairs)]


def listed_pairs(questions: dict[str, tuple[str, str]]) -> list[SimilarPair]:
    """Link the pairs of data/similar.toml whose two questions are both in `questions`."""
    keys_by_form = {comparison_form(question): key for key, (question, _) in questions.items()}
    pairs = []
    for first, second in _listed_forms():
        if first in keys_by_form and second in keys_by_form and keys_by_form[first] != keys_by_form[second]:
            key_a, key_b = sorted((keys_by_form[first], keys_by_form[second]))
            score = _cosine(concept_vector(*questions[key_a]), concept_vector(*questions[key_b]))
            pairs.append(SimilarPair(key_a, key_b, round(score, 2)))
    return pairs


def measured_pairs(questions: dict[str, tuple[str, str]]) -> list[SimilarPair]:
    """Link distinct questions whose concept vectors score at least SIMILAR_SCORE."""
    keys = sorted(questions)
    vectors = [concept_vector(*questions[key]) for key in keys]
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for concept, weight in vector.items():
            postings[concept].append((index, weight))
    pairs = []
    for a, vector in enumerate(vectors):
        dots: dict[int, float] = defaultdict(float)
        for concept, weight in vector.items():
            for b, other in postings[concept]:
                if b > a:
                    dots[b] += weight * other
        pairs.extend(SimilarPair(keys[a], keys[b], round(score, 2))
                     for b, score in sorted(dots.items()) if score >= SIMILAR_SCORE)
    return pairs


def _cosine(first: Vector, second: Vector) -> float:
    """Score two unit concept vectors by their dot product."""
    return sum(weight * second.get(concept, 0.0) for concept, weight in first.items())


@cache
def _listed_forms() -> tuple[tuple[str, str], ...]:
    """Read the listed paraphrase pairs, each question reduced to its comparison form."""
    with LISTED_PAIRS_FILE.open("rb") as handle:
        entries = tomllib.load(handle)["pair"]
    return tuple((comparison_form(entry["questions"][0]), comparison_form(entry["questions"][1]))
                 for entry in entries)


def _concepts(text: str) -> set[str]:
    """Find the term-table concepts and the English words of `text` after bilingual folding."""
    found = set()
    for match in _concept_pattern().finditer(normalize_for_matching(text).text):
        concept = match.group()
        if concept.isascii():
            if concept in ENGLISH_STOP_WORDS or concept.isdigit():
                continue
            concept = stem(concept)
        found.add(concept)
    return found


@cache
def _weight(concept: str) -> float:
    """Weight a concept by the rarest of its units."""
    return max((idf(unit) for unit, _, _ in units(concept)), default=0.0)


@cache
def _concept_pattern() -> re.Pattern[str]:
    """Match the Chinese canonical terms of the grader's term table, longest first, or an English word."""
    terms = (canonical for canonical in default_terms().canonicals if any(map(is_cjk, canonical)))
    alternatives = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives)) + r"|[a-z0-9][a-z0-9']*")
