"""Domain errors raised by services and the one place that maps them to responses."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


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

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404, message=None), 404
