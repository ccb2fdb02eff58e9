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
# An enumeration's number inside a line ("…主要是因为（1）…"), not a version ("SD 1.x", "Python 3.x").
_INLINE_NUMBER = re.compile(
    r"(?:(?<=^)|(?<=[。；;！!？?：:，,\s）)\u4e00-\u9fff]))(?:\d{1,2}、(?!\d)|\d{1,2}\.(?!\d|[xX](?![A-Za-z]))|[（(]\d{1,2}[)）])|[①-⑳]"
)
# A full stop ends a sentence; the period of an abbreviation (e.g., etc.) or of a leading list number ("1. 基本流程：")
# does not.
_SENTENCE_END = re.compile(r"(?<=[。！!？?])|(?<=\.)(?<!^\d\.)(?<!^\d\d\.)(?<!eg\.)(?<!e\.g\.)(?<!i\.e\.)(?<!etc\.)"
                           r"(?<!vs\.)(?=\s)")
_SEMICOLON = re.compile(r"(?<=[；;])")
_CLAUSE_END = re.compile(r"(?<=[，,])")
_OPENING_BRACKETS = ("（", "(", "【", "[", "「")
_CLOSING_BRACKETS = ("）", ")", "】", "]", "」")
# A clause that leans on the one before it (a result, an example, a pronoun) never starts a claim of its own.
_CONTINUES = re.compile(
    r"^\s*(?:\d|从而|进而|以便|使得|使|导致|这样|这|它|其|即|也就是|比如|例如|如|包括|并|且|而是|以及|和|或"
    r"|只|仅|才|往往|通常|常常|就|都是|也是)")
# A sentence opening with a pronoun (after a connective or not), a "therefore", a "but" or an "if" leans on the
# sentence before it and stays packed with it.
_LEANS_BACK = re.compile(r"^\s*(?:(?:虽然|尽管|但是|但|而且|而|并且|所以|因此|如果)\s*)?(?:它|这|其|此)"
                         r"|^\s*(?:因此|所以|从而|也就是说|如果|但是|但)")
# A clause opening the next step of a procedure starts a claim of its own once the step before it is one.
_NEXT_STEP = re.compile(r"^\s*(?:然后|之后|随后|接着|最后|再后来)")
# A clause opening an example in an over-long sentence starts a piece of its own.
_EXAMPLE = re.compile(r"^\s*(?:比如|例如|举例来说|举个例子)")
# A concession opening a claim (虽然 X，但 Y) grants X; the claim is Y.
_CONCESSION = re.compile(r"(^|[：:])\s*(?:虽然|尽管)[^，,。；;]*[，,]\s*(?:但是|但|却)?")
# A clause opening a condition, a concession or a comparison needs the clause after it to make a claim.
_CONDITION = re.compile(r"如果|虽然|尽管|假如|若|因为|由于|当|相较于|相比于|相比|比起|的话$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ONLY_LINK = re.compile(r"^(?:!?\[[^\]]*\]\([^)]*\)\s*)+$|^https?://\S+$")
_URL = re.compile(r"https?://\S+")
# HTML tags, not the special tokens a reference names ("<|im_start|>", "<think>", "</s>").
_HTML = re.compile(r"</?(?:a|b|i|u|p|br|hr|em|strong|span|div|img|sup|sub|code|pre|font|center|table|thead|tbody"
                   r"|tr|td|th|ul|ol|li|h[1-6]|details|summary|blockquote|mark|del|ins|small|kbd)\b[^<>]*>",
                   re.IGNORECASE)
_EMPHASIS = re.compile(r"\*\*|__|`|~~")
_PAREN_MATH = re.compile(r"\\\((.+?)\\\)")
_INLINE_MATH = re.compile(r"\$[^$]+\$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_BOLD_LINE = re.compile(r"^(?:\d{1,2}[.)、）]\s*|[A-Z][.)]\s*)?\*\*[^*]+\*\*\s*[:：]?$")
# A label that numbers, sets up a premise or an example, or makes an aside ("假设现在有五个句子：", "Note：",
# "4. 总结：") names no subject of the claims after it.
_NO_SUBJECT = re.compile(r"^(?:\d{1,2}[.、)）]|[一二三四五六七八九十]{1,2}、|(?i:note)|注意|备注"
                         r"|假设|假如|如果|若|当|随着|例如|比如|举例|以|背景|总结|小结)")
