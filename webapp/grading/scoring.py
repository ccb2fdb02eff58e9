"""Match an answer against key points and score it, with evidence spans in the answer as typed."""

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from webapp.grading.keypoints import KeyPoint, strip_filler
from webapp.grading.normalize import Mapped, data_lines, normalize_for_matching, normalize_mapped
from webapp.grading.units import ENGLISH_STOP_WORDS, idf, is_cjk, is_known, units

GRADER_VERSION = "2.3.1"

ECHO_DISCOUNT = 0.01
SATURATION = 0.5
SHORT_POINT_UNITS = 6
SATURATION_CAP = 0.9
FUZZY_SHARE = 0.25
HIT, PARTIAL = 0.7, 0.3
KEYWORDS_FACTOR = 0.35
REVERSED_FACTOR = 0.1
RAMBLING_FACTOR = 0.6
RELEVANT_SHARE = 0.35
FLIPPED_SHARE = 0.3
FLIPPED_CLAUSE = 0.25
SENTENCE_ON_TOPIC = 0.1
CURVE_FULL = 0.5
TERM_SATURATION = 0.9
DENIED_SHARE = 0.5
DENIED_FACTOR = 0.6

# A full stop inside a name or number (nn.Module, 3.5) ends nothing.
_STOP = r"(?<![a-z0-9_])\.|\.(?![a-z0-9_])"
_CLAUSE = re.compile(rf"[,;:!?\n()\"<>\[\]]|{_STOP}")
_SENTENCE = re.compile(rf"[;!?\n]|{_STOP}")
_STATEMENT_END = re.compile(rf"[;!?]|{_STOP}")
_NEGATION = re.compile(
    r"并?(?:(?<!得)不(?!同|断|少|仅|过|论|管|错|但|久|如|止|得不)|没有?|无(?!论|关)|未(?!来)|非(?!常|线性))"
    r"(?:是|会|能|用|必|需要?|要|可能|应该|再|太)?"
    r"|\b(?:not|never|no|cannot|without|neither|nor|instead of|no longer)\b|n't"
)
NEGATION_SCOPE = 4
PRECISE_SCOPE = 3
_CONTRARY = re.compile(r"反而|相反")
_CONDITIONAL = re.compile(r"^\s*(?:如果|假如|若|要是)|的话|\bwithout\b|\bif\b")
_ASKING = re.compile(r"(.)[不没]\1")
_CONNECTOR = re.compile(r"\s*(?:和|与|跟|及|或|还是|而不是|而非|不是|相比于?|对比|比|vs\.?|versus|and|or|,|/)\s*")
_FUNCTION = re.compile(
    r"的|是|了|在|会|能|可以|因为|所以|导致|使|让|通过|把|被|对|就|而|也|需要|用于|如果|则|时|将|比|更"
    r"|\b(?:is|are|was|be|the|a|an|to|of|because|so|can|will|which|that|by|when|if|it|makes?|uses?)\b"
)
_GIBBERISH_KNOWN = 0.3
_PROSE_FUNCTION_SHARE = 0.2
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_COMPARING = re.compile(r"(?:比|相比于?|than)\s*")
_STANDARD = re.compile(_COMPARING.pattern + "$")
_LETTER = re.compile(r"(?<![a-z0-9_])[a-z](?![a-z0-9_])")
_PREVENT = re.compile(r"防止|避免|以免|以防|\b(?:prevent|avoid)")
_DEGREE = re.compile(r"^[较过太很]")


@dataclass(frozen=True)
class PointResult:
    """How well an answer covers one key point, and where."""

    id: str
    text: str
    status: Literal["hit", "partial", "miss"]
    score: float
    evidence: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GradeResult:
    """The grade of one answer: a 0-100 score, the per-point results and what was noticed."""

    score: int
    points: tuple[PointResult, ...]
    flags: tuple[str, ...]
    version: str
    gradable: bool = True

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "score": self.score,
            "gradable": self.gradable,
            "points": [{"id": p.id, "text": p.text, "status": p.status, "score": p.score,
                        "evidence": [list(span) for span in p.evidence]} for p in self.points],
            "flags": list(self.flags),
            "version": self.version,
        }


