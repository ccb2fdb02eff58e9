"""Measure extracted key points against the curated seed points as gold: recall and noise per topic."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from webapp.grading.keypoints import distinctive_units
from webapp.questionbank import read_bank

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# A point covers a gold point when it holds half the gold point's distinctive mass and is not mostly about
# something else (a whole paragraph that mentions the idea in passing does not count).
GOLD_SHARE = 0.25
POINT_SHARE = 0.1


def _share(of: dict[str, float], within: dict[str, float]) -> float:
    total = sum(of.values())
    return sum(weight for unit, weight in of.items() if unit in within) / total if total else 0.0


def covers(point: str, gold: str) -> bool:
    """Tell whether an extracted point states the gold point."""
    point_units, gold_units = distinctive_units(point), distinctive_units(gold)
    return _share(gold_units, point_units) >= GOLD_SHARE and _share(point_units, gold_units) >= POINT_SHARE


@dataclass
class TopicScore:
    """Recall and noise of one topic's questions."""

    questions: int = 0
    gold: int = 0
    recalled: int = 0
    extracted: int = 0
    noise: int = 0
    counts: list[int] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recalled / self.gold if self.gold else 0.0

    @property
    def noise_rate(self) -> float:
        return self.noise / self.extracted if self.extracted else 0.0

    def add(self, other: "TopicScore") -> None:
        self.questions += other.questions
        self.gold += other.gold
        self.recalled += other.recalled
        self.extracted += other.extracted
        self.noise += other.noise
        self.counts += other.counts


def score_against_gold(extract: Callable[[str], Sequence[str]], seeds: Path = SEEDS) -> dict[str, TopicScore]:
    """Extract every curated, answered seed question's points and score them by the curated file's topic."""
    bank = read_bank([seeds])
    answers = {question.key: question.answer for question in bank.questions}
    topics: dict[str, TopicScore] = {}
    for entry in bank.curated:
        if not entry.points or not answers.get(entry.key):
            continue
        extracted = list(extract(answers[entry.key]))
        gold = [point.text for point in entry.points]
        score = topics.setdefault(Path(entry.source.file).stem, TopicScore())
        score.questions += 1
        score.gold += len(gold)
        score.recalled += sum(any(covers(point, text) for point in extracted) for text in gold)
        score.extracted += len(extracted)
        score.noise += sum(not any(covers(point, text) for text in gold) for point in extracted)
        score.counts.append(len(extracted))
    return topics


def overall(topics: dict[str, TopicScore]) -> TopicScore:
    """Pool the topics into one score."""
    total = TopicScore()
    for score in topics.values():
        total.add(score)
    return total
