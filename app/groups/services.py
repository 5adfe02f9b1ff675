"""Group curation and membership rules: create and edit groups, join requests, approvals, leaving."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from app.auth.queries import secretariat_users
from app.core import audit
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import (
    GroupAxis,
    GroupMembership,
    GroupRole,
    GroupStatus,
    MembershipStatus,
    Organisation,
    User,
    WorkingGroup,
    db,
    utcnow,
)

from . import permissions as perms

log = logging.getLogger(__name__)


class GroupError(Exception):
    """A rule said no; the message is shown to the user (already translated)."""


@dataclass
class GroupData:
    name_ja: str
    name_en: str
    axis: GroupAxis
    theme_tags: str
    summary_ja: str
    summary_en: str
    description: str
    parent_id: int | None = None


def check_allowed(allowed: bool) -> None:
    if not allowed:
        raise Refused()  # not allowed


def _apply(group: WorkingGroup, data: GroupData) -> None:
    if data.parent_id is not None:
        parent = db.session.get(WorkingGroup, data.parent_id)
        if parent is None or parent.parent_id is not None or parent.id == group.id:
            raise ValueError("a sub-group hangs under a top-level group")
    group.parent_id = data.parent_id
    group.name_ja = data.name_ja.strip()
    group.name_en = data.name_en.strip()
    group.axis = data.axis
    group.theme_tags = ";".join(t.strip() for t in data.theme_tags.replace("、", ";").replace(",", ";").split(";") if t.strip())
    group.summary_ja = data.summary_ja.strip()
    group.summary_en = data.summary_en.strip()
    group.description = data.description.strip()


def create_group(actor: User, data: GroupData) -> WorkingGroup:
    check_allowed(perms.can_manage_group(actor))
    group = WorkingGroup(status=GroupStatus.ACTIVE)
    _apply(group, data)
    db.session.add(group)
    db.session.flush()
    audit.record("group.created", group, actor=actor, name=group.name_ja)
    return group


def update_group(actor: User, group: WorkingGroup, data: GroupData) -> WorkingGroup:
    check_allowed(perms.can_manage_group(actor, group))
    _apply(group, data)
    db.session.flush()
    audit.record("group.updated", group, actor=actor, name=group.name_ja)
    return group


def set_group_status(actor: User, group: WorkingGroup, status: GroupStatus) -> None:
    check_allowed(perms.can_manage_group(actor, group))
    group.status = status
    audit.record("group.status", group, actor=actor, status=status)
    db.session.flush()


# Membership --------------------------------------------------------------------------

def member_users(group: WorkingGroup) -> list[User]:
    """Every active account in the group: people, and the people of member organisations."""
    users: dict[int, User] = {}
    for membership in group.memberships:
        if not membership.is_active:
            continue
        people = [membership.user] if membership.user else list(membership.organisation.users)
        for person in people:
            if person is not None and person.is_active_account:
                users[person.id] = person
    return sorted(users.values(), key=lambda u: u.id)


def group_leaders(group: WorkingGroup) -> list[User]:
    """Who decides join requests: the chairs, and the secretariat's people."""
    chairs = [u for u in member_users(group) if perms.group_role_of(u, group) == GroupRole.CHAIR]
    staff = secretariat_users()
    seen: dict[int, User] = {u.id: u for u in chairs}
    for user in staff:
        seen.setdefault(user.id, user)
    return list(seen.values())


def request_to_join(actor: User, group: WorkingGroup, *, as_organisation: bool, message: str = "") -> GroupMembership:
    check_allowed(perms.can_request_to_join(actor, group))
    if as_organisation:
        check_allowed(perms.can_join_as_organisation(actor))
    membership = GroupMembership(
        group=group,
        user=None if as_organisation else actor,
        organisation=actor.organisation if as_organisation else None,
        role=GroupRole.MEMBER,
        status=MembershipStatus.PENDING,
        requested_by=actor,
        message=message.strip(),
    )
    db.session.add(membership)
    db.session.flush()
    audit.record("group.join_requested", group, actor=actor, membership=membership.id, organisation=as_organisation)
    for leader in group_leaders(group):
        notify(leader, N_("%(who)s asks to join %(group)s."), link=f"/groups/{group.id}/members",
               who=membership.holder_name(leader.locale), group=group.display_name(leader.locale))
    return membership


def _tell_holder(membership: GroupMembership, message: str) -> None:
    recipient = membership.requested_by or membership.user
    if recipient is not None:
        group = membership.group
        notify(recipient, message, link=f"/groups/{group.id}", group=group.display_name(recipient.locale))


def approve_membership(actor: User, membership: GroupMembership, role: GroupRole = GroupRole.MEMBER) -> None:
    check_allowed(perms.can_decide_membership(actor, membership))
    if role == GroupRole.CHAIR:
        check_allowed(perms.can_manage_group(actor, membership.group))
    membership.status = MembershipStatus.ACTIVE
    membership.role = role
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    audit.record("group.join_approved", membership.group, actor=actor, membership=membership.id, role=role)
    _tell_holder(membership, N_("Your request to join %(group)s was approved."))
    db.session.flush()


def reject_membership(actor: User, membership: GroupMembership) -> None:
    check_allowed(perms.can_decide_membership(actor, membership))
    membership.status = MembershipStatus.REJECTED
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    audit.record("group.join_rejected", membership.group, actor=actor, membership=membership.id)
    _tell_holder(membership, N_("Your request to join %(group)s was declined."))
    db.session.flush()


def leave_group(actor: User, membership: GroupMembership) -> None:
    check_allowed(perms.can_leave_membership(actor, membership))
    membership.status = MembershipStatus.LEFT
    membership.decided_at = utcnow()
    audit.record("group.left", membership.group, actor=actor, membership=membership.id)
    db.session.flush()


def add_member(actor: User, group: WorkingGroup, *, role: GroupRole, user: User | None = None,
               organisation: Organisation | None = None) -> GroupMembership:
    """The secretariat puts a person or an organisation straight into a group (e.g. to name the chair)."""
    check_allowed(perms.can_manage_group(actor, group))
    if (user is None) == (organisation is None):
        raise ValueError("give a user or an organisation")
    holder = GroupMembership.user_id == user.id if user else GroupMembership.organisation_id == organisation.id
    existing = db.session.scalars(
        select(GroupMembership).where(GroupMembership.group_id == group.id, holder,
                                      GroupMembership.status.in_([MembershipStatus.ACTIVE, MembershipStatus.PENDING]))
    ).first()
    membership = existing or GroupMembership(group=group, user=user, organisation=organisation, requested_by=actor)
    membership.role = role
    membership.status = MembershipStatus.ACTIVE
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    db.session.add(membership)
    db.session.flush()
    audit.record("group.member_added", group, actor=actor, membership=membership.id, role=role)
    return membership


def set_member_role(actor: User, membership: GroupMembership, role: GroupRole) -> None:
    check_allowed(perms.can_manage_group(actor, membership.group) and membership.is_active)
    membership.role = role
    audit.record("group.member_role", membership.group, actor=actor, membership=membership.id, role=role)
    db.session.flush()


def remove_member(actor: User, membership: GroupMembership) -> None:
    check_allowed(perms.can_lead_group(actor, membership.group) and membership.is_active)
    membership.status = MembershipStatus.LEFT
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    audit.record("group.member_removed", membership.group, actor=actor, membership=membership.id)
    db.session.flush()