@lru_cache(maxsize=1)
def _opposites() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    pairs = []
    for line in data_lines("opposites.txt"):
        left, right = (tuple(normalize_for_matching(word.strip()).text for word in side.split(","))
                       for side in line.split(" | "))
        pairs.append((left, right))
    return tuple(pairs)


@lru_cache(maxsize=1)
def _opposites_by_degree() -> tuple[tuple[dict[bool, tuple[str, ...]], ...], ...]:
    """Split each side of each opposite pair into its degree words (较大, 过小) and the rest, keyed by being one."""
    return tuple(tuple({degree: tuple(word for word in words if bool(_DEGREE.match(word)) == degree)
                        for degree in (True, False)} for words in pair) for pair in _opposites())


@lru_cache(maxsize=1)
def _dont_know() -> tuple[str, ...]:
    return tuple(normalize_for_matching(phrase).text for phrase in data_lines("dont_know.txt"))


@dataclass(frozen=True)
class _Clause:
    text: str
    units: frozenset[str]
    negated: frozenset[str]
    odd: bool
    sides: frozenset[tuple[int, int]]
    sentence: int


def _parts(text: str) -> Iterator[tuple[str, int]]:
    """Split folded text at clause punctuation, numbering the sentence each clause belongs to."""
    sentence = start = 0
    for separator in _CLAUSE.finditer(text):
        yield text[start:separator.start()], sentence
        sentence += separator.group() in ".;!?\n"
        start = separator.end()
    yield text[start:], sentence


def _clauses(text: str, precise: bool = False) -> tuple[_Clause, ...]:
    """Split folded text at clause punctuation, noting each clause's units and which of them a cue negates.

    A precise reading lets a cue negate only the words right after it, up to a 的, and none in a condition or an
    A-not-A question; two cues on one word cancel, and a clause's parity counts only 反而/相反.
    """
    out = []
    for part, sentence in _parts(text):
        found = list(units(part))
        if not found:
            continue
        governed: dict[str, int] = {}
        cued: set[str] = set()
        cues = list(_NEGATION.finditer(part))
        conditional = precise and _CONDITIONAL.search(part) is not None
        for cue in cues:
            cued.update(unit for unit, start, end in found if start < cue.end() and end > cue.start())
            after = [(unit, start) for unit, start, end in found if start >= cue.end()]
            if precise:
                if conditional or _ASKING.match(part, max(0, cue.start() - 1)):
                    continue
                stop = part.find("的", cue.end())
                after = [(unit, start) for unit, start in after if stop < 0 or start < stop]
                if not after or after[0][1] > cue.end() + 1:
                    continue
            for unit, _ in after[:PRECISE_SCOPE if precise else NEGATION_SCOPE]:
                governed[unit] = governed.get(unit, 0) + 1
        negated = {unit for unit, count in governed.items() if count % 2 or not precise}
        odd = len(_CONTRARY.findall(part)) + (0 if precise else len(cues))
        out.append(_Clause(part, frozenset(unit for unit, _, _ in found) - cued, frozenset(negated - cued),
                           odd % 2 == 1, _sides(part), sentence))
    return tuple(out)


def _compared(mapped: Mapped) -> tuple[tuple[str, ...], ...]:
    """Find the groups of things a folded question compares: terms joined by 和, 与, 而不是, vs, and, or, ...."""
    found = sorted((m.start(), -len(term), term) for term in set(mapped.terms)
                   for m in re.finditer(re.escape(term), mapped.text))
    named: list[tuple[int, str]] = []
    for start, _, term in found:
        if not named or start >= named[-1][0] + len(named[-1][1]):
            named.append((start, term))
    groups: list[dict[str, None]] = []
    joined = False
    for (start, term), (after, other) in itertools.pairwise(named):
        if term != other and _CONNECTOR.fullmatch(mapped.text[start + len(term):after]):
            if not joined:
                groups.append({term: None})
            groups[-1][other] = None
            joined = True
        else:
            joined = False
    return tuple(tuple(group) for group in groups)


