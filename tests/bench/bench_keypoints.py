"""Benchmark key-point extraction against the curated seed points: recall and noise per topic, before and after.

"Before" is the extractor at a git revision (default: the one the curated points shipped beside), loaded
from `git archive`; "after" is the working tree's. Both are also run over the shared corpus imported with the
seeds (its questions without curated points) for the shape the issue asks: points per question, colon endings,
link/image and formula-only points, claims under 6 or over 60 characters. `--misses` lists, per seed question, the gold
points no extracted point covers and the extracted points that cover none.

Run: python tests/bench/bench_keypoints.py [--before REV] [--corpus DIR] [--misses]
"""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "1a35535"
CORPUS = ROOT.parent / "shared" / "corpus"


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


def _option(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _print_shapes(corpus: Path, extractors: dict[str, Callable[[str], list[str]]]) -> None:
    """Print the shape of each extractor's points over the corpus questions that have no curated points."""
    from tests.keypoint_gold import SEEDS, shape
    from webapp.questionbank import read_bank

    bank = read_bank([SEEDS, corpus])
    curated = {entry.key for entry in bank.curated}
    references = [question.answer for question in bank.questions if question.answer and question.key not in curated]
    print(f"\ncorpus shape ({len(references)} answered questions without curated points, {corpus})")
    print(f"{'extractor':12} {'mean':>5} {'max':>4} {'colon':>6} {'link/img':>9} {'formula':>8} {'<6 chars':>9} "
          f"{'>60 chars':>10} {'mean chars':>11}")
    for name, extract in extractors.items():
        figures = shape(extract(reference) for reference in references)
        print(f"{name:12} {figures.mean:5.2f} {max(figures.counts):4d} {figures.colon_endings:6d} "
              f"{figures.link_or_image:9d} {figures.formula_only:8d} {figures.short_claims:9d} "
              f"{figures.long_claims:10d} {sum(figures.lengths) / len(figures.lengths):11.1f}")


def _print_misses(extract: Callable[[str], list[str]]) -> None:
    from tests.keypoint_gold import misses

    for title, missed, noise in misses(extract):
        if missed or noise:
            print(f"\n# {title}")
            print("".join(f"  missed: {text}\n" for text in missed) + "".join(f"  noise:  {text}\n" for text in noise),
                  end="")


def main() -> None:
    """Print recall, noise and points per question for each topic, before and after, and the corpus shape."""
    sys.path.insert(0, str(ROOT))
    from tests.keypoint_gold import overall, score_against_gold, score_against_labelled_points
    from webapp.grading import extract_key_points

    revision = _option("--before", BASELINE)
    extract_before = _extractor_at(revision)

    def extract_after(reference: str) -> list[str]:
        return [point.text for point in extract_key_points(reference)]

    if "--misses" in sys.argv:
        _print_misses(extract_after)
        return
    before = score_against_gold(extract_before)
    after = score_against_gold(extract_after)
    print(f"key points against the curated gold (before = {revision}, after = working tree)")
    print(f"{'topic':26} {'qs':>3} {'gold':>4}  {'recall before→after':>20}  {'noise before→after':>19}  "
          f"{'pts/q before→after':>18}")
    rows = [*sorted(after.items()), ("ALL", overall(after))]
    for topic, score in rows:
        old = overall(before) if topic == "ALL" else before[topic]
        print(f"{topic:26} {score.questions:3d} {score.gold:4d}  {old.recall:9.0%} → {score.recall:6.0%}  "
              f"{old.noise_rate:9.0%} → {score.noise_rate:5.0%}  "
              f"{old.extracted / old.questions:8.1f} → {score.extracted / score.questions:5.1f}")
    total_before, total_after = overall(before), overall(after)
    print(f"{'ALL (counts)':26} {'':3} {'':4}  {total_before.recalled:9d} → {total_after.recalled:6d}  "
          f"{total_before.noise:9d} → {total_after.noise:5d}  {total_before.extracted:8d} → {total_after.extracted:5d}")
    labelled_before, labelled_after = (score_against_labelled_points(extract_before),
                                       score_against_labelled_points(extract_after))
    print("\nheld-out check: the points the calibration authors wrote for the sealed per-point splits")
    for split, score in [*sorted(labelled_after.items()), ("ALL", overall(labelled_after))]:
        old = overall(labelled_before) if split == "ALL" else labelled_before[split]
        print(f"{split:26} {score.questions:3d} {score.gold:4d}  {old.recalled:4d} {old.recall:4.0%} → "
              f"{score.recalled:3d} {score.recall:4.0%}  {old.noise:4d} {old.noise_rate:4.0%} → "
              f"{score.noise:3d} {score.noise_rate:4.0%}  {old.extracted / old.questions:8.1f} → "
              f"{score.extracted / score.questions:5.1f}")
    corpus = Path(_option("--corpus", str(CORPUS)))
    if corpus.exists():
        _print_shapes(corpus, {revision: extract_before, "working tree": extract_after})
    else:
        print(f"\ncorpus shape skipped: {corpus} not found (pass --corpus DIR)")


if __name__ == "__main__":
    main()
