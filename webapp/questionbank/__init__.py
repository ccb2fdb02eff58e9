"""Parse question-bank documents into distinct questions with reference answers and topics (pure)."""

from webapp.questionbank.formats import parse_text
from webapp.questionbank.model import (
    BankFormatError,
    BankQuestion,
    BankReadResult,
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
    "ParsedQuestion",
    "SimilarPair",
    "SkippedFile",
    "Source",
    "Topic",
    "classify",
    "load_topics",
    "parse_text",
    "read_bank",
]
