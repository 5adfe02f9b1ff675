"""Administration forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField

from app.web.forms import choices
from models import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Secretariat"),
    Role.MEMBER: _l("Member"),
    Role.APPLICANT: _l("Applicant"),
}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS))
    submit = SubmitField(_l("Change role"))


class ActiveForm(FlaskForm):
    """Enable (1) or disable (0) an account: the button's value."""

    active = RadioField(choices=choices([("1", _l("Enable")), ("0", _l("Disable"))]))
