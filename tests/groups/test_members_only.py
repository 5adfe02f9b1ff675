"""Minutes, attachments, the member list and meetings are for the group's members and the secretariat only."""
from __future__ import annotations

import pytest

from models import MeetingAttachment, Role, db

MEMBERS_ONLY_PAGES = [
    "/groups/{g}/members",
    "/groups/{g}/meetings",
    "/groups/{g}/meetings/{m}",
    "/groups/{g}/meetings/{m}/attachments/{a}",
]


@pytest.fixture
def meeting_with_file(app, group, make_meeting):
    from app.groups.attachment_services import storage_dir

    meeting = make_meeting(group, minutes="議事録本文：水素の貯蔵上限について")
    attachment = MeetingAttachment(meeting=meeting, original_name="議事資料.pdf", stored_name="fixture-file.pdf",
                                   content_type="application/pdf", size=9)
    db.session.add(attachment)
    db.session.commit()
    (storage_dir() / "fixture-file.pdf").write_bytes(b"%PDF-1.4\n")
    return meeting, attachment


def _paths(group, meeting, attachment):
    return [p.format(g=group.id, m=meeting.id, a=attachment.id) for p in MEMBERS_ONLY_PAGES]


@pytest.mark.parametrize("page", range(len(MEMBERS_ONLY_PAGES)))
@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_non_members_get_404(client, login_as, group, meeting_with_file, page, role):
    meeting, attachment = meeting_with_file
    login_as(role)
    response = client.get(_paths(group, meeting, attachment)[page])
    assert response.status_code == 404
    assert "水素の貯蔵上限" not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", range(len(MEMBERS_ONLY_PAGES)))
def test_anonymous_is_sent_to_login(client, group, meeting_with_file, page):
    meeting, attachment = meeting_with_file
    response = client.get(_paths(group, meeting, attachment)[page])
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("page", range(len(MEMBERS_ONLY_PAGES)))
def test_members_see_members_only_pages(client, login_as, group, group_member, meeting_with_file, page):
    meeting, attachment = meeting_with_file
    login_as(group_member)
    response = client.get(_paths(group, meeting, attachment)[page])
    response.close()
    assert response.status_code == 200


@pytest.mark.parametrize("page", range(len(MEMBERS_ONLY_PAGES)))
def test_secretariat_sees_members_only_pages(client, login_as, secretariat, group, meeting_with_file, page):
    meeting, attachment = meeting_with_file
    login_as(secretariat)
    response = client.get(_paths(group, meeting, attachment)[page])
    response.close()
    assert response.status_code == 200


def test_member_who_left_loses_access(client, login_as, group, group_member, meeting_with_file):
    from models import MembershipStatus

    meeting, _attachment = meeting_with_file
    for membership in group.memberships:
        membership.status = MembershipStatus.LEFT
    db.session.commit()
    login_as(group_member)
    assert client.get(f"/groups/{group.id}/meetings/{meeting.id}").status_code == 404


def test_member_of_another_group_gets_404(client, login_as, make_group, make_user, add_member, group, meeting_with_file):
    meeting, attachment = meeting_with_file
    other_group = make_group("人材部会")
    other_member = make_user(Role.MEMBER)
    add_member(other_group, other_member)
    login_as(other_member)
    assert client.get(f"/groups/{group.id}/meetings/{meeting.id}").status_code == 404
    # the meeting is not reachable through the other group's address either
    assert client.get(f"/groups/{other_group.id}/meetings/{meeting.id}").status_code == 404
    assert client.get(f"/groups/{other_group.id}/meetings/{meeting.id}/attachments/{attachment.id}").status_code == 404


def test_member_downloads_attachment_with_its_japanese_name(client, login_as, group, group_member, meeting_with_file):
    meeting, attachment = meeting_with_file
    login_as(group_member)
    response = client.get(f"/groups/{group.id}/meetings/{meeting.id}/attachments/{attachment.id}")
    body = response.data
    response.close()
    assert body == b"%PDF-1.4\n"
    assert "filename*=UTF-8''%E8%AD%B0%E4%BA%8B%E8%B3%87%E6%96%99.pdf" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("action,data", [
    ("minutes", {"minutes": "改ざん"}), ("attendance", {}), ("delete", {}), ("attachments/{a}/delete", {}),
])
def test_plain_member_cannot_change_meetings(client, login_as, group, group_member, meeting_with_file, action, data):
    from tests.conftest import csrf_token

    meeting, attachment = meeting_with_file
    login_as(group_member)
    token = csrf_token(client, "/dashboard")
    path = f"/groups/{group.id}/meetings/{meeting.id}/" + action.format(a=attachment.id)
    assert client.post(path, data={**data, "csrf_token": token}).status_code == 403
    db.session.refresh(meeting)
    assert meeting.minutes == "議事録本文：水素の貯蔵上限について" and len(meeting.attachments) == 1


@pytest.mark.parametrize("action", ["minutes", "attendance", "delete", "answer"])
def test_outsider_cannot_post_to_meetings(client, login_as, outsider, group, meeting_with_file, action):
    from tests.conftest import csrf_token

    meeting, _attachment = meeting_with_file
    login_as(outsider)
    token = csrf_token(client, "/dashboard")
    response = client.post(f"/groups/{group.id}/meetings/{meeting.id}/{action}", data={"csrf_token": token, "minutes": "x", "answer": "attending"})
    assert response.status_code == 404


def test_member_cannot_schedule_meetings(client, login_as, group, group_member):
    login_as(group_member)
    assert client.get(f"/groups/{group.id}/meetings/new").status_code == 403
