"""Benchmark the history, transcript and progress pages against one user's very long history.

Fills a fresh SQLite database with 10,000 finished interviews and 100,000 answers for one user
(bulk inserts; `--quick` uses a tenth), rebuilds the rollups the way an import does, then times
the pages with the Flask test client and prints p50/p95 in ms, with each page's ratio to /healthz
measured in the same run.

    python tests/bench/bench_history.py [--quick] [--requests N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from timing import percentiles  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Interview, Question, Turn, User  # noqa: E402
from webapp.services import bank, rollups  # noqa: E402

TARGET_P95_MS = 50.0
STATUSES = ("hit", "partial", "miss")


def fill(user: User, interviews: int, answers_per_interview: int, rng: random.Random) -> None:
    """Bulk-insert finished interviews with graded turns for one user, a few a day going back in time."""
    questions = [q for q in db.session.scalars(select(Question)) if q.key_points]
    first_day = datetime(2026, 11, 24, 12, tzinfo=UTC) - timedelta(days=interviews // 8)
    interview_rows = []
    for number in range(interviews):
        started = first_day + timedelta(days=number // 8, hours=number % 8, minutes=rng.randrange(50))
        interview_rows.append({
            "user_id": user.id, "mode": rng.choice(("mock", "drill", "review")), "seconds_per_question": 180,
            "include_unanswered": False, "topic_slugs": [rng.choice(questions).topics[0].slug],
            "started_at": started, "finished_at": started + timedelta(minutes=25), "status": "finished",
            "score": rng.uniform(20, 95),
        })
    db.session.execute(insert(Interview), interview_rows)
    ids = list(db.session.scalars(select(Interview.id).where(Interview.user_id == user.id).order_by(Interview.id)))
    turn_rows = []
    for interview_id, interview in zip(ids, interview_rows, strict=True):
        for number in range(1, answers_per_interview + 1):
            question = rng.choice(questions)
            statuses = [rng.choice(STATUSES) for _ in question.key_points]
            score = round(100 * sum(s == "hit" for s in statuses) / len(statuses), 1)
            answer = f"回答 {number}：" + "注意力机制通过查询和键的相似度加权求和值向量。" * rng.randint(1, 6)
            asked = interview["started_at"] + timedelta(minutes=2 * number)
            turn_rows.append({
                "interview_id": interview_id, "number": number, "question_id": question.id,
                "question_text": question.text, "reference_markdown": question.reference_markdown,
                "asked_at": asked, "deadline": asked + timedelta(minutes=3), "draft": "",
                "answer": answer, "answered_at": asked + timedelta(minutes=2), "state": "answered", "late": False,
                "points_snapshot": [kp.as_key_point().to_snapshot() for kp in question.key_points],
                "result": {"score": score, "gradable": True, "flags": [], "version": "bench",
                           "points": [{"id": kp.uid, "text": kp.text, "status": status,
                                       "score": {"hit": 1.0, "partial": 0.5, "miss": 0.0}[status],
                                       "evidence": [[4, 12]] if status != "miss" else []}
                                      for kp, status in zip(question.key_points, statuses, strict=True)]},
                "score": score, "grader_version": "bench", "flagged_point_uids": [],
            })
        if len(turn_rows) >= 20_000:
            db.session.execute(insert(Turn), turn_rows)
            turn_rows = []
    if turn_rows:
        db.session.execute(insert(Turn), turn_rows)
    db.session.commit()


def measure(client, url: str, requests: int) -> tuple[float, float]:
    """Return p50 and p95 in ms of GET `url`, after a warm-up."""
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return percentiles(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 interviews and fewer requests (for CI)")
    parser.add_argument("--requests", type=int, default=None, help="timed requests per page")
    args = parser.parse_args()
    interviews = 1_000 if args.quick else 10_000
    requests = args.requests or (40 if args.quick else 200)
    rng = random.Random(7)

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            bank.import_bank([REPO / "seeds"])
            user = User(username="bench", timezone="Asia/Shanghai")
            user.set_password("interview-ready-1")
            db.session.add(user)
            db.session.commit()
            started = time.perf_counter()
            fill(user, interviews, 10, rng)
            filled = time.perf_counter() - started
            started = time.perf_counter()
            rollups.rebuild(user)
            db.session.commit()
            rebuilt = time.perf_counter() - started
            transcript_id = db.session.scalars(select(Interview.id).order_by(Interview.id.desc())).first()
            login_id = user.get_id()
            db.session.remove()
        print(f"filled {interviews:,} interviews / {interviews * 10:,} answers in {filled:.1f} s; "
              f"rollups rebuilt in {rebuilt:.1f} s")

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = login_id
            session["_fresh"] = True
        baseline = measure(client, "/healthz", requests)
        pages = {
            "history": "/history/",
            "history p.250": f"/history/?page={max(1, interviews // 40)}",
            "transcript": f"/history/{transcript_id}",
            "progress": "/progress/",
            "review": "/review/",
        }
        print(f"{'page':<15}{'p50 ms':>9}{'p95 ms':>9}{'p95 / healthz':>15}")
        print(f"{'healthz':<15}{baseline[0]:>9.1f}{baseline[1]:>9.1f}{1:>15.1f}")
        slow = []
        for name, url in pages.items():
            p50, p95 = measure(client, url, requests)
            print(f"{name:<15}{p50:>9.1f}{p95:>9.1f}{p95 / baseline[1]:>15.1f}")
            if p95 >= TARGET_P95_MS and name != "review":
                slow.append(name)
        verdict = "all under" if not slow else f"over for {', '.join(slow)}:"
        print(f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict} (not gated; times depend on the machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
