"""Forms of the needs domain; labels are lazy strings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.web.forms import MultiCheckboxField, choices
from models import BusinessStage, Confidentiality, Urgency

from .labels import (
    CONFIDENTIALITY_LABELS,
    PACKAGE_STATUS_LABELS,
    ROUTE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    URGENCY_LABELS,
)
from .services import submission_problems


class NeedForm(FlaskForm):
    """The need form. Saving a draft needs only a title; submitting needs the rest."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    business = TextAreaField(_l("What your business wants to do"), validators=[Length(max=5000)])
    stage = SelectField(_l("Business stage"), choices=choices(STAGE_LABELS, blank="—"), default="")
    tags = StringField(_l("Field tags (comma separated)"), validators=[Length(max=300)])
    law_name = StringField(_l("Law or regulation"), validators=[Length(max=200)],
                           render_kw={"list": "laws-on-file", "autocomplete": "off"})
    law_article = StringField(_l("Article"), validators=[Length(max=200)])
    law_unknown = BooleanField(_l("Not sure which law applies"))
    interpretation = TextAreaField(_l("The authority's interpretation, as far as known"), validators=[Length(max=5000)])
    obstacle = TextAreaField(_l("The obstacle"), validators=[Length(max=5000)])
    relief = TextAreaField(_l("The relief wanted"), validators=[Length(max=5000)])
    evidence = TextAreaField(_l("Evidence (figures, cases, documents)"), validators=[Length(max=10000)])
    urgency = SelectField(_l("Urgency"), choices=choices(URGENCY_LABELS), default="medium")
    confidentiality = SelectField(_l("Confidentiality"), choices=choices(CONFIDENTIALITY_LABELS), default="confidential")
    public_summary = TextAreaField(_l("Summary others may read"), validators=[Length(max=2000)])
    save_draft = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit to the secretariat"))

    def validate_for_submission(self) -> bool:
        """The submission rule of the service (`submission_problems`), shown next to the fields; nothing is cleared."""
        problems = submission_problems(self.values())
        for name, message in problems.items():
            field = getattr(self, name)
            field.errors = list(field.errors) + [message]
        return not problems

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(), "business": self.business.data or "",
            "stage": BusinessStage(self.stage.data) if self.stage.data else None,
            "tags": self.tags.data or "", "law_name": (self.law_name.data or "").strip(),
            "law_article": (self.law_article.data or "").strip(), "law_unknown": bool(self.law_unknown.data),
            "interpretation": self.interpretation.data or "", "obstacle": self.obstacle.data or "",
            "relief": self.relief.data or "", "evidence": self.evidence.data or "",
            "urgency": Urgency(self.urgency.data), "confidentiality": Confidentiality(self.confidentiality.data),
            "public_summary": self.public_summary.data or "",
        }


class AttachmentForm(FlaskForm):
    file = FileField(_l("Evidence file"), validators=[FileRequired()])


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=5000)])


class InternalNoteForm(FlaskForm):
    note = TextAreaField(_l("Internal note (secretariat only)"), validators=[DataRequired(), Length(max=5000)])


class TransitionForm(FlaskForm):
    target = SelectField(_l("Move to"), choices=[])
    reason = TextAreaField(_l("Note for this step (shown to the submitter)"), validators=[DataRequired(), Length(max=5000)])

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = choices({s: STATUS_LABELS[s] for s in allowed})


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Assigned to"), choices=[])

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.choices = choices(((str(u.id), u.name) for u in staff), blank="—")


class RouteForm(FlaskForm):
    route = SelectField(_l("National route"), choices=choices(ROUTE_LABELS, blank="—"))
    reason = TextAreaField(_l("Why this route"), validators=[Length(max=5000)])
    group = SelectField(_l("Working group"), choices=[])
    measures = SelectMultipleField(_l("Related special measures"), choices=[])

    def __init__(self, *args, groups=(), measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group.choices = choices(((str(g.id), g.name_ja) for g in groups), blank="—")
        self.measures.choices = choices((str(m.id), f"{m.code} {m.name_ja}") for m in measures)


class MeasureForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=10)])
    name_ja = StringField(_l("Name (Japanese)"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=300)])
    law = StringField(_l("Law it modifies"), validators=[Length(max=300)])
    field_tags = StringField(_l("Fields"), validators=[Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5000)])
    is_active = BooleanField(_l("Active"), default=True)


class PackageForm(FlaskForm):
    title = StringField(_l("Package title"), validators=[DataRequired(), Length(max=200)])
    proposal_text = TextAreaField(_l("Proposal text"), validators=[Length(max=20000)])
    needs = MultiCheckboxField(_l("Needs in this package"), choices=[])

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs.choices = choices((str(n.id), f"#{n.id} {n.title}") for n in needs)


class PackageTransitionForm(FlaskForm):
    target = SelectField(_l("Move to"), choices=[])
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=5000)])
    submitted_on = DateField(_l("Submitted on"), validators=[Optional()])
    submitted_to = StringField(_l("Submitted to"), validators=[Length(max=200)])
    answer = TextAreaField(_l("Ministry's answer or decision"), validators=[Length(max=10000)])

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = choices({s: PACKAGE_STATUS_LABELS[s] for s in allowed})
