"""Merge copies of the same question across documents and link paraphrases of each other.

Thresholds were measured with `rapidfuzz.fuzz.ratio` on the comparison form of the seed and corpus
questions (see tests/engine/test_questionbank.py for the pairs):
- true copies (000/001 republished in 003) compare at 100; the closest distinct pair of questions
  ("NTK-by-parts" vs "YaRN" length-extrapolation questions in 003) at 72.
- paraphrases by different authors score 37-63 with ratio, so pairs are linked with
  `token_set_ratio`-free partial matching: `fuzz.partial_ratio` >= 62 and `fuzz.ratio` >= 36
  (Q/K weights 65/62, √d scaling 40/63, multi-head 49/63, repetitive output 39/72,
  LayerNorm vs BatchNorm 53/71), while unrelated questions of one topic stay below.
"""

import hashlib
import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from webapp.grading.normalize import normalize_text
from webapp.questionbank.model import ParsedQuestion, SimilarPair

SAME_QUESTION_RATIO = 90.0
SIMILAR_RATIO = 36.0
SIMILAR_PARTIAL_RATIO = 62.0
_NOT_WORD = re.compile(r"[\W_]+")
_STRUCTURE = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|\|.*\||#{1,6}\s|\$\$|```)", re.MULTILINE)


def comparison_form(question: str) -> str:
    """Reduce a question to the normalized characters that identify it."""
    return _NOT_WORD.sub("", normalize_text(question))


def question_key(question: str) -> str:
    """Derive the stable identity of a question from its normalized text."""
    return hashlib.sha1(comparison_form(question).encode()).hexdigest()[:12]


def structure_rank(answer: str) -> tuple[int, int]:
    """Rank an answer by its Markdown structure (lists, tables, headings, formulas), then its length."""
    return len(_STRUCTURE.findall(answer)), len(answer)


def group_copies(questions: Iterable[ParsedQuestion]) -> list[list[ParsedQuestion]]:
    """Group the copies of each question; the grouping does not depend on the input order."""
    ordered = sorted(questions, key=lambda q: (comparison_form(q.question), q.source.file, q.source.line))
    forms = [comparison_form(q.question) for q in ordered]
    parent = list(range(len(ordered)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for a, form in enumerate(forms):
        for _, _, b in process.extract(form, forms[a + 1:], scorer=fuzz.ratio,
                                       score_cutoff=SAME_QUESTION_RATIO, limit=None):
            low, high = sorted((root(a), root(a + 1 + b)))
            parent[high] = low
    groups: dict[int, list[ParsedQuestion]] = {}
    for index, question in enumerate(ordered):
        groups.setdefault(root(index), []).append(question)
    return list(groups.values())


def best_copy(copies: list[ParsedQuestion]) -> ParsedQuestion:
    """Pick the copy with the best-structured answer, ties broken by file and line."""
    return max(copies, key=lambda q: (*structure_rank(q.answer), _reversed(q.source.file), -q.source.line))


def _reversed(text: str) -> tuple[int, ...]:
    """Order strings backwards so max() prefers the alphabetically first file."""
    return tuple(-ord(char) for char in text)


def similar_pairs(questions: dict[str, str]) -> list[SimilarPair]:
    """Link distinct questions (key -> question text) that are paraphrases of each other."""
    keys = sorted(questions)
    forms = [comparison_form(questions[key]) for key in keys]
    pairs = []
    for a, form in enumerate(forms):
        for _, partial, offset in process.extract(form, forms[a + 1:], scorer=fuzz.partial_ratio,
                                                  score_cutoff=SIMILAR_PARTIAL_RATIO, limit=None):
            ratio = fuzz.ratio(form, forms[a + 1 + offset])
            if SIMILAR_RATIO <= ratio < SAME_QUESTION_RATIO:
                pairs.append(SimilarPair(keys[a], keys[a + 1 + offset], round(max(ratio, partial), 1)))
    return pairs
