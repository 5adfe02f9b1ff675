"""Membership forms. Labels are lazy strings; choices come from the enums and their labels."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, EqualTo, Length, NumberRange, Optional, Regexp

from app.auth.forms import PASSWORD_RULE
from app.web.forms import MultiCheckboxField, choices
from models import CAPABILITY_KINDS, IndustryCategory, MembershipTier, OrganisationStatus, Sector

from .labels import (
    CATEGORY_LABELS,
    DUE_STATUS_LABELS,
    OFFICE_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    SUPPORT_LABELS,
    TAG_KIND_LABELS,
    TIER_LABELS,
)
from .services import Profile, profile_of, split_tags


class ProfileForm(FlaskForm):
    """The organisation's profile and capabilities (技術シーズ)."""

    name_ja = StringField(_l("Name (Japanese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=choices(SECTOR_LABELS))
    category = SelectField(_l("Category (industry only)"), choices=choices(CATEGORY_LABELS, blank=_l("—")), validators=[Optional()])
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    website = StringField(_l("Website"), validators=[Optional(), URL(require_tld=False), Regexp(r"^https?://", message=_l("Start the address with https:// or http://.")), Length(max=300)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    capabilities = TextAreaField(_l("Capabilities (free text)"), validators=[Optional(), Length(max=5000)])
    technologies = StringField(TAG_KIND_LABELS["technologies"], validators=[Optional(), Length(max=1000)])
    facilities = StringField(TAG_KIND_LABELS["facilities"], validators=[Optional(), Length(max=1000)])
    data = StringField(TAG_KIND_LABELS["data"], validators=[Optional(), Length(max=1000)])
    customers = StringField(TAG_KIND_LABELS["customers"], validators=[Optional(), Length(max=1000)])
    fields = StringField(TAG_KIND_LABELS["fields"], validators=[Optional(), Length(max=1000)])
    support = MultiCheckboxField(_l("Support you can give field trials"), choices=choices(SUPPORT_LABELS))
    submit = SubmitField(_l("Save"))

    def fill_from(self, organisation) -> None:
        profile = profile_of(organisation)
        for name in ("name_ja", "name_en", "municipality", "address", "latitude", "longitude", "website",
                     "contact_email", "phone", "description", "capabilities"):
            getattr(self, name).data = getattr(profile, name)
        self.sector.data = profile.sector.value
        self.category.data = profile.category.value if profile.category else ""
        for kind in CAPABILITY_KINDS:
            getattr(self, kind).data = "、".join(profile.tags.get(kind, []))
        self.support.data = list(profile.support)

    def profile(self) -> Profile:
        return Profile(
            name_ja=self.name_ja.data, name_en=self.name_en.data or "", sector=Sector(self.sector.data),
            category=IndustryCategory(self.category.data) if self.category.data else None,
            municipality=self.municipality.data or "", address=self.address.data or "",
            latitude=self.latitude.data, longitude=self.longitude.data, website=self.website.data or "",
            contact_email=self.contact_email.data or "", phone=self.phone.data or "",
            description=self.description.data or "", capabilities=self.capabilities.data or "",
            tags={kind: split_tags(getattr(self, kind).data or "") for kind in CAPABILITY_KINDS},
            support=list(self.support.data or []),
        )


class ApplicationForm(ProfileForm):
    tier = SelectField(_l("Membership tier"), choices=choices(TIER_LABELS), default=MembershipTier.REGULAR.value)
    message = TextAreaField(_l("Message to the secretariat"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Apply for membership"))


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the applicant reads it)"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Reject"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=choices({s: STATUS_LABELS[s] for s in (
        OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED, OrganisationStatus.WITHDRAWN)}))
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Change status"))


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's e-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send invitation"))


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), PASSWORD_RULE])
    confirm = PasswordField(_l("Password again"), validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Create account"))


class OfficeForm(FlaskForm):
    kind = SelectField(_l("Office"), choices=choices(OFFICE_LABELS))
    person_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    term_start = DateField(_l("Term starts"), validators=[DataRequired()])
    term_end = DateField(_l("Term ends"), validators=[Optional()])
    submit = SubmitField(_l("Add office"))


class DueForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(DUE_STATUS_LABELS))
    paid_on = DateField(_l("Paid on"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8 or Shift_JIS)"), validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Please choose a .csv file."))])
    submit = SubmitField(_l("Preview"))


class ConfirmImportForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Import"))
