"""Builders for working-group tests: groups, memberships, meetings."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.core.fiscal import TOKYO
from models import GroupAxis, GroupMembership, GroupRole, Meeting, MeetingAttendance, MembershipStatus, WorkingGroup, db


@pytest.fixture
def make_group():
    def make(name: str = "水素・GX部会", **fields) -> WorkingGroup:
        group = WorkingGroup(name_ja=name, name_en=fields.pop("name_en", "Hydrogen & GX"), axis=fields.pop("axis", GroupAxis.INDUSTRY),
                             summary_ja=fields.pop("summary_ja", "水素サプライチェーンの構築を議論する。"), **fields)
        db.session.add(group)
        db.session.commit()
        return group

    return make


@pytest.fixture
def add_member():
    def add(group: WorkingGroup, user=None, *, organisation=None, role: GroupRole = GroupRole.MEMBER,
            status: MembershipStatus = MembershipStatus.ACTIVE) -> GroupMembership:
        membership = GroupMembership(group=group, user=user, organisation=organisation, role=role, status=status, requested_by=user)
        db.session.add(membership)
        db.session.commit()
        return membership

    return add


@pytest.fixture
def make_meeting():
    def make(group: WorkingGroup, *, starts_at: datetime | None = None, invite=(), **fields) -> Meeting:
        starts_at = starts_at or datetime(2026, 6, 10, 14, 0, tzinfo=TOKYO)
        meeting = Meeting(group=group, title=fields.pop("title", "第1回 部会"), starts_at=starts_at,
                          ends_at=fields.pop("ends_at", starts_at + timedelta(hours=2)), place=fields.pop("place", "札幌市中央区 会議室A"),
                          **fields)
        db.session.add(meeting)
        for user in invite:
            db.session.add(MeetingAttendance(meeting=meeting, user=user))
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def group(make_group):
    return make_group()


@pytest.fixture
def group_member(make_user, group, add_member):
    """A member user who is in `group` personally."""
    from models import Role

    user = make_user(Role.MEMBER, email="groupmember@example.org")
    add_member(group, user)
    return user


@pytest.fixture
def outsider(make_user):
    """A member user of another organisation, not in the group."""
    from models import Role

    return make_user(Role.MEMBER, email="outsider@example.org", is_org_admin=True)
