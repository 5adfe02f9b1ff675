"""iCalendar feeds: private token URLs per group and per member, revocable, times in Asia/Tokyo."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import select

from models import CalendarFeedToken, db

FEED_RE = re.compile(r'value="https://platform\.example\.org(/groups/calendar/[^"]+\.ics)"')


def _create_feed(client, post_form, group_id=None) -> str:
    data = {"group_id": group_id} if group_id else {}
    page = post_form("/groups/calendar/tokens", data, form_page="/groups/calendar").get_data(as_text=True)
    return FEED_RE.search(page).group(1)


@pytest.fixture
def meeting(group, make_meeting):
    return make_meeting(group, title="第1回 洋上風力分科会", starts_at=datetime(2026, 7, 1, 6, 0, tzinfo=timezone.utc))


def test_group_feed_parses_and_times_are_in_tokyo(client, login_as, post_form, group, group_member, meeting, auth):
    login_as(group_member)
    path = _create_feed(client, post_form, group.id)
    auth.logout()
    response = client.get(path)  # no login: calendar apps have no session
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert str(event["summary"]).startswith("第1回 洋上風力分科会")
    assert event["dtstart"].params["TZID"] == "Asia/Tokyo"
    assert start.utcoffset().total_seconds() == 9 * 3600 and start.hour == 15
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_member_feed_lists_meetings_of_all_my_groups(client, login_as, post_form, group, group_member, meeting, make_group, make_meeting, add_member):
    other = make_group("人材部会")
    add_member(other, group_member)
    make_meeting(other, title="人材部会 キックオフ")
    make_meeting(make_group("関係ない部会"), title="見えない会合")
    login_as(group_member)
    calendar = Calendar.from_ical(client.get(_create_feed(client, post_form)).data)
    titles = sorted(str(e["summary"]).split(" (")[0] for e in calendar.walk("VEVENT"))
    assert titles == ["人材部会 キックオフ", "第1回 洋上風力分科会"]


def test_only_the_digest_of_the_token_is_stored(client, login_as, post_form, group, group_member):
    login_as(group_member)
    path = _create_feed(client, post_form, group.id)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    row = db.session.scalar(select(CalendarFeedToken))
    assert row.token_digest != token and token not in row.token_digest and len(row.token_digest) == 64


def test_revoked_token_stops_working(client, login_as, post_form, group, group_member, meeting):
    login_as(group_member)
    path = _create_feed(client, post_form, group.id)
    assert client.get(path).status_code == 200
    row = db.session.scalar(select(CalendarFeedToken))
    post_form(f"/groups/calendar/tokens/{row.id}/revoke", {}, form_page="/groups/calendar")
    assert client.get(path).status_code == 404


def test_new_token_replaces_the_old_one(client, login_as, post_form, group, group_member, meeting):
    login_as(group_member)
    first = _create_feed(client, post_form, group.id)
    second = _create_feed(client, post_form, group.id)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_feed_stops_when_the_member_leaves(client, login_as, post_form, group, group_member, meeting):
    from models import MembershipStatus

    login_as(group_member)
    path = _create_feed(client, post_form, group.id)
    for membership in group.memberships:
        membership.status = MembershipStatus.LEFT
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_without_a_valid_token_is_404(client, group, meeting):
    assert client.get("/groups/calendar/not-a-real-token.ics").status_code == 404
    assert client.get(f"/groups/{group.id}/calendar.ics").status_code == 404


def test_non_member_cannot_create_a_group_feed(client, login_as, outsider, group):
    from tests.conftest import csrf_token

    login_as(outsider)
    token = csrf_token(client, "/groups/calendar")
    assert client.post("/groups/calendar/tokens", data={"csrf_token": token, "group_id": group.id}).status_code == 404
    assert db.session.scalar(select(CalendarFeedToken)) is None


def test_cannot_revoke_someone_elses_token(client, login_as, post_form, group, group_member, outsider, auth):
    login_as(group_member)
    path = _create_feed(client, post_form, group.id)
    row = db.session.scalar(select(CalendarFeedToken))
    auth.logout()
    login_as(outsider)
    from tests.conftest import csrf_token

    token = csrf_token(client, "/groups/calendar")
    assert client.post(f"/groups/calendar/tokens/{row.id}/revoke", data={"csrf_token": token}).status_code == 404
    assert client.get(path).status_code == 200
