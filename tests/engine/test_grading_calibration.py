"""Hold the grader to the held-out labels and report agreement with human scores.

Run `python -m tests.engine.test_grading_calibration` for the full report.
"""

import json
import math
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from webapp.grading import extract_key_points, grade, normalize_text

LABELLED = Path(__file__).parent / "calibration" / "labelled.jsonl"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "calibration"
HUMAN_SETS = ("sas_ads_zh_train.jsonl", "sas_le_zh_train.jsonl")
SPEARMAN_FLOOR = 0.84  # fixed before grader 2.1's one held-out read; issue 4 asks for 0.85
# Splits written after the grader, kept from falling below their measured levels: fresh (0.862, 0.977, 12.5) and
# fresh2 (0.904, 0.989, 12.4) under grader 2.1, fresh3 (0.881, 0.990, 13.0) under grader 2.2.
LATER_SPLITS = {
    "fresh": {"spearman": 0.855, "auc": 0.97, "mae": 13},
    "fresh2": {"spearman": 0.895, "auc": 0.985, "mae": 13},
    "fresh3": {"spearman": 0.875, "auc": 0.985, "mae": 14},
}


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def pearson(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    spread = math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    return cov / spread if spread else 0.0


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman rank correlation."""
    return pearson(_ranks(xs), _ranks(ys))


def auc(scores: list[float], labels: list[float], good: float = 60, bad: float = 20) -> float:
    """ROC-AUC of `scores` for telling good answers (label >= good) from bad ones (label <= bad)."""
    positives = [s for s, y in zip(scores, labels, strict=True) if y >= good]
    negatives = [s for s, y in zip(scores, labels, strict=True) if y <= bad]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def mae(xs: list[float], ys: list[float]) -> float:
    """Mean absolute error."""
    return sum(abs(x - y) for x, y in zip(xs, ys, strict=True)) / len(xs)


def engine_score(row: dict) -> float:
    """Score one row with the grader."""
    return grade(row.get("question", ""), extract_key_points(row["reference"]), row["answer"]).score


def baseline_score(row: dict) -> float:
    """Score one row with plain token_set_ratio against the whole reference."""
    return fuzz.token_set_ratio(normalize_text(row["answer"]), normalize_text(row["reference"]))


def load(path: Path) -> list[dict]:
    """Read JSON Lines."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_metrics(split: str) -> dict[str, dict[str, float]]:
    """Spearman, AUC and MAE on one split of the labels, for the engine and the baseline."""
    rows = [row for row in load(LABELLED) if row["split"] == split]
    labels = [float(row["label"]) for row in rows]
    out = {}
    for name, scorer in (("engine", engine_score), ("token_set_ratio", baseline_score)):
        scores = [float(scorer(row)) for row in rows]
        out[name] = {"spearman": spearman(scores, labels), "auc": auc(scores, labels),
                     "mae": mae(scores, labels), "n": len(rows)}
    return out


def human_pearson() -> dict[str, dict[str, float]]:
    """Pearson with human scores on the shared sets, for the engine and the baseline."""
    out = {}
    for name in HUMAN_SETS:
        rows = load(SHARED / name)
        human = [float(row["human"]) for row in rows]
        out[name] = {"engine": pearson([engine_score(r) for r in rows], human),
                     "token_set_ratio": pearson([baseline_score(r) for r in rows], human), "n": len(rows)}
    return out


def _line(name: str, values: dict[str, float]) -> str:
    return f"{name:>28}: " + "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                       for k, v in values.items())


@pytest.fixture(scope="module")
def heldout(report):
    """Compute and print the held-out figures once for the tests below."""
    metrics = split_metrics("heldout")
    report("held-out calibration", metrics)
    return metrics




@pytest.fixture(scope="module")
def report(pytestconfig):
    """Print figures into the test output even when pytest captures it."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")

    def print_figures(title: str, metrics: dict[str, dict[str, float]]) -> None:
        with capture.global_and_fixture_disabled():
            print(f"\n{title}")
            for name, values in metrics.items():
                print(_line(name, values))

    return print_figures


@pytest.mark.skipif(not LABELLED.exists(), reason="labelled calibration set not written yet")
def test_the_grader_tells_good_heldout_answers_from_bad_ones(heldout):
    assert heldout["engine"]["auc"] >= 0.97
    assert heldout["engine"]["mae"] <= 15


@pytest.mark.skipif(not LABELLED.exists(), reason="labelled calibration set not written yet")
def test_the_grader_ranks_heldout_answers_far_better_than_whole_reference_matching(heldout):
    assert heldout["engine"]["spearman"] >= heldout["token_set_ratio"]["spearman"] + 0.2


@pytest.mark.skipif(not LABELLED.exists(), reason="labelled calibration set not written yet")
def test_the_heldout_rank_agreement_stays_at_its_measured_level(heldout):
    assert heldout["engine"]["spearman"] >= SPEARMAN_FLOOR


@pytest.mark.skipif(not LABELLED.exists(), reason="labelled calibration set not written yet")
@pytest.mark.parametrize("split", LATER_SPLITS)
def test_the_grader_holds_its_level_on_questions_written_after_it(split, report):
    metrics = split_metrics(split)
    report(f"{split} calibration (seed questions labelled after the grader was written)", metrics)
    floors = LATER_SPLITS[split]
    assert metrics["engine"]["spearman"] >= floors["spearman"]
    assert metrics["engine"]["auc"] >= floors["auc"]
    assert metrics["engine"]["mae"] <= floors["mae"]
    assert metrics["engine"]["spearman"] >= metrics["token_set_ratio"]["spearman"] + 0.2


@pytest.mark.skipif(not SHARED.exists(), reason="shared human-scored sets not present")
def test_the_grader_tracks_human_scores_of_the_algorithms_set_better_than_the_baseline(report):
    metrics = human_pearson()
    report("Pearson with human scores", metrics)
    algorithms, logistics = metrics["sas_ads_zh_train.jsonl"], metrics["sas_le_zh_train.jsonl"]
    assert algorithms["engine"] > algorithms["token_set_ratio"] + 0.1
    # On the logistics set (one-sentence references listing items) whole-reference matching still does better;
    # this floor keeps the measured level (0.630).
    assert logistics["engine"] >= 0.61


if __name__ == "__main__":
    if LABELLED.exists():
        for split in ("heldout", *LATER_SPLITS):
            print(f"{split} calibration")
            for name, values in split_metrics(split).items():
                print(_line(name, values))
    print("Pearson with human scores")
    for name, values in human_pearson().items():
        print(_line(name, values))
