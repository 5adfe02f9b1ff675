"""/trial-requests: submit and read your organisation's field-trial requests; the secretariat reads all
and moves them along the same transitions as its pages."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field, model_validator

from app.trials.permissions import can_view_trial_request, visible_trial_requests
from app.trials.queries import requests_matching
from app.trials.services import TrialRuleError, advance_trial_request, submit_trial_request, withdraw_trial_request
from app.web.loaders import get_visible_or_404
from models import SupportKind, TrialRequest, TrialRequestStatus

from .auth import READ, WRITE
from .operations import operation
from .problems import conflict
from .schemas import PageQuery, RequestModel, ResponseModel, Text, page_model, page_of


class TrialRequestOut(ResponseModel):
    """A field-trial request (実証実験の相談)."""

    id: int
    organisation_id: int
    group_id: int | None
    title: str
    verify: str
    technology: str
    site_features: str
    municipality: str
    latitude: float | None
    longitude: float | None
    radius_km: float | None
    period_start: date | None
    period_end: date | None
    duration: str
    permits_expected: str
    support: list[str]
    confidential: bool
    status: TrialRequestStatus
    created_at: datetime
    updated_at: datetime


class TrialRequestIn(RequestModel):
    title: Text(200, 1)
    verify: Text(5000, 1) = Field(description="What you want to verify.")
    technology: Text(3000) = ""
    site_features: Text(3000) = ""
    municipality: Text(200) = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    radius_km: float | None = Field(None, ge=1, le=2000)
    period_start: date | None = None
    period_end: date | None = None
    duration: Text(100) = ""
    permits_expected: Text(3000) = ""
    support: list[SupportKind] = Field(default_factory=list, max_length=len(SupportKind))
    confidential: bool = Field(True, description="Only your organisation and the secretariat see it.")

    @model_validator(mode="after")
    def _consistent(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("Give both latitude and longitude, or neither.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError("The end of the period is before its start.")
        return self


class StatusChange(RequestModel):
    status: TrialRequestStatus


class TrialRequestFilters(PageQuery):
    q: Text(100) = Field("", description="Words of the title, what to verify or the technology (each word, in Japanese or English).")
    status: TrialRequestStatus | None = None
    mine: bool = Field(False, description="Only your organisation's requests.")


def _load(request_id: int) -> TrialRequest:
    return get_visible_or_404(TrialRequest, request_id, current_user, can_view_trial_request)


@operation("/trial-requests", summary="List field-trial requests", tag="trial requests", access=READ,
           query=TrialRequestFilters, response=page_model(TrialRequestOut))
def list_trial_requests(query: TrialRequestFilters):
    """Your organisation's requests (and, for members, those shared with members); everything for the secretariat."""
    stmt = visible_trial_requests(current_user)
    if query.q:
        stmt = stmt.where(requests_matching(query.q))
    if query.status is not None:
        stmt = stmt.where(TrialRequest.status == query.status)
    if query.mine:
        stmt = stmt.where(TrialRequest.organisation_id == current_user.organisation_id)
    return page_of(stmt.order_by(TrialRequest.created_at.desc(), TrialRequest.id.desc()), query, TrialRequestOut)


@operation("/trial-requests/<int:request_id>", summary="One field-trial request", tag="trial requests", access=READ,
           response=TrialRequestOut, errors=(404,))
def get_trial_request(request_id: int):
    return TrialRequestOut.model_validate(_load(request_id))


@operation("/trial-requests", method="POST", summary="Submit a field-trial request", tag="trial requests", access=WRITE,
           body=TrialRequestIn, response=TrialRequestOut, status=201, errors=(403,), idempotent_create=True)
def create_trial_request(body: TrialRequestIn):
    """Members and applicants, for their organisation; the secretariat is told."""
    values = body.model_dump()
    values["support"] = [kind.value for kind in body.support]
    return TrialRequestOut.model_validate(submit_trial_request(current_user, **values))


@operation("/trial-requests/<int:request_id>/status", method="POST", summary="Move a request to another status",
           tag="trial requests", access=WRITE, body=StatusChange, response=TrialRequestOut, errors=(403, 404, 409))
def change_trial_request_status(request_id: int, body: StatusChange):
    """The secretariat, along the allowed transitions only (409 otherwise)."""
    trial_request = _load(request_id)
    try:
        advance_trial_request(current_user, trial_request, body.status)
    except TrialRuleError:
        raise conflict(_("That status change is not allowed from the current status."))
    return TrialRequestOut.model_validate(trial_request)


@operation("/trial-requests/<int:request_id>/withdraw", method="POST", summary="Withdraw a request",
           tag="trial requests", access=WRITE, response=TrialRequestOut, errors=(403, 404))
def withdraw_trial_request_op(request_id: int):
    """The requesting organisation, while the request is open."""
    trial_request = _load(request_id)
    withdraw_trial_request(current_user, trial_request)
    return TrialRequestOut.model_validate(trial_request)
