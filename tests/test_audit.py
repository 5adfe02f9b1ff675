"""The audit helper."""
from __future__ import annotations

from sqlalchemy import select

from app.core import audit
from models import AuditEntry, Role, db


def test_record_stores_actor_object_and_details(app, make_user):
    actor = make_user(Role.SECRETARIAT)
    target = make_user(Role.MEMBER)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.7"}):
        audit.record("role.changed", target, actor=actor, old=Role.MEMBER, new="secretariat")
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (actor.id, "users", target.id)
    assert entry.details == {"old": "member", "new": "secretariat"}
    assert entry.address == "192.0.2.7"
    assert audit.entries_for(target) == [entry]
