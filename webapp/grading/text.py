"""Stage 1, text: read an answer, a question or a key point once into sentences and clauses of matching units."""

import bisect
import re
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from webapp.grading.normalize import Mapped, default_terms, normalize_mapped
from webapp.grading.params import Parameters
from webapp.grading.profiles import cues
from webapp.grading.units import ENGLISH_STOP_WORDS, is_cjk, unit_columns, units

# A full stop inside a name or number (nn.Module, 3.5) ends nothing.
_STOP = r"(?<![a-z0-9_])\.|\.(?![a-z0-9_])"
# A quote opening the object of 的 ("不会出现…的“token 税”") ends no clause.
_CLAUSE = re.compile(rf"[,;:!?\n()<>\[\]]|(?<!的)\"|{_STOP}")
_INNER_STOP = re.compile(r"(?<=[a-z0-9_])\.(?=[a-z0-9_])")
_SENTENCE_ENDS = frozenset(".;!?\n")
_LETTER = re.compile(r"(?<![a-z0-9_'])[a-z](?![a-z0-9_'])")
# Runs of what `_LETTER` may not touch: a run of one letter is one; finding runs is faster on long answers.
_WORD_RUN = re.compile(r"[a-z0-9_']+")
_ANY_WORD = re.compile(r"[^\W_]")
_RANGE = re.compile(r"\s*(?:~|到|至|to\b)?\s*\d")
_RANGE_JOIN = re.compile(r"\s*(?:~|-|到|至|to)\s*")
_WORD_BEFORE = re.compile(r"([a-z]+|[\u4e00-\u9fff]{2})\s*$")
_WORD_AFTER = re.compile(r"\s*([a-z]+|[\u4e00-\u9fff]{2})")
_SLOT_REACH = 12
_ASKING = re.compile(r"(.)[不没]\1")
# A negation stops at the 的 of what it qualifies, at the 而 of "不是 X 而是 Y", at the 但/却 of a contrast
# ("无偏但方差大" denies no variance), and at the 时/则/就 that close a condition: "不需要时直接输出答案" negates
# 需要, not what is done then; at an arrow to the next step of a flow
# ("直接模拟不可行 → rollout 由 LLM 生成"); and at an English "and" joining the next predicate ("it dropped
# fine-tuning and showed zero-shot transfer" denies no transfer), as at a 直接 opening it ("去掉微调直接 zero-shot",
# `_NEXT_PREDICATE`) unless it is the word the cue denies ("没法直接拼接").
_SCOPE_END = re.compile(r"的|而|但|却|→|⇒|\bbut\b|\band\b|\brather\b"
                        r"|(?<![同实及耗即暂临历准计适])时(?![间候刻序延长期代效段])"
                        r"|(?<![规原正否准细法])则|就")
_NEXT_PREDICATE = re.compile(r"直接")
_ARTICLES = frozenset("ai")
# A word and its negation joined as alternatives ("思考和不思考两种模式", "用或不用"): the cue denies nothing.
_ALTERNATIVE = re.compile(r"([\u4e00-\u9fff]{1,4})\s*(?:和|或者?|与|还是|跟)\s*$")


class Quantity(NamedTuple):
    """A number in a clause with its unit, and the words on either side that say what it counts (its slot)."""

    value: float
    unit: str
    before: str | None
    after: str | None


class Clause(NamedTuple):
    """A stretch of text between clause punctuation, with its units and what its cues turn (a tuple: a long answer
    has hundreds, and a frozen dataclass is slow to build)."""

    start: int
    end: int
    sentence: int
    text: str
    units: frozenset[str]
    turned: frozenset[str]  # units an odd number of negation cues govern
    conditional: bool
    prevents: bool  # a prevention cue ("防止", "avoid") makes its polarity unreadable
    negative: bool  # an odd number of negation cues outside a condition
    sides: frozenset[tuple[int, int]]  # (opposite pair, side) said, after turning
    letters: frozenset[str]  # single-letter symbols: q, k, v