@dataclass(frozen=True)
class _Comparison:
    groups: tuple[tuple[str, ...], ...]
    naming: frozenset[str]
    clauses: tuple[tuple[_Clause, frozenset[str]], ...]
    point_subjects: dict[str, tuple[tuple[str | None, ...], ...]]  # by folded point text


def _comparison(mapped: Mapped, point_texts: tuple[str, ...]) -> "_Comparison | None":
    """Note what the question compares, and which of those things each clause of the reference speaks of."""
    groups = _compared(mapped)
    if not groups:
        return None
    naming = frozenset(unit for group in groups for thing in group for unit, _, _ in units(thing))
    clauses = []
    point_subjects = {}
    for text in point_texts:
        prepared = _prepare(text)
        subjects = point_subjects[prepared.text] = _all_subjects(prepared.clauses, groups)
        for number, clause in enumerate(prepared.clauses):
            clauses.append((clause, frozenset(s[number] for s in subjects if s[number] is not None)))
    return _Comparison(groups, naming, tuple(clauses), point_subjects)


def _all_subjects(clauses: tuple[_Clause, ...],
                  groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str | None, ...], ...]:
    return tuple(_subjects(clauses, group) for group in groups)


def _subjects(clauses: tuple[_Clause, ...], compared: tuple[str, ...]) -> tuple[str | None, ...]:
    """Name, for each clause, which compared thing it speaks of: the first one it names, else its sentence's."""
    out: list[str | None] = []
    current: str | None = None
    sentence = -1
    for clause in clauses:
        if clause.sentence != sentence:
            current, sentence = None, clause.sentence
        named = [(at, thing) for thing in compared if (at := _subject_at(clause.text, thing)) >= 0]
        if named:
            current = min(named, key=lambda pair: (pair[0], -len(pair[1])))[1]
        out.append(current)
    return tuple(out)


def _subject_at(text: str, thing: str) -> int:
    """Find where `text` names `thing` other than as the standard of a comparison ("比bert多了…"), or -1."""
    at = text.find(thing)
    while at >= 0 and _STANDARD.search(text, 0, at):
        at = text.find(thing, at + 1)
    return at


def _is_english(text: str) -> bool:
    """Tell whether normalized `text` is written mostly in English rather than Chinese."""
    letters = sum(char.isascii() and char.isalpha() for char in text)
    return letters > 2 * sum(map(is_cjk, text))


@dataclass(frozen=True)
class _Point:
    text: str
    weights: dict[str, float]
    clauses: tuple[_Clause, ...]
    english: bool
    term_weights: dict[str, float]
    precise_clauses: tuple[_Clause, ...]
    sides: frozenset[tuple[int, int]]


@lru_cache(maxsize=4096)
def _prepare(text: str) -> _Point:
    claim = strip_filler(text)
    mapped = normalize_for_matching(claim)
    weights = {unit: idf(unit) for unit, _, _ in units(mapped.text)}
    term_weights = {unit: idf(unit) for term in mapped.terms for unit, _, _ in units(term)}
    return _Point(mapped.text, weights, _clauses(mapped.text), _is_english(normalize_mapped(claim).text), term_weights,
                  _clauses(mapped.text, precise=True), _sides(mapped.text))


@dataclass(frozen=True)
class _Sentence:
    clauses: tuple[_Clause, ...]
    units: frozenset[str]
    sides: frozenset[tuple[int, int]]
    conditional: bool


