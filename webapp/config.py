"""Configuration read from environment variables, with safe defaults for a local run."""

import os
import secrets
from pathlib import Path


def generated_secret_key(instance_path: str) -> str:
    """Return the key generated once and kept in the instance folder, for a deployment that sets none."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()


class Config:
    """Settings for one deployment; every value can be overridden from the environment."""

    def __init__(self, instance_path: str):
        # None falls back to a generated key in create_app, once test or instance config had their say.
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        default_db = "sqlite:///" + str(Path(instance_path) / "mianshi.sqlite3")
        self.SQLALCHEMY_DATABASE_URI = _sqlalchemy_url(os.environ.get("DATABASE_URL", default_db))
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        # Off only for load tests, whose simulated candidates all sign up from one address.
        self.RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
        # Redis down: keep limiting in each worker's memory, warn in the log, never fail the request.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_KEY_PREFIX = "mianshi"
        # A sliding window: a fixed one forgets every count at the minute boundary, doubling a burst across it.
        self.RATELIMIT_STRATEGY = "moving-window"
        # How many proxies in front of the app set X-Forwarded-For/-Proto; 0 trusts none.
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
        self.MAX_ANSWER_CHARS = int(os.environ.get("MAX_ANSWER_CHARS", "5000"))
        self.MAX_IMPORT_BYTES = int(os.environ.get("MAX_IMPORT_BYTES", str(8 * 1024 * 1024)))
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = os.environ.get("HTTPS", "") == "1"
        # A form's token lives as long as the sign-in: an answer typed over an hour must still submit.
        self.WTF_CSRF_TIME_LIMIT = None
        self.BABEL_DEFAULT_LOCALE = "zh"
        self.BABEL_DEFAULT_TIMEZONE = "UTC"


def _sqlalchemy_url(url: str) -> str:
    """Route plain postgres URLs through psycopg 3, the driver the project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
