"""Who is who among the accounts: the secretariat's people and an organisation's, to notify or assign work to."""
from __future__ import annotations

from sqlalchemy import select

from app.permissions import STAFF_ROLES
from models import Role, User, db


def secretariat_users() -> list[User]:
    """The secretariat's active accounts (事務局), who receive intake and answer it."""
    stmt = select(User).where(User.role == Role.SECRETARIAT, User.is_active_account.is_(True)).order_by(User.id)
    return list(db.session.scalars(stmt))


def staff_users() -> list[User]:
    """Active secretariat and administrator accounts, by name: whom work can be assigned to."""
    stmt = select(User).where(User.role.in_(STAFF_ROLES), User.is_active_account.is_(True)).order_by(User.name)
    return list(db.session.scalars(stmt))


def organisation_users(organisation_id: int) -> list[User]:
    """The active accounts of one organisation."""
    stmt = select(User).where(User.organisation_id == organisation_id, User.is_active_account.is_(True)).order_by(User.id)
    return list(db.session.scalars(stmt))
