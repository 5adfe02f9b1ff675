"""Private iCalendar feeds of meetings: per group and per member, behind revocable token URLs."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime

from icalendar import Calendar, Event
from sqlalchemy import select

from app.core import audit
from app.core.fiscal import TOKYO
from models import CalendarFeedToken, Meeting, User, WorkingGroup, db, utcnow

from . import permissions as perms
from .services import check_allowed

log = logging.getLogger(__name__)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed_token(actor: User, group: WorkingGroup | None = None) -> tuple[CalendarFeedToken, str]:
    """A new token (shown once); earlier tokens of the same feed are revoked."""
    if group is not None:
        check_allowed(perms.can_view_members_only(actor, group))
    for old in active_tokens(actor, group):
        old.revoked_at = utcnow()
    token = secrets.token_urlsafe(32)
    row = CalendarFeedToken(user=actor, group=group, token_digest=digest(token))
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.token_created", row, actor=actor, group=group.id if group else None)
    return row, token


def active_tokens(user: User, group: WorkingGroup | None = None) -> list[CalendarFeedToken]:
    stmt = select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None))
    stmt = stmt.where(CalendarFeedToken.group_id == group.id) if group else stmt.where(CalendarFeedToken.group_id.is_(None))
    return list(db.session.scalars(stmt))


def revoke_feed_token(actor: User, row: CalendarFeedToken) -> None:
    check_allowed(row.user_id == actor.id)
    row.revoked_at = utcnow()
    audit.record("calendar.token_revoked", row, actor=actor)
    db.session.flush()


def feed_for_token(token: str) -> tuple[str, list[Meeting]] | None:
    """The feed's name and meetings, or None when the token is unknown, revoked or no longer entitled."""
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token_digest == digest(token)))
    if row is None or row.revoked_at is not None or not row.user.is_active_account:
        return None
    user = row.user
    if row.group is not None:
        if not perms.can_view_members_only(user, row.group):
            return None
        return row.group.display_name(user.locale), list(row.group.meetings)
    group_ids = [m.group_id for m in perms.active_memberships_of(user)]
    meetings = db.session.scalars(select(Meeting).where(Meeting.group_id.in_(group_ids)).order_by(Meeting.starts_at))
    return user.name, list(meetings)


def build_calendar(name: str, meetings: list[Meeting], base_url: str) -> bytes:
    """An iCalendar document with times in Asia/Tokyo (TZID and a VTIMEZONE)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Think & Do Tank of Central Hokkaido//Working groups//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@thinkdo-tank")
        event.add("summary", f"{meeting.title} ({meeting.group.name_ja})")
        event.add("dtstart", meeting.starts_at.astimezone(TOKYO))
        event.add("dtend", meeting.ends_at.astimezone(TOKYO))
        event.add("dtstamp", _stamp(meeting))
        if meeting.place or meeting.online_url:
            event.add("location", meeting.place or meeting.online_url)
        description = meeting.agenda
        if meeting.online_url:
            description = f"{meeting.online_url}\n\n{description}"
        if description:
            event.add("description", description)
        event.add("url", f"{base_url}/groups/{meeting.group_id}/meetings/{meeting.id}")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _stamp(meeting: Meeting) -> datetime:
    return meeting.minutes_updated_at or meeting.created_at or utcnow()
