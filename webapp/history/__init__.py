"""A user's history, progress charts and spaced review: /history/, /progress/, /review/."""

from functools import lru_cache

from flask import Blueprint

from ..rendering import render_markdown
from ..services import history

bp = Blueprint("history", __name__)
# The interview debrief includes history/_flagged.html, so these helpers are available app-wide.
bp.add_app_template_global(history.flagged_points, "history_flagged_points")
bp.add_app_template_global(history.point_rows, "history_point_rows")
bp.add_app_template_global(history.answer_segments, "history_answer_segments")
# Reference answers repeat across transcripts, and rendering them is the slowest part of a transcript page.
bp.add_app_template_global(lru_cache(maxsize=512)(render_markdown), "render_markdown")

from . import routes  # noqa: E402,F401
