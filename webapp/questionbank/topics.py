"""The topic taxonomy and the one place that decides which topics a question belongs to."""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from webapp.grading.normalize import normalize_text

TOPICS_FILE = Path(__file__).parent / "data" / "topics.toml"
QUESTION_WEIGHT = 5
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
    keywords: tuple[tuple[str, re.Pattern[str] | None], ...]
    fallback: bool


def load_topics() -> tuple[Topic, ...]:
    """Read the topic taxonomy from its data file."""
    return tuple(Topic(entry["slug"], entry["name_zh"], entry["name_en"]) for entry in _entries())


def classify(question: str, answer: str) -> tuple[str, ...]:
    """Return the slugs of the topics of a question, best first; never empty."""
    normalized_question, normalized_answer = normalize_text(question), normalize_text(answer)
    scores = {}
    for rule in _rules():
        in_question = len(_keywords_found(rule, normalized_question))
        in_answer = min(MAX_ANSWER_HITS, len(_keywords_found(rule, normalized_answer)))
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


def _keywords_found(rule: _Rule, text: str) -> list[str]:
    """List the distinct keywords of one topic found in `text`."""
    return [keyword for keyword, word in rule.keywords
            if keyword in text and (word is None or word.search(text))]


@cache
def _rules() -> tuple[_Rule, ...]:
    """Normalize each topic's keywords; ASCII ones also get a whole-word pattern."""
    return tuple(
        _Rule(entry["slug"], tuple(_keyword(k) for k in entry["keywords"]), entry.get("fallback", False))
        for entry in _entries()
    )


def _keyword(keyword: str) -> tuple[str, re.Pattern[str] | None]:
    """Pair a normalized keyword with its word pattern; a trailing number is allowed (gpt4, llama2)."""
    normalized = normalize_text(keyword)
    if not keyword.isascii():
        return normalized, None
    return normalized, re.compile(rf"(?<![a-z0-9]){re.escape(normalized)}(?![a-z])")