def _sentence(clauses: tuple[_Clause, ...]) -> _Sentence:
    return _Sentence(clauses, frozenset().union(*(clause.units for clause in clauses)),
                     frozenset().union(*(clause.sides for clause in clauses)),
                     any(_CONDITIONAL.search(clause.text) for clause in clauses))


@dataclass(frozen=True)
class _Answer:
    mapped: Mapped
    occurrences: dict[str, list[tuple[int, int]]]
    sentences: tuple[tuple[int, int], ...]
    clauses: tuple[_Clause, ...]
    english: bool
    sentence_starts: tuple[int, ...]
    precise_clauses: tuple[_Clause, ...]
    clause_sentences: tuple[_Sentence, ...]


def _prepare_answer(answer: str) -> _Answer:
    mapped = normalize_for_matching(answer, keep_lines=True)
    occurrences: dict[str, list[tuple[int, int]]] = {}
    for unit, start, end in units(mapped.text):
        occurrences.setdefault(unit, []).append((start, end))
    bounds = [0] + [m.end() for m in _SENTENCE.finditer(mapped.text)] + [len(mapped.text)]
    sentences = tuple((a, b) for a, b in itertools.pairwise(bounds) if b > a)
    clauses = _clauses(mapped.text)
    by_sentence = tuple(_sentence(tuple(group))
                        for _, group in itertools.groupby(clauses, key=lambda clause: clause.sentence))
    return _Answer(mapped, occurrences, sentences, clauses, _is_english(normalize_mapped(answer).text),
                   tuple(start for start, _ in sentences), _clauses(mapped.text, precise=True), by_sentence)


def _sentence_of(answer: _Answer, position: int) -> int:
    return max(0, bisect.bisect_right(answer.sentence_starts, position) - 1)


@lru_cache(maxsize=1)
def _opposite_words() -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Index every opposite word by its first character, with its pair index and side."""
    index: dict[str, list[tuple[str, int, int]]] = {}
    for number, pair in enumerate(_opposites()):
        for side in (0, 1):
            for word in pair[side]:
                index.setdefault(word[0], []).append((word, number, side))
    return {char: tuple(words) for char, words in index.items()}


def _sides(text: str) -> frozenset[tuple[int, int]]:
    """Note which side of which opposite pair `text` mentions, as (pair index, side)."""
    words = _opposite_words()
    return frozenset((number, side) for char in set(text) for word, number, side in words.get(char, ())
                     if word in text)


def _opposed(mine: _Clause, said: _Clause, matched: dict[str, float]) -> bool:
    """Tell whether the clause puts the opposite word where the point's clause has one, about the same things."""
    return any(len(_units_besides(mine.text, _opposites()[index][side])
                   & _units_besides(said.text, _opposites()[index][other]) & matched.keys()) >= 2
               for index, side, other in _opposite_sides(mine, said))


def _opposite_sides(mine: _Clause, said: _Clause) -> Iterator[tuple[int, int, int]]:
    """Yield (pair, side, other side) for each opposite pair of which the clauses say one side each, and only that."""
    for index, side in mine.sides:
        other = 1 - side
        if (index, other) in said.sides and (index, other) not in mine.sides and (index, side) not in said.sides:
            yield index, side, other


def _opposed_in_place(mine: _Clause, said: _Clause, matched: dict[str, float]) -> bool:
    """Tell whether the clause puts the opposite word in the very slot of the point's clause: "文本的靠后部分".

    A degree word (较大, 过小) only opposes another one, so "方差较大" states the problem that "缩小方差" solves, and
    neither text may say it prevents something: "防止输入过大" means the input stays small.
    """
    pairs = list(_opposite_sides(mine, said))
    if not pairs or _PREVENT.search(mine.text) or _PREVENT.search(said.text):
        return False
    return any(_neighbours(mine.text, _opposites_by_degree()[index][side][degree])
               & _neighbours(said.text, _opposites_by_degree()[index][other][degree]) & matched.keys()
               for index, side, other in pairs for degree in (True, False))


