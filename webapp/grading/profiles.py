"""Language profiles: what the grader knows of one language, read from its own folder `data/<language>/`.

Answers mix languages (Chinese prose with English terms), so the grader reads every text with all profiles at
once: `cues()` merges them. `data/README.md` gives the format of every file.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants, _parser  # the parser `re` itself uses: what a cue pattern can start with

from webapp.grading.normalize import DATA, normalize_for_matching, normalize_text

# The tokenizer of each language lives in `units.py` (Chinese bigrams, English stemmed words).
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Profile:
    """One language's cue words and phrases, as its data files give them."""

    name: str
    stop_words: frozenset[str]
    negation: tuple[str, ...]
    prevention: tuple[str, ...]
    conditional: tuple[str, ...]
    fillers: tuple[str, ...]
    dont_know: tuple[str, ...]
    particles: tuple[str, ...]
    opposites: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    comparison: tuple[str, ...]
    coordination: tuple[str, ...]
    openers: tuple[str, ...]
    pronouns: tuple[str, ...]
    units: tuple[str, ...]
    hedges: tuple[str, ...]
    changes: tuple[str, ...]
    denials: tuple[str, ...]
    dismissals: tuple[str, ...]
    asking: tuple[str, ...]
    speakers: tuple[str, ...]
    comparatives: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    headings: tuple[str, ...]
    function_chars: tuple[str, ...]
    retractions: tuple[str, ...]
    yes_no: tuple[str, ...]
    existence: tuple[str, ...]
    listing: tuple[str, ...]
    examples: tuple[str, ...]
    list_openers: tuple[str, ...]
    list_closers: tuple[str, ...]


def _lines(language: str, name: str) -> tuple[str, ...]:
    path = DATA / language / name
    if not path.exists():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _opposites(language: str, name: str = "opposites.txt") -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    pairs = {}
    for line in _lines(language, name):
        key, sides = line.split(":", 1)
        left, right = (tuple(word.strip() for word in side.split(",") if word.strip()) for side in sides.split(" | "))
        pairs[key.strip()] = (left, right)
    return pairs


@lru_cache(maxsize=len(LANGUAGES))
def load(language: str) -> Profile:
    """Read one language's profile from `data/<language>/`."""
    return Profile(
        language,
        frozenset(word for line in _lines(language, "stopwords.txt") for word in line.split()),
        _lines(language, "negation.txt"),
        _lines(language, "prevention.txt"),
        _lines(language, "conditional.txt"),
        _lines(language, "fillers.txt"),
        _lines(language, "dont_know.txt"),
        _lines(language, "particles.txt"),
        _opposites(language),
        _lines(language, "comparison.txt"),
        _lines(language, "coordination.txt"),
        _lines(language, "openers.txt"),
        _lines(language, "pronouns.txt"),
        _lines(language, "units.txt"),
        _lines(language, "hedges.txt"),
        _lines(language, "changes.txt"),
        _lines(language, "denials.txt"),
        _lines(language, "dismissals.txt"),
        _lines(language, "asking.txt"),
        _lines(language, "speakers.txt"),
        _opposites(language, "comparatives.txt"),
        _lines(language, "headings.txt"),
        _lines(language, "function_chars.txt"),
        _lines(language, "retractions.txt"),
        _lines(language, "yes_no.txt"),
        _lines(language, "existence.txt"),
        _lines(language, "listing.txt"),
        _lines(language, "examples.txt"),
        _lines(language, "list_openers.txt"),
        _lines(language, "list_closers.txt"),
    )


def profiles() -> tuple[Profile, ...]:
    """Every shipped language's profile."""
    return tuple(load(language) for language in LANGUAGES)


