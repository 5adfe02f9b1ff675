"""Reading the audit trail: the filtered, newest-first list behind the audit log page and its CSV."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from models import AuditEntry, User, db

EXPORT_LIMIT = 100_000  # rows in one CSV export; narrow the filters for more


@dataclass
class AuditFilter:
    actor: str = ""  # part of the actor's name or e-mail address
    object_type: str = ""
    action: str = ""
    date_from: date | None = None  # days in the platform's time zone (Asia/Tokyo), inclusive
    date_to: date | None = None


def _utc_start_of(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc)


def audit_entries(query: AuditFilter) -> Select:
    stmt = select(AuditEntry).options(selectinload(AuditEntry.actor))
    if query.actor:
        like = f"%{query.actor}%"
        matching = select(User.id).where(or_(User.email.ilike(like), User.name.ilike(like)))
        stmt = stmt.where(AuditEntry.actor_id.in_(matching))
    if query.object_type:
        stmt = stmt.where(AuditEntry.object_type == query.object_type)
    if query.action:
        stmt = stmt.where(AuditEntry.action == query.action)
    if query.date_from:
        stmt = stmt.where(AuditEntry.created_at >= _utc_start_of(query.date_from))
    if query.date_to:
        stmt = stmt.where(AuditEntry.created_at < _utc_start_of(query.date_to + timedelta(days=1)))
    return stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def object_types() -> list[str]:
    return [t for t in db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)) if t]


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def details_text(entry: AuditEntry) -> str:
    return json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True)


def export_rows(query: AuditFilter) -> Iterator[list[object]]:
    stmt = audit_entries(query).limit(EXPORT_LIMIT)
    for entry in db.session.scalars(stmt):
        actor = entry.actor
        yield [entry.created_at.isoformat(), entry.actor_id or "", actor.name if actor else "", actor.email if actor else "",
               entry.action, entry.object_type, entry.object_id or "", details_text(entry), entry.address]


EXPORT_HEADER = ["created_at_utc", "actor_id", "actor_name", "actor_email", "action", "object_type", "object_id",
                 "details", "address"]
