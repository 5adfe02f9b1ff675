"""Dashboard panels: the applicant's membership, the member's organisation, the secretariat's queue."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.web.registry import Panel
from models import ApplicationStatus, MembershipApplication, Role, db


def membership_panel(user):
    if user.is_staff:
        waiting = db.session.scalar(select(func.count(MembershipApplication.id)).where(
            MembershipApplication.status == ApplicationStatus.SUBMITTED)) or 0
        return Panel(_("Membership applications"), [(_("Review applications"), url_for("members.applications")),
                                                    (_("Dues"), url_for("members.dues"))], count=waiting, order=20)
    if user.organisation is None:
        return None
    links = [(_("Our profile"), url_for("members.organisation", organisation_id=user.organisation_id)),
             (_("Colleagues"), url_for("members.colleagues", organisation_id=user.organisation_id))]
    if user.role == Role.APPLICANT:
        links.insert(0, (_("Apply for membership"), url_for("members.apply")))
    else:
        links.append((_("Member directory"), url_for("members.directory_page")))
    return Panel(_("Your organisation"), links, order=20)
