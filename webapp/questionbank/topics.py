"""The topic taxonomy and the one place that decides which topics a question belongs to."""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from webapp.grading.normalize import normalize_text

TOPICS_FILE = Path(__file__).parent / "data" / "topics.toml"
QUESTION_WEIGHT = 3
MAX_ANSWER_HITS = 4
MIN_SHARE_OF_BEST = 0.5
MAX_TOPICS = 3


@dataclass(frozen=True)
class Topic:
    """A topic a question can belong to, named in Chinese and English."""

    slug: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class _Rule:
    """The keywords that put a question into one topic."""

    slug: str
    patterns: tuple[re.Pattern[str], ...]
    fallback: bool


def load_topics() -> tuple[Topic, ...]:
    """Read the topic taxonomy from its data file."""
    return tuple(Topic(entry["slug"], entry["name_zh"], entry["name_en"]) for entry in _entries())


def classify(question: str, answer: str) -> tuple[str, ...]:
    """Return the slugs of the topics of a question, best first; never empty."""
    normalized_question, normalized_answer = normalize_text(question), normalize_text(answer)
    scores = {}
    for rule in _rules():
        in_question = sum(bool(p.search(normalized_question)) for p in rule.patterns)
        in_answer = min(MAX_ANSWER_HITS, sum(bool(p.search(normalized_answer)) for p in rule.patterns))
        score = QUESTION_WEIGHT * in_question + in_answer
        if in_question or in_answer >= 2:
            scores[rule.slug] = score
    if not scores:
        return (next(rule.slug for rule in _rules() if rule.fallback),)
    best = max(scores.values())
    ranked = sorted(scores, key=lambda slug: -scores[slug])
    return tuple(slug for slug in ranked if scores[slug] >= MIN_SHARE_OF_BEST * best)[:MAX_TOPICS]


@cache
def _entries() -> tuple[dict, ...]:
    """Parse the topics file once."""
    with TOPICS_FILE.open("rb") as handle:
        return tuple(tomllib.load(handle)["topic"])


@cache
def _rules() -> tuple[_Rule, ...]:
    """Compile each topic's keywords into patterns on normalized text."""
    return tuple(
        _Rule(entry["slug"], tuple(_keyword_pattern(k) for k in entry["keywords"]), entry.get("fallback", False))
        for entry in _entries()
    )


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Match ASCII keywords as whole words and Chinese keywords anywhere."""
    escaped = re.escape(normalize_text(keyword))
    if keyword.isascii():
        return re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
    return re.compile(escaped)
