"""Read question banks from files and folders into distinct, topic-labelled questions."""

from collections.abc import Iterable
from pathlib import Path

from webapp.questionbank import dedupe, similarity
from webapp.questionbank.curated import read_curated
from webapp.questionbank.formats import PARSERS, identify_format, unrecognized_reason
from webapp.questionbank.model import (
    BankFormatError,
    BankQuestion,
    BankReadResult,
    CuratedEntry,
    ParsedQuestion,
    SkippedFile,
)
from webapp.questionbank.topics import classify
from webapp.storable import first_control_character


def read_bank(paths: Iterable[str | Path]) -> BankReadResult:
    """Import every bank and curated key-point file under `paths`, all or nothing; other files are skipped."""
    parsed: list[ParsedQuestion] = []
    curated: list[CuratedEntry] = []
    files: list[str] = []
    skipped: list[SkippedFile] = []
    for path in _files_under(paths):
        if path.suffix == ".toml":
            curated.extend(_new_entries(read_curated(path), curated))
            files.append(str(path))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            skipped.append(SkippedFile(str(path), "not UTF-8 text"))
            continue
        if (offset := first_control_character(text)) is not None:
            raise BankFormatError(str(path), text.count("\n", 0, offset) + 1,
                                  f"holds the control character U+{ord(text[offset]):04X}, which cannot be stored")
        format_name = identify_format(text)
        if format_name is None:
            skipped.append(SkippedFile(str(path), unrecognized_reason(text)))
            continue
        parsed.extend(PARSERS[format_name](text.splitlines(), path.name))
        files.append(str(path))
    groups = dedupe.group_copies(parsed)
    questions = tuple(sorted((_merge(copies) for copies in groups), key=lambda q: q.key))
    merges = tuple(merge for copies in groups for merge in dedupe.merges_into(dedupe.best_copy(copies), copies))
    similar = similarity.similar_pairs({q.key: (q.question, q.answer) for q in questions})
    return BankReadResult(questions, tuple(similar), tuple(files), tuple(skipped), tuple(curated), merges)


def _new_entries(entries: list[CuratedEntry], earlier: list[CuratedEntry]) -> list[CuratedEntry]:
    """Refuse a question curated twice, naming both places."""
    seen = {entry.key: entry.source for entry in earlier}
    for entry in entries:
        if entry.key in seen:
            raise BankFormatError(entry.source.file, entry.source.line,
                                  f"q.{entry.key}: already curated at {seen[entry.key]}")
        seen[entry.key] = entry.source
    return entries


def _files_under(paths: Iterable[str | Path]) -> list[Path]:
    """List the files named or contained (recursively) in `paths`, hidden ones left out, sorted."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found.update(p for p in path.rglob("*")
                         if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.add(path)
    return sorted(found)


def _merge(copies: list[ParsedQuestion]) -> BankQuestion:
    """Fold the copies of one question into a bank question keyed by its normalized text."""
    best = dedupe.best_copy(copies)
    key = min(dedupe.question_key(copy.question) for copy in copies)
    sources = tuple(sorted({copy.source for copy in copies}, key=lambda s: (s.file, s.line)))
    frequency = max(copy.frequency for copy in copies)
    return BankQuestion(key, best.question, best.answer, sources, classify(best.question, best.answer), frequency)
