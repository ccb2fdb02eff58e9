"""Forms of the account pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Regexp, ValidationError

from ..i18n import LOCALES
from ..services import accounts

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
COMMON_TIMEZONES = (
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
    "Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Moscow",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Vancouver",
    "America/Toronto", "America/Sao_Paulo", "Australia/Sydney", "Pacific/Auckland", "UTC",
)


def _password_field(label):
    return PasswordField(label, validators=[
        DataRequired(),
        Length(min=accounts.MIN_PASSWORD_LENGTH, max=accounts.MAX_PASSWORD_LENGTH,
               message=_l("Use %(min)d to %(max)d characters.")),
    ])


class RegisterForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(),
        Regexp(accounts.USERNAME_PATTERN,
               message=_l("Use 3 to 32 letters, digits, dots, dashes or underscores.")),
    ], filters=[lambda value: value.strip() if value else value])
    password = _password_field(_l("Password"))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords do not match.")),
    ])
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = _password_field(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords do not match.")),
    ])
    submit = SubmitField(_l("Change password"))


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LOCALES])
    timezone = SelectField(_l("Timezone"), validate_choice=False)
    submit = SubmitField(_l("Save preferences"))

    def __init__(self, *args, current_timezone: str, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(COMMON_TIMEZONES)
        if current_timezone not in zones:
            zones.insert(0, current_timezone)
        self.timezone.choices = [SelectChoice(zone, zone.replace("_", " ")) for zone in zones]

    def validate_timezone(self, field):
        if not accounts.is_timezone(field.data or ""):
            raise ValidationError(_l("Unknown timezone."))


class DeleteAccountForm(FlaskForm):
    confirmation = StringField(_l("Type your username to confirm"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete my account and all my data"))


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField(_l("Sign out on every device"))


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[AnyOf(LOCALES)])
    next = HiddenField()
