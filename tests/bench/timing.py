"""Percentiles, resident memory and long answers, shared by the benchmark scripts and the grader's memory test."""

import random
import statistics
from collections.abc import Iterator
from pathlib import Path


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile of `samples`."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def report(name: str, samples: list[float]) -> str:
    """Format one line: p50 and p95 in milliseconds."""
    p50, p95 = percentiles(samples)
    return f"{name:>28}: p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms  (n={len(samples)})"


def rss_mb() -> float:
    """Return this process's resident set size in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def long_answers(rows: list[dict], length: int, count: int, seed: int) -> Iterator[str]:
    """Distinct answers of `length` characters, stitched from the calibration answers and numbered, one at a time
    (a list of 10,000 of them would itself hold 200 MB)."""
    pick = random.Random(seed)
    for number in range(count):
        parts = [f"第{number}种说法。"]
        while sum(map(len, parts)) < length:
            parts.append(pick.choice(rows)["answer"])
        yield "".join(parts)[:length]
