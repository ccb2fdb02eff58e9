"""Merge copies of the same question across documents into one.

Measured with `rapidfuzz.fuzz.ratio` on `comparison_form` (normalized, punctuation and spaces removed)
over the seed questions:
- true copies (000/001 republished in 003) score 100; the closest distinct questions score 75
  ("DoRA" vs "LoRA"), 73 (two MoE expert questions of 003) - so copies merge at >= 90.
  Paraphrases by different authors are linked instead, in `similarity`.
- a ratio alone merges headings that differ in one character ("…问题一" / "…问题二"), so texts whose
  numbers, ordinals or Latin-script names (model and method names: LoRA, GPT-4) differ never merge.
"""

import hashlib
import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from webapp.grading.normalize import normalize_text
from webapp.questionbank.model import Merge, ParsedQuestion

SAME_QUESTION_RATIO = 90.0
_NOT_WORD = re.compile(r"[\W_]+")
# What tells two near-identical headings apart: numbers (Arabic or Chinese, ordinals such as 第二 included)
# and Latin-script words, which in this bank are names of models, methods and formats.
_DISTINGUISHING = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+|[a-z][a-z0-9+#]*")
_STRUCTURE = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|\|.*\||#{1,6}\s|\$\$|```)", re.MULTILINE)


def comparison_form(question: str) -> str:
    """Reduce a question to the normalized characters that identify it."""
    return _NOT_WORD.sub("", normalize_text(question))


def distinguishing_tokens(question: str) -> tuple[str, ...]:
    """Return the numbers, ordinals and names of a question, in order: copies must agree on all of them."""
    return tuple(_DISTINGUISHING.findall(normalize_text(question)))


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
    tokens = [distinguishing_tokens(q.question) for q in ordered]
    parent = list(range(len(ordered)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for a, form in enumerate(forms):
        for _, _, b in process.extract(form, forms[a + 1:], scorer=fuzz.ratio,
                                       score_cutoff=SAME_QUESTION_RATIO, limit=None):
            if tokens[a] != tokens[a + 1 + b]:
                continue
            low, high = sorted((root(a), root(a + 1 + b)))
            parent[high] = low
    groups: dict[int, list[ParsedQuestion]] = {}
    for index, question in enumerate(ordered):
        groups.setdefault(root(index), []).append(question)
    return list(groups.values())


def merges_into(best: ParsedQuestion, copies: list[ParsedQuestion]) -> list[Merge]:
    """Describe each other copy folded into `best`, with how alike it reads to the copy it matched closest."""
    merges = []
    for copy in copies:
        if copy is best:
            continue
        form = comparison_form(copy.question)
        ratio = max(fuzz.ratio(form, comparison_form(other.question)) for other in copies if other is not copy)
        merges.append(Merge(copy, best, ratio))
    return merges


def best_copy(copies: list[ParsedQuestion]) -> ParsedQuestion:
    """Pick the copy with the best-structured answer, ties broken by file and line."""
    return max(copies, key=lambda q: (*structure_rank(q.answer), _reversed(q.source.file), -q.source.line))


def _reversed(text: str) -> tuple[int, ...]:
    """Order strings backwards so max() prefers the alphabetically first file."""
    return tuple(-ord(char) for char in text)
