"""Sign up, sign in, sign out, account settings and the language switch."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from ..services import accounts

bp = Blueprint("auth", __name__)


def init_login(manager: LoginManager) -> None:
    """Tell Flask-Login how to load users and where to send visitors who must sign in."""
    manager.user_loader(accounts.load_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to continue.")
    manager.login_message_category = "info"
    manager.localize_callback = str  # render the lazy message in the request's language before flashing


from . import routes  # noqa: E402,F401
