"""Domain errors raised by services and the one place that maps them to responses."""

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests

from .extensions import db, login_manager


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


def error_response(status: int, message: str | None):
    """Answer with the message as JSON to scripts that asked for JSON, else with the site's error page."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=message), status
    return render_template("error.html", code=status, message=message), status


def register(app: Flask) -> None:
    """Render domain errors and HTTP errors with the site's own page."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return error_response(error.status, str(error))

    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        return error_response(400, _("The form expired. Reload the page and try again."))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        limit = request.max_content_length or 0
        return error_response(413, _("The request is larger than this page accepts (%(size)s KB). Nothing was "
                                     "saved: send less and try again.", size=f"{limit / 1024:,.0f}"))

    @app.errorhandler(TooManyRequests)
    def too_many_requests(error: TooManyRequests):
        return error_response(429, _("Too many requests. Wait a minute and try again."))

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        # A database that is down, restarting or locked past the busy timeout: nothing was stored, so retrying
        # is safe, and the chat keeps the typed text in the browser meanwhile.
        db.session.rollback()
        if "_login_user" not in g:  # the signed-in user could not be loaded: show the page as to a visitor
            g._login_user = login_manager.anonymous_user()
        message = _("The database is busy or unreachable, so nothing was saved this time. "
                    "Your text is kept in this browser: try again in a moment.")
        headers = {"Retry-After": "5"}
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=message, retry=True), 503, headers
        return render_template("error.html", code=503, message=message), 503, headers

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404, message=None), 404
