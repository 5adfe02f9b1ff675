"""Privacy forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)])
    confirm = BooleanField(_l("I understand that my account and personal data are deleted and cannot be restored."),
                           validators=[DataRequired(message=_l("Please tick the box to confirm."))])
    submit = SubmitField(_l("Delete my account"))
