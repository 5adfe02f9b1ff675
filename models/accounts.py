"""Accounts: users, their roles, password-reset tokens and login attempts (for throttling)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, db, utcnow

if TYPE_CHECKING:
    from .organisations import Organisation


class Role(str, enum.Enum):
    """What a user may do on the platform, from most to least powerful."""

    ADMIN = "admin"  # 管理者
    SECRETARIAT = "secretariat"  # 事務局
    MEMBER = "member"  # 会員
    APPLICANT = "applicant"  # 申請者


class User(db.Model):
    """A person with a login. Belongs to one organisation (所属団体)."""

    __tablename__ = "users"
    # The sort and filter columns of its lists (issue 13).
    __table_args__ = (Index("ix_users_role", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.APPLICANT,
    )
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisations.id"))
    is_org_admin: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and disable: every session carrying an older value ends.
    session_generation: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    # Set when the person deleted the account (APPI): the row stays, emptied of personal data, so
    # what they wrote remains attributed to "a removed user".
    removed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    organisation: Mapped[Optional["Organisation"]] = relationship(back_populates="users")

    # Flask-Login protocol ------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The generation travels in the session: bumping it invalidates every copied cookie.
        return f"{self.id}:{self.session_generation}"

    # Roles ---------------------------------------------------------------------------
    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_staff(self) -> bool:
        """Secretariat or administrator: may see and curate everything."""
        return self.role in (Role.ADMIN, Role.SECRETARIAT)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class PasswordResetToken(db.Model):
    """A single-use, expiring password-reset token. Only its SHA-256 digest is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """One failed login, kept in the database so throttling holds across all workers.

    `device` is the nonce of the device cookie the browser presented for this account ("" for a
    browser the account never logged in on): failures from a known device count against that
    device only, so an attacker elsewhere cannot lock the owner out.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_account_at", "account", "attempted_at"),
        Index("ix_login_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(45))
    device: Mapped[str] = mapped_column(String(32), default="", server_default="")
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
