"""`flask bank import` says what it merged and refuses unstorable text with a message, never a traceback."""

from sqlalchemy import func, select

from tests.conftest import SEEDS
from webapp.extensions import db
from webapp.models import Question


def test_bank_import_prints_each_merge_it_makes(runner):
    result = runner.invoke(args=["bank", "import", str(SEEDS)])
    assert result.exit_code == 0
    merges = [line for line in result.output.splitlines() if line.startswith("Merged ")]
    assert len(merges) == 10
    assert all(" into " in line and "(" in line for line in merges)


def test_a_bank_file_with_a_nul_is_refused_naming_file_and_line_and_changes_nothing(runner, app, tmp_path):
    bad = tmp_path / "nul.md"
    bad.write_text("# 1.什么是注意力？\n\n注意力是\x00加权求和。\n", encoding="utf-8")
    with app.app_context():
        before = db.session.scalar(select(func.count(Question.id)))
    result = runner.invoke(args=["bank", "import", str(bad)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a ClickException, not a crash
    assert "nul.md:3" in result.output and "U+0000" in result.output and "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == before
