"""The app's edge: what a request may carry (ids, text, body size) and the security headers every response gets."""

from __future__ import annotations

import re

from flask import Flask, current_app, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from .errors import DomainError
from .services.interviews import DRAFT_LIMIT_FACTOR
from .storable import has_control_character

# Integer columns are 32-bit on PostgreSQL; an id or turn number past this cannot exist on either database.
MAX_STORED_INT = 2**31 - 1
_ASCII_NUMBER = re.compile(r"[0-9]{1,10}")
DEFAULT_BODY_BYTES = 64 * 1024
# Form-encoded, one character of an answer takes at most 9 bytes (4 UTF-8 bytes, each percent-encoded).
BYTES_PER_ANSWER_CHARACTER = 9
# An answer route reads up to four times the kept draft (itself four times the answer limit), so a long paste
# still arrives and is kept, cut; past that the body is refused before it is parsed.
ANSWER_BODY_FACTOR = 4 * DRAFT_LIMIT_FACTOR
ANSWER_ENDPOINTS = frozenset({"interview.answer", "interview.draft", "interview.finish"})
IMPORT_ENDPOINTS = frozenset({"history.import_history"})

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


class UnstorableText(DomainError):
    """A request carried a control character that no page or column can hold."""


def stored_int(text: str) -> int | None:
    """Return `text` as an id or number a column can hold (ASCII digits, 1 to 2³¹−1), else None."""
    if not _ASCII_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_STORED_INT else None


class StoredIdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits naming a value a column can hold, else the route does not match."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.min = max(self.min or 1, 1)
        self.max = min(self.max or MAX_STORED_INT, MAX_STORED_INT)


def body_limit(endpoint: str | None) -> int:
    """Return how many bytes a request to `endpoint` may send: answers and imports get room, the rest little."""
    config = current_app.config
    if endpoint in ANSWER_ENDPOINTS:
        return config["MAX_ANSWER_CHARS"] * ANSWER_BODY_FACTOR * BYTES_PER_ANSWER_CHARACTER
    if endpoint in IMPORT_ENDPOINTS:
        return config["MAX_IMPORT_BYTES"]
    return DEFAULT_BODY_BYTES


def _limit_and_screen_request() -> None:
    """Size the body limit for this route before anything parses it, then refuse text that cannot be stored."""
    limit = body_limit(request.endpoint)
    request.max_content_length = limit
    request.max_form_memory_size = limit
    values = [request.path, *request.args.values()]
    if request.method == "POST":
        values += request.form.values()
    if any(has_control_character(value) for value in values):
        raise UnstorableText(_("The request holds a control character (such as NUL) that cannot be stored. "
                               "Remove it and try again."))


def _add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def init_app(app: Flask) -> None:
    """Install the converter and the request and response hooks; call before extensions and blueprints."""
    app.url_map.converters["int"] = StoredIdConverter
    app.before_request(_limit_and_screen_request)
    app.after_request(_add_security_headers)
