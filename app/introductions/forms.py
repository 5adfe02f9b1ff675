"""Forms for making and answering introductions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from app.web.submissions import SubmissionKeyField


class IntroduceForm(FlaskForm):
    submission_key = SubmissionKeyField()  # one-time key: a repeated POST creates nothing
    suggestions = SelectMultipleField(_l("Candidates"), coerce=int, choices=[], validators=[DataRequired()])
    message = TextAreaField(_l("Message to both sides"), validators=[DataRequired(), Length(max=5000)])
    send = SubmitField(_l("Introduce the selected candidates"))
    save = SubmitField(_l("Keep as suggestions"))


class AnswerForm(FlaskForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class SynonymsForm(FlaskForm):
    """The secretariat's own synonym groups for the matcher."""

    text = TextAreaField(_l("Synonym groups, one per line"), validators=[Length(max=100_000)])
    submit = SubmitField(_l("Save synonyms"))


class DismissForm(FlaskForm):
    """"Not relevant" (and its undo) for one candidate of the matcher page: "site:3" or "org:7".
    The buttons post the page's introduce form to another address, so its CSRF token comes along."""

    candidate = HiddenField(validators=[DataRequired(), Regexp(r"^(site|org):\d{1,10}$")])
