"""One-time submission keys (送信キー): a repeated POST with the same key creates nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTCDateTime, db, utcnow


class Submission(db.Model):
    """A create request that has been carried out: its key, who sent it and where its result is.

    The key is the primary key, so two concurrent requests with one key cannot both commit: the
    second waits for the first (PostgreSQL) or runs after it (SQLite's BEGIN IMMEDIATE), fails on
    the key, and is answered with the first one's result.
    """

    __tablename__ = "submissions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    result_url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
