"""The interview: start, the chat, drafts, skip and finish, the debrief and overrides."""

from flask import Blueprint

bp = Blueprint("interview", __name__)

from . import routes  # noqa: E402,F401
