from flask import render_template
from flask_login import current_user

from ..services.interviews import unfinished_interview
from . import bp


@bp.get("/")
def index():
    """Show the home page: continue or start an interview, or sign in."""
    unfinished = unfinished_interview(current_user) if current_user.is_authenticated else None
    return render_template("main/index.html", unfinished=unfinished)


@bp.get("/healthz")
def healthz():
    """Answer load balancers and smoke tests."""
    return {"status": "ok"}
