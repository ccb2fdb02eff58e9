"""Account use cases: sign up, sign in, preferences, password changes, admin actions, deletion."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..clock import now
from ..errors import DomainError, NotFound
from ..extensions import db
from ..i18n import LOCALES
from ..models import Interview, PointOverride, Turn, User
from . import rollups

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
USERNAME_PATTERN = r"^[\w.-]{3,32}$"  # letters (any script), digits, _ . -


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
    def __init__(self):
        super().__init__(_l("Use at least %(num)d characters for the password.", num=MIN_PASSWORD_LENGTH))


class InvalidPreference(DomainError):
    """A language or timezone this app does not know."""


def find_user(username: str) -> User | None:
    """Return the user with this name, ignoring case, or None."""
    return db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def get_user(username: str) -> User:
    """Return the user with this name or raise NotFound."""
    user = find_user(username)
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def load_user(user_id: str) -> User | None:
    """Return the signed-in user for Flask-Login's session cookie."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def register(username: str, password: str, locale: str = "zh") -> User:
    """Create an account; the name must be free regardless of case."""
    username = username.strip()
    if find_user(username) is not None:
        raise UsernameTaken()
    user = User(username=username, locale=locale if locale in LOCALES else "zh", created_at=now())
    _set_password(user, password)
    db.session.add(user)
    db.session.commit()
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
    db.session.commit()
    return user


def _set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword()
    user.set_password(password)
