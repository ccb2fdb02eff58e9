"""Rebuild data/idf.tsv, the grader's fixed document frequencies, from the seed banks and generic prose.

Run once after the seeds or the term table change: `python -m webapp.grading.build_idf`.
The shipped table is what the grader loads, so importing another bank never moves a score.
"""

import re
import sys
from collections import Counter
from pathlib import Path

from webapp.grading.normalize import DATA, normalize_for_matching
from webapp.grading.units import units

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_BREAK = re.compile(r"\n\s*\n|\n(?=#)")


def documents() -> list[str]:
    """Split the seed banks and the generic prose into paragraph-sized documents."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts.append((DATA / "generic.txt").read_text(encoding="utf-8"))
    docs = []
    for text in texts:
        for block in _BREAK.split(text):
            lines = [line for line in block.splitlines() if line.strip() and not line.startswith("# ")]
            if lines:
                docs.append("\n".join(lines))
    return docs


def main() -> None:
    """Count in how many documents each unit occurs and write the table."""
    docs = documents()
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update({unit for unit, _, _ in units(normalize_for_matching(doc).text)})
    rows = [f"#documents\t{len(docs)}"] + [f"{unit}\t{df}" for unit, df in sorted(counts.items())]
    (DATA / "idf.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(docs)} documents, {len(counts)} units", file=sys.stderr)


if __name__ == "__main__":
    main()
