"""The one text normalizer: NFKC, traditional to simplified, lowercase, unified punctuation and spaces."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import opencc

DATA = Path(__file__).parent / "data"


# Pairs, not a translation table: a few replacements scan a long answer faster than `str.translate` does.
_PUNCTUATION = (("。", "."), ("，", ","), ("、", ","), ("；", ";"), ("：", ":"), ("？", "?"), ("！", "!"), ("“", '"'),
                ("”", '"'), ("‘", "'"), ("’", "'"), ("（", "("), ("）", ")"), ("【", "["), ("】", "]"), ("《", "<"),
                ("》", ">"), ("—", "-"), ("–", "-"), ("·", " "))
_JOINERS = frozenset(" -_")
_WHITESPACE = re.compile(r"\s+")
# The whitespace runs that normalizing changes past the leading one: two characters or more, or one other than a space.
_RESPACED = re.compile(r"\s(?:\s+|(?<! ))")


@dataclass(frozen=True)
class Mapped:
    """Normalized text with, for every character, the span of the original text it came from, and its folded terms."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    terms: tuple[str, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text back to the original text."""
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    """Fold width, script, case, punctuation and whitespace so equal text compares equal."""
    return normalize_mapped(text).text


@lru_cache(maxsize=4096)  # keyed by characters users type: bounded to well under a megabyte
def _fold_char(char: str) -> str:
    """Fold one character's width and case (cached: the same few thousand characters recur)."""
    return unicodedata.normalize("NFKC", char).lower()


def normalize_mapped(text: str, keep_lines: bool = False) -> Mapped:
    """Normalize `text` and keep where each normalized character came from; `keep_lines` keeps a line break."""
    joined = unicodedata.normalize("NFKC", text).lower()
    origin: list[int] | range = range(len(text))
    if len(joined) != len(text):
        # Something widened or merged: fold character by character, each output character mapping to its source.
        folded = list(map(_fold_char, text))
        joined = "".join(folded)
        if len(joined) != len(text):
            origin = list(chain.from_iterable(map(repeat, origin, map(len, folded))))
    simplified = _converter().convert(joined)
    if len(simplified) != len(joined):
        simplified = "".join(_single_char_t2s(char) for char in joined)
    for wide, narrow in _PUNCTUATION:
        simplified = simplified.replace(wide, narrow)
    out: list[str] = []
    starts: list[int] = []
    leading = _WHITESPACE.match(simplified)
    done = leading.end() if leading else 0
    # Each run of whitespace becomes one space, or one line break if it holds one and lines are kept; a leading run
    # goes, and a lone space stays as it is, so only the other runs are visited.
    for run in _RESPACED.finditer(simplified, done):
        at = run.start()
        out.append(simplified[done:at])
        starts.extend(origin[done:at])
        out.append("\n" if keep_lines and "\n" in run.group() else " ")
        starts.append(origin[at])
        done = run.end()
    out.append(simplified[done:])
    starts.extend(origin[done:])
    joined_out = "".join(out)
    if joined_out.endswith((" ", "\n")):
        joined_out = joined_out[:-1]
        starts.pop()
    return Mapped(joined_out, tuple(starts), tuple(map((1).__add__, starts)))


@lru_cache(maxsize=4096)  # keyed by characters users type: bounded to well under a megabyte
def _single_char_t2s(char: str) -> str:
    """Convert one character, keeping it when the conversion would change the length."""
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _is_word_char(char: str) -> bool:
    return char in _WORD_CHARS


