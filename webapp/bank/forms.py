"""Forms of the bank pages: the maintainer's question editor."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from .. import questionbank
from ..forms import CheckboxesField


def lines(text: str | None) -> list[str]:
    """Split a one-item-per-line textarea into its non-empty, trimmed lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionEditForm(FlaskForm):
    key_points = TextAreaField(_l("Key points and erratum"), validators=[Length(max=20000)])
    aliases = TextAreaField(_l("Other phrasings of the question, one per line"), validators=[Length(max=20000)])
    topics = CheckboxesField(_l("Topics"), validators=[DataRequired(message=_l("Choose at least one topic."))])
    submit = SubmitField(_l("Save changes"))

    def validate_key_points(self, field: TextAreaField) -> None:
        """Read the points with the rules of the curated files; keep them on the field."""
        try:
            field.points, field.erratum = questionbank.parse_points(field.data or "")
        except questionbank.BankFormatError as error:
            raise ValidationError(_("Line %(line)d: %(message)s", line=error.line, message=error.message)) from error

    def __init__(self, *args, topic_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics.choices = [SelectChoice(slug, name) for slug, name in topic_choices]
