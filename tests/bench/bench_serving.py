"""Load benchmark: simulated candidates doing full mock interviews against real gunicorn on 127.0.0.1.

Two phases on each database (SQLite with one instance; PostgreSQL with two instances when
TEST_DATABASE_URL is set):

1. saturation: N candidates with no think time; prints submits/s and p50/p95/p99 of answer
   submission next to /healthz probed in the same run, and the errors;
2. capacity: candidates with think time, more at each step, until submit p95 passes 200 ms;
   prints the highest submit rate that stayed under it, as candidates per core at one answer a minute.

Each phase ends by checking that every acknowledged answer is in the database exactly once and that
progress was counted once per finished turn. Loopback only, bounded in time.

    python tests/bench/bench_serving.py [--quick] [--database sqlite|postgresql|both] [--phase saturation|capacity]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import _build_template, _pg_admin, _pg_url  # noqa: E402
from tests.live.checks import assert_progress_counted_once  # noqa: E402
from tests.live.client import Browser  # noqa: E402
from tests.live.load import Tally, run  # noqa: E402
from tests.live.server import Server, gunicorn  # noqa: E402

CORES = os.cpu_count() or 1
TARGET_P95 = 0.200
PG_BENCH = f"mianshi_bench_{os.getpid()}"
PROBE_CONNECTIONS = 8  # enough that every worker of a server almost surely holds one


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def probe_healthz(urls: list[str], samples: list[float]):
    """Return a `during` hook that times /healthz on each server every 100 ms until the run stops.

    Each server is probed in turn over PROBE_CONNECTIONS kept-alive connections, as the candidates' are: gunicorn
    binds with reuse_port, so the kernel spreads them over its workers; a single connection would measure only the
    worker it first landed on, busier or idler than the rest.
    """
    def probe(stop: threading.Event) -> None:
        connections = [[Browser(url) for _ in range(PROBE_CONNECTIONS)] for url in urls]
        for turn in itertools.count():
            if stop.wait(0.1):
                return
            for browsers in connections:
                samples.append(browsers[turn % PROBE_CONNECTIONS].get("/healthz").seconds)
    return probe


def measure_cpu(servers: list[Server], readings: list[float]):
    """Return a `during` hook that reads the servers' CPU time when the clock starts and when it stops."""
    def measure(stop: threading.Event) -> None:
        readings.append(sum(server.cpu_seconds() for server in servers))
        stop.wait()
        readings.append(sum(server.cpu_seconds() for server in servers))
    return measure


def check_nothing_lost(engine: sa.Engine, tally: Tally) -> tuple[int, int]:
    """Return (lost, counted twice) over the acknowledged answers, and check progress per user."""
    ids = sorted({interview_id for interview_id, _n, _t in tally.acknowledged}) or [0]
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT interview_id, number, answer FROM turns WHERE state = 'answered' AND interview_id IN "
            f"({','.join(str(i) for i in ids)})")).all()
    stored: dict[tuple[int, int], list[str]] = {}
    for interview_id, number, answer in rows:
        stored.setdefault((interview_id, number), []).append(answer)
    lost = sum(1 for i, n, text in tally.acknowledged if text not in stored.get((i, n), []))
    twice = sum(1 for answers in stored.values() if len(answers) > 1)
    for username in tally.users:
        assert_progress_counted_once(engine, username)
    return lost, twice


def line(label: str, samples: list[float]) -> str:
    return (f"{label:>10}: p50 {quantile(samples, .5) * 1000:7.1f}  p95 {quantile(samples, .95) * 1000:7.1f}  "
            f"p99 {quantile(samples, .99) * 1000:7.1f} ms  (n={len(samples)})")


