"""Trial requests routed to working groups, as the group page lists them."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.trials.labels import STATUS_LABELS
from app.web.registry import AssignedItem
from models import TrialRequest, db

from .permissions import visible_trial_requests


def trial_requests_for_group(group, user) -> list[AssignedItem]:
    stmt = visible_trial_requests(user).where(TrialRequest.group_id == group.id).order_by(TrialRequest.created_at.desc())
    return [
        AssignedItem(kind=_("Field-trial request"), title=r.title, url=url_for("trials.request_detail", request_id=r.id),
                     status=str(STATUS_LABELS[r.status]))
        for r in db.session.scalars(stmt)
    ]
