"""The JSON API's personal access tokens (個人用アクセストークン) and their per-minute request counters."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, db, utcnow
from .organisations import enum_column

if TYPE_CHECKING:
    from .accounts import User


class TokenScope(str, enum.Enum):
    """What a token may do: read only, or read and write (create, change state)."""

    READ = "read"
    WRITE = "write"


class ApiToken(db.Model):
    """A personal access token for the API, acting as its user with the user's permissions.

    Only the SHA-256 digest of the secret is stored; `prefix` (the first characters) lets the user
    tell tokens apart. Revoking sets `revoked_at`; a revoked token is refused on the next request.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, 10), default=TokenScope.READ)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class ApiRateWindow(db.Model):
    """How many requests a token made in one fixed window (epoch seconds // window length).

    Kept in the database so that the limit holds across all gunicorn workers.
    """

    __tablename__ = "api_rate_windows"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


__all__ = ["ApiRateWindow", "ApiToken", "TokenScope"]