@lru_cache(maxsize=8192)
def _neighbours(text: str, words: tuple[str, ...]) -> frozenset[str]:
    """The units right before and right after each occurrence of `words` in `text`, across at most one space."""
    found = list(units(text))
    out: set[str] = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            out.update(unit for unit, start, stop in found if at - 1 <= stop <= at or end <= start <= end + 1)
            at = text.find(word, at + 1)
    return frozenset(out)


def _units_besides(text: str, words: tuple[str, ...]) -> set[str]:
    for word in words:
        text = text.replace(word, " ")
    return {unit for unit, _, _ in units(text)}


def _swapped(mine: str, said: str, point: str) -> bool:
    """Tell whether a clause says about one single-letter symbol (A, B, Q, K) what the point says about another."""
    ours, theirs = set(_LETTER.findall(mine)), set(_LETTER.findall(said))
    return bool(ours and theirs) and not ours & theirs and bool(theirs & set(_LETTER.findall(point)))


def _reversed(point: _Point, answer: _Answer, matched: dict[str, float], compared: "_Comparison | None",
              said_subjects: tuple[tuple[str | None, ...], ...], precise: bool = False) -> bool:
    """Tell whether the answer's clauses state the point's clauses negated, with the opposite word or roles swapped.

    Both readings count a clause reversed when its parity of cues differs from the point's. Only the precise one
    (see `_clauses`) also counts a clause flipped when more of its shared words sit right after a negation cue in one
    text only than in both, as in "并没有节省" against "节省": over the loose reading's wider scope that test flagged
    as many right answers as reversed ones; the point is reversed when flipped clauses carry enough of all its evidence,
    or of the evidence for one of its clauses that carries a fair share of it ("而不是保持参数量不变" beside a longer
    true clause). When the question compares things, a clause that says of one of them what the point says of
    another is reversed, and so is one that puts the opposite word in the slot of any of the point's clauses.
    """
    point_clauses = point.precise_clauses if precise else point.clauses
    answer_clauses = answer.precise_clauses if precise else answer.clauses
    mine_subjects = compared.point_subjects[point.text] if compared else ()
    odd = 0.0
    evidence: dict[int, float] = {}
    flipped: dict[int, float] = {}
    agreeing: dict[int, float] = {}
    opposing: dict[int, float] = {}
    for number, said in enumerate(answer_clauses):
        said_matched = said.units & matched.keys()
        if not said_matched:
            continue
        weights = [sum(matched[u] for u in said_matched & mine.units) for mine in point_clauses]
        weight, index = max(zip(weights, itertools.count()), default=(0.0, -1))
        if index < 0 or not weight:
            continue
        mine = point_clauses[index]
        shared = said_matched & mine.units
        in_place = False
        for other, clause in enumerate(point_clauses if said.sides else ()):
            if _opposed_in_place(clause, said, matched):
                opposing[other] = max(opposing.get(other, 0.0), weights[other])
                in_place = in_place or other == index
        if in_place:
            continue
        if len(shared) >= 2 and (_opposed(mine, said, matched) or _swapped(mine.text, said.text, point.text)
                                 or (compared is not None and len(shared - compared.naming) >= 2
                                     and _moved(compared, mine_subjects, index, said_subjects, number, said))):
            opposing[index] = max(opposing.get(index, 0.0), weight)
            continue
        agreeing[index] = max(agreeing.get(index, 0.0), weight)
        evidence[index] = evidence.get(index, 0.0) + weight
        if said.odd != mine.odd:
            odd += weight
        disagree = sum(matched[u] for u in shared if (u in said.negated) != (u in mine.negated))
        agree = sum(matched[u] for u in shared if u in said.negated and u in mine.negated)
        if disagree > agree:
            flipped[index] = flipped.get(index, 0.0) + weight
    if any(weight > agreeing.get(index, 0.0) for index, weight in opposing.items()):
        return True
    total = sum(evidence.values())
    if precise and (sum(flipped.values()) > FLIPPED_SHARE * total
                    or any(weight >= FLIPPED_CLAUSE * total and flipped.get(index, 0.0) > FLIPPED_SHARE * weight
                           for index, weight in evidence.items())):
        return True
    return odd > total / 2


