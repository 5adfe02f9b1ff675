"""Meetings: scheduling in Japan time with invitations, answers, attendance, minutes rendered safely."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from app.core.mail import sent_messages
from models import AttendanceStatus, GroupRole, Meeting, MeetingAttendance, Notification, Role, db

MEETING_FORM = {
    "title": "第2回 水素部会", "starts_at": "2026-07-01T15:00", "ends_at": "2026-07-01T17:00",
    "place": "札幌市中央区 北1条会議室", "online_url": "", "agenda": "1. 水素ステーションの用途規制\n2. 次回日程",
}


def test_secretariat_schedules_a_meeting_in_tokyo_time(login_as, post_form, secretariat, group, group_member):
    login_as(secretariat)
    response = post_form(f"/groups/{group.id}/meetings/new", MEETING_FORM)
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert meeting.starts_at == datetime(2026, 7, 1, 6, 0, tzinfo=timezone.utc)


def test_scheduling_invites_every_member_in_app_and_by_email(login_as, post_form, secretariat, group, group_member, make_user, add_member):
    colleague_org_member = make_user(Role.MEMBER)
    add_member(group, organisation=colleague_org_member.organisation)
    login_as(secretariat)
    post_form(f"/groups/{group.id}/meetings/new", MEETING_FORM)
    invited = {a.user_id for a in db.session.scalars(select(MeetingAttendance))}
    assert invited == {group_member.id, colleague_org_member.id}
    assert {m["To"] for m in sent_messages} == {group_member.email, colleague_org_member.email}
    assert db.session.scalar(select(Notification).where(Notification.recipient_id == group_member.id)) is not None


def test_meeting_page_shows_time_in_japan(client, login_as, group, group_member, make_meeting):
    meeting = make_meeting(group, starts_at=datetime(2026, 7, 1, 6, 0, tzinfo=timezone.utc))
    login_as(group_member)
    page = client.get(f"/groups/{group.id}/meetings/{meeting.id}").get_data(as_text=True)
    assert "15:00" in page


def test_meeting_that_ends_before_it_starts_is_refused_and_input_kept(login_as, post_form, secretariat, group):
    login_as(secretariat)
    response = post_form(f"/groups/{group.id}/meetings/new", {**MEETING_FORM, "ends_at": "2026-07-01T14:00"})
    assert response.status_code == 200 and "第2回 水素部会" in response.get_data(as_text=True)
    assert db.session.scalar(select(Meeting)) is None


def test_meeting_needs_a_place_or_a_link(login_as, post_form, secretariat, group):
    login_as(secretariat)
    response = post_form(f"/groups/{group.id}/meetings/new", {**MEETING_FORM, "place": ""})
    assert response.status_code == 200
    assert db.session.scalar(select(Meeting)) is None


def test_chair_schedules_a_meeting(login_as, post_form, make_user, group, add_member):
    chair = make_user(Role.MEMBER)
    add_member(group, chair, role=GroupRole.CHAIR)
    login_as(chair)
    assert post_form(f"/groups/{group.id}/meetings/new", {**MEETING_FORM, "place": "", "online_url": "https://meet.example.org/abc"}).status_code == 302
    assert db.session.scalar(select(Meeting)).online_url == "https://meet.example.org/abc"


def test_member_answers_an_invitation(login_as, post_form, group, group_member, make_meeting):
    meeting = make_meeting(group, invite=[group_member])
    login_as(group_member)
    path = f"/groups/{group.id}/meetings/{meeting.id}"
    post_form(f"{path}/answer", {"answer": "declined"}, form_page=path)
    attendance = db.session.scalar(select(MeetingAttendance))
    assert attendance.status == AttendanceStatus.DECLINED and attendance.responded_at is not None


def test_member_not_invited_cannot_answer(client, login_as, group, group_member, make_meeting):
    from tests.conftest import csrf_token

    meeting = make_meeting(group)
    login_as(group_member)
    token = csrf_token(client, "/dashboard")
    assert client.post(f"/groups/{group.id}/meetings/{meeting.id}/answer", data={"csrf_token": token, "answer": "attending"}).status_code == 403


def test_secretariat_records_who_attended(login_as, post_form, secretariat, group, group_member, make_user, add_member, make_meeting):
    absent = make_user(Role.MEMBER)
    add_member(group, absent)
    meeting = make_meeting(group, invite=[group_member, absent])
    login_as(secretariat)
    path = f"/groups/{group.id}/meetings/{meeting.id}"
    post_form(f"{path}/attendance", {"attended": [str(group_member.id)]}, form_page=path)
    statuses = {a.user_id: a.status for a in db.session.scalars(select(MeetingAttendance))}
    assert statuses == {group_member.id: AttendanceStatus.ATTENDED, absent.id: AttendanceStatus.INVITED}


def test_secretariat_writes_markdown_minutes(client, login_as, post_form, secretariat, group, make_meeting):
    meeting = make_meeting(group)
    login_as(secretariat)
    path = f"/groups/{group.id}/meetings/{meeting.id}"
    post_form(f"{path}/minutes", {"minutes": "## 決定事項\n- **規制緩和提案**を取りまとめる"}, form_page=path)
    page = client.get(path).get_data(as_text=True)
    assert "<h2>決定事項</h2>" in page and "<strong>規制緩和提案</strong>" in page


def test_script_in_minutes_renders_inert(client, login_as, group, group_member, make_meeting):
    meeting = make_meeting(group, minutes='議事<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n[link](javascript:alert(1))')
    login_as(group_member)
    page = client.get(f"/groups/{group.id}/meetings/{meeting.id}").get_data(as_text=True)
    minutes = page.split('data-testid="minutes">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in minutes and "<img" not in minutes and 'href="javascript' not in minutes
    assert "&lt;script&gt;" in minutes  # shown as text, not run


def test_render_markdown_strips_dangerous_markup():
    from app.web.markdown import render_markdown

    html = str(render_markdown('<script>alert(1)</script>\n\n<a href="x" onclick="steal()">a</a>'))
    assert "<script" not in html and "<a " not in html and "&lt;script&gt;" in html


def test_deleting_a_meeting_removes_its_files(login_as, post_form, secretariat, group, make_meeting):
    from app.groups.attachment_services import storage_dir
    from models import MeetingAttachment

    meeting = make_meeting(group)
    db.session.add(MeetingAttachment(meeting=meeting, original_name="a.pdf", stored_name="to-delete.pdf", content_type="application/pdf", size=5))
    db.session.commit()
    (storage_dir() / "to-delete.pdf").write_bytes(b"%PDF-")
    login_as(secretariat)
    path = f"/groups/{group.id}/meetings/{meeting.id}"
    post_form(f"{path}/delete", {}, form_page=path)
    assert db.session.scalar(select(Meeting)) is None
    assert not (storage_dir() / "to-delete.pdf").exists()


def test_editing_a_meeting_shows_and_keeps_japan_time(client, login_as, post_form, secretariat, group, make_meeting):
    meeting = make_meeting(group, starts_at=datetime(2026, 7, 1, 6, 0, tzinfo=timezone.utc))
    login_as(secretariat)
    path = f"/groups/{group.id}/meetings/{meeting.id}/edit"
    assert 'value="2026-07-01T15:00"' in client.get(path).get_data(as_text=True)
    post_form(path, {**MEETING_FORM, "starts_at": "2026-07-01T15:30", "ends_at": "2026-07-01T17:00"})
    db.session.refresh(meeting)
    assert meeting.starts_at == datetime(2026, 7, 1, 6, 30, tzinfo=timezone.utc)


def test_chair_of_another_group_cannot_schedule_here(client, login_as, make_user, make_group, group, add_member):
    other = make_group("人材部会")
    chair = make_user(Role.MEMBER)
    add_member(other, chair, role=GroupRole.CHAIR)
    add_member(group, chair)
    login_as(chair)
    assert client.get(f"/groups/{group.id}/meetings/new").status_code == 403
    assert client.get(f"/groups/{other.id}/meetings/new").status_code == 200
