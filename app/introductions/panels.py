"""Dashboard panels: introductions waiting for an answer, and open trial requests for the secretariat."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.introductions.queries import introduction_title
from app.trials.permissions import visible_trial_requests
from app.web.registry import Panel
from models import Introduction, IntroductionStatus, TrialRequest, TrialRequestStatus, db

from .permissions import can_answer_introduction, visible_introductions


def introductions_panel(user):
    stmt = visible_introductions(user).where(Introduction.status == IntroductionStatus.INTRODUCED).order_by(Introduction.id.desc())
    waiting = [i for i in db.session.scalars(stmt.limit(50)) if can_answer_introduction(user, i)]
    if not waiting:
        return None
    links = [(introduction_title(i), url_for("introductions.detail", introduction_id=i.id)) for i in waiting[:5]]
    return Panel(_("Introductions waiting for your answer"), links, count=len(waiting), order=20)


def trial_requests_panel(user):
    if not user.is_staff:
        return None
    new = visible_trial_requests(user).where(TrialRequest.status == TrialRequestStatus.SUBMITTED)
    count = db.session.scalar(select(func.count()).select_from(new.subquery())) or 0
    links = [(r.title, url_for("trials.request_detail", request_id=r.id))
             for r in db.session.scalars(new.order_by(TrialRequest.created_at.desc()).limit(5))]
    links.append((_("All field-trial requests"), url_for("trials.requests")))
    return Panel(_("New field-trial requests"), links, count=count, order=21)
