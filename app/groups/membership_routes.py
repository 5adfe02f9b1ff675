"""The member list of a group: join requests, approvals, roles and removal (chair or secretariat)."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.text_search import text_matches
from app.permissions import require
from app.web.forms import ActionForm
from app.web.inputs import valid_id
from app.web.loaders import get_or_404, get_visible_or_404
from app.web.pagination import paginate
from models import (
    GroupMembership,
    GroupRole,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    User,
    WorkingGroup,
    db,
)

from . import permissions as perms
from . import services
from .blueprint import bp
from .forms import MEMBERSHIP_LABELS, ROLE_LABELS, AddMemberForm, ApproveForm

log = logging.getLogger(__name__)


def _membership_of(group_id: int, membership_id: int) -> GroupMembership:
    membership = get_or_404(GroupMembership, membership_id)
    if membership.group_id != group_id or not perms.can_view_members_only(current_user, membership.group):
        abort(404)
    return membership


MEMBERS_PER_PAGE = 50
PENDING_SHOWN = 50  # the oldest requests first; deciding them brings up the next ones


def _memberships(group: WorkingGroup, status: MembershipStatus):
    """A group's memberships of one status, with the people and organisations shown next to them."""
    return select(GroupMembership).where(GroupMembership.group_id == group.id, GroupMembership.status == status).options(
        selectinload(GroupMembership.user).selectinload(User.organisation), selectinload(GroupMembership.organisation),
        selectinload(GroupMembership.requested_by))


ORGANISATIONS_FOUND = 20  # organisations offered by the add form's search (never the whole membership)


def _member_organisations(q: str = "", organisation_id: int | None = None) -> list[Organisation]:
    """Active organisations for the add form: those whose name matches `q` (the first
    ORGANISATIONS_FOUND by name), or the one chosen (`organisation_id`, when a form is posted)."""
    stmt = select(Organisation).where(Organisation.status == OrganisationStatus.ACTIVE)
    if organisation_id is not None:
        return list(db.session.scalars(stmt.where(Organisation.id == organisation_id)))
    if not q:
        return []
    stmt = stmt.where(text_matches(q, Organisation.name_ja, Organisation.name_en))
    return list(db.session.scalars(stmt.order_by(Organisation.name_ja, Organisation.id).limit(ORGANISATIONS_FOUND)))


@bp.route("/<int:group_id>/members")
@login_required
def members(group_id: int):
    group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_group)
    if not perms.can_view_members_only(current_user, group):
        abort(404)
    can_manage = perms.can_manage_group(current_user, group)
    org_q = (request.args.get("org_q") or "").strip()[:100]
    active = paginate(_memberships(group, MembershipStatus.ACTIVE).order_by(GroupMembership.id), per_page=MEMBERS_PER_PAGE)
    pending_count = db.session.scalar(select(func.count(GroupMembership.id)).where(
        GroupMembership.group_id == group.id, GroupMembership.status == MembershipStatus.PENDING))
    pending = db.session.scalars(_memberships(group, MembershipStatus.PENDING).order_by(GroupMembership.created_at, GroupMembership.id)
                                 .limit(PENDING_SHOWN)).all()
    return render_template(
        "groups/members.html", group=group, active=active, pending=pending, pending_count=pending_count,
        can_lead=perms.can_lead_group(current_user, group), can_manage=can_manage, role_labels=ROLE_LABELS,
        membership_labels=MEMBERSHIP_LABELS, approve_form=ApproveForm(), action_form=ActionForm(),
        add_form=AddMemberForm(organisations=_member_organisations(org_q)) if can_manage else None, org_q=org_q,
    )


@bp.route("/<int:group_id>/members/<int:membership_id>/approve", methods=["POST"])
@login_required
def approve(group_id: int, membership_id: int):
    membership = _membership_of(group_id, membership_id)
    require(perms.can_decide_membership(current_user, membership))
    form = ApproveForm()
    if form.validate_on_submit():
        role = GroupRole(form.role.data)
        require(role != GroupRole.CHAIR or perms.can_manage_group(current_user, membership.group))
        services.approve_membership(current_user, membership, role)
        db.session.commit()
        flash(_("%(who)s is now in the group.", who=membership.holder_name()), "success")
    return redirect(url_for("groups.members", group_id=group_id))


@bp.route("/<int:group_id>/members/<int:membership_id>/reject", methods=["POST"])
@login_required
def reject(group_id: int, membership_id: int):
    membership = _membership_of(group_id, membership_id)
    require(perms.can_decide_membership(current_user, membership))
    services.reject_membership(current_user, membership)
    db.session.commit()
    flash(_("The request was declined."), "success")
    return redirect(url_for("groups.members", group_id=group_id))


@bp.route("/<int:group_id>/members/<int:membership_id>/role", methods=["POST"])
@login_required
def change_role(group_id: int, membership_id: int):
    membership = _membership_of(group_id, membership_id)
    require(perms.can_manage_group(current_user, membership.group) and membership.is_active)
    form = ApproveForm()
    if form.validate_on_submit():
        services.set_member_role(current_user, membership, GroupRole(form.role.data))
        db.session.commit()
        flash(_("The role was changed."), "success")
    return redirect(url_for("groups.members", group_id=group_id))


@bp.route("/<int:group_id>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove(group_id: int, membership_id: int):
    membership = _membership_of(group_id, membership_id)
    require(perms.can_lead_group(current_user, membership.group) and membership.is_active)
    services.remove_member(current_user, membership)
    db.session.commit()
    flash(_("%(who)s was removed from the group.", who=membership.holder_name()), "success")
    return redirect(url_for("groups.members", group_id=group_id))


@bp.route("/<int:group_id>/members/add", methods=["POST"])
@login_required
def add(group_id: int):
    group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_group)
    require(perms.can_manage_group(current_user, group))
    chosen = request.form.get("organisation_id", "")
    form = AddMemberForm(organisations=_member_organisations(
        organisation_id=int(chosen) if chosen.isdigit() and valid_id(int(chosen)) else 0))
    if not form.validate_on_submit():
        flash(_("Nobody was added: %(errors)s", errors="; ".join(str(e) for v in form.errors.values() for e in v)), "error")
        return redirect(url_for("groups.members", group_id=group_id))
    user = organisation = None
    if form.email.data:
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user is None:
            flash(_("No account has the e-mail address %(email)s.", email=form.email.data), "error")
            return redirect(url_for("groups.members", group_id=group_id))
    else:
        organisation = db.session.get(Organisation, form.organisation_id.data)
    membership = services.add_member(current_user, group, role=GroupRole(form.role.data), user=user, organisation=organisation)
    db.session.commit()
    flash(_("%(who)s is now in the group.", who=membership.holder_name()), "success")
    return redirect(url_for("groups.members", group_id=group_id))