_LABEL = re.compile(r"^([^，,。；;：:]{1,12})[：:]\s*(?=\S)")
# Labels that say where a claim stands, not what it claims: a summary, or a step's number.
_SUMMARY_WORDS = "一句话总结|一句话|总结|核心|小结"
_SUMMARY_LABEL = re.compile(
    rf"^(?:{_SUMMARY_WORDS}|(?i:step)\s*\d{{1,2}}|第[一二三四五六七八九十\d]{{1,2}}步)[：:]\s*")
# Heading noise around a claim an imported bank's point may keep: its list number, a summary lead-in ("一句话总结 "),
# and an English expansion in brackets after a name ("PPO (Proximal Policy Optimization in RLHF)").
_CORE_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[)）])\s*")
_CORE_SUMMARY = re.compile(rf"^(?:{_SUMMARY_WORDS})\s*(?:[：:]\s*)?")
# An expansion has two words or more; a bracketed acronym ("(TPLA)") is a name the claim needs.
_CORE_EXPANSION = re.compile(r"\s*[（(][A-Za-z][A-Za-z0-9.'/&+]*[ ,-][A-Za-z0-9 ,.'/&+-]*[)）]")
# A name has no clause punctuation: text with some makes a claim.
_CLAIM_MARK = re.compile(r"[，,。；;：:！？!?]")
# "其中 …" introduces the symbols of a formula; it is no word of a claim.
_WHERE = r"^(?:其中|这里|式中)?[：:，,\s]*"
_NOTATION = re.compile(_WHERE + r"(?:\$[^$]+\$|[A-Za-z\u0370-\u03ff\\_^{}'0-9]{1,12})"
                       r"\s*(?:是|为|表示|代表|指|即)\s*(?P<rest>.*)$")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_FIGURE = re.compile(r"(?:如图|如下图|见下图|见图|如下所示|如下)[所示。.!！]*$|^(?:下图|上图|图中|如图|见图|图\s*\d)")
_LONG_SENTENCE = 60
# A name opening a claim: an English word, hyphens and digits in it ("Cross-Encoder", "Pre-LN"), before a space or 的.
_OPENING_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9.+-]*[A-Za-z0-9])(?=\s|的)")
_PACKED = 65
_SHORT = 6
_MAX_POINTS = 8
_MIN_POINTS = 3
_USUAL_POINTS = 6
_MAX_MUST = 4
_PACKED_LEANING = 90


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


@lru_cache(maxsize=4096)  # given points and reference lines (bank text): each is read a few times a grade
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


def core_claim(text: str) -> str:
    """The claim of a point without its heading noise: list number, summary lead-in, English expansions in brackets."""
    core = _CORE_SUMMARY.sub("", _CORE_NUMBER.sub("", text.strip()))
    return _CORE_EXPANSION.sub("", core).strip()


def bare_name(text: str) -> str:
    """The name a point only gives, with its English expansion ("2) 单向掩码（Causal Mask）": 单向掩码), or ""."""
    core = _CORE_SUMMARY.sub("", _CORE_NUMBER.sub("", text.strip())).strip()
    name = _CORE_EXPANSION.sub("", core).strip()
    return name if name != core and not _CLAIM_MARK.search(name) else ""


def numbered(text: str) -> bool:
    """Tell whether a point opens with a list number, as the first point of an imported bank's section does."""
    return bool(_CORE_NUMBER.match(text))


def labelled_claim(core: str) -> str:
    """A core claim (`core_claim`) without the bold label an imported bank kept before it ("连续特征的处理方式：分桶"),
    or ""."""
    label = _LABEL.match(core)
    return core[label.end():].strip() if label else ""


def label_name(core: str) -> str:
    """The subject a core claim's bold label names ("自我偏好：裁判倾向于…": 自我偏好), or "" for none or a label that
    names no subject ("注意：", "1.：")."""
    label = _LABEL.match(core)
    return "" if label is None or _NO_SUBJECT.match(label.group(1)) else label.group(1).strip()


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


@dataclass(frozen=True)
class _Item:
    """One bullet, paragraph or table row of a reference, with its nesting depth and heading above it."""

    text: str
    depth: int
    order: int
    table: bool = False
    headline: str = ""
    heading: bool = False  # a line that is all bold, as a Markdown heading without its #


@dataclass(frozen=True)
class _Claim:
    text: str
    item: _Item
    first: bool


