"""Read curated key points (seeds/keypoints/*.toml): one checked entry per question, keyed by its bank key."""

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from webapp.questionbank.model import BankFormatError, CuratedEntry, CuratedPoint, Source

WEIGHTS = ("must", "nice")
MAX_POINTS = 8
MIN_MEANINGFUL = 6
MAX_POINT_LENGTH = 120
ERRATUM_PREFIX = "参考答案此处有误："
_KEY = re.compile(r"[0-9a-f]{12}")
_INLINE_MATH = re.compile(r"\$[^$]*\$")
_ENTRY_FIELDS = {"title", "question", "erratum", "points"}
_POINT_FIELDS = {"text", "weight", "aliases", "ask"}


def meaningful_length(text: str) -> int:
    """Count the letters and digits of a claim, an inline formula counting as one."""
    return sum(char.isalnum() for char in _INLINE_MATH.sub("x", text))


def read_curated(path: str | Path) -> list[CuratedEntry]:
    """Read one curated TOML file; a bad file raises BankFormatError naming the file, line, key and field."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BankFormatError(str(path), _decode_error_line(error), f"not valid TOML: {error}") from error
    entries = data.get("q", {})
    if set(data) - {"q"} or not isinstance(entries, dict):
        raise BankFormatError(str(path), 1, "expected only [q.<key>] tables")
    return [_entry(key, entry, _Locator(str(path), text, key)) for key, entry in entries.items()]


def parse_points(text: str, where: str = "key points") -> tuple[tuple[CuratedPoint, ...], str | None]:
    """Read a maintainer's points (`[[points]]` tables, optional `erratum`) with the same rules as a file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BankFormatError(where, _decode_error_line(error), f"not valid TOML: {error}") from error
    locate = _Locator(where, text, None)
    unknown = set(data) - {"points", "erratum"}
    if unknown:
        raise BankFormatError(where, 1, f"unknown field(s) {', '.join(sorted(unknown))}")
    return _points(data.get("points", []), locate), _erratum(data.get("erratum"), locate)


def dump_points(points: Iterable[CuratedPoint], erratum: str | None = None) -> str:
    """Write points (and an erratum) as the TOML `parse_points` reads back."""
    lines = [f"erratum = {_quote(erratum)}", ""] if erratum else []
    for point in points:
        lines += ["[[points]]", f"text = {_quote(point.text)}", f"weight = {_quote(point.weight)}"]
        if point.aliases:
            lines.append(f"aliases = [{', '.join(_quote(alias) for alias in point.aliases)}]")
        if point.ask:
            lines.append(f"ask = {_quote(point.ask)}")
        lines.append("")
    return "\n".join(lines)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _decode_error_line(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else 1


class _Locator:
    """Name the file, line and field of a problem in one entry."""

    def __init__(self, path: str, text: str, key: str | None) -> None:
        self.path, self.key = path, key
        self.lines = text.splitlines()
        prefix = f"q.{key}." if key else ""
        self.entry_line = 0 if key is None else self._first(lambda line: line.startswith(f"[q.{key}]"))
        self.point_lines = [number for number, line in enumerate(self.lines, 1)
                            if line.strip().replace(" ", "") == f"[[{prefix}points]]"]

    def _first(self, wanted) -> int:
        return next((number for number, line in enumerate(self.lines, 1) if wanted(line.strip())), 1)

    def _field_line(self, field: str, start: int) -> int:
        """Find `field = ...` in the table starting at line `start`, or the table's own line."""
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1].strip()
            if line.startswith("["):
                break
            if re.match(rf"{re.escape(field)}\s*=", line):
                return number
        return max(start, 1)

    def error(self, field: str, message: str, point: int | None = None) -> BankFormatError:
        line = self.entry_line
        if point is not None and point < len(self.point_lines):
            line = self.point_lines[point]
        line = self._field_line(field, line)
        owner = f"q.{self.key}." if self.key else ""
        where = f"points[{point + 1}].{field}" if point is not None else field
        return BankFormatError(self.path, line, f"{owner}{where}: {message}")


def _entry(key: str, entry: Any, locate: _Locator) -> CuratedEntry:
    if not _KEY.fullmatch(key):
        raise locate.error("key", "must be the question's 12 hex digit bank key")
    if not isinstance(entry, dict):
        raise locate.error("key", "must be a table")
    unknown = set(entry) - _ENTRY_FIELDS
    if unknown:
        raise locate.error(sorted(unknown)[0], "unknown field")
    title = _text(entry.get("title"), "title", locate)
    if title is None:
        raise locate.error("title", "required: the question as the seed states it")
    question = _text(entry.get("question"), "question", locate)
    if question is not None and meaningful_length(question) < MIN_MEANINGFUL:
        raise locate.error("question", f"a real interview question has at least {MIN_MEANINGFUL} characters")
    points = _points(entry.get("points", []), locate)
    return CuratedEntry(key, title, question, _erratum(entry.get("erratum"), locate), points,
                        Source(Path(locate.path).name, locate.entry_line))


def _text(value: Any, field: str, locate: _Locator, point: int | None = None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise locate.error(field, "must be non-empty text", point)
    return value.strip()


def _erratum(value: Any, locate: _Locator) -> str | None:
    erratum = _text(value, "erratum", locate)
    if erratum is not None and not erratum.startswith(ERRATUM_PREFIX):
        raise locate.error("erratum", f"must start with {ERRATUM_PREFIX}")
    return erratum


def _points(value: Any, locate: _Locator) -> tuple[CuratedPoint, ...]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise locate.error("points", "must be [[points]] tables")
    if len(value) > MAX_POINTS:
        raise locate.error("points", f"{len(value)} points; at most {MAX_POINTS}")
    points = tuple(_point(item, index, locate) for index, item in enumerate(value))
    if points and not any(point.weight == "must" for point in points):
        raise locate.error("points", 'at least one point must be weighed "must"')
    return points


def _point(item: Mapping[str, Any], index: int, locate: _Locator) -> CuratedPoint:
    unknown = set(item) - _POINT_FIELDS
    if unknown:
        raise locate.error(sorted(unknown)[0], "unknown field", index)
    text = _text(item.get("text"), "text", locate, index)
    if text is None:
        raise locate.error("text", "required", index)
    if meaningful_length(text) < MIN_MEANINGFUL or len(text) > MAX_POINT_LENGTH:
        raise locate.error("text", f"a claim of {MIN_MEANINGFUL}-{MAX_POINT_LENGTH} characters", index)
    if text.endswith((":", "：")):
        raise locate.error("text", "ends with a colon: a heading, not a claim", index)
    weight = item.get("weight")
    if weight not in WEIGHTS:
        raise locate.error("weight", f'must be "must" or "nice", not {weight!r}', index)
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(alias, str) and alias.strip() for alias in aliases):
        raise locate.error("aliases", "must be a list of non-empty texts", index)
    ask = _text(item.get("ask"), "ask", locate, index)
    if ask is not None and weight != "must":
        raise locate.error("ask", "only a must point has a follow-up", index)
    if ask is not None and not ask.endswith(("？", "?")):
        raise locate.error("ask", "a follow-up question ends with ？", index)
    return CuratedPoint(text, weight, tuple(alias.strip() for alias in aliases), ask)
