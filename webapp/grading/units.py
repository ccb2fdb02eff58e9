"""Matching units of normalized text: character bigrams for Chinese, stemmed words for English, with IDF."""

import math
import re
from functools import lru_cache

from webapp.grading.normalize import DATA
from webapp.grading.profiles import stop_words

ENGLISH_STOP_WORDS = stop_words()


def is_cjk(char: str) -> bool:
    """Tell whether `char` is a CJK ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=4096)  # keyed by words users type: bounded to well under a megabyte
def stem(word: str) -> str:
    """Strip common English inflections, lightly."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


# A run of CJK ideographs (group 1) or an English word.
_RUNS = re.compile(r"([\u4e00-\u9fff\u3400-\u4dbf]+)|[A-Za-z0-9][A-Za-z0-9']*")


def units(text: str) -> list[tuple[str, int, int]]:
    """Each Chinese bigram (or lone character) and English word in `text`, as (unit, start, end)."""
    return list(zip(*unit_columns(text), strict=True))


def unit_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """The units of `text` as three lists, each unit, where it starts, where it ends: a reader slices them by clause."""
    names: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for run in _RUNS.finditer(text):
        i, j = run.span()
        if run.lastindex:
            if j - i == 1:
                names.append(text[i])
                starts.append(i)
                ends.append(j)
            else:
                chars = run.group()
                names.extend([chars[k:k + 2] for k in range(j - i - 1)])
                starts.extend(range(i, j - 1))
                ends.extend(range(i + 2, j + 1))
        elif (word := run.group()) not in ENGLISH_STOP_WORDS:
            names.append(stem(word))
            starts.append(i)
            ends.append(j)
    return names, starts, ends


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, float], float]:
    lines = (DATA / "idf.tsv").read_text(encoding="utf-8").splitlines()
    total = int(lines[0].split("\t")[1])
    weights = {}
    for line in lines[1:]:
        unit, df = line.split("\t")
        weights[unit] = math.log((total + 1) / (int(df) + 0.5))
    return weights, math.log((total + 1) / 0.5)


def idf_table() -> tuple[dict[str, float], float]:
    """Every known unit's weight, and the weight of an unseen one: for loops that weigh many units."""
    return _table()


def idf(unit: str) -> float:
    """Weight a unit by its rarity in the fixed reference corpus shipped with the grader."""
    weights, unseen = _table()
    return weights.get(unit, unseen)


def is_known(unit: str) -> bool:
    """Tell whether the reference corpus has seen `unit`."""
    return unit in _table()[0]
