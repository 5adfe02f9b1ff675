"""Activity figures per group and fiscal year (年度): meetings held and attendance, for the KPI page."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select

from app.core.fiscal import TOKYO, fiscal_year_bounds
from models import AttendanceStatus, Meeting, MeetingAttendance, WorkingGroup, db, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GroupActivity:
    group: WorkingGroup
    meetings_held: int
    invitations: int  # people invited to the meetings held
    attended: int  # people recorded as attended

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.invitations if self.invitations else None


def fiscal_year_range(year: int) -> tuple[datetime, datetime]:
    """[start, end) of fiscal year `year` as aware datetimes (Tokyo midnight of 1 April)."""
    first, last = fiscal_year_bounds(year)
    start = datetime.combine(first, time.min, tzinfo=TOKYO)
    end = datetime.combine(fiscal_year_bounds(year + 1)[0], time.min, tzinfo=TOKYO)
    return start, end


def group_activity(year: int, now: datetime | None = None) -> list[GroupActivity]:
    """One row per group (archived included): meetings that started in the year and before `now`."""
    start, end = fiscal_year_range(year)
    until = min(end, now or utcnow())
    held = (Meeting.starts_at >= start) & (Meeting.starts_at < until)
    meetings = dict(db.session.execute(select(Meeting.group_id, func.count(Meeting.id)).where(held).group_by(Meeting.group_id)).all())
    invited = dict(db.session.execute(
        select(Meeting.group_id, func.count(MeetingAttendance.id)).join(MeetingAttendance.meeting).where(held).group_by(Meeting.group_id)
    ).all())
    attended = dict(db.session.execute(
        select(Meeting.group_id, func.count(MeetingAttendance.id)).join(MeetingAttendance.meeting)
        .where(held, MeetingAttendance.status == AttendanceStatus.ATTENDED).group_by(Meeting.group_id)
    ).all())
    groups = db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.axis, WorkingGroup.id))
    return [GroupActivity(g, meetings.get(g.id, 0), invited.get(g.id, 0), attended.get(g.id, 0)) for g in groups]


def activity_totals(rows: list[GroupActivity]) -> dict[str, int]:
    return {
        "meetings_held": sum(r.meetings_held for r in rows),
        "invitations": sum(r.invitations for r in rows),
        "attended": sum(r.attended for r in rows),
    }
