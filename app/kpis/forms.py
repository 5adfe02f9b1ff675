"""Forms of the KPI pages: targets, hand-entered figures, evaluation weights, evaluators, scores, public opt-in."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, EmailField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from app.web.forms import MultiCheckboxField

MAX_FIGURE = 10**12  # a trillion: more than any count or yen amount the body will report
MAX_NOTE = 2000
MAX_COMMENT = 5000


def no_nul(form, field) -> None:
    """PostgreSQL refuses NUL characters in text: say so instead of failing on save."""
    if field.data and "\x00" in field.data:
        raise ValidationError(_l("The text contains a NUL character; please remove it."))


class TargetForm(FlaskForm):
    """Empty value = no target for this year."""

    value = DecimalField(_l("Target"), places=None, validators=[Optional(), NumberRange(min=0, max=MAX_FIGURE)])


class ManualValueForm(FlaskForm):
    value = DecimalField(_l("Value"), places=None, validators=[InputRequired(), NumberRange(min=0, max=MAX_FIGURE)])
    note = TextAreaField(_l("Note (source, how it was counted)"), validators=[DataRequired(), Length(max=MAX_NOTE), no_nul])


class WeightsForm(FlaskForm):
    weight_i = IntegerField(_l("Weight of part I"), validators=[InputRequired(), NumberRange(min=0, max=10)])
    weight_ii = IntegerField(_l("Weight of part II"), validators=[InputRequired(), NumberRange(min=0, max=10)])
    weight_iii = IntegerField(_l("Weight of part III"), validators=[InputRequired(), NumberRange(min=0, max=10)])

    def validate_weight_iii(self, field) -> None:
        if not any((self.weight_i.data, self.weight_ii.data, field.data)):
            raise ValidationError(_l("At least one weight must be above zero."))


class EvaluatorForm(FlaskForm):
    email = EmailField(_l("E-mail address of the evaluator"), validators=[DataRequired(), Email(), Length(max=254)])


class ScoreForm(FlaskForm):
    score_i = IntegerField(_l("Score of part I (0–100)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment_i = TextAreaField(_l("Comment on part I"), validators=[Length(max=MAX_COMMENT), no_nul])
    score_ii = IntegerField(_l("Score of part II (0–100)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment_ii = TextAreaField(_l("Comment on part II"), validators=[Length(max=MAX_COMMENT), no_nul])
    score_iii = IntegerField(_l("Score of part III (0–100)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment_iii = TextAreaField(_l("Comment on part III"), validators=[Length(max=MAX_COMMENT), no_nul])


class PublicForm(FlaskForm):
    indicators = MultiCheckboxField(_l("Figures shown on the public page"))

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators.choices = list(options)
