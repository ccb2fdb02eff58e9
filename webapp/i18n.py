"""Locale and timezone choice for Flask-Babel."""

from functools import lru_cache

from babel import support
from flask import Flask, g, has_request_context, request, session
from flask_babel import Domain, get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.i18n import messages_path

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
    """Load each language's catalogs once per process, not once per request (Flask-Babel's default domain
    object, and with it its cache, is made anew for each request; Flask-WTF reads WTForms' catalog for each
    request into `request.wtforms_translations` unless it is there already)."""
    domain = Domain()
    app.before_request(domain.as_default)
    app.before_request(_share_wtforms_catalogs)
    # Flask-Babel's own template callables look the domain, the locale and the catalog up again for every string
    # (a page has dozens); the locale is fixed for the request once chosen, so its catalog is looked up once.
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _request_catalog().ugettext(string),
        ngettext=lambda singular, plural, n: _request_catalog().ungettext(singular, plural, n),
        pgettext=lambda context, string: _request_catalog().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _request_catalog().unpgettext(context, singular, plural, n),
        newstyle=True)


def _request_catalog() -> support.NullTranslations:
    catalog = g.get("request_catalog")
    if catalog is None:
        catalog = g.request_catalog = get_translations()
    return catalog


class _WTFormsCatalogs:
    """WTForms' own messages in the request's language, from catalogs read once per process."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalog(current_locale_name()).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(current_locale_name()).ungettext(singular, plural, n)


_WTFORMS_CATALOGS = _WTFormsCatalogs()


@lru_cache(maxsize=len(LOCALES))
def _wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _share_wtforms_catalogs() -> None:
    request.wtforms_translations = _WTFORMS_CATALOGS
