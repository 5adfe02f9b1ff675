"""Working groups (部会) and sub-groups (分科会). Needs and trial requests can be routed to one."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, db, utcnow
from .organisations import enum_column


class GroupStatus(str, enum.Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class WorkingGroup(db.Model):
    """A working group (部会), or a sub-group (分科会) when it has a parent."""

    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("working_groups.id"))
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GroupStatus] = mapped_column(enum_column(GroupStatus), default=GroupStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[Optional["WorkingGroup"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["WorkingGroup"]] = relationship(back_populates="parent")

    def display_name(self, locale: str = "ja") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_ja
