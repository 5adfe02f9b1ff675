"""Business rules for trial requests: submit, move through the states, withdraw, message, report."""
from __future__ import annotations

import logging
from typing import Any

from app.auth.queries import organisation_users, secretariat_users
from app.core import audit
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import (
    TrialRequest,
    TrialRequestMessage,
    TrialRequestStatus,
    TrialResult,
    User,
    WorkingGroup,
    db,
)

from .permissions import (
    can_advance_trial_request,
    can_message_trial_request,
    can_report_trial_result,
    can_submit_trial_request,
    can_withdraw_trial_request,
    is_requester,
)

log = logging.getLogger(__name__)

REQUEST_FIELDS = (
    "title", "verify", "technology", "site_features", "municipality", "latitude", "longitude", "radius_km",
    "period_start", "period_end", "duration", "permits_expected", "support", "confidential",
)


class TrialRuleError(Exception):
    """A state change that the rules do not allow (shown to the user as a message)."""


def request_link(trial_request: TrialRequest) -> str:
    return f"/trials/requests/{trial_request.id}"


def submit_trial_request(actor: User, **fields: Any) -> TrialRequest:
    if not can_submit_trial_request(actor):
        raise Refused()  # may not submit trial requests
    values = {key: fields[key] for key in REQUEST_FIELDS if key in fields}
    trial_request = TrialRequest(organisation_id=actor.organisation_id, submitted_by=actor, **values)
    db.session.add(trial_request)
    db.session.flush()
    audit.record("trial_request.submitted", trial_request, actor=actor, confidential=trial_request.confidential)
    for user in secretariat_users():
        notify(user, N_("New field-trial request: %(title)s"), link=request_link(trial_request), title=trial_request.title)
    return trial_request


def update_trial_request(actor: User, trial_request: TrialRequest, **fields: Any) -> None:
    if not (is_requester(actor, trial_request) and trial_request.status == TrialRequestStatus.SUBMITTED):
        raise Refused()  # may not edit this request
    for key in REQUEST_FIELDS:
        if key in fields:
            setattr(trial_request, key, fields[key])
    audit.record("trial_request.edited", trial_request, actor=actor)
    db.session.flush()


def _set_status(actor: User, trial_request: TrialRequest, status: TrialRequestStatus, **details: Any) -> None:
    previous = trial_request.status
    trial_request.status = status
    audit.record("trial_request.status", trial_request, actor=actor, old=previous.value, new=status.value, **details)
    for user in organisation_users(trial_request.organisation_id):
        notify(user, N_("Your field-trial request \"%(title)s\" has moved to a new stage."),
               link=request_link(trial_request), title=trial_request.title)


def advance_trial_request(actor: User, trial_request: TrialRequest, status: TrialRequestStatus) -> None:
    """The secretariat moves a request along the allowed transitions only."""
    if not can_advance_trial_request(actor, trial_request):
        raise Refused()  # only the secretariat moves trial requests
    if not trial_request.can_move_to(status):
        raise TrialRuleError(f"{trial_request.status.value} -> {status.value} is not allowed")
    _set_status(actor, trial_request, status)
    db.session.flush()


def mark_introduced(actor: User, trial_request: TrialRequest) -> None:
    """Called when the secretariat introduces candidates: a request in screening or matching moves on."""
    if trial_request.status in (TrialRequestStatus.SCREENING, TrialRequestStatus.SUBMITTED):
        _set_status(actor, trial_request, TrialRequestStatus.MATCHING)
    if trial_request.status == TrialRequestStatus.MATCHING:
        _set_status(actor, trial_request, TrialRequestStatus.INTRODUCED)


def mark_agreed(actor: User, trial_request: TrialRequest) -> None:
    if trial_request.status == TrialRequestStatus.INTRODUCED:
        _set_status(actor, trial_request, TrialRequestStatus.AGREED)


def withdraw_trial_request(actor: User, trial_request: TrialRequest) -> None:
    if not can_withdraw_trial_request(actor, trial_request):
        raise Refused()  # may not withdraw this request
    previous = trial_request.status
    trial_request.status = TrialRequestStatus.WITHDRAWN
    audit.record("trial_request.status", trial_request, actor=actor, old=previous.value, new="withdrawn")
    for user in secretariat_users():
        notify(user, N_("Field-trial request withdrawn: %(title)s"), link=request_link(trial_request), title=trial_request.title)
    db.session.flush()


def post_trial_message(actor: User, trial_request: TrialRequest, body: str) -> TrialRequestMessage:
    if not can_message_trial_request(actor, trial_request):
        raise Refused()  # may not write on this request
    message = TrialRequestMessage(trial_request=trial_request, author=actor, body=body)
    db.session.add(message)
    db.session.flush()
    audit.record("trial_request.message", trial_request, actor=actor, message_id=message.id)
    recipients = secretariat_users() if is_requester(actor, trial_request) else organisation_users(trial_request.organisation_id)
    for user in recipients:
        if user.id != actor.id:
            notify(user, N_("New message on the field-trial request \"%(title)s\""), link=request_link(trial_request),
                   title=trial_request.title)
    return message


def report_trial_result(actor: User, trial_request: TrialRequest, *, verified: str, outcome: str,
                        data_shared: str = "", obstacles: str = "") -> TrialResult:
    """A running trial is completed with its result report (実証結果報告)."""
    if not can_report_trial_result(actor, trial_request):
        raise Refused()  # may not report on this trial
    result = TrialResult(trial_request=trial_request, author=actor, verified=verified, outcome=outcome,
                         data_shared=data_shared, obstacles=obstacles)
    db.session.add(result)
    _set_status(actor, trial_request, TrialRequestStatus.COMPLETED, obstacles=bool(obstacles.strip()))
    db.session.flush()
    return result


def route_trial_request(actor: User, trial_request: TrialRequest, group: WorkingGroup | None) -> None:
    if not can_advance_trial_request(actor, trial_request):
        raise Refused()  # only the secretariat routes trial requests
    trial_request.group = group
    audit.record("trial_request.routed", trial_request, actor=actor, group_id=group.id if group else None)
    db.session.flush()
