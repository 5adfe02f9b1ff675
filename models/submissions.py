"""One-time submission keys (送信キー): a repeated create request with the same key creates nothing.

One table for both ways in: the hidden key of every create form and the JSON API's
`Idempotency-Key` header (app/web/submissions.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTCDateTime, db, utcnow


class SubmissionKey(db.Model):
    """A create request that has been carried out: who sent it, its key and where its result is.

    Keys are each user's own (primary key: user and key), so nobody can replay another user's request
    or see its result. Two concurrent requests with one key cannot both commit: the second waits for
    the first (PostgreSQL) or runs after it (SQLite's BEGIN IMMEDIATE), fails on the key, and is
    answered with the first one's result.
    """

    __tablename__ = "submission_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    # SHA-256 of method, path and body for API requests (the same key for another request is refused);
    # None for forms, whose repeat shows the first result whatever was typed since.
    request_digest: Mapped[Optional[str]] = mapped_column(String(64))
    result_url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
