from flask import render_template

from . import bp


@bp.get("/")
def index():
    """Show the home page."""
    return render_template("main/index.html")


@bp.get("/healthz")
def healthz():
    """Answer load balancers and smoke tests."""
    return {"status": "ok"}
