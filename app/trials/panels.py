"""Trial requests routed to working groups, as the group page lists them; the requesting organisation's
dashboard panel (its requests, drafts first, with their status)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.trials.labels import STATUS_LABELS
from app.web.registry import AssignedItem, AssignedSection, Panel
from models import TrialRequest, TrialRequestStatus, db

from .permissions import can_submit_trial_request, visible_trial_requests

SHOWN_ON_DASHBOARD = 5


def trial_requests_for_group(group, user, limit: int) -> AssignedSection:
    stmt = visible_trial_requests(user).where(TrialRequest.group_id == group.id)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    newest = db.session.scalars(stmt.order_by(TrialRequest.created_at.desc(), TrialRequest.id.desc()).limit(limit))
    items = [AssignedItem(kind=_("Field-trial request"), title=r.title, url=url_for("trials.request_detail", request_id=r.id),
                          status=str(STATUS_LABELS[r.status])) for r in newest]
    return AssignedSection(_("Field-trial requests"), total, items, url_for("trials.requests", group=group.id))


def my_trial_requests_panel(user) -> Panel | None:
    """For applicants and members: the latest requests of their organisation, drafts first, and a way to start one."""
    if not can_submit_trial_request(user):
        return None
    own = visible_trial_requests(user).where(TrialRequest.organisation_id == user.organisation_id)
    count = db.session.scalar(select(func.count()).select_from(own.subquery())) or 0
    drafts_first = case((TrialRequest.status == TrialRequestStatus.DRAFT, 0), else_=1)
    latest = db.session.scalars(own.order_by(drafts_first, TrialRequest.created_at.desc(), TrialRequest.id.desc())
                                .limit(SHOWN_ON_DASHBOARD))
    links = [(r.title, url_for("trials.request_detail", request_id=r.id), str(STATUS_LABELS[r.status])) for r in latest]
    links.append((_("New field-trial request"), url_for("trials.new_request")))
    if count > SHOWN_ON_DASHBOARD:
        links.append((_("All our field-trial requests"), url_for("trials.requests")))
    return Panel(_("Our field-trial requests"), links, count=count, order=25)
