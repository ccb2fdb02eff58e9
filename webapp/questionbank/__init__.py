"""Parse question-bank documents into distinct questions with reference answers and topics (pure)."""

from webapp.questionbank.curated import dump_points, meaningful_length, parse_points, read_curated
from webapp.questionbank.formats import parse_text
from webapp.questionbank.model import (
    BankFormatError,
    BankQuestion,
    BankReadResult,
    CuratedEntry,
    CuratedPoint,
    Merge,
    ParsedQuestion,
    SimilarPair,
    SkippedFile,
    Source,
)
from webapp.questionbank.reader import read_bank
from webapp.questionbank.topics import Topic, classify, load_topics

__all__ = [
    "BankFormatError",
    "BankQuestion",
    "BankReadResult",
    "CuratedEntry",
    "CuratedPoint",
    "Merge",
    "ParsedQuestion",
    "SimilarPair",
    "SkippedFile",
    "Source",
    "Topic",
    "classify",
    "dump_points",
    "load_topics",
    "meaningful_length",
    "parse_points",
    "parse_text",
    "read_bank",
    "read_curated",
]