@dataclass(frozen=True)
class Reading:
    """A text read once: folded, split into clauses and sentences, with where each unit occurs."""

    mapped: Mapped
    clauses: tuple[Clause, ...]
    sentence_units: tuple[frozenset[str], ...]
    # Lists, not tuples: copying a long answer's thousand lists into tuples cost more than anything read from them.
    unit_sentences: dict[str, list[int]]
    occurrences: dict[str, list[tuple[int, int]]]
    english: bool
    plain: str  # normalized but not folded: English terms still in English
    unknown: bool = False  # some clause says the candidate does not know what it names (rule `dont_know_scope`)

    @property
    def units(self) -> frozenset[str]:
        """Every unit the text contains."""
        return frozenset(self.occurrences)


# Runs, not single characters: summing the lengths of a few runs is faster than listing every character.
_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")


def is_english(text: str) -> bool:
    """Tell whether `text` is written mostly in English rather than Chinese."""
    return sum(map(len, _ASCII_LETTERS.findall(text))) > 2 * sum(map(len, _CJK_RUN.findall(text)))


def _parts(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield (start, end, sentence) of each stretch between clause punctuation."""
    sentence = start = 0
    for separator in _CLAUSE.finditer(text):
        yield start, separator.start(), sentence
        sentence += separator.group() in _SENTENCE_ENDS
        start = separator.end()
    yield start, len(text), sentence


@lru_cache(maxsize=1)
def _opposite_words() -> tuple[re.Pattern[str], dict[str, tuple[int, int]]]:
    """One pattern finding every opposite word, longest first, and each word's pair and side."""
    sides = {word: (number, side) for number, pair in enumerate(cues().opposites)
             for side in (0, 1) for word in pair[side]}
    # One branch per first character, its words' rests longest first: the engine skips to those characters and
    # tries the few words that open with the one it meets, not every word.
    rests: dict[str, list[str]] = {}
    for word in sorted(sides, key=len, reverse=True):
        rests.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = []
    for first, words in sorted(rests.items()):
        opening = re.escape(first)
        rest = f"(?:{'|'.join(words)})" if words != [""] else ""
        # An English word is whole: "end" is no opposite word inside "prepends", nor "drop" inside "dropout". The
        # look-behind sits past the first character: a pattern whose every branch opens with a character is
        # searched by scanning for those characters alone, several times faster on a long answer.
        branches.append(rf"{opening}(?<![a-z0-9]{opening}){rest}(?![a-z0-9])" if first.isascii() else opening + rest)
    pattern = "|".join(branches)
    return re.compile(pattern or r"(?!)"), sides


def opposite_side(word: str) -> tuple[int, int] | None:
    """The opposite pair and side a folded word says, or None."""
    return _opposite_words()[1].get(word)


def opposite_after(text: str, at: int) -> tuple[int, int] | None:
    """The opposite pair and side of the word `text` opens at `at` (past spaces), or None."""
    match = _opposite_words()[0].match(text, len(text) - len(text[at:].lstrip()))
    return opposite_side(match.group()) if match else None


def opposite_sides(text: str, turned_at: AbstractSet[int] = frozenset(),
                   cue_spans: Sequence[tuple[int, int]] = ()) -> frozenset[tuple[int, int]]:
    """Which side of which opposite pair `text` says; a word a cue turns says the other side ("防止过大")."""
    pattern, _ = _opposite_words()
    return _sides([(match.start(), match.end(), match.group()) for match in pattern.finditer(text)], turned_at,
                  cue_spans)


def _sides(found: list[tuple[int, int, str]], turned_at: AbstractSet[int],
           cue_spans: Sequence[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """The sides the opposite words `found` (start, end, word) say, turned where a cue governs them."""
    sides = _opposite_words()[1]
    said = set()
    for at, end, word in found:
        number, side = sides[word]
        inside_cue = any(start < end and at < stop for start, stop in cue_spans)
        said.add((number, side ^ (at in turned_at and not inside_cue)))
    return frozenset(said)


# Neighbours of a word sit at most this many characters from it: "误差反而越小" puts 误差 beside 越小.
_REACH = 2


def neighbours(text: str, words: tuple[str, ...]) -> frozenset[str]:
    """The units right before and right after each occurrence of `words` in `text`."""
    return _around(text, [(m.start(), m.end()) for word in words for m in re.finditer(re.escape(word), text)])


def letter_neighbours(text: str) -> frozenset[str]:
    """The units right before and right after each single-letter symbol in `text`."""
    return _around(text, [(m.start(), m.end()) for m in _LETTER.finditer(text)])


@lru_cache(maxsize=1)
def _quantity() -> re.Pattern[str]:
    """A number that is no part of a name or an exponent (gpt-3, fp16, s^2), in scientific notation or not, with the
    letters or the profiles' unit word right after it."""
    words = sorted((unit for unit in cues().units if not unit.isalpha() or not unit.isascii()), key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9_.^])(?<![a-z]-)(\d+(?:\.\d+)?)(e-?\d+)?[ -]*(?:([a-z]+)|("
                      + ("|".join(map(re.escape, words)) or "(?!)") + "))?")


def quantities(text: str) -> frozenset[Quantity]:
    """Each number of `text` that counts something: its value, its unit (a unit of the language profiles, "e" for
    scientific notation, else the letters right after it: a formula's variables, 6sD²), and the words right before
    it and right after its unit. The first number of a range takes the range's unit ("1-3 轮"); bare numbers are left
    out."""
    every = cues()
    found = set()
    pending: list[tuple[float, str | None]] = []  # a range's first numbers, waiting for its unit
    for match in _quantity().finditer(text):
        number, exponent, letters, word = match.groups()
        unit = "e" if exponent else letters if letters and letters not in ENGLISH_STOP_WORDS else word
        value = float(number + (exponent or ""))
        # A hedge ("约", "左右") says how exact the number is, not what it counts: the slot is the word past it.
        head = text[max(0, match.start() - _SLOT_REACH):match.start()]
        if hedge := every.hedge_before.search(head):
            head = head[:hedge.start()]
        before = _WORD_BEFORE.search(head)
        if unit is None:
            pending = [*pending, (value, before and before.group(1))] if _RANGE.match(text, match.end()) else []
            continue
        hedge = every.hedge_after.match(text, match.end())
        after = _WORD_AFTER.match(text, hedge.end() if hedge else match.end())
        slot_after = after.group(1) if after else None
        for first, first_before in pending or [(value, before and before.group(1))]:
            found.add(Quantity(first, unit, first_before, slot_after))
        if pending:
            found.add(Quantity(value, unit, pending[0][1], slot_after))
        pending = []
    return frozenset(found)


def bare_numbers(text: str) -> list[tuple[float, frozenset[str]]]:
    """Each number of `text` with no unit or letters after it ("从 0 初始化"), and the word units around it (its slot),
    which `quantities` leaves out."""
    found: list[tuple[float, frozenset[str]]] = []
    last = None
    for match in _quantity().finditer(text):
        number, exponent, letters, word = match.groups()
        if exponent or letters or word:
            last = None
            continue
        slot = frozenset(unit for unit in _around(text, [match.span(1)]) if len(unit) > 1 and not unit.isdigit())
        if last is not None and _RANGE_JOIN.fullmatch(text, last, match.start(1)):
            slot |= found[-1][1]  # the two ends of a range ("8~64") share one slot
            found[-1] = (found[-1][0], slot)
        found.append((float(number), slot))
        last = match.end(1)
    return found


def letter_slots(text: str) -> dict[str, frozenset[str]]:
    """The units right before and right after each single-letter symbol in `text`, by letter."""
    places: dict[str, list[tuple[int, int]]] = {}
    for match in _LETTER.finditer(text):
        places.setdefault(match.group(), []).append((match.start(), match.end()))
    return {letter: _around(text, spots) for letter, spots in places.items()}


def _around(text: str, places: list[tuple[int, int]]) -> frozenset[str]:
    if not places:
        return frozenset()
    found = units(text)
    return frozenset(unit for at, end in places for unit, start, stop in found
                     if at - _REACH <= stop <= at or end <= start <= end + _REACH)


@dataclass(frozen=True)
class _Marks:
    """Where the cues of a whole text sit, found in one pass each: a clause takes those inside it."""

    negations: list[tuple[int, int]]
    preventions: list[tuple[int, int]]
    letters: list[tuple[int, str]]
    opposites: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> "_Marks":
        every = cues()
        return cls([span for m in every.negation.finditer(text) if (span := m.span())[1] > span[0]],
                   [m.span() for m in every.prevention.finditer(text)],
                   [(m.start(), word) for m in _WORD_RUN.finditer(text) if len(word := m.group()) == 1
                    and word.isalpha()],
                   [m.span() for m in _opposite_words()[0].finditer(text)])


def _within(marks: list, start: int, end: int) -> list:
    """The marks (sorted by where they start) that start in [start, end)."""
    return marks[bisect.bisect_left(marks, (start,)):bisect.bisect_left(marks, (end,))]


def _clause(part: str, names: list[str], starts: list[int], ends: list[int], start: int, end: int, sentence: int,
            params: Parameters, marks: _Marks) -> tuple[Clause, set[str]]:
    """Read the clause `part` (`start` to `end`) and its units; give with it the units its negation cues are part of."""
    every = cues()
    conditional = every.conditional.search(part) is not None
    spans = [(s - start, e - start) for s, e in _within(marks.negations, start, end) if e <= end]
    if spans and params.enabled("alternatives"):
        spans = [span for span in spans if not _alternative(part, span[0])]
    # A prevention cue with no word after it in its clause is a noun ("去重/时效过滤"), not a verb keeping anything off.
    prevents = any(_ANY_WORD.search(part, cue_end - start) for _, cue_end in _within(marks.preventions, start, end))
    turned_at: set[int] = set()
    cued: set[str] = set()
    turned: frozenset[str] = frozenset()
    if spans:
        found = [(unit, s - start, e - start) for unit, s, e in zip(names, starts, ends, strict=True)]
        governed: dict[str, int] = {}
        for cue_start, cue_end in spans:
            cued.update(unit for unit, s, e in found if s < cue_end and e > cue_start)
            if conditional or _ASKING.match(part, max(0, cue_start - 1)):
                continue
            end_of_scope = _SCOPE_END.search(part, cue_end)
            stop = end_of_scope.start() if end_of_scope else -1
            predicate = _NEXT_PREDICATE.search(part, cue_end, stop if stop >= 0 else len(part))
            if predicate and part[cue_end:predicate.start()].strip():
                stop = predicate.start()
            after = [(unit, s, e) for unit, s, e in found if s >= cue_end and (stop < 0 or s < stop)]
            if not after or not _next_to(part[cue_end:after[0][1]]):
                continue
            for unit, s, e in after[:params.negation_scope]:
                governed[unit] = governed.get(unit, 0) + 1
                turned_at.update(range(s, e))
        turned = frozenset(unit for unit, count in governed.items() if count % 2) - cued
    typed = _within(marks.letters, start, end)
    letters = frozenset(letter for _, letter in typed) if typed else frozenset()
    if letters & _ARTICLES and is_english(part):
        letters -= _ARTICLES
    negative = not conditional and len(spans) % 2 == 1
    return Clause(start, end, sentence, part, frozenset(names).difference(cued), turned, conditional, prevents,
                  negative, _clause_sides(part, start, end, marks, turned_at, spans), letters), cued


def _alternative(part: str, cue_start: int) -> bool:
    """Tell whether the cue at `cue_start` negates the word just said as the other alternative (rule
    `alternatives`): "一个模型可以有思考和不思考两种模式" says both modes, it denies neither."""
    joined = _ALTERNATIVE.search(part, 0, cue_start)
    rest = part[cue_start + 1:]
    return joined is not None and any(rest.startswith(joined.group(1)[-size:])
                                      for size in range(len(joined.group(1)), 0, -1))


def _next_to(gap: str) -> bool:
    """Tell whether a negation cue's words follow it at once: past at most one character, or one Chinese character
    and the spaces folding puts round a term ("不能让 词元")."""
    return len(gap) <= 1 or (len(rest := gap.replace(" ", "")) == 1 and is_cjk(rest))


def _clause_sides(part: str, start: int, end: int, marks: _Marks, turned_at: AbstractSet[int],
                  cue_spans: Sequence[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """The opposite sides a clause says: the words found in the whole text, or its own if one crosses its ends."""
    first = bisect.bisect_left(marks.opposites, (start,))
    inside = marks.opposites[first:bisect.bisect_left(marks.opposites, (end,), first)]
    # The words do not overlap: if the first reaches past the clause, it is the only one inside.
    if not inside or inside[0][1] > end:
        return frozenset()
    if inside[-1][1] > end or (first and marks.opposites[first - 1][1] > start):
        return opposite_sides(part, turned_at, cue_spans)
    return _sides([(s - start, e - start, part[s - start:e - start]) for s, e in inside], turned_at, cue_spans)


def _full_stops(folded: str, mapped: Mapped, text: str) -> str:
    """`folded` with each full stop typed as "。" between letters written ";": normalized to ".", it would read as part
    of a name (nn.Module) and join two sentences ("2mkn。QKV")."""
    if "。" not in text:
        return folded
    stops = [m.start() for m in _INNER_STOP.finditer(folded) if text[mapped.starts[m.start()]] == "。"]
    if not stops:
        return folded
    chars = list(folded)
    for at in stops:
        chars[at] = ";"
    return "".join(chars)


def _merged(parts: list[tuple[int, int, int]], counts: list[int], folded: str,
            params: Parameters) -> Iterator[tuple[int, int, int]]:
    """Join a clause too short to say anything to the one before it in its sentence ("K、V" is one clause), and drop
    one that only repeats the words the one before ends with (rule `bracketed_repeat`)."""
    pending: tuple[int, int, int] | None = None
    repeats = params.enabled("bracketed_repeat")
    for (start, end, sentence), count in zip(parts, counts, strict=True):
        if pending and pending[2] == sentence and count and repeats and _repeats(folded, pending, start, end):
            continue
        if pending and pending[2] == sentence and count and count < params.min_clause_units:
            pending = (pending[0], end, sentence)
            continue
        if pending:
            yield pending
        pending = (start, end, sentence)
    if pending:
        yield pending


def _repeats(folded: str, before: tuple[int, int, int], start: int, end: int) -> bool:
    """Tell whether a clause only repeats the words the clause before ends with: a bracketed acronym folds to the
    term it expands ("没有监督微调 (SFT)" reads "没有监督微调 (监督微调)"), and a polarity of its own would make the
    point assert the term the clause before negates."""
    words = folded[start:end].strip()
    return bool(words) and folded[before[0]:before[1]].rstrip(" (").endswith(words)


def read(text: str, params: Parameters, keep_lines: bool = False) -> Reading:
    """Read `text` once: fold it, split it into clauses and sentences, and index where each unit occurs."""
    plain = normalize_mapped(text, keep_lines)
    mapped = default_terms().fold(plain)
    folded = mapped.text
    names, starts, ends = unit_columns(folded)
    punctuated = _full_stops(folded, mapped, text)
    parts = list(_parts(punctuated))
    counts = [bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start) for start, end, _ in parts]
    marks = _Marks.of(folded)
    clauses = []
    sentences: list[set[str]] = []
    sentence_numbers: dict[int, int] = {}
    dropped: list[int] = []  # the places of units a clause does not count: no occurrences
    for start, end, sentence in _merged(parts, counts, folded, params):
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        if lo == hi:
            continue
        number = sentence_numbers.setdefault(sentence, len(sentence_numbers))
        if number == len(sentences):
            sentences.append(set())
        here = names[lo:hi]
        clause, cued = _clause(folded[start:end], here, starts[lo:hi], ends[lo:hi], start, end, number, params, marks)
        clauses.append(clause)
        sentences[number].update(clause.units)
        if cued:
            dropped.extend(index for index, unit in enumerate(here, lo) if unit in cued)
    if keep_lines and params.enabled("denied_list") and _GATHERING.search(folded):
        clauses = _denied_lists(clauses, params)
    if params.enabled("denied_series") and "、" in text and marks.negations:
        clauses = _denied_series(clauses, mapped, text, params)
    unknown = False
    if keep_lines and params.enabled("dont_know_scope") and (cues().unknown.search(folded)
                                                             or cues().unknown_end.search(folded)):
        clauses, sentences, unknown = _without_unknown(clauses, sentences, params)
    if keep_lines and params.enabled("retracted") and cues().retraction.search(folded):
        clauses, sentences, withdrawn = _without_retracted(clauses, sentences)
        for clause in withdrawn:
            dropped.extend(range(bisect.bisect_left(starts, clause.start), bisect.bisect_left(starts, clause.end)))
    counted = names
    found = zip(names, zip(starts, ends, strict=True), strict=True)
    if dropped:
        kept = [True] * len(names)
        for index in dropped:
            kept[index] = False
        counted = list(compress(names, kept))
        found = compress(found, kept)
    # Every unit's list made first, in the order units first occur: a long answer has a thousand distinct units, and
    # filling lists made at once is faster than a defaultdict making them one miss at a time.
    occurrences: dict[str, list[tuple[int, int]]] = {unit: [] for unit in counted}
    for unit, span in found:
        occurrences[unit].append(span)
    unit_sentences: dict[str, list[int]] = {unit: [] for seen in sentences for unit in seen}
    for number, seen in enumerate(sentences):
        for unit in seen:
            unit_sentences[unit].append(number)
    return Reading(mapped, tuple(clauses), tuple(frozenset(seen) for seen in sentences),
                   unit_sentences, occurrences, is_english(text), plain.text, unknown)


# A word that gathers the items listed before it ("简繁混用、全角半角标点、异体字这些都不用管").
_GATHERING = re.compile(r"这些|这几|都|全|\b(?:all|both|these|them)\b")
_DENIAL_CHARS = 24


def _list_item(clause: Clause, sentence: int, params: Parameters) -> bool:
    """Tell whether a clause can be an item of a list a later clause of `sentence` gathers: in that sentence, of at
    most twice `list_item_units` units, asserting nothing negative or supposed."""
    return (clause.sentence == sentence and not clause.negative and not clause.conditional
            and len(clause.units) <= 2 * params.list_item_units)


def _denied(item: Clause) -> Clause:
    """A list item read as denied whole, by the denial of the list (rules `denied_list`, `denied_series`)."""
    return item._replace(negative=True, turned=item.units)


def _denied_lists(clauses: list[Clause], params: Parameters) -> list[Clause]:
    """Negate the list items (`_list_item`, not empty) a denial ending a clause gathers (rule `denied_list`): in
    "混合召回、CE rerank 和去重、时效过滤都没有用" the denial is of every item, not of the last one alone; they are the
    clauses right before it."""
    denials = cues().denials
    for number, clause in enumerate(clauses):
        gathering = _GATHERING.search(clause.text)
        # A denial is a few characters ending the clause: searching its tail is enough, and far cheaper.
        denial = gathering and denials.search(clause.text, max(gathering.end(), len(clause.text) - _DENIAL_CHARS))
        if not denial:
            continue
        item = number - 1
        while item >= 0 and clauses[item].units and _list_item(clauses[item], clause.sentence, params):
            clauses[item] = _denied(clauses[item])
            item -= 1
    return clauses


# Negation cues that are word prefixes (无方向性, 非接触, 未对齐) rather than a denial of a predicate.
_PREFIX_CUES = frozenset("无非未")


def _denied_series(clauses: list[Clause], mapped: Mapped, text: str, params: Parameters) -> list[Clause]:
    """Negate the list items joined by "、" to a clause whose negation reaches its end (rule `denied_series`): in
    "不支持批处理、流式输出" the denial is of both items, not of the first alone; they are the clauses right after it.
    A negated clause that is itself an item ("稀疏、不稳定、难调") is a keyword of its own, and a cue making one word
    of what follows it, a prefix ("包括无方向性、抗干扰") or before an opposite word ("训练不稳定、难调"), denies no
    item after it."""

    def joined(before: Clause, after: Clause) -> bool:
        return "、" in text[mapped.starts[before.end]:mapped.starts[after.start]]

    for number, clause in enumerate(clauses):
        if not clause.negative or clause.conditional:
            continue
        found = units(clause.text)
        if not found or found[-1][0] not in clause.turned or (number and joined(clauses[number - 1], clause)):
            continue
        cue = cues().negation.search(clause.text)
        if cue and (cue.group().strip() in _PREFIX_CUES or opposite_after(clause.text, cue.end())):
            continue
        item = number + 1
        while (item < len(clauses) and clauses[item].units and _list_item(clauses[item], clause.sentence, params)
               and joined(clauses[item - 1], clauses[item])):
            clauses[item] = _denied(clauses[item])
            item += 1
    return clauses


def _without_unknown(clauses: list[Clause], sentences: list[set[str]],
                     params: Parameters) -> tuple[list[Clause], list[set[str]], bool]:
    """Empty the clauses that say the candidate does not know what they name, and the sentences' units with them;
    tell whether there were any.

    Such a clause ("IN 和 GN 我不太清楚", "BigBird 那些具体怎么做没看过") takes with it the embedded questions beside it
    in its sentence ("张量并行、流水线并行这些分别怎么切，后面的我不清楚") and the short list items right before those:
    a method named to say it is not known is no evidence of it. A claim before them ("LN 是对单个样本做的，…，后面的
    我不清楚") stays.
    """
    every = cues()
    unknown = {number for number, clause in enumerate(clauses) if every.unknown.search(clause.text) or (
        every.unknown_end.search(clause.text) and every.asking.search(clause.text))}
    if not unknown:
        return clauses, sentences, False
    if params.enabled("unknown_items"):
        unknown |= _unknown_items(clauses, unknown, params)
    for number in sorted(unknown):
        for step in (-1, 1):
            near = number + step
            while (0 <= near < len(clauses) and near not in unknown
                   and clauses[near].sentence == clauses[number].sentence
                   and (every.asking.search(clauses[near].text)
                        or (step < 0 and len(clauses[near].units) <= params.list_item_units))):
                unknown.add(near)
                near += step
    kept = [clause._replace(units=frozenset(), turned=frozenset()) if number in unknown else clause
            for number, clause in enumerate(clauses)]
    emptied: list[set[str]] = [set() for _ in sentences]
    for clause in kept:
        emptied[clause.sentence].update(clause.units)
    return kept, emptied, True


# A word that gathers the names listed before it into what a don't-know is about ("A、B 这些我只听过名字").
_NAMED_ITEMS = re.compile(r"这些|那些|这类|这几|之类|\b(?:these|those)\b")


def _unknown_items(clauses: list[Clause], unknown: set[int], params: Parameters) -> set[int]:
    """The list items a don't-know gathers (rule `unknown_items`): in "别的像 Grounded SFT、DPO 这些我只听过名字" or
    "听说有 routing cache、冻结路由这类，具体怎么做我不知道" the names before the gathering word are what is not
    known, however long. Items (`_list_item`) are the clauses before it."""
    items = set()
    for number in unknown:
        sentence = clauses[number].sentence
        if _NAMED_ITEMS.search(clauses[number].text):
            item = number - 1
        elif (number and _list_item(clauses[number - 1], sentence, params)
              and _NAMED_ITEMS.search(clauses[number - 1].text[-4:])):
            item = number - 2  # "冻结路由这类，具体怎么做我不知道": the clause before ends gathering its items
            items.add(number - 1)
        else:
            continue
        while item >= 0 and _list_item(clauses[item], sentence, params):
            items.add(item)
            item -= 1
    return items


def _without_retracted(clauses: list[Clause],
                       sentences: list[set[str]]) -> tuple[list[Clause], list[set[str]], list[Clause]]:
    """Empty the clauses a retraction withdraws (rule `retracted`), and the retractions themselves; give the clauses
    emptied.

    A clause made only of retraction cues ("这一点其实不对", "刚才说错了", "I was wrong about that") withdraws the
    clause right before it and, back through that clause's sentence, each one before that shares a unit with those
    withdrawn: in "去掉 NSP 任务，实验表明 NSP 无益甚至有害，这一点其实不对" both clauses about NSP go. What the
    answer says elsewhere still counts, for or against a point.
    """
    retraction = cues().retraction
    cues_at = {number for number, clause in enumerate(clauses) if retraction.search(clause.text)
               and not _ANY_WORD.search(retraction.sub("", clause.text))}
    if not cues_at:
        return clauses, sentences, []
    withdrawn = set(cues_at)
    for number in sorted(cues_at):
        near = number - 1
        while near in cues_at:
            near -= 1
        if near < 0:
            continue
        withdrawn.add(near)
        said = set(clauses[near].units)
        before = near - 1
        while before >= 0 and clauses[before].sentence == clauses[near].sentence and clauses[before].units & said:
            withdrawn.add(before)
            said.update(clauses[before].units)
            before -= 1
    kept = [clause._replace(units=frozenset(), turned=frozenset(), negative=False, sides=frozenset(),
                            letters=frozenset()) if number in withdrawn else clause
            for number, clause in enumerate(clauses)]
    emptied: list[set[str]] = [set() for _ in sentences]
    for clause in kept:
        emptied[clause.sentence].update(clause.units)
    return kept, emptied, [clauses[number] for number in sorted(withdrawn)]


@lru_cache(maxsize=1024)
def read_bank_text(text: str, params: Parameters) -> Reading:
    """Read a question or a key point, which come from the bank and recur, once per process."""
    return read(text, params)
