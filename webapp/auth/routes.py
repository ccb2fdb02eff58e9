from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..i18n import current_locale_name
from ..services import accounts
from . import bp
from .forms import (
    DeleteAccountForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    PreferencesForm,
    RegisterForm,
    SignOutEverywhereForm,
)

LOGIN_LIMIT = "5 per minute"
REGISTER_LIMIT = "5 per hour"


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_LIMIT, methods=["POST"])
def register():
    """Create an account and sign in with it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.username.data, form.password.data, locale=current_locale_name())
        except (accounts.UsernameTaken, accounts.InvalidUsername) as error:
            form.username.errors.append(str(error))
        except accounts.WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.username), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template(
        "auth/register.html", form=form, min_password_length=accounts.MIN_PASSWORD_LENGTH
    ), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    """Sign in, then go back to the page that asked for it."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(safe_next(form.next.data) or url_for("main.index"))
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(form.next.data) or url_for("main.index"))
        form.form_errors.append(_("Wrong username or password."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.errorhandler(429)
def too_many_attempts(error):
    """Explain the limit on the sign-in or sign-up page itself."""
    if request.endpoint == "auth.register":
        form = RegisterForm()
        form.form_errors.append(_("Too many accounts created from this address. Try again in an hour."))
        return render_template("auth/register.html", form=form,
                               min_password_length=accounts.MIN_PASSWORD_LENGTH), 429
    form = LoginForm(next=request.form.get("next", ""))
    form.form_errors.append(_("Too many sign-in attempts. Wait a minute and try again."))
    return render_template("auth/login.html", form=form), 429


def _sign_out(message: str):
    """End every session of the user server-side, keeping the language they were reading in."""
    if current_user.is_authenticated:
        session["locale"] = current_user.locale
        accounts.end_sessions(current_user)
        logout_user()
        flash(message, "success")
    return redirect(url_for("main.index"))


@bp.post("/logout")
def logout():
    """Sign out: a copy of the cookie kept from before stops working too."""
    return _sign_out(_("You are signed out."))


@bp.post("/settings/sessions")
@login_required
def sign_out_everywhere():
    """Sign out on every device and browser at once."""
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    return _sign_out(_("You are signed out on every device."))


def _render_settings(status: int = 200, **forms):
    forms.setdefault("password_form", PasswordForm(formdata=None))
    forms.setdefault("preferences_form", PreferencesForm(
        formdata=None, current_timezone=current_user.timezone,
        data={"locale": current_user.locale, "timezone": current_user.timezone},
    ))
    forms.setdefault("delete_form", DeleteAccountForm(formdata=None))
    forms.setdefault("sessions_form", SignOutEverywhereForm(formdata=None))
    return render_template("auth/settings.html", **forms), status


@bp.get("/settings")
@login_required
def settings():
    """Show the account settings: password, language and timezone, deletion."""
    return _render_settings()


@bp.post("/settings/password")
@login_required
def change_password():
    """Change the password after checking the current one."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except accounts.WrongPassword as error:
            form.current.errors.append(str(error))
        except accounts.WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            # This browser stays signed in under the new session version; every other session has ended.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for(".settings"))
    return _render_settings(400, password_form=form)


@bp.post("/settings/preferences")
@login_required
def preferences():
    """Save the UI language and timezone."""
    form = PreferencesForm(current_timezone=current_user.timezone)
    if form.validate_on_submit():
        accounts.update_preferences(current_user, form.locale.data, form.timezone.data)
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for(".settings"))
    return _render_settings(400, preferences_form=form)


@bp.post("/settings/delete")
@login_required
def delete_account():
    """Delete the account with all its interviews, reviews and statistics."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            accounts.delete_account(current_user, form.confirmation.data)
        except accounts.ConfirmationMismatch as error:
            form.confirmation.errors.append(str(error))
        else:
            logout_user()
            flash(_("Your account and all its data are deleted."), "success")
            return redirect(url_for("main.index"))
    return _render_settings(400, delete_form=form)


@bp.post("/language")
def language():
    """Switch the UI language: saved on the account when signed in, else in the session."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        accounts.set_locale(current_user, form.locale.data)
    else:
        session["locale"] = form.locale.data
    return redirect(safe_next(form.next.data) or url_for("main.index"))