@dataclass(frozen=True)
class Cues:
    """All profiles merged and compiled: what reading a mixed-language text needs."""

    negation: re.Pattern[str]
    prevention: re.Pattern[str]
    conditional: re.Pattern[str]
    dont_know: tuple[str, ...]
    particles: tuple[str, ...]
    # Each pair's two sides, folded like answers are, merged across languages by key.
    opposites: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    comparison: re.Pattern[str]
    coordination: re.Pattern[str]
    openers: re.Pattern[str]
    pronouns: frozenset[str]
    units: tuple[str, ...]  # longest first
    hedge_after: re.Pattern[str]  # a hedge right after a number or its unit ("1e-4 左右")
    hedge_before: re.Pattern[str]  # a hedge right before a number ("约 1e-5")
    changes: re.Pattern[str]
    denials: re.Pattern[str]  # at a clause's end
    dismissals: re.Pattern[str]  # at a clause's end (rule `dismissed`)
    # A clause that says the speaker does not know what it names: a don't-know phrase after a speaker ("IN 和 GN
    # 我不太清楚"), or a negated one ending a clause that asks ("BigBird 那些具体怎么做没看过"; not "模型并不知道").
    unknown: re.Pattern[str]
    unknown_end: re.Pattern[str]  # at a clause's end, or before the punctuation that ends one
    asking: re.Pattern[str]
    # Comparative degrees (`comparatives.txt`): each word with the number of its opposite pair and its side.
    comparatives: dict[str, tuple[int, int]]
    headings: re.Pattern[str]  # a section title's cue, at its start or end (rule `heading`)
    retraction: re.Pattern[str]  # a clause of nothing else withdraws the claim before it (rule `retracted`)
    yes_no: re.Pattern[str]  # a question clause that asks yes or no (rule `answered_otherwise`)
    existence: re.Pattern[str]  # a verb that says a thing has another, as the 有 of "有没有激活函数" does
    listing: re.Pattern[str]  # a question that asks for a list (rule `enumeration`)
    examples: re.Pattern[str]  # a word that makes a list one of examples
    list_opener: re.Pattern[str]  # what opens a list with no colon before it
    list_closer: re.Pattern[str]  # what may close a list after its last item


def _alternatives(patterns: list[str]) -> re.Pattern[str]:
    pattern = "|".join(f"(?:{pattern})" for pattern in patterns)
    if not pattern:
        return re.compile(r"(?!)")
    parsed = _parser.parse(pattern)
    opening = None if parsed.state.flags & re.IGNORECASE else _opening(list(parsed))
    if opening is None or opening[1]:
        return re.compile(pattern)
    # A look-ahead at the characters a match can start with passes most places without trying every cue at each.
    return re.compile(f"(?=[{''.join(dict.fromkeys(opening[0]))}])(?:{pattern})")


_CLASSES = {_constants.CATEGORY_DIGIT: r"\d", _constants.CATEGORY_NOT_DIGIT: r"\D", _constants.CATEGORY_SPACE: r"\s",
            _constants.CATEGORY_NOT_SPACE: r"\S", _constants.CATEGORY_WORD: r"\w", _constants.CATEGORY_NOT_WORD: r"\W"}
_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)


def _opening(items: list) -> tuple[list[str], bool] | None:
    """The characters (as class members) a match of the parsed `items` can start with, and whether it can be empty;
    None when the parse holds something else."""
    found: list[str] = []
    for op, value in items:
        if op is _constants.LITERAL:
            return [*found, re.escape(chr(value))], False
        if op is _constants.IN:
            members = [_member(kind, member) for kind, member in value]
            return None if None in members else ([*found, *members], False)
        if op in _ZERO_WIDTH:
            continue
        if op is _constants.SUBPATTERN and not value[1] and not value[2]:
            inner = _opening(list(value[3]))
        elif op is _constants.BRANCH:
            branches = [_opening(list(branch)) for branch in value[1]]
            inner = None if None in branches else ([member for members, _ in branches for member in members],
                                                   any(empty for _, empty in branches))
        elif op in _REPEATS:
            inner = _opening(list(value[2]))
            inner = inner and (inner[0], inner[1] or value[0] == 0)
        else:
            return None
        if inner is None:
            return None
        found.extend(inner[0])
        if not inner[1]:
            return found, False
    return found, True


def _member(kind: object, member: object) -> str | None:
    """One member of a parsed character set as class syntax, or None (a negated set)."""
    if kind is _constants.LITERAL:
        return re.escape(chr(member))
    if kind is _constants.RANGE:
        return f"{re.escape(chr(member[0]))}-{re.escape(chr(member[1]))}"
    return _CLASSES.get(member) if kind is _constants.CATEGORY else None


def _folded(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_for_matching(word).text for word in words))