def _clean(line: str) -> str:
    """Drop images, link targets, URLs, HTML and emphasis; keep inline math as $...$ for KaTeX."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _URL.sub("", line)
    line = _HTML.sub("", line)
    line = _EMPHASIS.sub("", line)
    return _PAREN_MATH.sub(lambda match: f"${match.group(1).strip()}$", line).strip()


def _is_label(text: str) -> bool:
    """Tell a heading-like line (a lead-in ending in a colon, a short phrase) from a claim."""
    if text.endswith((":", "：")):
        return True
    return meaningful(text) <= 16 and not re.search(r"[，,。；;！!？?：:]", text)


def meaningful(text: str) -> int:
    """Count the letters and digits of a claim, an inline formula counting as one."""
    return sum(char.isalnum() for char in _INLINE_MATH.sub("x", text))


def _blocks(markdown: str) -> list[_Item]:
    """Group the reference into items (bullets, paragraphs, table rows); headings become the next item's headline."""
    items: list[_Item] = []
    current: list[str] = []
    depth = 0
    in_math = in_code = False
    table_header: list[str] | None = None

    def flush() -> None:
        text = " ".join(current).strip()
        current.clear()
        if text:
            items.append(_Item(text, depth, len(items)))

    for raw in markdown.splitlines():
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            flush()
            continue
        if stripped.startswith(("$$", "\\[")) or stripped == "\\]":
            single = len(stripped) > 2 and stripped.endswith(("$$", "\\]")) and stripped not in ("$$", "\\[")
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
            cells = [_clean(cell) for cell in stripped.strip("|").split("|")]
            if _TABLE_RULE.match(stripped):
                continue
            if table_header is None:
                table_header = cells
                continue
            items.append(_Item("，".join(cell for cell in cells if cell), depth + 1, len(items), table=True))
            continue
        table_header = None
        if _ONLY_LINK.match(_BULLET.sub("", stripped, count=1)):
            flush()
            continue
        if _BOLD_LINE.match(stripped):
            flush()
            items.append(_Item(_clean(stripped), 0, len(items), heading=True))
            continue
        line = _clean(stripped.lstrip("> "))
        bullet = _BULLET.match(raw)
        if bullet and not _TABLE_RULE.match(stripped):
            flush()
            depth = len(bullet.group(1).replace("\t", "  ")) // 2 + 1
            line = _BULLET.sub("", _clean(stripped), count=1)
        elif not current:
            depth = 0
        current.append(line)
    flush()
    return _attach_headlines(items)


def _attach_headlines(items: list[_Item]) -> list[_Item]:
    """Turn a label over deeper items, or a lead-in ending in a colon, into the headline of the item after it."""
    out: list[_Item] = []
    headline = ""
    for item, after in zip(items, [*items[1:], None], strict=False):
        text = _without_closing_lead_in(item.text)
        lead_in = text.endswith((":", "：")) and not _SENTENCE_END.search(text[:-1])
        heads = after is not None and not after.table and (after.depth > item.depth or item.heading)
        if lead_in or (_is_label(text) and (heads or item.heading)):
            headline = text if heads and not lead_in else ""  # a lead-in is dropped, a label heads the item below
            continue
        out.append(_Item(text, item.depth, len(out), item.table, headline))
        headline = ""
    return out


def _without_closing_lead_in(text: str) -> str:
    """Cut the lead-in a paragraph of claims closes with ("原因包括:") off, so the claims stay an item."""
    if not text.endswith((":", "：")):
        return text
    ends = [match.end() for match in _SENTENCE_END.finditer(text[:-1])]
    return text[:ends[-1]].strip() if ends else text


def _claims(item: _Item) -> list[_Claim]:
    """Split an item into claims at inline enumerations and sentence ends, and only where a claim ends."""
    parts = _INLINE_NUMBER.split(item.text)
    if any(len(part.strip()) < 8 for part in parts[1:]):
        parts = [item.text]
    elif len(parts) > 1:  # the enumeration's lead-in ("…主要是因为（1）…") is no claim; the sentences before it are
        ends = [0, *(match.end() for match in _SENTENCE_END.finditer(parts[0].rstrip()))]
        parts[0] = parts[0][:ends[-1]]
    texts: list[str] = []
    for part in parts:
        pieces = [(_tidy(text), cut) for sentence in _SENTENCE_END.split(part)
                  for text, cut in _split_long(sentence.strip())]
        texts.extend(_pack([(text, cut) for text, cut in pieces if _is_claim(text)]))
    if item.headline and texts:
        texts[0] = _with_headline(item.headline, texts[0])
    topic = _topic(texts[0]) if texts else None
    if topic:  # an item's later claims name the subject its label gives, as its first does
        texts[1:] = [text if topic in text else f"{topic}：{text}" for text in texts[1:]]
    return [_Claim(text, item, index == 0) for index, text in enumerate(texts)]


