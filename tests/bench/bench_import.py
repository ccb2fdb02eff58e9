"""Benchmark the bank import: seeds and the shared corpus into a fresh database, against parsing alone.

Run: python tests/bench/bench_import.py [--quick]
"""

import sys
import tempfile
import time
from pathlib import Path

from timing import percentiles, report

ROOT = Path(__file__).resolve().parents[2]
BANKS = [ROOT / "seeds", ROOT.parent / "shared" / "corpus"]


def main() -> None:
    """Print p50/p95 of parse-only, first import and re-import, and the import/parse ratio."""
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from webapp import create_app, questionbank
    from webapp.extensions import db
    from webapp.services import bank as bank_service

    banks = [path for path in BANKS if path.exists()]
    runs = 2 if "--quick" in sys.argv else 7
    parse, first, again = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = questionbank.read_bank(banks)
        parse.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"})
            with app.app_context():
                upgrade()
                start = time.perf_counter()
                bank_service.import_bank(banks)
                first.append(time.perf_counter() - start)
                start = time.perf_counter()
                bank_service.import_bank(banks)
                again.append(time.perf_counter() - start)
                db.engine.dispose()
    print(f"banks: {', '.join(str(path) for path in banks)}; {len(result.questions)} distinct questions")
    for name, samples in (("parse only (baseline)", parse), ("import into a fresh db", first),
                          ("re-import (unchanged)", again)):
        print(report(name, samples))
    print(f"p50 ratio import / parse: {percentiles(first)[0] / percentiles(parse)[0]:.1f}x  (goal: import < 3 s)")


if __name__ == "__main__":
    main()