@lru_cache(maxsize=1)
def cues() -> Cues:
    """Merge every profile's cues; a word on two opposite pairs is a data error."""
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for profile in profiles():
        for key, (left, right) in profile.opposites.items():
            sides = merged.setdefault(key, ([], []))
            sides[0].extend(left)
            sides[1].extend(right)
    pairs = tuple((_folded(tuple(left)), _folded(tuple(right))) for left, right in merged.values())
    seen: dict[str, int] = {}
    for number, pair in enumerate(pairs):
        for word in pair[0] + pair[1]:
            if seen.setdefault(word, number) != number:
                raise ValueError(f"opposite word {word!r} sits on two pairs")
    everything = profiles()
    keys = list(merged)
    comparatives = {word: (keys.index(key), side) for profile in everything
                    for key, sides in profile.comparatives.items() for side in (0, 1) for word in sides[side]}
    hedges = "|".join(p for profile in everything for p in profile.hedges) or "(?!)"
    negation = _alternatives([p for profile in everything for p in profile.negation])
    # Read on folded text, as the answers they are looked for in ("i don't know the answer": "answer" is a term).
    dont_know = tuple(sorted({normalize_for_matching(p).text for profile in everything for p in profile.dont_know},
                             key=len, reverse=True))
    speakers = "|".join(p for profile in everything for p in profile.speakers) or "(?!)"
    negated = "|".join(re.escape(phrase) for phrase in dont_know if negation.search(phrase)) or "(?!)"
    return Cues(
        negation,
        _alternatives([p for profile in everything for p in profile.prevention]),
        _alternatives([p for profile in everything for p in profile.conditional]),
        dont_know,
        tuple(sorted({normalize_for_matching(p).text for profile in everything for p in profile.particles}, key=len,
                     reverse=True)),
        pairs,
        _alternatives([p for profile in everything for p in profile.comparison]),
        _alternatives([p for profile in everything for p in profile.coordination]),
        re.compile(rf"(?:\s*(?:{'|'.join(p for profile in everything for p in profile.openers) or '(?!)'})[\s,]*)*"),
        frozenset(normalize_text(p) for profile in everything for p in profile.pronouns),
        tuple(sorted({normalize_text(p) for profile in everything for p in profile.units}, key=len, reverse=True)),
        re.compile(rf"\s*(?:{hedges})(?![a-z])"),
        re.compile(rf"(?<![a-z])(?:{hedges})\s*$"),
        _alternatives([p for profile in everything for p in profile.changes]),
        re.compile(rf"(?:{'|'.join(p for profile in everything for p in profile.denials) or '(?!)'})\s*$"),
        re.compile(rf"(?:{'|'.join(p for profile in everything for p in profile.dismissals) or '(?!)'})\s*$"),
        re.compile(rf"(?:{speakers})\s*(?:{'|'.join(map(re.escape, dont_know))})"),
        re.compile(rf"(?:{negated})[了吧啊呢呀的]*\s*(?:$|[,;:!?\n()\"<>\[\].])"),
        _alternatives([p for profile in everything for p in profile.asking]),
        comparatives,
        re.compile("|".join(f"(?:{p})" for profile in everything for p in profile.headings) or "(?!)"),
        _alternatives([p for profile in everything for p in profile.retractions]),
        _alternatives([p for profile in everything for p in profile.yes_no]),
        _alternatives([re.escape(normalize_text(p)) for profile in everything for p in profile.existence]),
        _alternatives([p for profile in everything for p in profile.listing]),
        _alternatives([p for profile in everything for p in profile.examples]),
        _alternatives([p for profile in everything for p in profile.list_openers]),
        _alternatives([p for profile in everything for p in profile.list_closers]),
    )


def filler_phrases() -> tuple[str, ...]:
    """Every language's discourse fillers, normalized, longest first."""
    return tuple(sorted({normalize_text(p) for profile in profiles() for p in profile.fillers}, key=len, reverse=True))


def stop_words() -> frozenset[str]:
    """Words that never match, in any language."""
    return frozenset().union(*(profile.stop_words for profile in profiles()))


@lru_cache(maxsize=1)
def term_classes() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The classes of terms an answer may put in each other's place (`classes.txt`), each member's names folded as
    answers are."""
    lines = (DATA / "classes.txt").read_text(encoding="utf-8").splitlines()
    return tuple(tuple(tuple(normalize_for_matching(name.strip()).text for name in member.split(" / "))
                       for member in line.split(":", 1)[1].split(","))
                 for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)  # read per point wording: normalizing the file each time cost a cold grade ~0.5 ms
def function_chars() -> frozenset[str]:
    """Every language's function characters (`function_chars.txt`), normalized."""
    return frozenset(normalize_text(c) for profile in profiles() for c in profile.function_chars)
