"""Activity figures: meetings held and attendance per group per fiscal year (年度)."""
from __future__ import annotations

from datetime import datetime, timezone

from app.core.fiscal import TOKYO
from app.groups.activity_queries import group_activity
from models import AttendanceStatus, MeetingAttendance, Role, db


def test_meetings_are_counted_in_the_fiscal_year_they_were_held(group, make_meeting, group_member):
    now = datetime(2027, 3, 31, 12, 0, tzinfo=TOKYO)
    make_meeting(group, starts_at=datetime(2026, 4, 1, 0, 30, tzinfo=TOKYO))  # first morning of FY2026
    make_meeting(group, starts_at=datetime(2026, 3, 31, 23, 30, tzinfo=TOKYO))  # last night of FY2025
    make_meeting(group, starts_at=datetime(2027, 3, 31, 18, 0, tzinfo=TOKYO))  # later today: not held yet
    (row,) = group_activity(2026, now=now)
    assert row.meetings_held == 1


def test_attendance_counts_attended_against_invited(group, make_meeting, group_member, make_user, add_member):
    absent = make_user(Role.MEMBER)
    add_member(group, absent)
    meeting = make_meeting(group, starts_at=datetime(2026, 6, 1, 5, 0, tzinfo=timezone.utc), invite=[group_member, absent])
    for attendance in meeting.attendances:
        if attendance.user_id == group_member.id:
            attendance.status = AttendanceStatus.ATTENDED
    db.session.commit()
    (row,) = group_activity(2026, now=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert (row.meetings_held, row.invitations, row.attended, row.attendance_rate) == (1, 2, 1, 0.5)
    assert db.session.query(MeetingAttendance).count() == 2


def test_group_without_meetings_has_zero_and_no_rate(group):
    (row,) = group_activity(2026)
    assert row.meetings_held == 0 and row.attendance_rate is None


def test_activity_page_shows_the_figures(client, login_as, secretariat, group, make_meeting):
    make_meeting(group, starts_at=datetime(2025, 6, 1, 5, 0, tzinfo=timezone.utc))
    login_as(secretariat)
    page = client.get("/groups/activity?year=2025").get_data(as_text=True)
    assert "水素・GX部会" in page and "<td>1</td>" in page
