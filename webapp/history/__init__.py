"""A user's history, progress charts and spaced review: /history/, /progress/, /review/."""

from flask import Blueprint

from ..services import history

bp = Blueprint("history", __name__)
bp.add_app_template_global(history.flagged_points, "history_flagged_points")
bp.add_app_template_global(history.point_rows, "history_point_rows")

from . import routes  # noqa: E402,F401
