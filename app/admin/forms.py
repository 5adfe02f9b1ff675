"""Administration forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from app.web.forms import choices
from models import Role

from .audit_queries import AuditFilter

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


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string (a GET form: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Who (name or e-mail)"), validators=[Optional(), Length(max=254)])
    object_type = SelectField(_l("Object type"), validators=[Optional()], validate_choice=True)
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    date_from = DateField(_l("On or after"), validators=[Optional()])
    date_to = DateField(_l("On or before"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def query(self) -> AuditFilter:
        def valid(field):
            return field.data if field.data and not field.errors else None

        return AuditFilter(actor=(valid(self.actor) or "").strip(), object_type=valid(self.object_type) or "",
                           action=valid(self.action) or "", date_from=valid(self.date_from), date_to=valid(self.date_to))
