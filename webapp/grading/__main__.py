"""Grade JSON Lines from stdin: {"reference", "answer", optional "question"} in, one result a line out.

Example: echo '{"reference": "- 对称矩阵表达能力弱", "answer": "会变成对称矩阵"}' | python -m webapp.grading
"""

import json
import sys

from webapp.grading import extract_key_points, grade


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
        except (json.JSONDecodeError, KeyError, ValueError) as error:
            detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            print(f"line {number}: {detail}", file=sys.stderr)
            failures += 1
            continue
        result = grade(question, extract_key_points(reference), answer)
        print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
