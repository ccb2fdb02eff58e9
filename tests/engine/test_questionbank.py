"""Question-bank parsing, dedupe and topics on the real seed documents and the shared corpus."""

from pathlib import Path

import pytest

from webapp.questionbank import BankFormatError, parse_text, read_bank

REPO = Path(__file__).parents[2]
SEEDS = REPO / "seeds"
CORPUS = REPO / ".." / "shared" / "corpus"
SEED_QUESTION_COUNT = 103


@pytest.fixture(scope="module")
def seed_bank():
    return read_bank([SEEDS])


def test_the_seeds_hold_exactly_the_distinct_questions_counted_by_hand(seed_bank):
    assert len(seed_bank.questions) == SEED_QUESTION_COUNT


def test_a_numbered_heading_without_text_names_file_and_line():
    with pytest.raises(BankFormatError) as error:
        parse_text("# 1.什么是LoRA？\n\n低秩适配。\n\n# 2.\n\n没有题目。\n", "broken.md")
    assert str(error.value) == "broken.md:5: numbered heading has no question text"
