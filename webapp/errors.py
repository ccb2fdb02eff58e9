"""Domain errors raised by services and the one place that maps them to responses."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError

from .extensions import db


class DomainError(Exception):
    """A use case refused: the message is safe to show to the user."""

    status = 400


class NotFound(DomainError):
    status = 404


class InterviewFinished(DomainError):
    """The interview has ended; nothing more can be answered."""

    status = 409


class AlreadyAnswered(DomainError):
    """The question was already answered with another submission."""

    status = 409


class TurnNotOpen(DomainError):
    """The question named is not the one currently asked."""

    status = 409


class UnknownTurn(DomainError):
    """The interview has no question with that number."""


class AnswerTooLong(DomainError):
    """The answer is over the size limit; the text was kept as a draft."""

    status = 413

    def __init__(self, message: str, limit: int):
        super().__init__(message)
        self.limit = limit


class NothingToDrill(DomainError):
    """No question of the interview scored low enough to drill again."""


class NoQuestions(DomainError):
    """No question matches the chosen topics and options."""


def register(app: Flask) -> None:
    """Render domain errors and HTTP errors with the site's own page."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_template("error.html", code=error.status, message=str(error)), error.status

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        return render_template("error.html", code=400,
                               message=_("The form expired. Reload the page and try again.")), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        # A database that is down, restarting or locked past the busy timeout: nothing was stored, so retrying
        # is safe, and the chat keeps the typed text in the browser meanwhile.
        message = _("The database is busy or unreachable, so nothing was saved this time. "
                    "Your text is kept in this browser: try again in a moment.")
        headers = {"Retry-After": "5"}
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=message, retry=True), 503, headers
        try:
            db.session.rollback()
            body = render_template("error.html", code=503, message=message)
        except OperationalError:  # the page itself needs the database (the signed-in user) and it is still away
            body = f"<!doctype html><title>503</title><p>{escape(message)}</p>"
        return body, 503, headers

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404, message=None), 404
