"""Account use cases: sign up, sign in, preferences, password changes, admin actions, deletion."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..edge import stored_int
from ..errors import DomainError, NotFound
from ..extensions import db
from ..i18n import LOCALES
from ..models import Interview, PointOverride, Turn, User, username_key
from . import rollups

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
USERNAME_PATTERN = r"^[\w.-]{3,32}$"  # letters (any script), digits, _ . -
MAX_USERNAME_KEY = 64  # the folded name's column; folding can lengthen a name (ß -> ss)
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"


class UsernameTaken(DomainError):
    status = 409

    def __init__(self):
        super().__init__(_l("That username is already taken."))


class WrongPassword(DomainError):
    def __init__(self):
        super().__init__(_l("The current password is not correct."))


class ConfirmationMismatch(DomainError):
    def __init__(self):
        super().__init__(_l("Type your username exactly to confirm."))


class WeakPassword(DomainError):
    """A password too short, equal to the username, or among the most common ones."""


class InvalidUsername(DomainError):
    def __init__(self):
        super().__init__(_l("Use 3 to 32 letters, digits, dots, dashes or underscores."))


class InvalidPreference(DomainError):
    """A language or timezone this app does not know."""


def find_user(username: str) -> User | None:
    """Return the user with this name, ignoring case and width in any script, or None."""
    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


def get_user(username: str) -> User:
    """Return the user with this name or raise NotFound."""
    user = find_user(username)
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def load_user(session_id: str) -> User | None:
    """Return the signed-in user for Flask-Login's cookie, unless that session was ended since."""
    user_id, _sep, version = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if stored_int(user_id) else None
    if user is None or version != str(user.session_version or 0):
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every cookie issued before now stops working."""
    user.end_sessions()
    db.session.commit()


def register(username: str, password: str, locale: str = "zh") -> User:
    """Create an account; the name must be free regardless of case."""
    username = username.strip()
    if len(username_key(username)) > MAX_USERNAME_KEY:
        raise InvalidUsername()
    if find_user(username) is not None:
        raise UsernameTaken()
    user = User(username=username, locale=locale if locale in LOCALES else "zh", created_at=now())
    _set_password(user, password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as error:  # the same name registered at the same moment on another connection
        db.session.rollback()
        raise UsernameTaken() from error
    return user


def authenticate(username: str, password: str) -> User | None:
    """Return the user when the password matches, else None."""
    user = find_user(username)
    if user is None or not user.check_password(password):
        return None
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the user's password after checking the current one."""
    if not user.check_password(current_password):
        raise WrongPassword()
    _set_password(user, new_password)
    user.end_sessions()
    db.session.commit()


def is_timezone(name: str) -> bool:
    """Tell whether `name` is an IANA timezone known to zoneinfo."""
    return name in _timezones()


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def update_preferences(user: User, locale: str, timezone: str) -> None:
    """Save the user's UI language and display timezone."""
    _require_locale(locale)
    if not is_timezone(timezone):
        raise InvalidPreference(_l("Unknown timezone."))
    user.locale, user.timezone = locale, timezone
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """Save the user's UI language."""
    _require_locale(locale)
    user.locale = locale
    db.session.commit()


def _require_locale(locale: str) -> None:
    if locale not in LOCALES:
        raise InvalidPreference(_l("Unknown language."))


def delete_account(user: User, confirmation: str) -> None:
    """Delete the user and everything they own, once they re-type their username."""
    if confirmation.strip() != user.username:
        raise ConfirmationMismatch()
    # Explicit deletes, children first: SQLite does not enforce ON DELETE CASCADE unless asked to.
    interview_ids = select(Interview.id).where(Interview.user_id == user.id)
    turn_ids = select(Turn.id).where(Turn.interview_id.in_(interview_ids))
    db.session.execute(delete(PointOverride).where(PointOverride.turn_id.in_(turn_ids)))
    db.session.execute(delete(Turn).where(Turn.interview_id.in_(interview_ids)))
    db.session.execute(delete(Interview).where(Interview.user_id == user.id))
    rollups.delete_rollups(user.id)
    db.session.delete(user)
    db.session.commit()


def promote(username: str) -> User:
    """Make the named user an admin."""
    user = get_user(username)
    user.is_admin = True
    db.session.commit()
    return user


def reset_password(username: str, password: str) -> User:
    """Set the named user's password without the current one (admin, from the command line)."""
    user = get_user(username)
    _set_password(user, password)
    user.end_sessions()
    db.session.commit()
    return user


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def password_problem(username: str, password: str) -> str | None:
    """Say why a password is refused (too short, the username, among the most common), or None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(num)d characters for the password.", num=MIN_PASSWORD_LENGTH)
    if username_key(password) == username_key(username):
        return _l("The password cannot be your username.")
    if password.casefold() in _common_passwords():
        return _l("This password is one of the most common ones; choose another.")
    return None


def _set_password(user: User, password: str) -> None:
    if problem := password_problem(user.username, password):
        raise WeakPassword(problem)
    user.set_password(password)
