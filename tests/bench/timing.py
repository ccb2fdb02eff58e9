"""Percentiles shared by the benchmark scripts."""

import statistics


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile of `samples`."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def report(name: str, samples: list[float]) -> str:
    """Format one line: p50 and p95 in milliseconds."""
    p50, p95 = percentiles(samples)
    return f"{name:>28}: p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms  (n={len(samples)})"