class TermTable:
    """A bilingual term table that rewrites every variant of a concept to its canonical form."""

    def __init__(self, lines: list[str]) -> None:
        self._trie: dict = {}
        canonicals: set[str] = set()
        # The first two characters of every variant, and the one-character variants: a cheap test before the trie.
        self._starts: set[str] = set()
        concepts = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
        inflected: list[tuple[str, str]] = []
        # One normalization of the whole table: OpenCC per variant made start-up slow.
        for line in normalize_text("\x00".join(concepts)).split("\x00"):
            variants = [v.strip() for v in line.split(" | ") if v.strip()]
            if not variants:
                continue
            canonical = _squeeze(variants[0])
            canonicals.add(canonical)
            for variant in variants:
                self._add(_squeeze(variant), canonical)
                inflected.extend((form, canonical) for form in _inflections(variant))
        # After every written variant, so a form the table writes on another line keeps that line's meaning.
        for form, canonical in inflected:
            self._add(form, canonical)
        self.canonicals = frozenset(canonicals)
        firsts = [char for char in sorted(self._trie) if char not in _JOINERS]
        # A variant that opens with a letter or digit starts a word: never right after another letter or digit.
        words = "".join(re.escape(char) for char in firsts if _is_word_char(char))
        others = "".join(re.escape(char) for char in firsts if not _is_word_char(char))
        patterns = [f"(?<![A-Za-z0-9])[{words}]"] * bool(words) + [f"[{others}]"] * bool(others)
        self._openings = re.compile("|".join(patterns) or r"(?!)")

    def _add(self, variant: str, canonical: str) -> None:
        """Put one squeezed variant in the trie; the first canonical given for it wins."""
        self._starts.add(variant[:2])
        node = self._trie
        for char in variant:
            node = node.setdefault(char, {})
        node.setdefault("", canonical)

    @classmethod
    def from_file(cls, path: Path) -> "TermTable":
        """Load a table: one concept a line, variants separated by ' | ', the first canonical."""
        return cls(path.read_text(encoding="utf-8").splitlines() if path.exists() else [])

    def fold(self, mapped: Mapped) -> Mapped:
        """Rewrite every term variant in `mapped` to its canonical form, keeping the offset map."""
        text = mapped.text
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        found: list[str] = []
        copied = 0
        # Only where a variant can start is the trie walked; the text between is copied in one piece.
        for candidate in self._openings.finditer(text):
            i = candidate.start()
            if i < copied or (text[i:i + 2] not in self._starts and text[i] not in self._starts
                              and text[i + 1:i + 2] not in _JOINERS):
                continue
            match = self._longest(text, i)
            if match is None:
                continue
            end, canonical = match
            out.append(text[copied:i])
            starts.extend(mapped.starts[copied:i])
            ends.extend(mapped.ends[copied:i])
            out.append(canonical)
            found.append(canonical)
            starts.extend([mapped.starts[i]] * len(canonical))
            ends.extend([mapped.ends[end - 1]] * len(canonical))
            copied = end
        out.append(text[copied:])
        starts.extend(mapped.starts[copied:])
        ends.extend(mapped.ends[copied:])
        return Mapped("".join(out), tuple(starts), tuple(ends), tuple(found))

    def _longest(self, text: str, i: int) -> tuple[int, str] | None:
        # `_WORD_CHARS` tested inline, not through `_is_word_char`: this loop runs for every character a term may cover.
        if text[i] in _JOINERS or (i and text[i] in _WORD_CHARS and text[i - 1] in _WORD_CHARS):
            return None
        node = self._trie
        best = None
        j = i
        size = len(text)
        while j < size:
            char = text[j]
            if char in _JOINERS and j > i:
                j += 1
                continue
            node = node.get(char)
            if node is None:
                break
            j += 1
            if "" in node and not (char in _WORD_CHARS and j < size and text[j] in _WORD_CHARS):
                best = (j, node[""])
        return best


# Plurals from five letters, verb forms from six: a shorter word's forms are often other words (means, stated, heading).
_INFLECTABLE = re.compile(r"[a-z]{5,}")
_VERB_MIN_LETTERS = 6
_CONSONANT_Y = re.compile(r"[^aeiou]y$")
_NOUN_ENDING = re.compile(r"(?:tion|sion|ment|ness|ity|ance|ence|ism)$")  # plural only, never a verb form
_BRITISH_Z = re.compile(r"iz(?=[eai])")  # normalize, normalization, normalizing: normalise, normalisation


def _inflections(variant: str) -> set[str]:
    """The squeezed plural and verb forms of an English variant's last word, with their British -ise spellings."""
    head, _, last = variant.rpartition(" ")
    if not _INFLECTABLE.fullmatch(last) or (last.endswith(("s", "ed")) and not last.endswith("ss")):
        return set()
    if last.endswith(("ss", "sh", "ch", "x", "z")):
        forms = {last + "es"}
    elif _CONSONANT_Y.search(last):
        forms = {last[:-1] + "ies", last[:-1] + "ied"}
    else:
        forms = {last + "s"}
    if len(last) >= _VERB_MIN_LETTERS and not last.endswith(("ing", "ss", "y")) and not _NOUN_ENDING.search(last):
        forms |= {last + "d" if last.endswith("e") else last + "ed",
                  last[:-1] + "ing" if last.endswith("e") and not last.endswith("ee") else last + "ing"}
    forms |= {_BRITISH_Z.sub("is", form) for form in (*forms, last)}
    return {_squeeze(head + form) for form in forms} - {_squeeze(variant)}


def _squeeze(text: str) -> str:
    return "".join(char for char in text if char not in _JOINERS)


@lru_cache(maxsize=1)
def default_terms() -> TermTable:
    """The shipped term table."""
    return TermTable.from_file(DATA / "terms.txt")


def normalize_for_matching(text: str, keep_lines: bool = False) -> Mapped:
    """Normalize and fold the shipped bilingual terms, keeping the map back to `text` (and line breaks, if asked)."""
    return default_terms().fold(normalize_mapped(text, keep_lines))
