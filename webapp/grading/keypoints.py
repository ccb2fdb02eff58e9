"""Split a Markdown reference answer into atomic, weighted key points."""

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from webapp.grading.normalize import normalize_for_matching, normalize_mapped, normalize_text
from webapp.grading.profiles import filler_phrases
from webapp.grading.units import idf, is_cjk, units

_BULLET = re.compile(r"^(\s*)(?:[-*+•●▪◦]|\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[)）]|[①-⑳])\s*(?:\d{1,2}[.、](?!\d)\s*)?")
_INLINE_NUMBER = re.compile(
    r"(?:(?<=^)|(?<=[。；;！!？?：:，,\s）)\u4e00-\u9fff]))(?:\d{1,2}、(?!\d)|\d{1,2}\.(?!\d)|[（(]\d{1,2}[)）])|[①-⑳]"
)
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])|(?<=\.)(?=\s)")
_CLAUSE_END = re.compile(r"(?<=[，,])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_HTML = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"\*\*|__|`|~~")
_INLINE_MATH = re.compile(r"\$([^$]+)\$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_LONG = 70
_SHORT = 6


FILLERS = filler_phrases()


Weight = Literal["must", "nice"]
# A `must` point counts twice a `nice` one in the score.
WEIGHT_VALUES: dict[str, float] = {"must": 2.0, "nice": 1.0}


@dataclass(frozen=True)
class KeyPoint:
    """One idea an interviewer listens for: its claim, distinctive terms, weight, other wordings and follow-up."""

    id: str
    text: str
    weight: Weight
    terms: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    ask: str | None = None

    @property
    def weight_value(self) -> float:
        return WEIGHT_VALUES[self.weight]

    def to_snapshot(self) -> dict[str, Any]:
        """Return the JSON form a graded turn keeps and the grader's interfaces exchange."""
        return {"id": self.id, "text": self.text, "weight": self.weight, "terms": list(self.terms),
                "aliases": list(self.aliases), "ask": self.ask}

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> "KeyPoint":
        """Read a point back from its JSON form; older snapshots carry a numeric weight."""
        weight = data.get("weight", "must")
        if not isinstance(weight, str):
            weight = "must" if float(weight) >= LEGACY_MUST_WEIGHT else "nice"
        return cls(data["id"], data["text"], weight, tuple(data.get("terms") or ()),
                   tuple(data.get("aliases") or ()), data.get("ask"))


# Grader 2 weighed points 0.4-1.0 by their distinctive mass; the heavier ones are the `must` points.
LEGACY_MUST_WEIGHT = 0.7


def point_id(text: str) -> str:
    """Derive a stable short id from the normalized text of a key point."""
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()[:10]


def strip_filler(text: str) -> str:
    """Drop leading discourse filler ("简单来说", "也就是说", ...) from a claim."""
    changed = True
    while changed:
        changed = False
        probe = normalize_text(text)
        for filler in FILLERS:
            if probe.startswith(filler) and not _splits_word(probe, len(filler)):
                text = _drop_prefix(text, len(filler)).lstrip(" ,，:：、")
                changed = True
                break
    return text.strip()


def _splits_word(text: str, at: int) -> bool:
    return at < len(text) and text[at].isascii() and text[at].isalnum() and text[at - 1].isascii()


def _drop_prefix(text: str, normalized_length: int) -> str:
    mapped = normalize_mapped(text)
    if normalized_length >= len(mapped.text):
        return ""
    return text[mapped.starts[normalized_length]:]


def distinctive_units(text: str) -> dict[str, float]:
    """Weight each matching unit of `text` by its IDF, filler excluded."""
    return {unit: idf(unit) for unit, _, _ in units(normalize_for_matching(strip_filler(text)).text)}


def _terms(text: str) -> tuple[str, ...]:
    folded = normalize_for_matching(strip_filler(text)).text
    found: list[str] = []
    run_start = run_end = -1
    for unit, start, end in units(folded):
        rare = idf(unit) >= 2.5
        if not rare:
            continue
        if not is_cjk(unit[0]):
            found.append(folded[start:end])
            continue
        if start < run_end:
            run_end = end
        else:
            if run_end > run_start >= 0:
                found.append(folded[run_start:run_end])
            run_start, run_end = start, end
    if run_end > run_start >= 0:
        found.append(folded[run_start:run_end])
    return tuple(dict.fromkeys(term for term in found if len(term) > 1))


def _default_weight(text: str) -> Weight:
    mass = sum(distinctive_units(text).values())
    return "must" if mass / 20 >= LEGACY_MUST_WEIGHT else "nice"


def key_point(text: str, weight: Weight | None = None, aliases: Iterable[str] = (), ask: str | None = None) -> KeyPoint:
    """Build a key point from a claim, e.g. one a maintainer edited; the weight defaults to one read from its terms."""
    text = text.strip()
    return KeyPoint(point_id(text), text, weight or _default_weight(text), _terms(text),
                    tuple(alias.strip() for alias in aliases if alias.strip()), ask or None)


def _clean(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _URL.sub("", line)
    line = _HTML.sub("", line)
    line = _EMPHASIS.sub("", line)
    return _INLINE_MATH.sub(r"\1", line)


def _blocks(markdown: str) -> list[str]:
    """Group the reference into items: bullets, table rows and paragraphs, without headings or math."""
    items: list[str] = []
    current: list[str] = []
    in_math = in_code = False
    table_header: list[str] | None = None

    def flush() -> None:
        if current:
            items.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            flush()
            continue
        if stripped.startswith("$$") or stripped in ("\\[", "\\]"):
            single = len(stripped) > 2 and stripped.endswith("$$") and stripped != "$$"
            if not single:
                in_math = not in_math
            flush()
            continue
        if in_math or in_code:
            continue
        if not stripped or stripped.startswith("#"):
            flush()
            table_header = None
            continue
        if stripped.startswith("|"):
            flush()
            cells = [_clean(cell).strip() for cell in stripped.strip("|").split("|")]
            if _TABLE_RULE.match(stripped):
                continue
            if table_header is None:
                table_header = cells
                continue
            items.append("，".join(cell for cell in cells if cell))
            continue
        table_header = None
        line = _clean(stripped.lstrip("> "))
        if _BULLET.match(raw) and not _TABLE_RULE.match(stripped):
            flush()
            line = _BULLET.sub("", line, count=1)
        current.append(line)
    flush()
    return items


def _claims(item: str) -> list[str]:
    """Split an item into claims at inline enumerations, sentence ends and, when long, clause ends."""
    parts = _INLINE_NUMBER.split(item)
    if any(len(part.strip()) < 8 for part in parts[1:]):
        parts = [item]
    pieces = []
    for part in parts:
        for sentence in _SENTENCE_END.split(part):
            pieces.extend(_chunk(sentence.strip()))
    return [piece for piece in pieces if piece]


def _chunk(sentence: str) -> list[str]:
    if len(sentence) <= _LONG:
        return [sentence]
    out: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        if out and (len(out[-1]) < _LONG // 3 or len(clause) < 12):
            out[-1] += clause
        else:
            out.append(clause)
    return out


def _is_claim(text: str) -> bool:
    probe = normalize_text(text)
    content = [char for char in probe if char.isalnum()]
    if len(content) < _SHORT and len(list(units(probe))) < 2:
        return False
    return not (probe.endswith(":") and len(content) <= 15)


def extract_key_points(reference_markdown: str) -> list[KeyPoint]:
    """Split a reference answer into atomic claims, each with its distinctive terms and a weight."""
    return list(_extract(reference_markdown))


@lru_cache(maxsize=512)
def _extract(reference_markdown: str) -> tuple[KeyPoint, ...]:
    points: dict[str, KeyPoint] = {}
    for item in _blocks(reference_markdown):
        merged: list[str] = []
        for claim in _claims(item):
            claim = strip_filler(claim).strip(" ,，")
            if not claim:
                continue
            if not _is_claim(claim) and not claim.endswith((":", "：")):
                if merged:
                    merged[-1] = merged[-1] + claim
                continue
            merged.append(claim)
        for claim in merged:
            if _is_claim(claim):
                point = key_point(claim)
                points.setdefault(point.id, point)
    return tuple(points.values())
