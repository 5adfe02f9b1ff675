"""In-app notifications (お知らせ). Stored as a message id plus parameters, shown in the reader's language."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import UTCDateTime, db, utcnow


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
                      Index("ix_notifications_recipient_created", "recipient_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(300))  # an untranslated msgid
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    recipient: Mapped[User] = relationship()
