"""The records the question bank produces: parsed copies, distinct questions and read results."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where one copy of a question came from."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class ParsedQuestion:
    """One question as a single document states it."""

    question: str
    answer: str
    source: Source
    frequency: int = 1


@dataclass(frozen=True)
class BankQuestion:
    """One distinct question after merging its copies across documents."""

    key: str
    question: str
    answer: str
    sources: tuple[Source, ...]
    topics: tuple[str, ...]
    frequency: int


@dataclass(frozen=True)
class Merge:
    """One copy folded into a question: the heading that went in, the copy kept, and how alike they read."""

    copy: ParsedQuestion
    into: ParsedQuestion
    ratio: float

    def describe(self) -> str:
        """Say which heading went into which question, and why."""
        why = "the same text once normalized" if self.ratio >= 100 else f"{self.ratio:.0f}% alike"
        return (f"Merged {self.copy.source.file}:{self.copy.source.line} “{self.copy.question}” into "
                f"{self.into.source.file}:{self.into.source.line} “{self.into.question}” ({why})")


@dataclass(frozen=True)
class SimilarPair:
    """Two distinct questions that ask nearly the same thing in different words."""

    key_a: str
    key_b: str
    score: float


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not imported because it is not a question bank."""

    path: str
    reason: str


@dataclass(frozen=True)
class CuratedPoint:
    """One hand-written point: its claim, weight, other wordings and, for a `must` point, a follow-up."""

    text: str
    weight: str
    aliases: tuple[str, ...] = ()
    ask: str | None = None


@dataclass(frozen=True)
class CuratedEntry:
    """The curated key points of one question, with a real question for a bare title and an erratum."""

    key: str
    title: str
    question: str | None
    erratum: str | None
    points: tuple[CuratedPoint, ...]
    source: Source


@dataclass(frozen=True)
class BankReadResult:
    """Everything one import of banks produced."""

    questions: tuple[BankQuestion, ...]
    similar: tuple[SimilarPair, ...]
    files: tuple[str, ...]
    skipped: tuple[SkippedFile, ...]
    curated: tuple[CuratedEntry, ...] = ()
    merges: tuple[Merge, ...] = ()


class BankFormatError(ValueError):
    """A file that looks like a question bank but cannot be parsed."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
