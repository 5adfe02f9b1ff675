"""Who may see and do what in working groups: members-only content, chairs, the secretariat."""
from __future__ import annotations

import logging

from sqlalchemy import Select, or_, select

from app.permissions import is_staff
from models import GroupMembership, GroupRole, GroupStatus, Meeting, MembershipStatus, Role, User, WorkingGroup, db

log = logging.getLogger(__name__)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def active_memberships_of(user, group: WorkingGroup | None = None) -> list[GroupMembership]:
    """The active memberships that make `user` part of a group: personal, or through their organisation."""
    if not _authenticated(user):
        return []
    holders = [GroupMembership.user_id == user.id]
    if user.organisation_id is not None:
        holders.append(GroupMembership.organisation_id == user.organisation_id)
    stmt = select(GroupMembership).where(GroupMembership.status == MembershipStatus.ACTIVE, or_(*holders))
    if group is not None:
        stmt = stmt.where(GroupMembership.group_id == group.id)
    return list(db.session.scalars(stmt))


def group_role_of(user, group: WorkingGroup) -> GroupRole | None:
    """The strongest role `user` holds in `group` (chair > member > observer), or None."""
    roles = {m.role for m in active_memberships_of(user, group)}
    for role in (GroupRole.CHAIR, GroupRole.MEMBER, GroupRole.OBSERVER):
        if role in roles:
            return role
    return None


def is_group_member(user, group: WorkingGroup) -> bool:
    return group_role_of(user, group) is not None


def visible_groups(user) -> Select:
    """Active groups for everyone; archived ones too for the secretariat and their members."""
    stmt = select(WorkingGroup)
    if is_staff(user):
        return stmt
    if not _authenticated(user):
        return stmt.where(WorkingGroup.status == GroupStatus.ACTIVE)
    mine = [m.group_id for m in active_memberships_of(user)]
    return stmt.where(or_(WorkingGroup.status == GroupStatus.ACTIVE, WorkingGroup.id.in_(mine)))


def can_view_group(user, group: WorkingGroup) -> bool:
    return group.is_active or is_staff(user) or is_group_member(user, group)


def can_manage_group(user, group: WorkingGroup | None = None) -> bool:
    """Create, edit and archive groups: the secretariat."""
    return is_staff(user)


def can_lead_group(user, group: WorkingGroup) -> bool:
    """Approve requests, schedule meetings, write minutes: the secretariat or a chair."""
    return is_staff(user) or group_role_of(user, group) == GroupRole.CHAIR


def can_view_members_only(user, group: WorkingGroup) -> bool:
    """Minutes, attachments, the member list and meetings: members and the secretariat."""
    return is_staff(user) or is_group_member(user, group)


def can_view_meeting(user, meeting: Meeting) -> bool:
    return can_view_members_only(user, meeting.group)


def pending_request_of(user, group: WorkingGroup) -> GroupMembership | None:
    if not _authenticated(user):
        return None
    holders = [GroupMembership.user_id == user.id]
    if user.organisation_id is not None:
        holders.append(GroupMembership.organisation_id == user.organisation_id)
    stmt = select(GroupMembership).where(
        GroupMembership.group_id == group.id, GroupMembership.status == MembershipStatus.PENDING, or_(*holders)
    )
    return db.session.scalars(stmt).first()


def can_request_to_join(user: User, group: WorkingGroup) -> bool:
    """Users of member organisations (会員) may ask to join an active group they are not in yet."""
    if not _authenticated(user) or user.role != Role.MEMBER or not group.is_active:
        return False
    if user.organisation is None or not user.organisation.is_member:
        return False
    return not is_group_member(user, group) and pending_request_of(user, group) is None


def can_join_as_organisation(user: User) -> bool:
    """Only an organisation's administrator speaks for the organisation."""
    return _authenticated(user) and user.is_org_admin and user.organisation is not None


def can_leave_membership(user, membership: GroupMembership) -> bool:
    if not _authenticated(user) or not membership.is_active:
        return False
    if membership.user_id == user.id:
        return True
    return membership.organisation_id is not None and membership.organisation_id == user.organisation_id and user.is_org_admin


def can_decide_membership(user, membership: GroupMembership) -> bool:
    return membership.status == MembershipStatus.PENDING and can_lead_group(user, membership.group)


def can_answer_invitation(user, meeting: Meeting) -> bool:
    return can_view_meeting(user, meeting) and any(a.user_id == user.id for a in meeting.attendances)
