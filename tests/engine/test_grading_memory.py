"""Grading many distinct long answers keeps a process's memory flat: nothing keyed by an answer is kept."""

import gc
import json
from functools import _lru_cache_wrapper
from pathlib import Path

import pytest

import webapp.grading as grading
from tests.bench.timing import long_answers, rss_mb
from webapp.grading import extract_key_points, grade

LABELLED = Path(__file__).parent / "calibration" / "labelled.jsonl"
ANSWER_LENGTH = 5_000
MEASURED = 500
# The bound is +100 MB over 10,000 such answers; this run grades 500 (under 60 s on a loaded CI machine),
# so it allows 5 MB, the same rate; tests/bench/bench_grading.py grades the full 10,000.
ALLOWED_MB = 100 * MEASURED / 10_000


def test_every_grading_cache_is_bounded():
    modules = [module for name, module in vars(grading).items() if name in {
        "normalize", "text", "evidence", "units", "keypoints", "profiles", "scoring", "rules"}]
    caches = [value for module in modules for value in vars(module).values() if isinstance(value, _lru_cache_wrapper)]
    assert len(caches) >= 8
    for cache in caches:
        assert cache.cache_info().maxsize is not None and cache.cache_info().maxsize <= 4096, cache


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc to read the resident set size")
def test_grading_many_distinct_long_answers_keeps_memory_flat():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = list({row["question"]: row for row in rows}.values())
    cases = [(row["question"], extract_key_points(row["reference"])) for row in questions]
    answers = long_answers(rows, ANSWER_LENGTH, len(cases) + MEASURED, seed=3)
    for case, answer in zip(cases, answers, strict=False):  # every question once, so its bank caches are full
        grade(*case, answer)
    gc.collect()
    before = rss_mb()
    for number, answer in enumerate(answers):
        grade(*cases[number % len(cases)], answer)
    gc.collect()
    assert rss_mb() - before < ALLOWED_MB
