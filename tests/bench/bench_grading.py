"""Benchmark the grader: cold start, warm latency on short and 2,000-character answers, and memory growth.

Run: python tests/bench/bench_grading.py [--quick]
"""

import json
import subprocess
import sys
import time
from pathlib import Path

from timing import long_answers, percentiles, rss_mb

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "engine" / "calibration" / "labelled.jsonl"
COLD = ("import sys, time; t = time.perf_counter(); from webapp.grading import grade, extract_key_points; "
        "grade('为什么要除以根号d', extract_key_points('- 防止softmax进入饱和区，梯度太小'), sys.argv[1]); "
        "print(time.perf_counter() - t)")
LONG_ANSWER = 2_000
MEMORY_ANSWER = 5_000


def _clear_bank_caches() -> None:
    """Forget every question, point and reference read so far: the next grade starts cold."""
    from webapp.grading import evidence, keypoints, text

    for cached in (text.read_bank_text, evidence.wordings, evidence.topic_units, keypoints.strip_filler):
        cached.cache_clear()


def _timed(cases: list[tuple], repeats: int, cold: bool = False) -> list[float]:
    """Time each grade; `cold` clears the bank caches before each one, as for a question graded the first time."""
    from webapp.grading import grade

    samples = []
    for _ in range(repeats):
        for question, points, answer in cases:
            if cold:
                _clear_bank_caches()
            start = time.perf_counter()
            grade(question, points, answer)
            samples.append(time.perf_counter() - start)
    return samples


def _line(name: str, samples: list[float]) -> str:
    p50, p95 = percentiles(samples)
    return f"{name:>34}: p50 {p50 * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  (n={len(samples)})"


def main() -> None:
    """Print cold start, warm percentiles for short and long answers next to token_set_ratio, and RSS growth."""
    sys.path.insert(0, str(ROOT))
    quick = "--quick" in sys.argv
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    long_text = next(long_answers(rows, LONG_ANSWER, 1, seed=0))
    for name, answer in (("short", "避免梯度消失"), (f"{LONG_ANSWER:,}-character", long_text)):
        cold = [float(subprocess.run([sys.executable, "-c", COLD, answer], cwd=ROOT, capture_output=True, text=True,
                                     check=True).stdout) for _ in range(1 if quick else 3)]
        print(f"cold start, {name} answer (import + first grade, fresh process): {min(cold) * 1000:.0f} ms")

    from rapidfuzz import fuzz

    from webapp.grading import extract_key_points, normalize_text

    cases = [(row["question"], extract_key_points(row["reference"]), row["answer"]) for row in rows]
    repeats = 2 if quick else 10
    print(_line("cold caches, calibration answers", _timed(cases, 1, cold=True)))
    print(_line("warm, calibration answers", _timed(cases, repeats)))
    baseline = []
    for _ in range(repeats):
        for row in rows:
            start = time.perf_counter()
            fuzz.token_set_ratio(normalize_text(row["answer"]), normalize_text(row["reference"]))
            baseline.append(time.perf_counter() - start)
    print(_line("token_set_ratio, same answers", baseline))
    long_cases = [(question, points, answer) for (question, points, _), answer in
                  zip(cases, long_answers(rows, LONG_ANSWER, len(cases), seed=1), strict=True)]
    print(_line(f"cold caches, {LONG_ANSWER:,}-character answers", _timed(long_cases, 1, cold=True)))
    print(_line(f"warm, {LONG_ANSWER:,}-character answers", _timed(long_cases, 1 if quick else 3)))

    count = 1_000 if quick else 10_000
    before = rss_mb()
    start = time.perf_counter()
    from webapp.grading import grade

    for number, answer in enumerate(long_answers(rows, MEMORY_ANSWER, count, seed=2)):
        question, points, _ = cases[number % len(cases)]
        grade(question, points, answer)
    elapsed = time.perf_counter() - start
    print(f"{count:,} distinct {MEMORY_ANSWER:,}-character answers: RSS {before:.0f} MB -> {rss_mb():.0f} MB "
          f"(+{rss_mb() - before:.0f} MB), {elapsed / count * 1000:.1f} ms each")


if __name__ == "__main__":
    main()