def _moved(compared: "_Comparison", mine_subjects: tuple[tuple[str | None, ...], ...], index: int,
           said_subjects: tuple[tuple[str | None, ...], ...], number: int, said: _Clause) -> bool:
    """Tell whether the clause says of one compared thing what the point says of another.

    It does not when the reference says something alike of the clause's own subject elsewhere.
    """
    for mine, theirs in zip(mine_subjects, said_subjects, strict=True):
        ours, subject = mine[index], theirs[number]
        if ours is None or subject is None or subject == ours or ours in said.text:
            continue
        if not any(len((said.units & clause.units) - compared.naming) >= 2
                   for clause, subjects in compared.clauses if subject in subjects):
            return True
    return False


@dataclass(frozen=True)
class _Question:
    units: frozenset[str]
    sides: frozenset[tuple[int, int]]
    compared: "_Comparison | None"
    negated: frozenset[str]


@lru_cache(maxsize=1024)
def _asked(question: str, point_texts: tuple[str, ...]) -> _Question:
    """Read once what a question asks: its units, opposite-word sides, comparison and the words it negates itself."""
    mapped = normalize_for_matching(question)
    folded = mapped.text
    negated = frozenset().union(*(clause.negated for clause in _clauses(folded)))
    return _Question(frozenset(unit for unit, _, _ in units(folded)), _sides(folded),
                     _comparison(mapped, point_texts), negated)


def _match(point: KeyPoint, answer: _Answer, question: _Question,
           said_subjects: tuple[tuple[str | None, ...], ...]) -> tuple[PointResult, bool, float]:
    """Grade one point; also say whether the answer reverses it, and the credit it denies it on a precise reading.

    `said_subjects` names, per group the question compares, which thing each clause of the answer speaks of.
    """
    prepared = _prepare(point.text)
    question_units, compared = question.units, question.compared
    weights = _discounted(prepared.weights, question_units)
    total = sum(weights.values())
    matched = {unit: weight for unit, weight in weights.items() if unit in answer.occurrences}
    if not total or not matched:
        return PointResult(point.id, point.text, "miss", 0.0, ()), False, 0.0
    coverage = sum(matched.values()) / total
    alignment = fuzz.partial_ratio_alignment(prepared.text, answer.mapped.text)
    closeness = alignment.score / 100 if alignment else 0.0
    raw = coverage * (1 - FUZZY_SHARE) + FUZZY_SHARE * coverage ** 0.5 * closeness
    credit = min(1.0, raw / _saturation(weights, question_units))
    if answer.english != prepared.english and prepared.term_weights:
        # Across languages only the term table's words can match, so measure coverage of those alone.
        term_weights = _discounted(prepared.term_weights, question_units)
        term_coverage = sum(w for u, w in term_weights.items() if u in answer.occurrences) / sum(term_weights.values())
        credit = max(credit, min(1.0, term_coverage / TERM_SATURATION))
    by_sentence: dict[int, float] = {}
    for unit, weight in matched.items():
        for index in {_sentence_of(answer, start) for start, _ in answer.occurrences[unit]}:
            by_sentence[index] = by_sentence.get(index, 0.0) + weight
    best = max(by_sentence, key=by_sentence.__getitem__)
    reversed_claim = (_reversed(prepared, answer, matched, compared, said_subjects)
                      or _contradicts_question(prepared, answer, matched, question))
    denied = credit if _reversed(prepared, answer, matched, compared, said_subjects, precise=True) else 0.0
    if reversed_claim:
        # Only a reversed claim the answer otherwise covers is worth telling the candidate about.
        reversed_claim = credit >= PARTIAL
        credit *= REVERSED_FACTOR
    status = "hit" if credit >= HIT else "partial" if credit >= PARTIAL else "miss"
    evidence: tuple[tuple[int, int], ...] = ()
    if status != "miss":
        keep = {i for i, mass in by_sentence.items() if mass >= by_sentence[best] * 0.5}
        spans = sorted(span for unit in matched for span in answer.occurrences[unit]
                       if _sentence_of(answer, span[0]) in keep)
        evidence = tuple(answer.mapped.span(start, end) for start, end in _merge(spans))
    return PointResult(point.id, point.text, status, round(credit, 3), evidence), reversed_claim, denied


