"""Locale and timezone choice for Flask-Babel."""

from flask import Flask, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_babel import gettext as _
from flask_login import current_user

LOCALES = ("zh", "en")


def select_locale() -> str:
    """Pick the UI language: the user's saved choice, then the session's, then Chinese."""
    if not has_request_context():
        return "en"  # command-line output is English, so translated domain errors there are too
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale") or request.args.get("lang")
    return chosen if chosen in LOCALES else "zh"


def select_timezone() -> str | None:
    """Show times in the user's own timezone."""
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return None


def current_locale_name() -> str:
    """Return the active locale as a short code ("zh" or "en") for templates."""
    return str(get_locale() or "zh").split("_")[0]


def mode_name(mode: str) -> str:
    """Name an interview mode in the UI language."""
    return {"mock": _("Mock interview"), "drill": _("Drill"), "review": _("Review")}.get(mode, mode)


def keep_catalogs_loaded(app: Flask) -> None:
    """Load each language's catalog once per process, not once per request (Flask-Babel's default domain
    object, and with it its cache, is made anew for each request)."""
    domain = Domain()
    app.before_request(domain.as_default)
