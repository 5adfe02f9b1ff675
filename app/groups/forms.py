"""Forms and enum labels of the working-groups domain."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from app.web.forms import choices
from app.web.templating import localized
from app.web.submissions import SubmissionKeyField
from app.web.versions import VersionField
from models import AttendanceStatus, GroupAxis, GroupRole, GroupStatus, MembershipStatus

AXIS_LABELS = {
    GroupAxis.INDUSTRY: _l("Industry axis"),
    GroupAxis.LIVING: _l("Living axis"),
    GroupAxis.TALENT: _l("Talent axis"),
}
ROLE_LABELS = {GroupRole.CHAIR: _l("Chair"), GroupRole.MEMBER: _l("Member"), GroupRole.OBSERVER: _l("Observer")}
STATUS_LABELS = {GroupStatus.ACTIVE: _l("In activity"), GroupStatus.ARCHIVED: _l("Archived")}
MEMBERSHIP_LABELS = {
    MembershipStatus.PENDING: _l("Pending"),
    MembershipStatus.ACTIVE: _l("Active"),
    MembershipStatus.REJECTED: _l("Turned down"),
    MembershipStatus.LEFT: _l("Left"),
}
ATTENDANCE_LABELS = {
    AttendanceStatus.INVITED: _l("Invited"),
    AttendanceStatus.ATTENDING: _l("Attending"),
    AttendanceStatus.DECLINED: _l("Not attending"),
    AttendanceStatus.ATTENDED: _l("Attended"),
}


class GroupForm(FlaskForm):
    submission_key = SubmissionKeyField()  # one-time key: a repeated POST creates nothing
    version = VersionField()  # the version this form was filled from: no silent overwrite
    name_ja = StringField(_l("Name (Japanese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    parent_id = SelectField(_l("Parent group (for a sub-group)"), coerce=int, default=0)
    axis = SelectField(_l("Activity axis"), choices=choices(AXIS_LABELS))
    theme_tags = StringField(_l("Theme tags"), validators=[Optional(), Length(max=400)])
    summary_ja = TextAreaField(_l("Public summary (Japanese)"), validators=[DataRequired(), Length(max=2000)])
    summary_en = TextAreaField(_l("Public summary (English)"), validators=[Optional(), Length(max=2000)])
    description = TextAreaField(_l("Description for members"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = choices([(0, _l("None (a working group)")), *((g.id, g.name_ja) for g in parents)])


class JoinForm(FlaskForm):
    as_organisation = BooleanField(_l("Join on behalf of my organisation"))
    message = TextAreaField(_l("Message to the chair (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Request to join"))


class ApproveForm(FlaskForm):
    role = SelectField(_l("Role in the group"), choices=choices(ROLE_LABELS), default="member")


class AddMemberForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, default=0)
    email = StringField(_l("or a person's e-mail address"), validators=[Optional(), Email(), Length(max=254)])
    role = SelectField(_l("Role in the group"), choices=choices(ROLE_LABELS), default="member")
    submit = SubmitField(_l("Add to the group"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = choices([(0, "—"), *((o.id, localized(o)) for o in organisations)])

    def validate(self, extra_validators=None) -> bool:
        # Checked on the whole form: an empty e-mail stops its own field's validators (Optional), so
        # a per-field check never saw "neither given" (which then reached the service and gave a 500).
        if not super().validate(extra_validators):
            return False
        if bool(self.email.data) == bool(self.organisation_id.data):
            self.email.errors.append(_l("Choose an organisation or give an e-mail address, not both."))
            return False
        return True


class MeetingForm(FlaskForm):
    submission_key = SubmissionKeyField()  # one-time key: a repeated POST creates nothing
    version = VersionField()  # the version this form was filled from: no silent overwrite
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts (Japan time)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends (Japan time)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    online_url = StringField(_l("Online meeting link"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    agenda = TextAreaField(_l("Agenda (Markdown)"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save"))

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.place.data or "").strip() and not (self.online_url.data or "").strip():
            self.place.errors = [*self.place.errors, _l("Give a place or an online link.")]
            return False
        return valid


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Minutes (Markdown)"), validators=[Optional(), Length(max=50000)])
    submit = SubmitField(_l("Save minutes"))


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=choices([("attending", _l("Attending")), ("declined", _l("Not attending"))]),
                        validators=[DataRequired()])
    submit = SubmitField(_l("Send answer"))


class AttachmentForm(FlaskForm):
    submission_key = SubmissionKeyField()  # one-time key: a repeated POST creates nothing
    file = FileField(_l("File"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload"))


class AttendanceForm(FlaskForm):
    """The ticked people of a meeting's attendance list (user ids; the service keeps only invitees)."""

    attended = SelectMultipleField(coerce=int, validate_choice=False)


class GroupStatusForm(FlaskForm):
    status = SelectField(choices=choices((s.value, s.value) for s in GroupStatus))


class FeedTokenForm(FlaskForm):
    """A new calendar address: for one group (its id) or, without one, for all the user's meetings."""

    group_id = IntegerField(validators=[Optional()])
