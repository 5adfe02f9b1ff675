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
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, EqualTo, Length, NumberRange, Optional, Regexp

from matching.places import default_gazetteer

from app.web.submissions import SubmissionKeyField
from app.web.versions import VersionField
from app.auth.forms import PASSWORD_RULE
from app.web.forms import MultiCheckboxField, choices
from models import CAPABILITY_KINDS, IndustryCategory, MembershipTier, OrganisationStatus, Sector

from .labels import (
    CATEGORY_LABELS,
    CHANGE_KIND_LABELS,
    DUE_STATUS_LABELS,
    OFFICE_LABELS,
    SECTOR_LABELS,
    SERVICE_SCOPE_LABELS,
    STATUS_LABELS,
    SUPPORT_LABELS,
    TAG_KIND_LABELS,
    TIER_LABELS,
)
from .services import Profile, profile_of, split_tags


class ProfileForm(FlaskForm):
    """The organisation's profile and capabilities (技術シーズ)."""

    version = VersionField()  # the version this form was filled from: no silent overwrite
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
    service_scope = SelectField(_l("Where you work"), choices=choices(SERVICE_SCOPE_LABELS), default="")
    service_area = StringField(_l("Places"), validators=[Optional(), Length(max=1000)])
    service_radius_km = IntegerField(_l("Distance from the office (km)"), validators=[Optional(), NumberRange(1, 2000)])
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = self._service_area_problems()
        for field, message in problems:
            field.errors.append(message)
        return valid and not problems

    def _service_area_problems(self) -> list[tuple]:
        """The area the chosen scope needs (checked here: the fields' Optional() stops their own validators when empty)."""
        scope = self.service_scope.data
        if scope == "municipalities":
            names = split_tags(self.service_area.data or "")
            if not names:
                return [(self.service_area, _l("List the municipalities, sub-prefectures or areas where you work."))]
            unknown = [name for name in names if not default_gazetteer().lookup(name)]
            if unknown:
                return [(self.service_area, _l("Not a place in Hokkaido we know: %(names)s. Use municipalities (倶知安町, "
                                               "Furano), sub-prefectures (十勝) or areas (道央).", names="、".join(unknown)))]
        if scope == "radius":
            if self.service_radius_km.data is None and not self.service_radius_km.errors:
                return [(self.service_radius_km, _l("Give the distance in kilometres."))]
            if self.latitude.data is None or self.longitude.data is None:
                return [(self.service_radius_km, _l("A distance is measured from your office: give its latitude and longitude above."))]
        return []

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
        self.service_scope.data = profile.service_scope
        self.service_area.data = "、".join(profile.service_area)
        self.service_radius_km.data = profile.service_radius_km

    @classmethod
    def stored_values(cls, organisation) -> dict:
        """The stored profile as this form shows it (to show what another person saved)."""
        shown = cls(formdata=None, meta={"csrf": False})
        shown.fill_from(organisation)
        return {name: field.data for name, field in shown._fields.items()}

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
            service_scope=self.service_scope.data or "", service_area=split_tags(self.service_area.data or ""),
            service_radius_km=self.service_radius_km.data,
        )


class ApplicationForm(ProfileForm):
    submission_key = SubmissionKeyField()  # one-time key: a repeated POST creates nothing
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


class ChangeRequestForm(FlaskForm):
    """An organisation asks the secretariat for a new sector, tier or status (one kind per request)."""

    kind = SelectField(_l("What to change"), choices=choices(CHANGE_KIND_LABELS))
    sector = SelectField(_l("New sector"), choices=choices(SECTOR_LABELS), validators=[Optional()])
    category = SelectField(_l("Category (industry only)"), choices=choices(CATEGORY_LABELS, blank=_l("—")), validators=[Optional()])
    tier = SelectField(_l("New membership tier"), choices=choices(TIER_LABELS), validators=[Optional()])
    status = SelectField(_l("New status"), choices=choices({s: STATUS_LABELS[s] for s in (
        OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED, OrganisationStatus.WITHDRAWN)}), validators=[Optional()])
    reason = TextAreaField(_l("Why (the secretariat reads it)"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Send the request"))

    def requested_value(self) -> str:
        return {"sector": self.sector.data, "tier": self.tier.data, "status": self.status.data}.get(self.kind.data, "")


class DecideChangeForm(FlaskForm):
    note = TextAreaField(_l("Note to the organisation (required to reject)"), validators=[Optional(), Length(max=2000)])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))