def _contradicts_question(point: _Point, answer: _Answer, matched: dict[str, float], question: _Question) -> bool:
    """Tell whether a sentence naming the point says the opposite of what the question presumes of it.

    Asked how to speed inference up, "蒸馏、量化、剪枝都会让推理变慢" names the right methods and reverses them.
    Asked which parts use the most memory, "权重和激活值都不占显存" negates the question's own words beside points
    that are only names.
    """
    bare = len(point.weights) <= SHORT_POINT_UNITS
    for sentence in answer.clause_sentences:
        if len(matched.keys() & sentence.units) < 2 or sentence.conditional:
            continue
        for clause in sentence.clauses:
            if bare and clause.negated & question.units - question.negated - matched.keys():
                return True
            if not clause.units & _linking(clause.text) & question.units - matched.keys():
                continue
            for index, side in clause.sides:
                if ((index, 1 - side) in question.sides and (index, side) not in question.sides
                        and (index, 1 - side) not in sentence.sides and (index, side) not in point.sides):
                    return True
    return False


@lru_cache(maxsize=8192)
def _linking(text: str) -> frozenset[str]:
    """The units by which a clause speaks of what a question does, leaving out its standard ("比bert的ffn多了…").

    A lone Chinese character is left out too: between English words ("bert的ffn") it is a function word.
    """
    standards = {m.end() for m in _COMPARING.finditer(text)}
    return frozenset(unit for unit, start, _ in units(text)
                     if start not in standards and not (len(unit) == 1 and is_cjk(unit)))


def _saturation(weights: dict[str, float], question_units: frozenset[str]) -> float:
    """Coverage that earns full credit: half of a long point, more of a short one, where a lone unit is a lot."""
    novel = sum(unit not in question_units for unit in weights)
    return min(SATURATION_CAP, max(SATURATION, SHORT_POINT_UNITS / max(novel, 1)))


def _discounted(weights: dict[str, float], question_units: frozenset[str]) -> dict[str, float]:
    return {unit: weight * (ECHO_DISCOUNT if unit in question_units else 1.0) for unit, weight in weights.items()}


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _is_keyword_list(text: str) -> bool:
    """Tell whether the answer is a bare list of terms rather than statements."""
    if _STATEMENT_END.search(text.rstrip(".;!?\n ")):
        return False
    chinese = sum(map(is_cjk, text)) >= sum(char.isascii() and char.isalpha() for char in text)
    fragments = [f.strip() for f in re.split(r"[,;.!?\n/|+]+", text) if f.strip()]
    if chinese and len(fragments) < 3:
        # A Chinese list may part its terms with spaces alone; elsewhere spaces sit inside clauses, around English.
        fragments = text.split()
    if len(fragments) < 3:
        return False
    lengths = [len(f) if chinese else len(f.split()) * 3 for f in fragments]
    statements = [f for f, n in zip(fragments, lengths, strict=True) if n >= 8 and _FUNCTION.search(f)]
    return len(statements) * 4 < len(fragments) and sum(lengths) / len(fragments) < 8


