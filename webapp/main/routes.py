from flask import render_template
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from ..database import ping
from ..services.interviews import unfinished_interview
from . import bp


@bp.get("/")
def index():
    """Show the home page: continue or start an interview, or sign in."""
    unfinished = unfinished_interview(current_user) if current_user.is_authenticated else None
    return render_template("main/index.html", unfinished=unfinished)


@bp.get("/healthz")
def healthz():
    """Answer load balancers and smoke tests: 200 when the database answers, 503 when it does not."""
    try:
        ping()
    except OperationalError:
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
