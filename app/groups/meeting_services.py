"""Meetings (会合): scheduling with invitations, answers, attendance records and minutes."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from app.core import audit
from app.notifications.services import N_, notify
from models import AttendanceStatus, Meeting, MeetingAttendance, User, WorkingGroup, db, utcnow

from . import permissions as perms
from .services import check_allowed, member_users

log = logging.getLogger(__name__)

ANSWERS = (AttendanceStatus.ATTENDING, AttendanceStatus.DECLINED)


@dataclass
class MeetingData:
    title: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    place: str
    online_url: str
    agenda: str


def _apply(meeting: Meeting, data: MeetingData) -> None:
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("meeting times must be timezone-aware")
    if data.ends_at <= data.starts_at:
        raise ValueError("a meeting ends after it starts")
    meeting.title = data.title.strip()
    meeting.starts_at = data.starts_at
    meeting.ends_at = data.ends_at
    meeting.place = data.place.strip()
    meeting.online_url = data.online_url.strip()
    meeting.agenda = data.agenda.strip()


def schedule_meeting(actor: User, group: WorkingGroup, data: MeetingData) -> Meeting:
    """Create a meeting and invite every member (in-app notice and e-mail)."""
    check_allowed(perms.can_lead_group(actor, group))
    meeting = Meeting(group=group)
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    for person in member_users(group):
        db.session.add(MeetingAttendance(meeting=meeting, user=person, status=AttendanceStatus.INVITED))
        notify(person, N_("You are invited to %(meeting)s (%(group)s)."),
               link=f"/groups/{group.id}/meetings/{meeting.id}", meeting=meeting.title, group=group.display_name(person.locale))
    audit.record("meeting.scheduled", meeting, actor=actor, group=group.id)
    db.session.flush()
    return meeting


def update_meeting(actor: User, meeting: Meeting, data: MeetingData) -> None:
    check_allowed(perms.can_lead_group(actor, meeting.group))
    _apply(meeting, data)
    audit.record("meeting.updated", meeting, actor=actor)
    db.session.flush()


def delete_meeting(actor: User, meeting: Meeting) -> None:
    """Remove a meeting; its files are deleted from disk by the caller after commit."""
    check_allowed(perms.can_lead_group(actor, meeting.group))
    audit.record("meeting.deleted", meeting, actor=actor, title=meeting.title)
    db.session.delete(meeting)
    db.session.flush()


def answer_invitation(actor: User, meeting: Meeting, answer: AttendanceStatus) -> MeetingAttendance:
    check_allowed(perms.can_answer_invitation(actor, meeting) and answer in ANSWERS)
    attendance = next(a for a in meeting.attendances if a.user_id == actor.id)
    attendance.status = answer
    attendance.responded_at = utcnow()
    audit.record("meeting.answered", meeting, actor=actor, answer=answer)
    db.session.flush()
    return attendance


def record_attendance(actor: User, meeting: Meeting, attended_user_ids: set[int]) -> None:
    """After the meeting: mark who attended; the others keep their answer (or become declined)."""
    check_allowed(perms.can_lead_group(actor, meeting.group))
    for attendance in meeting.attendances:
        if attendance.user_id in attended_user_ids:
            attendance.status = AttendanceStatus.ATTENDED
        elif attendance.status == AttendanceStatus.ATTENDED:
            attendance.status = AttendanceStatus.ATTENDING
    audit.record("meeting.attendance", meeting, actor=actor, attended=sorted(attended_user_ids))
    db.session.flush()


def save_minutes(actor: User, meeting: Meeting, minutes: str) -> None:
    check_allowed(perms.can_lead_group(actor, meeting.group))
    meeting.minutes = minutes.strip()
    meeting.minutes_updated_at = utcnow()
    audit.record("meeting.minutes", meeting, actor=actor, length=len(meeting.minutes))
    db.session.flush()


def attendance_of(user, meeting: Meeting) -> MeetingAttendance | None:
    return next((a for a in meeting.attendances if a.user_id == getattr(user, "id", None)), None)
