"""Public list of groups, the group page, joining and leaving."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from app.permissions import require
from app.web.forms import ActionForm
from app.web.inputs import search_words
from app.web.loaders import get_or_404, get_visible_or_404
from app.web.pagination import paginate
from app.web.registry import registry
from models import GroupAxis, GroupMembership, Meeting, WorkingGroup, db

from . import permissions as perms
from . import services
from .blueprint import bp
from .forms import AXIS_LABELS, ROLE_LABELS, STATUS_LABELS, JoinForm

log = logging.getLogger(__name__)


@bp.route("/")
def index():
    q = search_words(request.args)
    axis = request.args.get("axis", "")
    # sub-groups (分科会) follow their parent group
    stmt = perms.visible_groups(current_user).order_by(
        WorkingGroup.axis, func.coalesce(WorkingGroup.parent_id, WorkingGroup.id), WorkingGroup.parent_id.is_not(None), WorkingGroup.id
    )
    if axis in {a.value for a in GroupAxis}:
        stmt = stmt.where(WorkingGroup.axis == GroupAxis(axis))
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(WorkingGroup.name_ja.ilike(like), WorkingGroup.name_en.ilike(like),
                              WorkingGroup.theme_tags.ilike(like), WorkingGroup.summary_ja.ilike(like)))
    return render_template("groups/index.html", page=paginate(stmt), q=q, axis=axis, axis_labels=AXIS_LABELS,
                           status_labels=STATUS_LABELS, can_manage=perms.can_manage_group(current_user))


@bp.route("/<int:group_id>")
def detail(group_id: int):
    group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_group)
    members_only = perms.can_view_members_only(current_user, group)
    meetings = list(db.session.scalars(select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at.desc()).limit(10))) if members_only else []
    return render_template(
        "groups/detail.html", group=group, members_only=members_only, meetings=meetings,
        role=perms.group_role_of(current_user, group), can_lead=perms.can_lead_group(current_user, group),
        can_manage=perms.can_manage_group(current_user, group), can_join=perms.can_request_to_join(current_user, group),
        pending=perms.pending_request_of(current_user, group), my_memberships=perms.active_memberships_of(current_user, group),
        assigned=registry().items_assigned_to(group, current_user) if members_only else [],
        join_form=JoinForm(), action_form=ActionForm(), axis_labels=AXIS_LABELS, role_labels=ROLE_LABELS,
        status_labels=STATUS_LABELS, can_join_as_org=perms.can_join_as_organisation(current_user),
    )


@bp.route("/<int:group_id>/join", methods=["POST"])
@login_required
def join(group_id: int):
    group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_group)
    require(perms.can_request_to_join(current_user, group))
    form = JoinForm()
    if form.validate_on_submit():
        as_org = bool(form.as_organisation.data) and perms.can_join_as_organisation(current_user)
        services.request_to_join(current_user, group, as_organisation=as_org, message=form.message.data or "")
        db.session.commit()
        flash(_("Your request was sent. The chair or the secretariat will answer it."), "success")
    else:
        flash(_("The request could not be sent: %(errors)s", errors="; ".join(e for v in form.errors.values() for e in v)), "error")
    return redirect(url_for("groups.detail", group_id=group.id))


@bp.route("/<int:group_id>/memberships/<int:membership_id>/leave", methods=["POST"])
@login_required
def leave(group_id: int, membership_id: int):
    membership = get_or_404(GroupMembership, membership_id)
    if membership.group_id != group_id:
        abort(404)
    require(perms.can_leave_membership(current_user, membership))
    services.leave_group(current_user, membership)
    db.session.commit()
    flash(_("You have left %(group)s.", group=membership.group.name_ja), "success")
    return redirect(url_for("groups.detail", group_id=group_id))
