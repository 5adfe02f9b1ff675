"""Trial requests routed to working groups, as the group page lists them."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.trials.labels import STATUS_LABELS
from app.web.registry import AssignedItem, AssignedSection
from models import TrialRequest, db

from .permissions import visible_trial_requests


def trial_requests_for_group(group, user, limit: int) -> AssignedSection:
    stmt = visible_trial_requests(user).where(TrialRequest.group_id == group.id)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    newest = db.session.scalars(stmt.order_by(TrialRequest.created_at.desc(), TrialRequest.id.desc()).limit(limit))
    items = [AssignedItem(kind=_("Field-trial request"), title=r.title, url=url_for("trials.request_detail", request_id=r.id),
                          status=str(STATUS_LABELS[r.status])) for r in newest]
    return AssignedSection(_("Field-trial requests"), total, items, url_for("trials.requests", group=group.id))
