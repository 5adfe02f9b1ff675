"""Personal data of one user: gathered for download, and removed when the account is deleted.

Every table with a column referring to users is found through the metadata, so a table added later
is exported without touching this module. Deleting keeps the user row (needs, messages, meetings
and the audit trail refer to it) but empties it: what the person wrote stays, attributed to a
removed user.
"""
from __future__ import annotations

import enum
import logging
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import Table, delete, func, select

from app.auth.passwords import verify_password
from app.auth.services import end_all_sessions
from app.core import audit
from app.permissions import Refused
from models import AuditEntry, LoginAttempt, Role, User, db, utcnow

log = logging.getLogger(__name__)

REMOVED_NAME = "削除済みの利用者 (removed user)"
# Columns never exported: secrets (their digests included) and internal counters.
SECRET_COLUMNS = ("password_hash", "token_hash", "session_generation", "secret", "token")
USER_COLUMNS = ("id", "email", "name", "role", "organisation_id", "is_org_admin", "locale", "is_active_account",
                "created_at", "last_login_at")


class PrivacyError(Exception):
    """A rule refused the action; the message is shown to the user."""


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _user_columns(table: Table) -> list:
    return [column for column in table.columns
            if any(fk.column.table.name == "users" and fk.column.name == "id" for fk in column.foreign_keys)]


def _exportable(table: Table) -> list:
    return [column for column in table.columns if not any(secret in column.name for secret in SECRET_COLUMNS)]


def personal_data(user: User) -> dict[str, Any]:
    """Everything stored about `user` or linked to them, as JSON-ready values (one query per table)."""
    data: dict[str, Any] = {
        "account": {name: _plain(getattr(user, name)) for name in USER_COLUMNS},
        "organisation": ({"id": user.organisation.id, "name_ja": user.organisation.name_ja,
                          "name_en": user.organisation.name_en} if user.organisation else None),
        "exported_at": utcnow().isoformat(),
    }
    linked: dict[str, list[dict[str, Any]]] = {}
    for table in db.metadata.sorted_tables:
        if table.name == "users":
            continue
        columns = _user_columns(table)
        if not columns:
            continue
        condition = columns[0] == user.id
        for column in columns[1:]:
            condition = condition | (column == user.id)
        stmt = select(*_exportable(table)).where(condition)
        if "id" in table.columns:
            stmt = stmt.order_by(table.columns["id"])
        rows = [{key: _plain(value) for key, value in row._mapping.items()} for row in db.session.execute(stmt)]
        if rows:
            linked[table.name] = rows
    attempts = db.session.execute(select(LoginAttempt.address, LoginAttempt.attempted_at)
                                  .where(LoginAttempt.account == user.email).order_by(LoginAttempt.id))
    failed = [{"address": a, "attempted_at": _plain(t)} for a, t in attempts]
    if failed:
        linked["login_attempts"] = failed
    data["linked"] = linked
    return data


def export_personal_data(actor: User) -> dict[str, Any]:
    """The download of one's own data; the export itself is audited."""
    data = personal_data(actor)
    audit.record("privacy.exported", actor, actor=actor, tables=sorted(data["linked"]))
    return data


def _last_admin(user: User) -> bool:
    if user.role != Role.ADMIN:
        return False
    others = select(func.count(User.id)).where(User.role == Role.ADMIN, User.is_active_account.is_(True), User.id != user.id)
    return (db.session.scalar(others) or 0) == 0


def delete_account(actor: User, password: str) -> None:
    """The person deletes their own account: personal data removed, authored content kept (attributed
    to a removed user), every session ended, the deletion audited."""
    if actor.removed_at is not None:
        raise Refused(hidden=True)
    if not verify_password(actor.password_hash, password):
        raise PrivacyError(gettext("The password is not correct."))
    if _last_admin(actor):
        raise PrivacyError(gettext("You are the last administrator. Make someone else an administrator first."))
    email = actor.email
    audit.record("account.deleted", actor, actor=actor, organisation=actor.organisation_id)
    # Rows that only serve the person (notifications, reset and feed tokens, their own API tokens ...).
    for table in db.metadata.sorted_tables:
        for column in _user_columns(table):
            if table.name == "users":
                continue
            personal = any(fk.ondelete == "CASCADE" for fk in column.foreign_keys) or "token" in table.name
            if personal:
                db.session.execute(delete(table).where(column == actor.id))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account == email))
    # Their typed e-mail address in earlier audit entries about them goes too; the entries stay.
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "users",
                                                             AuditEntry.object_id == actor.id)):
        if entry.details and "email" in entry.details:
            entry.details = {**entry.details, "email": "(removed)"}
    actor.email = f"removed-{actor.id}@removed.invalid"
    actor.name = REMOVED_NAME
    actor.password_hash = "!"  # not a password: a hash no password verifies against  # noqa: S105  # nosec B105
    actor.is_active_account = False
    actor.is_org_admin = False
    actor.organisation_id = None
    actor.removed_at = utcnow()
    end_all_sessions(actor)
    db.session.flush()
    log.info("account %s deleted by its owner", actor.id)
