"""Forms of the interview pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ..edge import stored_int
from ..forms import CheckboxesField
from ..models import Mode
from ..services.interviews import DEFAULT_COUNT, DEFAULT_FOLLOW_UPS, DEFAULT_SECONDS, MAX_COUNT

UNTIMED = 0


class StartForm(FlaskForm):
    topics = CheckboxesField(_l("Topics"), choices=[], validate_choice=True)
    mode = RadioField(_l("Mode"), default=Mode.MOCK, choices=[
        SelectChoice(Mode.MOCK, _l("Mock interview: timed, feedback at the end")),
        SelectChoice(Mode.DRILL, _l("Drill: feedback after every answer")),
    ])
    count = IntegerField(_l("Number of questions"), default=DEFAULT_COUNT,
                         validators=[InputRequired(), NumberRange(1, MAX_COUNT)])
    seconds = SelectField(_l("Time per question"), coerce=int, default=DEFAULT_SECONDS, choices=[
        SelectChoice(60, _l("1 minute")), SelectChoice(120, _l("2 minutes")), SelectChoice(180, _l("3 minutes")),
        SelectChoice(300, _l("5 minutes")), SelectChoice(600, _l("10 minutes")),
        SelectChoice(UNTIMED, _l("Untimed (drills only)")),
    ])
    follow_ups = SelectField(_l("Follow-up questions"), coerce=int, default=DEFAULT_FOLLOW_UPS, choices=[
        SelectChoice(0, _l("No follow-ups")), SelectChoice(1, _l("One per question")),
        SelectChoice(2, _l("Up to two per question")),
    ])
    include_unanswered = BooleanField(_l("Include questions without a reference answer (not scored)"))

    def validate_seconds(self, field):
        if field.data == UNTIMED and self.mode.data == Mode.MOCK:
            raise ValidationError(_l("A mock interview is timed: choose a time per question."))


class TurnForm(FlaskForm):
    turn = HiddenField(validators=[DataRequired()])

    def validate_turn(self, field):
        if stored_int(str(field.data)) is None:
            raise ValidationError(_l("The question number is missing."))


def _unix_newlines(text: str | None) -> str:
    """Undo the CRLF that browsers send for textarea line breaks, so evidence offsets match what was typed."""
    return (text or "").replace("\r\n", "\n")


class DraftForm(TurnForm):
    answer = TextAreaField(_l("Your answer"), filters=[_unix_newlines])


class AnswerForm(DraftForm):
    key = HiddenField(validators=[DataRequired(), Length(min=8, max=64)])


class RetryForm(FlaskForm):
    """A second attempt at a drilled question, graded at once."""

    answer = TextAreaField(_l("Your second attempt"), filters=[_unix_newlines], validators=[DataRequired()])
    key = HiddenField(validators=[DataRequired(), Length(min=8, max=64)])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""