def _topic(claim: str) -> str | None:
    """Return the label a claim opens with ("数据并行：…") when it names a subject, not a premise ("假设…：")."""
    label = _LABEL.match(claim)
    if label is None:
        return None
    name = label.group(1).strip()
    if meaningful(name) < 4 or _NO_SUBJECT.match(name) or name.endswith(("是", "为")):
        return None
    return name


def _pack(pieces: list[tuple[str, bool]]) -> list[str]:
    """Keep a short explanation with the sentence it explains; a piece cut off a long sentence at a comma stays cut."""
    out: list[str] = []
    for sentence, cut_at_comma in pieces:
        limit = _PACKED_LEANING if _LEANS_BACK.match(sentence) and not cut_at_comma else _PACKED
        if out and len(out[-1]) + len(sentence) <= limit and not out[-1].endswith((":", "：")):
            out[-1] = f"{out[-1]}{'' if out[-1][-1:] in '。！？!?；;，,' else '，'}{sentence}"
        else:
            out.append(sentence)
    return out


def _split_long(sentence: str) -> list[tuple[str, bool]]:
    """Split a sentence at semicolons between whole claims and, when very long, at commas before a claim opener."""
    out: list[str] = []
    for clause in _whole_brackets(_SEMICOLON.split(sentence)):
        lead_in = clause.rstrip().endswith((":", "："))  # the next list's label, cut off rather than glued on
        if out and not lead_in and (meaningful(out[-1]) < 12 or meaningful(clause) < 12):
            out[-1] += clause
        else:
            out.append(clause)
    if len(out) == 2 and _contrasts(out[0], out[1]):
        return [("".join(out), False)]
    split: list[tuple[str, bool]] = []
    for piece in out:
        clauses = _split_at_commas(piece) if len(piece) > _LONG_SENTENCE else [piece]
        split.extend((clause, index > 0) for index, clause in enumerate(clauses))
    return split


def _contrasts(first: str, second: str) -> bool:
    """Tell whether two claims a semicolon joins say one thing of two names ("Bi-Encoder 把…各自编码；Cross-Encoder
    把…拼成一个序列"): the two sides of a comparison make one point."""
    names = [_OPENING_NAME.match(_LABEL.sub("", text, count=1)) for text in (first, second)]
    return all(names) and names[0].group(1).lower() != names[1].group(1).lower()


def _split_at_commas(sentence: str) -> list[str]:
    """Cut an over-long sentence at commas into runs of whole clauses, none a fragment, at each step and example."""
    out: list[str] = []
    example = False
    for clause in _whole_brackets(_CLAUSE_END.split(sentence)):
        if out and not example and _EXAMPLE.match(clause) and meaningful(out[-1]) >= 20:
            example = True  # the example and whatever follows it make one piece, apart from the claim it illustrates
            out.append(clause)
        elif example:
            out[-1] += clause
        elif out and _NEXT_STEP.match(clause) and meaningful(out[-1]) >= 12:
            out.append(clause)
        elif out and (len(out[-1]) < _LONG_SENTENCE // 2 or meaningful(clause) < 15 or _CONTINUES.match(clause)
                      or _CONDITION.search(_CLAUSE_END.split(out[-1].rstrip("，,"))[-1])):
            out[-1] += clause
        else:
            out.append(clause)
    return out


def _whole_brackets(pieces: list[str]) -> list[str]:
    """Join again the pieces cut inside a bracket: "Resources（可读取的数据，比如文件；按需读取）" is one aside."""
    out: list[str] = []
    depth = 0
    for piece in pieces:
        if out and depth:
            out[-1] += piece
        else:
            out.append(piece)
        depth = max(0, depth + sum(map(piece.count, _OPENING_BRACKETS)) - sum(map(piece.count, _CLOSING_BRACKETS)))
    return out


def _tidy(text: str) -> str:
    text = _CONCESSION.sub(lambda match: match.group(1), text)
    text = strip_filler(_SUMMARY_LABEL.sub("", strip_filler(text.strip(" ,，")))).strip(" ,，")
    return text.rstrip("；;").strip()


def _with_headline(headline: str, claim: str) -> str:
    """Lead a claim with the headline it explains, replacing a generic label such as "定义：" or "方式："."""
    label = _LABEL.match(claim)
    if label and meaningful(label.group(1)) <= 6:
        claim = claim[label.end():]
    if normalize_text(headline) in normalize_text(claim):
        return claim
    return f"{headline}：{claim}"