def _relevant_share(answer: _Answer, expected: frozenset[str]) -> float:
    """Share of the answer's weight in sentences that speak to the question or its key points."""
    mass: dict[int, list[float]] = {}
    for unit, spans in answer.occurrences.items():
        weight = idf(unit)
        for start, _ in spans:
            sentence = mass.setdefault(_sentence_of(answer, start), [0.0, 0.0])
            sentence[0] += weight
            sentence[1] += weight if unit in expected else 0.0
    total = sum(all_ for all_, _ in mass.values())
    return sum(all_ for all_, on in mass.values() if on >= SENTENCE_ON_TOPIC * all_) / total if total else 0.0


def _reads_as_english(text: str) -> bool:
    """Tell whether the text's English words read as prose: the grader's corpus is Chinese, so it knows few of them."""
    words = _ENGLISH_WORD.findall(text)
    return len(words) >= 5 and sum(word in ENGLISH_STOP_WORDS for word in words) >= _PROSE_FUNCTION_SHARE * len(words)


def _curve(raw: float) -> float:
    return min(1.0, raw / CURVE_FULL)


def grade(question: str, points: Sequence[KeyPoint], answer: str) -> GradeResult:
    """Grade `answer` to `question` against the key points of its reference answer."""
    if not points:
        return GradeResult(0, (), ("no_reference",), GRADER_VERSION, gradable=False)
    misses = tuple(PointResult(p.id, p.text, "miss", 0.0, ()) for p in points)
    prepared = _prepare_answer(answer)
    text = prepared.mapped.text
    if not text or not prepared.occurrences:
        return GradeResult(0, misses, ("empty",) if not text else ("gibberish",), GRADER_VERSION)
    if len(text) <= 24 and any(phrase in text for phrase in _dont_know()):
        return GradeResult(0, misses, ("dont_know",), GRADER_VERSION)
    asked = _asked(question, tuple(point.text for point in points))
    question_units = asked.units
    answer_units = list(prepared.occurrences)
    expected = question_units.union(*(_prepare(p.text).weights for p in points))
    prose = _reads_as_english(text)
    if sum(is_known(u) or u in expected or (prose and u.isascii()) for u in answer_units) < (
            _GIBBERISH_KNOWN * len(answer_units)):
        return GradeResult(0, misses, ("gibberish",), GRADER_VERSION)
    novel = [unit for unit in answer_units if unit not in question_units]
    if question_units and sum(idf(u) for u in novel) < 0.2 * sum(idf(u) for u in answer_units):
        return GradeResult(0, misses, ("echo",), GRADER_VERSION)
    results = []
    flags = []
    denied = 0.0
    said_subjects = _all_subjects(prepared.clauses, asked.compared.groups) if asked.compared else ()
    for point in points:
        result, reversed_claim, denied_credit = _match(point, prepared, asked, said_subjects)
        results.append(result)
        denied += point.weight_value * denied_credit
        if reversed_claim and "negated" not in flags:
            flags.append("negated")
    total_weight = sum(p.weight_value for p in points)
    raw = sum(p.weight_value * r.score for p, r in zip(points, results, strict=True)) / total_weight
    # The loose per-point reading catches more reversals but errs often; only the precise one may sink the answer.
    if denied > DENIED_SHARE * (denied + raw * total_weight):
        raw *= DENIED_FACTOR
        if "negated" not in flags:
            flags.append("negated")
    if _is_keyword_list(text) and not _is_keyword_list(",".join(_prepare(p.text).text for p in points)):
        flags.append("keywords_only")
        raw *= KEYWORDS_FACTOR
    elif len(prepared.sentences) >= 2 and _relevant_share(prepared, expected) < RELEVANT_SHARE:
        flags.append("rambling")
        raw *= RAMBLING_FACTOR
    score = round(100 * _curve(raw))
    if score < 15 and len(text) >= 30:
        flags.append("off_topic")
    return GradeResult(score, tuple(results), tuple(flags), GRADER_VERSION)
