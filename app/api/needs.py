"""/needs: create and read your organisation's regulatory needs; the secretariat reads all and moves
them along the same pipeline (and the same submission rule) as its pages."""
from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field

from app.needs.permissions import can_view_need, sees_details_of_visible, visible_needs
from app.needs.queries import needs_matching
from app.needs.services import IncompleteNeed, NeedError, advance_need, save_need, withdraw_need
from app.web.loaders import get_visible_or_404
from models import BusinessStage, Confidentiality, NationalRoute, NeedStatus, RegulatoryNeed, Urgency

from .auth import PUBLIC, WRITE
from .operations import operation
from .problems import conflict, invalid
from .schemas import PageQuery, RequestModel, ResponseModel, Text, page_model, page_of


class NeedDetails(ResponseModel):
    """The full need: for its own organisation and the secretariat only."""

    business: str
    stage: BusinessStage | None
    law_name: str
    law_article: str
    law_unknown: bool
    interpretation: str
    obstacle: str
    relief: str
    evidence: str
    urgency: Urgency
    national_route: NationalRoute | None
    group_id: int | None
    assignee_id: int | None


class NeedOut(ResponseModel):
    """A regulatory need (規制緩和ニーズ). `details` is null for callers who may read only the summary."""

    id: int
    title: str
    status: NeedStatus
    confidentiality: Confidentiality
    public_summary: str
    tags: str
    organisation_id: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    details: NeedDetails | None = None


class NeedIn(RequestModel):
    """A draft (only the title is needed), or with `submit` a need for the secretariat (受付)."""

    title: Text(200, 1)
    business: Text(5000) = ""
    stage: BusinessStage | None = None
    tags: Text(300) = ""
    law_name: Text(200) = ""
    law_article: Text(200) = ""
    law_unknown: bool = False
    interpretation: Text(5000) = ""
    obstacle: Text(5000) = ""
    relief: Text(5000) = ""
    evidence: Text(10000) = ""
    urgency: Urgency = Urgency.MEDIUM
    confidentiality: Confidentiality = Confidentiality.CONFIDENTIAL
    public_summary: Text(2000) = ""
    submit: bool = Field(False, description="Submit now: business, stage, obstacle, relief and the law (or law_unknown) are required.")


class NeedStep(RequestModel):
    status: NeedStatus
    note: Text(5000, 1) = Field(description="Shown to the submitter.")


class NeedFilters(PageQuery):
    q: Text(100) = Field("", description="Words of the title, summary, law or tags (each word, in Japanese or English).")
    status: NeedStatus | None = None
    mine: bool = Field(False, description="Only your organisation's needs.")


def need_out(need: RegulatoryNeed) -> NeedOut:
    """`need` comes from `visible_needs` (or a loader built on it): only the details need deciding."""
    out = NeedOut.model_validate(need)
    if sees_details_of_visible(current_user, need):
        out.details = NeedDetails.model_validate(need)
    return out


def _load(need_id: int) -> RegulatoryNeed:
    return get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)


@operation("/needs", summary="List regulatory needs", tag="needs", access=PUBLIC, query=NeedFilters,
           response=page_model(NeedOut))
def list_needs(query: NeedFilters):
    """Public summaries for everyone; your own organisation's needs in full; all submitted needs for the secretariat."""
    stmt = visible_needs(current_user)
    if query.q:
        stmt = stmt.where(needs_matching(query.q, current_user))
    if query.status is not None:
        stmt = stmt.where(RegulatoryNeed.status == query.status)
    if query.mine:
        stmt = stmt.where(RegulatoryNeed.organisation_id == getattr(current_user, "organisation_id", None))
    return page_of(stmt.order_by(RegulatoryNeed.updated_at.desc(), RegulatoryNeed.id.desc()), query, NeedOut, need_out)


@operation("/needs/<int:need_id>", summary="One regulatory need", tag="needs", access=PUBLIC, response=NeedOut,
           errors=(404,))
def get_need(need_id: int):
    return need_out(_load(need_id))


@operation("/needs", method="POST", summary="Create a regulatory need (draft or submitted)", tag="needs", access=WRITE,
           body=NeedIn, response=NeedOut, status=201, errors=(403,), idempotent_create=True)
def create_need(body: NeedIn):
    """Members and applicants, for their organisation."""
    values = body.model_dump(exclude={"submit"})
    try:
        need = save_need(current_user, None, values, submit=body.submit)
    except IncompleteNeed as incomplete:
        raise invalid([{"loc": ("body", name), "msg": message, "type": "required_to_submit"}
                       for name, message in incomplete.problems.items()])
    return need_out(need)


@operation("/needs/<int:need_id>/status", method="POST", summary="Move a need along the pipeline", tag="needs",
           access=WRITE, body=NeedStep, response=NeedOut, errors=(403, 404, 409))
def change_need_status(need_id: int, body: NeedStep):
    """The secretariat, along the pipeline's transitions only (409 otherwise), with a note for the submitter."""
    need = _load(need_id)
    try:
        advance_need(current_user, need, body.status, body.note)
    except NeedError as error:
        raise conflict(str(error))
    return need_out(need)


@operation("/needs/<int:need_id>/withdraw", method="POST", summary="Withdraw a need", tag="needs", access=WRITE,
           response=NeedOut, errors=(403, 404))
def withdraw_need_op(need_id: int):
    """The submitting organisation (取下げ), while the pipeline allows it."""
    need = _load(need_id)
    withdraw_need(current_user, need)
    return need_out(need)
