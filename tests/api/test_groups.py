"""/working-groups and meetings: groups as the public list shows them; meetings for members only (404 otherwise)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from models import GroupStatus, Meeting, Role, TokenScope, db


@pytest.fixture
def meeting(make_group, member):
    group = make_group(member=member)
    start = datetime(2026, 6, 10, 5, 0, tzinfo=timezone.utc)
    meeting = Meeting(group=group, title="第1回 部会", starts_at=start, ends_at=start + timedelta(hours=2), minutes="## 議事録")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_anyone_lists_active_groups(api, make_group):
    make_group("水素・GX部会")
    archived = make_group("旧部会")
    archived.status = GroupStatus.ARCHIVED
    db.session.commit()
    assert [g["name_ja"] for g in api.get("/working-groups").json["items"]] == ["水素・GX部会"]
    assert api.get(f"/working-groups/{archived.id}").status_code == 404
    assert api.get("/working-groups?axis=industry").status_code == 200
    assert api.get("/working-groups?axis=moon").status_code == 422


def test_members_read_meetings_with_minutes(api, meeting, member, token_for):
    secret = token_for(member, TokenScope.READ)
    items = api.get(f"/working-groups/{meeting.group_id}/meetings", secret).json["items"]
    assert [m["title"] for m in items] == ["第1回 部会"]
    body = api.get(f"/meetings/{meeting.id}", secret).json
    assert body["minutes"] == "## 議事録" and body["starts_at"] == "2026-06-10T05:00:00Z"


def test_non_members_get_404_for_meetings(api, meeting, other_member, token_for):
    secret = token_for(other_member, TokenScope.READ)
    assert api.get(f"/working-groups/{meeting.group_id}/meetings", secret).status_code == 404
    assert api.get(f"/meetings/{meeting.id}", secret).status_code == 404
    assert api.get(f"/working-groups/{meeting.group_id}", secret).status_code == 200  # the group itself is public


def test_the_secretariat_reads_every_meeting(api, meeting, make_user, token_for):
    secret = token_for(make_user(Role.SECRETARIAT), TokenScope.READ)
    assert api.get(f"/meetings/{meeting.id}", secret).status_code == 200
