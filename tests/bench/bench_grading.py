"""Benchmark the grader: start-up time, then p50/p95 per answer over the calibration set, against a baseline.

Run: python tests/bench/bench_grading.py [--quick]
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timing import percentiles

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "engine" / "calibration" / "labelled.jsonl"
STARTUP = ("import time; t = time.perf_counter(); from webapp.grading import grade, extract_key_points; "
           "grade('为什么要除以根号d', extract_key_points('- 防止softmax进入饱和区，梯度太小'), '避免梯度消失'); "
           "print(time.perf_counter() - t)")


def main() -> None:
    """Print start-up time and per-answer latency of the grader and of plain token_set_ratio."""
    sys.path.insert(0, str(ROOT))
    quick = "--quick" in sys.argv
    startup = float(subprocess.run([sys.executable, "-c", STARTUP], cwd=ROOT, capture_output=True, text=True,
                                   check=True).stdout)
    print(f"start-up (import + first grade, fresh process): {startup * 1000:.0f} ms")

    from rapidfuzz import fuzz

    from webapp.grading import extract_key_points, grade, normalize_text

    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    repeats = 3 if quick else 20
    cases = [(row["question"], extract_key_points(row["reference"]), row["answer"], row["reference"]) for row in rows]
    engine: list[float] = []
    baseline: list[float] = []
    for _ in range(repeats):
        for question, points, answer, reference in cases:
            start = time.perf_counter()
            grade(question, points, answer)
            engine.append(time.perf_counter() - start)
            start = time.perf_counter()
            fuzz.token_set_ratio(normalize_text(answer), normalize_text(reference))
            baseline.append(time.perf_counter() - start)
    points = [len(p) for _, p, _, _ in cases]
    print(f"{len(cases)} answers x {repeats}, key points per reference: median {statistics.median(points)}, "
          f"max {max(points)}")
    for name, samples in (("grade", engine), ("token_set_ratio", baseline)):
        p50, p95 = percentiles(samples)
        print(f"{name:>16}: p50 {p50 * 1000:.3f} ms  p95 {p95 * 1000:.3f} ms")
    ratio = percentiles(engine)[1] / percentiles(baseline)[1]
    print(f"p95 ratio grade / token_set_ratio: {ratio:.1f}x")
    ten = [c for c in cases if len(c[1]) >= 10]
    if ten:
        timings = []
        for _ in range(repeats):
            for question, points, answer, _ in ten:
                start = time.perf_counter()
                grade(question, points, answer)
                timings.append(time.perf_counter() - start)
        p50, p95 = percentiles(timings)
        print(f"references with >= 10 key points ({len(ten)} answers): p50 {p50 * 1000:.3f} ms  "
              f"p95 {p95 * 1000:.3f} ms")


if __name__ == "__main__":
    main()
