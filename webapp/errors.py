"""Domain errors raised by services and the one place that maps them to responses."""

from flask import Flask, render_template


class DomainError(Exception):
    """A use case refused: the message is safe to show to the user."""

    status = 400


class NotFound(DomainError):
    status = 404


def register(app: Flask) -> None:
    """Render domain errors and HTTP errors with the site's own page."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_template("error.html", code=error.status, message=str(error)), error.status

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404, message=None), 404
