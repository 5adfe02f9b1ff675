"""The form of the token page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.web.forms import choices
from models import TokenScope

SCOPE_LABELS = {
    TokenScope.READ: _l("Read only"),
    TokenScope.WRITE: _l("Read and write (create, answer, change status)"),
}

SHORT_SCOPE_LABELS = {TokenScope.READ: _l("Read only"), TokenScope.WRITE: _l("Read and write")}


class TokenForm(FlaskForm):
    name = StringField(_l("Name (what the token is for)"), validators=[DataRequired(), Length(max=100)])
    scope = RadioField(_l("Access"), choices=choices(SCOPE_LABELS), default=TokenScope.READ.value)
    submit = SubmitField(_l("Create token"))
