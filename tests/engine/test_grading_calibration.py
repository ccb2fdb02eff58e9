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


def heldout_metrics() -> dict[str, dict[str, float]]:
    """Spearman, AUC and MAE on the held-out labels, for the engine and the baseline."""
    rows = [row for row in load(LABELLED) if row["split"] == "heldout"]
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


@pytest.mark.skipif(not LABELLED.exists(), reason="labelled calibration set not written yet")
def test_the_grader_agrees_with_the_heldout_labels(record_property, capsys):
    metrics = heldout_metrics()
    with capsys.disabled():
        print("\nheld-out calibration")
        for name, values in metrics.items():
            print(_line(name, values))
            record_property(name, values)
    engine = metrics["engine"]
    assert engine["spearman"] >= 0.85
    assert engine["auc"] >= 0.97
    assert engine["mae"] <= 15


@pytest.mark.skipif(not SHARED.exists(), reason="shared human-scored sets not present")
def test_the_grader_reports_pearson_with_human_scores(record_property, capsys):
    metrics = human_pearson()
    with capsys.disabled():
        print("\nPearson with human scores")
        for name, values in metrics.items():
            print(_line(name, values))
            record_property(name, values)
    for values in metrics.values():
        assert -1 <= values["engine"] <= 1


if __name__ == "__main__":
    if LABELLED.exists():
        print("held-out calibration")
        for name, values in heldout_metrics().items():
            print(_line(name, values))
    print("Pearson with human scores")
    for name, values in human_pearson().items():
        print(_line(name, values))
