"""The one helper that writes the audit trail."""
from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from models import AuditEntry, User, db

from .net import client_address

log = logging.getLogger(__name__)


def record(action: str, obj: Any = None, *, actor: User | None = None, **details: Any) -> AuditEntry:
    """Record that `actor` (default: the current user) did `action` to `obj`.

    `obj` is any model instance with an `id`; its table name is stored as the object type.
    The entry is added to the session; the caller commits with the change it describes.
    """
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()  # type: ignore[attr-defined]
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=getattr(obj, "__tablename__", "") if obj is not None else "",
        object_id=getattr(obj, "id", None) if obj is not None else None,
        details={key: _plain(value) for key, value in details.items()},
        address=client_address() if has_request_context() else "",
    )
    db.session.add(entry)
    log.info("audit %s by %s on %s:%s", action, entry.actor_id, entry.object_type, entry.object_id)
    return entry


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(getattr(value, "value", value))


def entries_for(obj: Any) -> list[AuditEntry]:
    """The audit entries about one object, oldest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_type == obj.__tablename__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return list(db.session.scalars(stmt))


__all__ = ["record", "entries_for"]
