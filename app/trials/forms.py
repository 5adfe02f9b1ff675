"""Forms for trial sites, trial requests, messages, result reports and regional challenges."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.members.labels import SUPPORT_LABELS
from app.web.forms import MultiCheckboxField, choices

from .labels import MONTH_LABELS, SITE_KIND_LABELS


def plain_values(form: FlaskForm, skip: tuple[str, ...] = ()) -> dict:
    """The form's data without buttons and token; text fields stripped, missing text as ""."""
    values = {}
    for name, field in form._fields.items():
        if name in ("submit", "csrf_token") or name in skip:
            continue
        if field.type in ("StringField", "TextAreaField"):
            values[name] = (field.data or "").strip()
        else:
            values[name] = field.data
    return values


def _point_complete(form, field) -> None:
    if (form.latitude.data is None) != (form.longitude.data is None):
        raise ValidationError(_l("Give both latitude and longitude, or neither."))


class TrialRequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    verify = TextAreaField(_l("What do you want to verify?"), validators=[DataRequired(), Length(max=5000)])
    technology = TextAreaField(_l("Technology"), validators=[Optional(), Length(max=3000)])
    site_features = TextAreaField(_l("Site features you need"), validators=[Optional(), Length(max=3000)])
    municipality = StringField(_l("Preferred municipality"), validators=[Optional(), Length(max=200)])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90), _point_complete])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    radius_km = FloatField(_l("Radius (km)"), validators=[Optional(), NumberRange(1, 2000)])
    period_start = DateField(_l("From"), validators=[Optional()])
    period_end = DateField(_l("Until"), validators=[Optional()])
    duration = StringField(_l("Duration"), validators=[Optional(), Length(max=100)])
    permits_expected = TextAreaField(_l("Permits you expect to need"), validators=[Optional(), Length(max=3000)])
    support = MultiCheckboxField(_l("Support you want"), choices=choices(SUPPORT_LABELS))
    confidential = BooleanField(_l("Confidential: only our organisation and the secretariat see this request"), default=True)
    submit = SubmitField(_l("Submit request"))

    def validate_period_end(self, field) -> None:
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_l("The end of the period is before its start."))

    def values(self) -> dict:
        return plain_values(self)


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Send message"))


class AdvanceForm(FlaskForm):
    status = SelectField(_l("Move to"), choices=[], validators=[DataRequired()])
    submit = SubmitField(_l("Change status"))


class RouteForm(FlaskForm):
    group_id = SelectField(_l("Working group"), coerce=int, choices=[])
    submit = SubmitField(_l("Route"))


class ResultForm(FlaskForm):
    verified = TextAreaField(_l("What was verified"), validators=[DataRequired(), Length(max=5000)])
    outcome = TextAreaField(_l("Outcome"), validators=[DataRequired(), Length(max=5000)])
    data_shared = TextAreaField(_l("Data shared"), validators=[Optional(), Length(max=3000)])
    obstacles = TextAreaField(_l("Regulatory obstacles met"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Complete the trial with this report"))


def _month(value) -> int:
    """A month 1-12, or 0 for "no period" (also when the field is missing)."""
    return int(value or 0)


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    start_month = SelectField(_l("From month"), coerce=_month, default=0, choices=choices([(0, "—"), *MONTH_LABELS.items()]))
    end_month = SelectField(_l("To month"), coerce=_month, default=0, choices=choices([(0, "—"), *MONTH_LABELS.items()]))

    def validate_end_month(self, field) -> None:
        if bool(field.data) != bool(self.start_month.data):
            raise ValidationError(_l("Choose both months of the period, or neither."))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class SiteForm(FlaskForm):
    name_ja = StringField(_l("Name (Japanese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(SITE_KIND_LABELS))
    municipality = StringField(_l("Municipality"), validators=[DataRequired(), Length(max=200)])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90), _point_complete])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    features_ja = TextAreaField(_l("Features (Japanese)"), validators=[Optional(), Length(max=5000)])
    features_en = TextAreaField(_l("Features (English)"), validators=[Optional(), Length(max=5000)])
    technologies = StringField(_l("Technologies that fit (separated by semicolons)"), validators=[Optional(), Length(max=1000)])
    constraints = TextAreaField(_l("Constraints"), validators=[Optional(), Length(max=3000)])
    permits = TextAreaField(_l("Permits usually needed"), validators=[Optional(), Length(max=3000)])
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=300)])
    periods = FieldList(FormField(PeriodForm), label=_l("Availability periods (none: all year)"), min_entries=3, max_entries=3)
    submit = SubmitField(_l("Save site"))

    def values(self) -> dict:
        data = plain_values(self, skip=("periods",))
        data["periods"] = [
            (p["start_month"], p["end_month"], (p["note"] or "").strip()) for p in self.periods.data if p["start_month"]
        ]
        return data


class ChallengeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("The challenge"), validators=[DataRequired(), Length(max=5000)])
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=200)])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90), _point_complete])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    tags = StringField(_l("Keywords (separated by semicolons)"), validators=[Optional(), Length(max=300)])
    deadline = DateField(_l("Proposals until"), validators=[Optional()])
    submit = SubmitField(_l("Post challenge"))

    def values(self) -> dict:
        return plain_values(self)


class ProposalForm(FlaskForm):
    summary = StringField(_l("Summary"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Your proposal"), validators=[DataRequired(), Length(max=8000)])
    submit = SubmitField(_l("Submit proposal"))