def saturation(servers: list[Server], engine: sa.Engine, candidates: int, seconds: float) -> None:
    health: list[float] = []
    urls = [server.url for server in servers]
    cpu: list[float] = []
    tally = run(urls, candidates, seconds, think=0.0, during=[probe_healthz(urls, health), measure_cpu(servers, cpu)])
    lost, twice = check_nothing_lost(engine, tally)
    rate = len(tally.acknowledged) / seconds
    p95_ratio = quantile(tally.submit_seconds, .95) / quantile(health, .95)
    print(f"  saturation, {candidates} candidates, no think time, {seconds:.0f} s: {rate:.1f} submits/s, "
          f"errors {len(tally.errors)}, lost {lost}, counted twice {twice}")
    print("  " + line("submit", tally.submit_seconds))
    print("  " + line("chat page", tally.page_seconds))
    print("  " + line("/healthz", health))
    print(f"  submit p95 / healthz p95 = {p95_ratio:.2f}")
    if tally.acknowledged:
        per_answer = (cpu[1] - cpu[0]) / len(tally.acknowledged)
        print(f"  server CPU per answer, with the pages around it: {per_answer * 1000:.1f} ms "
              f"-> at most {CORES / per_answer:.0f} "
              f"submits/s on {CORES} cores = {60 / per_answer:.0f} candidates per core at one answer a minute")
    if tally.errors:
        print(f"  first errors: {tally.errors[:3]}")


def capacity(urls: list[str], engine: sa.Engine, steps: list[int], think: float, seconds: float) -> None:
    best = 0.0
    for candidates in steps:
        tally = run(urls, candidates, seconds, think=think)
        lost, twice = check_nothing_lost(engine, tally)
        rate = len(tally.acknowledged) / seconds
        p95 = quantile(tally.submit_seconds, .95)
        ok = p95 < TARGET_P95 and not tally.errors and not lost and not twice
        print(f"  {candidates:3d} candidates, think {think:.1f} s: {rate:5.1f} submits/s, submit p95 "
              f"{p95 * 1000:6.1f} ms, errors {len(tally.errors)}, lost {lost}, twice {twice} {'ok' if ok else 'over'}")
        if not ok:
            break
        best = max(best, rate)
    print(f"  highest sustained rate with submit p95 < {TARGET_P95 * 1000:.0f} ms: {best:.1f} submits/s "
          f"= {best * 60 / CORES:.0f} candidates per core at one answer a minute ({CORES} cores)")


def databases(choice: str, workdir: Path):
    if choice in ("sqlite", "both"):
        path = workdir / "bench.sqlite3"
        _build_template(f"sqlite:///{path}", workdir)
        yield "SQLite, one instance", f"sqlite:///{path}", 1
    if choice in ("postgresql", "both") and os.environ.get("TEST_DATABASE_URL"):
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH}")
        _pg_admin(f"CREATE DATABASE {PG_BENCH}")
        _build_template(_pg_url(PG_BENCH), workdir)
        try:
            yield "PostgreSQL, two instances", _pg_url(PG_BENCH), 2
        finally:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run for CI (about a minute)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--phase", choices=("saturation", "capacity"), help="run only this phase")
    args = parser.parse_args()
    seconds = 8.0 if args.quick else 30.0
    candidates = 8 if args.quick else 30
    # With 2 s of thinking a candidate submits about once every 2.5 s, so 160 reach some 60 submits/s.
    steps = [10, 20] if args.quick else [10, 20, 30, 45, 60, 80, 100, 130, 160]
    with tempfile.TemporaryDirectory() as workdir:
        for label, url, instances in databases(args.database, Path(workdir)):
            print(f"{label}:")
            engine = sa.create_engine(url)
            with ExitStack() as servers:
                running = [servers.enter_context(gunicorn(url, Path(workdir))) for _ in range(instances)]
                if args.phase != "capacity":
                    saturation(running, engine, candidates, seconds)
                if args.phase != "saturation":
                    capacity([server.url for server in running], engine, steps, think=2.0, seconds=seconds)
            engine.dispose()


if __name__ == "__main__":
    main()
