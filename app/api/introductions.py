"""/introductions: the introductions your organisation is part of; the target side accepts or declines,
the requesting side confirms the agreed trial (the same services as the introduction pages)."""
from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field

from app.introductions.permissions import can_view_introduction, visible_introductions
from app.introductions.services import answer_introduction, confirm_agreement
from app.web.loaders import get_visible_or_404
from models import Introduction, IntroductionStatus

from .auth import READ, WRITE
from .operations import operation
from .schemas import PageQuery, RequestModel, ResponseModel, Text, page_model, page_of


class IntroductionOut(ResponseModel):
    """An introduction (引き合わせ) between a request or challenge and a site's owner or a partner."""

    id: int
    status: IntroductionStatus
    trial_request_id: int | None
    challenge_id: int | None
    requester_organisation_id: int
    target_organisation_id: int | None
    site_id: int | None
    message: str
    response_note: str
    created_at: datetime
    introduced_at: datetime | None
    responded_at: datetime | None


class Answer(RequestModel):
    accept: bool = Field(description="true: agree to be introduced; false: decline.")
    note: Text(2000) = ""


class IntroductionFilters(PageQuery):
    status: IntroductionStatus | None = None


def _load(introduction_id: int) -> Introduction:
    return get_visible_or_404(Introduction, introduction_id, current_user, can_view_introduction)


@operation("/introductions", summary="List introductions", tag="introductions", access=READ,
           query=IntroductionFilters, response=page_model(IntroductionOut))
def list_introductions(query: IntroductionFilters):
    """Those sent to or about your organisation; all for the secretariat."""
    stmt = visible_introductions(current_user)
    if query.status is not None:
        stmt = stmt.where(Introduction.status == query.status)
    return page_of(stmt.order_by(Introduction.created_at.desc(), Introduction.id.desc()), query, IntroductionOut)


@operation("/introductions/<int:introduction_id>", summary="One introduction", tag="introductions", access=READ,
           response=IntroductionOut, errors=(404,))
def get_introduction(introduction_id: int):
    return IntroductionOut.model_validate(_load(introduction_id))


@operation("/introductions/<int:introduction_id>/answer", method="POST", summary="Accept or decline an introduction",
           tag="introductions", access=WRITE, body=Answer, response=IntroductionOut, errors=(403, 404))
def answer(introduction_id: int, body: Answer):
    """The target side, while the introduction waits for its answer."""
    introduction = _load(introduction_id)
    answer_introduction(current_user, introduction, accept=body.accept, note=body.note)
    return IntroductionOut.model_validate(introduction)


@operation("/introductions/<int:introduction_id>/agree", method="POST", summary="Confirm the agreed trial",
           tag="introductions", access=WRITE, response=IntroductionOut, errors=(403, 404))
def agree(introduction_id: int):
    """The requesting side (or the secretariat), after the target accepted."""
    introduction = _load(introduction_id)
    confirm_agreement(current_user, introduction)
    return IntroductionOut.model_validate(introduction)
