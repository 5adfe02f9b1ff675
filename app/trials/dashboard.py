"""The requesting organisation's dashboard panel: its field-trial requests (drafts first) with their status."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.main.dashboard import Panel, dashboard_panel
from models import TrialRequest, TrialRequestStatus, db

from .labels import STATUS_LABELS
from .permissions import can_submit_trial_request, visible_trial_requests

SHOWN = 5


@dashboard_panel
def my_trial_requests_panel(user):
    """For applicants and members: the latest requests of their organisation, drafts first, and a way to start one."""
    if not can_submit_trial_request(user):
        return None
    own = visible_trial_requests(user).where(TrialRequest.organisation_id == user.organisation_id)
    count = db.session.scalar(select(func.count()).select_from(own.subquery())) or 0
    drafts_first = case((TrialRequest.status == TrialRequestStatus.DRAFT, 0), else_=1)
    latest = db.session.scalars(own.order_by(drafts_first, TrialRequest.created_at.desc(), TrialRequest.id.desc()).limit(SHOWN))
    links = [(r.title, url_for("trials.request_detail", request_id=r.id), str(STATUS_LABELS[r.status])) for r in latest]
    links.append((_("New field-trial request"), url_for("trials.new_request")))
    if count > SHOWN:
        links.append((_("All our field-trial requests"), url_for("trials.requests")))
    return Panel(_("Our field-trial requests"), links, count=count, order=25)
