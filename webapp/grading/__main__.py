"""Grade JSON Lines from stdin: {"reference", "answer", optional "question" and "key_points"} in, one result a line.

"key_points" replaces the points extracted from the reference: a list of claims, or of
{"text", "weight": "must"|"nice", "aliases": [...], "ask"}.

Example: echo '{"reference": "- 对称矩阵表达能力弱", "answer": "会变成对称矩阵"}' | python -m webapp.grading
"""

import json
import sys
from typing import Any

from webapp.grading import KeyPoint, extract_key_points, grade, key_point


def _key_points(item: dict[str, Any]) -> list[KeyPoint]:
    """The points to grade on: those given, else the ones extracted from the reference."""
    given = item.get("key_points")
    if given is None:
        return extract_key_points(item["reference"])
    if not isinstance(given, list):
        raise ValueError('"key_points" must be a list')
    points = []
    for entry in given:
        if isinstance(entry, str):
            entry = {"text": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise ValueError('each key point must be a string or an object with a "text" string')
        weight = entry.get("weight")
        if weight not in (None, "must", "nice"):
            raise ValueError('a key point\'s "weight" must be "must" or "nice"')
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise ValueError('a key point\'s "aliases" must be a list of strings')
        points.append(key_point(entry["text"], weight, aliases, entry.get("ask")))
    return points


def main() -> int:
    """Grade every line; report bad lines on stderr and return non-zero if there were any."""
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
            reference, answer = item["reference"], item["answer"]
            question = item.get("question", "")
            if not all(isinstance(value, str) for value in (reference, answer, question)):
                raise ValueError('"reference", "answer" and "question" must be strings')
            points = _key_points(item)
        except (json.JSONDecodeError, KeyError, ValueError) as error:
            detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            print(f"line {number}: {detail}", file=sys.stderr)
            failures += 1
            continue
        result = grade(question, points, answer)
        print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
