"""Browse, search and (for admins) edit the question bank."""

from flask import Blueprint

bp = Blueprint("bank", __name__)

from . import routes  # noqa: E402,F401
