"""Working groups (部会) and sub-groups (分科会): membership, meetings, attendance, minutes, files, calendar feeds."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, Versioned, db, utcnow
from .organisations import enum_column

if TYPE_CHECKING:
    from .accounts import User
    from .organisations import Organisation


class GroupStatus(str, enum.Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class GroupAxis(str, enum.Enum):
    """The study's three activity axes."""

    INDUSTRY = "industry"  # 産業軸
    LIVING = "living"  # 暮らし軸
    TALENT = "talent"  # 人材軸


class GroupRole(str, enum.Enum):
    CHAIR = "chair"  # 部会長・座長
    MEMBER = "member"
    OBSERVER = "observer"  # オブザーバー


class MembershipStatus(str, enum.Enum):
    PENDING = "pending"  # requested, waiting for the chair or the secretariat
    ACTIVE = "active"
    REJECTED = "rejected"
    LEFT = "left"


class AttendanceStatus(str, enum.Enum):
    INVITED = "invited"
    ATTENDING = "attending"
    DECLINED = "declined"
    ATTENDED = "attended"


class WorkingGroup(Versioned, db.Model):
    """A working group (部会), or a sub-group (分科会) when it has a parent."""

    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("working_groups.id"))
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GroupStatus] = mapped_column(enum_column(GroupStatus), default=GroupStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    axis: Mapped[GroupAxis] = mapped_column(enum_column(GroupAxis), default=GroupAxis.INDUSTRY)
    theme_tags: Mapped[str] = mapped_column(String(400), default="")  # separated by ";"
    summary_ja: Mapped[str] = mapped_column(Text, default="")  # public summary (公開概要)
    summary_en: Mapped[str] = mapped_column(Text, default="")

    parent: Mapped[Optional["WorkingGroup"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["WorkingGroup"]] = relationship(back_populates="parent")
    memberships: Mapped[list["GroupMembership"]] = relationship(back_populates="group", cascade="all, delete-orphan")
    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Meeting.starts_at.desc()"
    )

    def display_name(self, locale: str = "ja") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_ja

    @property
    def tags(self) -> list[str]:
        return [t.strip() for t in self.theme_tags.split(";") if t.strip()]

    @property
    def is_active(self) -> bool:
        return self.status == GroupStatus.ACTIVE


class GroupMembership(db.Model):
    """A person or an organisation in a group, with a role; pending until approved."""

    __tablename__ = "group_memberships"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (organisation_id IS NULL)", name="one_holder"),
        Index("ix_group_memberships_group_status", "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[GroupRole] = mapped_column(enum_column(GroupRole), default=GroupRole.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(enum_column(MembershipStatus), default=MembershipStatus.PENDING)
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    user: Mapped[Optional["User"]] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Optional["Organisation"]] = relationship()
    requested_by: Mapped[Optional["User"]] = relationship(foreign_keys=[requested_by_id])

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    def holder_name(self, locale: str = "ja") -> str:
        if self.organisation is not None:
            return self.organisation.display_name(locale)
        return self.user.name if self.user else ""


class Meeting(Versioned, db.Model):
    """A meeting (会合) of a group: when, where, agenda, minutes (議事録, Markdown)."""

    __tablename__ = "group_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_updated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[WorkingGroup] = relationship(back_populates="meetings")
    attendances: Mapped[list["MeetingAttendance"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    attachments: Mapped[list["MeetingAttachment"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttachment.id"
    )


class MeetingAttendance(db.Model):
    """One person's invitation to a meeting and their answer (出欠)."""

    __tablename__ = "meeting_attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_meeting_attendances_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("group_meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus), default=AttendanceStatus.INVITED)
    responded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    user: Mapped["User"] = relationship()


class MeetingAttachment(db.Model):
    """A document attached to a meeting, stored under a generated name; the original name is kept."""

    __tablename__ = "meeting_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("group_meetings.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="attachments")
    uploaded_by: Mapped[Optional["User"]] = relationship()


class CalendarFeedToken(db.Model):
    """A private iCalendar feed URL: of one group (group_id set) or of all a member's groups.

    Only the SHA-256 digest of the token is stored; revoking sets `revoked_at`.
    """

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship()
    group: Mapped[Optional[WorkingGroup]] = relationship()