def _is_claim(text: str) -> bool:
    """Keep claims; drop lead-ins, bare formulas, notation lines and figure references."""
    too_short = meaningful(text) < _SHORT and len(list(units(normalize_text(text)))) < 2
    if text.endswith((":", "：")) or too_short or _FIGURE.search(text):
        return False
    notation = _NOTATION.match(text)
    if notation and sum(map(is_cjk, notation.group("rest"))) <= 10:
        return False
    words = _LATEX_COMMAND.sub(" ", _INLINE_MATH.sub(" ", re.sub(_WHERE, "", text)))
    return sum(map(is_cjk, words)) + len(re.findall(r"[A-Za-z]{3,}", words)) >= 2


def extract_key_points(reference_markdown: str) -> list[KeyPoint]:
    """Turn a reference answer into at most eight claims, the first-stated and best-supported weighed `must`."""
    return list(_extract(reference_markdown))


def _support(claim: _Claim, others: list[_Claim]) -> float:
    """Share of a claim's distinctive mass that the rest of the reference repeats."""
    own = distinctive_units(claim.text)
    total = sum(own.values())
    if not total:
        return 0.0
    elsewhere: set[str] = set()
    for other in others:
        if other.item is not claim.item:
            elsewhere.update(distinctive_units(other.text))
    return sum(weight for unit, weight in own.items() if unit in elsewhere) / total


# Tunables of the ranking, measured against the curated seed points (tests/bench/bench_keypoints.py).
RANKING = {"support": 1.0, "mass": 1.0, "position": 0.25, "nested": 0.7, "later_sentence": 0.8, "redundancy": 0.8,
           "floor": 0.3, "extra_floor": 0.7}


def _rank(claim: _Claim, others: list[_Claim], count: int) -> float:
    """Score a claim by how much the rest repeats it, how distinctive it is, where it stands and its length."""
    mass = sum(distinctive_units(claim.text).values())
    score = (0.5 + RANKING["support"] * _support(claim, others)) * (1.0 + RANKING["mass"] * min(mass, 60) / 60)
    score *= 1.0 - RANKING["position"] * claim.item.order / max(count, 1)
    if claim.item.depth > 1:
        score *= RANKING["nested"]
    if not claim.first:
        score *= RANKING["later_sentence"]
    length = meaningful(claim.text)
    if length < 10:
        score *= 0.6
    elif length > 90:
        score *= 0.8
    return score


def _diverse(claims: list[_Claim], scores: dict[int, float], keep: int) -> list[_Claim]:
    """Pick `keep` claims best first, each discounted by how much it repeats the ones already picked."""
    units = {id(claim): distinctive_units(claim.text) for claim in claims}
    picked: list[_Claim] = []
    left = list(claims)
    while left and len(picked) < keep:
        def value(claim: _Claim) -> float:
            own = units[id(claim)]
            total = sum(own.values()) or 1.0
            seen = {unit for chosen in picked for unit in units[id(chosen)]}
            return scores[id(claim)] * (1.0 - RANKING["redundancy"] * sum(
                weight for unit, weight in own.items() if unit in seen) / total)
        best = max(left, key=value)
        floor = RANKING["floor"] if len(picked) < _USUAL_POINTS else RANKING["extra_floor"]
        # A short reference keeps every claim; a longer one stops once the next is worth little beside the best.
        if len(claims) > keep and len(picked) >= _MIN_POINTS and value(best) < floor * scores[id(picked[0])]:
            break
        picked.append(best)
        left.remove(best)
    return picked


@lru_cache(maxsize=512)
def _extract(reference_markdown: str) -> tuple[KeyPoint, ...]:
    items = _blocks(reference_markdown)
    claims: dict[str, _Claim] = {}
    for item in items:
        for claim in _claims(item):
            if _is_claim(claim.text):
                claims.setdefault(point_id(claim.text), claim)
    # A table row is cells read without their header ("W8A8，计算量，大 batch"), no claim a candidate says; a
    # reference that is only a table is graded on its rows.
    found = [claim for claim in claims.values() if not claim.item.table] or list(claims.values())
    scores = {id(claim): _rank(claim, found, len(items)) for claim in found}
    ranked = _diverse(found, scores, _MAX_POINTS)
    must_count = max(1, min(_MAX_MUST, (len(ranked) + 1) // 2))
    first = next(claim for claim in found if claim in ranked) if ranked else None
    musts = {id(claim) for claim in ranked[:must_count]}
    if first is not None and id(first) not in musts:  # the first-stated claim is a must even when others rank higher
        musts = {id(claim) for claim in ranked[:must_count - 1]} | {id(first)}
    kept = {id(claim) for claim in ranked}
    return tuple(key_point(claim.text, "must" if id(claim) in musts else "nice")
                 for claim in found if id(claim) in kept)
