"""Forms of the history, progress and review pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField, SubmitField

RATING_CHOICES = [SelectChoice(1, _l("Again")), SelectChoice(2, _l("Hard")), SelectChoice(3, _l("Good")),
                  SelectChoice(4, _l("Easy"))]


class ConfirmDeleteForm(FlaskForm):
    submit = SubmitField(_l("Yes, delete this interview"))


class ImportForm(FlaskForm):
    file = FileField(_l("JSON export"), validators=[
        FileRequired(_l("Choose a JSON export file.")), FileAllowed(["json"], _l("Choose a .json file.")),
    ])
    submit = SubmitField(_l("Import"))


class RatingForm(FlaskForm):
    rating = SelectField(_l("Rating"), coerce=int, choices=RATING_CHOICES)
    submit = SubmitField(_l("Reschedule"))


class StartReviewForm(FlaskForm):
    submit = SubmitField(_l("Start today's review"))
