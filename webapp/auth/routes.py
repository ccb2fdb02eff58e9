from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..i18n import current_locale_name
from ..services import accounts
from . import bp
from .forms import DeleteAccountForm, LanguageForm, LoginForm, PasswordForm, PreferencesForm, RegisterForm

LOGIN_LIMIT = "5 per minute"


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an account and sign in with it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.username.data, form.password.data, locale=current_locale_name())
        except accounts.UsernameTaken as error:
            form.username.errors.append(str(error))
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
    """Explain the sign-in limit on the sign-in page itself."""
    form = LoginForm(next=request.form.get("next", ""))
    form.form_errors.append(_("Too many sign-in attempts. Wait a minute and try again."))
    return render_template("auth/login.html", form=form), 429


@bp.post("/logout")
def logout():
    """Sign out, keeping the language the user was reading in."""
    if current_user.is_authenticated:
        session["locale"] = current_user.locale
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("main.index"))


def _render_settings(status: int = 200, **forms):
    forms.setdefault("password_form", PasswordForm(formdata=None))
    forms.setdefault("preferences_form", PreferencesForm(
        formdata=None, current_timezone=current_user.timezone,
        data={"locale": current_user.locale, "timezone": current_user.timezone},
    ))
    forms.setdefault("delete_form", DeleteAccountForm(formdata=None))
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
        else:
            flash(_("Your password is changed."), "success")
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
