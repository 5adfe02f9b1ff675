"""Forms of the public pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField


class LanguageForm(FlaskForm):
    """The language switch in the header: the pressed button's value."""

    lang = RadioField(validate_choice=False)  # checked against the configured LANGUAGES by the view
