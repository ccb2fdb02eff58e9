"""Benchmark key-point extraction against the curated seed points: recall and noise per topic, before and after.

"Before" is the extractor at a git revision (default: the one the curated points shipped beside), loaded
from `git show`; "after" is the working tree's.

Run: python tests/bench/bench_keypoints.py [--quick] [--before REV]
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "1a35535"


def _extractor_at(revision: str):
    """Run the grading package as it was at `revision` in a subprocess, so its own normalizer and data load."""
    folder = tempfile.mkdtemp()
    archive = subprocess.run(["git", "archive", revision, "webapp/__init__.py", "webapp/grading"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    script = ("import json, sys\nfrom webapp.grading import extract_key_points\nfor line in sys.stdin:\n"
              "    print(json.dumps([p.text for p in extract_key_points(json.loads(line))]), flush=True)")
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=folder, text=True, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": folder})

    def extract(reference: str) -> list[str]:
        worker.stdin.write(json.dumps(reference) + "\n")
        worker.stdin.flush()
        return json.loads(worker.stdout.readline())

    return extract


def main() -> None:
    """Print recall, noise and points per question for each topic, before and after."""
    sys.path.insert(0, str(ROOT))
    from tests.keypoint_gold import overall, score_against_gold
    from webapp.grading import extract_key_points

    revision = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else BASELINE
    before = score_against_gold(_extractor_at(revision))
    after = score_against_gold(lambda reference: [point.text for point in extract_key_points(reference)])
    print(f"key points against the curated gold (before = {revision}, after = working tree)")
    print(f"{'topic':26} {'qs':>3} {'gold':>4}  {'recall before→after':>20}  {'noise before→after':>19}  "
          f"{'pts/q before→after':>18}")
    rows = [*sorted(after.items()), ("ALL", overall(after))]
    for topic, score in rows:
        old = overall(before) if topic == "ALL" else before[topic]
        print(f"{topic:26} {score.questions:3d} {score.gold:4d}  {old.recall:9.0%} → {score.recall:6.0%}  "
              f"{old.noise_rate:9.0%} → {score.noise_rate:5.0%}  "
              f"{old.extracted / old.questions:8.1f} → {score.extracted / score.questions:5.1f}")


if __name__ == "__main__":
    main()
