"""Demo working groups on the three axes, with members, past and upcoming meetings, minutes and attendance."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from app.core.fiscal import TOKYO
from app.groups.services import member_users
from models import (
    AttendanceStatus,
    GroupAxis,
    GroupMembership,
    GroupRole,
    Meeting,
    MeetingAttendance,
    MembershipStatus,
    WorkingGroup,
    db,
    utcnow,
)

from .base import DemoContext, find_or_add, read_rows


def load_groups(context: DemoContext) -> None:
    groups: dict[str, WorkingGroup] = {}
    for row in read_rows("groups.csv"):
        group = find_or_add(WorkingGroup, {"name_ja": row["name_ja"]})
        group.parent = groups[row["parent"]] if row["parent"] else None
        group.axis = GroupAxis(row["axis"])
        group.name_en = row["name_en"]
        group.theme_tags = row["theme_tags"]
        group.summary_ja = row["summary_ja"]
        group.summary_en = row["summary_en"]
        group.description = row["description"]
        groups[row["key"]] = group
    db.session.flush()
    context.extra["groups"] = groups
    if any(g.memberships or g.meetings for g in groups.values()):
        return  # already loaded once: keep members and meetings as they are
    _load_members(context, groups)
    db.session.flush()
    _load_meetings(groups)


def _load_members(context: DemoContext, groups: dict[str, WorkingGroup]) -> None:
    secretariat = context.users.get("secretariat@demo.example")
    for row in read_rows("group_members.csv"):
        user = context.users[row["user"]] if row["user"] else None
        organisation = context.organisations[row["organisation"]] if row["organisation"] else None
        requester = user or next((u for u in context.users.values() if u.organisation is organisation), secretariat)
        status = MembershipStatus(row["status"])
        db.session.add(GroupMembership(
            group=groups[row["group"]], user=user, organisation=organisation, role=GroupRole(row["role"]), status=status,
            requested_by=requester, decided_at=utcnow() if status == MembershipStatus.ACTIVE else None,
            decided_by_id=secretariat.id if secretariat is not None and status == MembershipStatus.ACTIVE else None,
        ))


def _load_meetings(groups: dict[str, WorkingGroup]) -> None:
    today = datetime.now(TOKYO).date()
    for index, row in enumerate(read_rows("group_meetings.csv")):
        group = groups[row["group"]]
        day = today + timedelta(days=int(row["days_from_today"]))
        starts_at = datetime.combine(day, time.fromisoformat(row["start"]), tzinfo=TOKYO)
        ends_at = datetime.combine(day, time.fromisoformat(row["end"]), tzinfo=TOKYO)
        meeting = Meeting(group=group, title=row["title"], starts_at=starts_at, ends_at=ends_at, place=row["place"],
                          online_url=row["online_url"], agenda=row["agenda"], minutes=row["minutes"],
                          minutes_updated_at=ends_at if row["minutes"] else None)
        db.session.add(meeting)
        past = starts_at < datetime.now(TOKYO)
        for position, person in enumerate(member_users(group)):
            if past:
                status = AttendanceStatus.DECLINED if (index + position) % 4 == 3 else AttendanceStatus.ATTENDED
            else:
                status = AttendanceStatus.INVITED
            db.session.add(MeetingAttendance(meeting=meeting, user=person, status=status))
