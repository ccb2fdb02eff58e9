"""The interview: start, the chat, drafts, skip and finish, the debrief and overrides."""

from flask import Blueprint

from ..database import own_transactions

bp = Blueprint("interview", __name__)
# Its services grade outside the write lock and then take it only to check and store (see services/interviews).
bp.before_request(own_transactions)

from . import routes  # noqa: E402,F401
