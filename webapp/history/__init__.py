"""A user's history, progress charts and spaced review: /history/, /progress/, /review/."""

from flask import Blueprint, request

from ..database import own_transactions

bp = Blueprint("history", __name__)


@bp.before_request
def _import_writes_in_batches() -> None:
    """Let an import read and check its file before taking the write lock (see services/history.import_json)."""
    if request.endpoint == "history.import_history":
        own_transactions()

from . import routes  # noqa: E402,F401
