"""Membership (会員): applications, status history, invitations, offices (役員) and dues (会費)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .base import UTCDateTime, db, utcnow
from .organisations import MembershipTier, Organisation, OrganisationStatus, enum_column


class ApplicationStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class MembershipApplication(db.Model):
    """An organisation's application for membership (入会申込) in a tier, decided by the secretariat."""

    __tablename__ = "membership_applications"
    __table_args__ = (
        Index("ix_membership_applications_status", "status"),
        # One open application per organisation, also when two are sent at the same moment.
        Index("uq_membership_applications_one_open", "organisation_id", unique=True,
              sqlite_where=text("status = 'submitted'"), postgresql_where=text("status = 'submitted'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    applicant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tier: Mapped[MembershipTier] = mapped_column(enum_column(MembershipTier))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus), default=ApplicationStatus.SUBMITTED)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    applicant: Mapped[Optional[User]] = relationship(foreign_keys=[applicant_id])
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED


class ChangeKind(str, enum.Enum):
    """What an organisation may ask the secretariat to change about itself."""

    SECTOR = "sector"  # 産学官民金 (and the industry category): decides e.g. who may post regional challenges
    TIER = "tier"  # 会員種別: decides the dues
    STATUS = "status"  # 休会・退会・復帰


class ChangeRequestStatus(str, enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ChangeRequest(db.Model):
    """An organisation's request to change its sector, tier or status (変更申請), decided by the secretariat.

    Until approved nothing changes: the organisation keeps what it may do.
    """

    __tablename__ = "organisation_change_requests"
    __table_args__ = (Index("ix_organisation_change_requests_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind))
    old_value: Mapped[str] = mapped_column(String(20), default="")
    new_value: Mapped[str] = mapped_column(String(20))
    # For a sector change to industry: the industry category asked for (else "").
    new_category: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ChangeRequestStatus] = mapped_column(enum_column(ChangeRequestStatus), default=ChangeRequestStatus.PENDING)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[Optional[User]] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING


class StatusChange(db.Model):
    """One change of an organisation's membership status, kept as history (承認・休会・退会)."""

    __tablename__ = "organisation_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[OrganisationStatus] = mapped_column(enum_column(OrganisationStatus))
    new_status: Mapped[OrganisationStatus] = mapped_column(enum_column(OrganisationStatus))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    actor: Mapped[Optional[User]] = relationship()


class Invitation(db.Model):
    """A single-use, expiring invitation for a colleague to join an organisation. Only the token's digest is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[Optional[User]] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class OfficeKind(str, enum.Enum):
    """Offices of the body's governance."""

    CHAIR = "chair"  # 会長
    VICE_CHAIR = "vice_chair"  # 副会長
    BOARD = "board"  # 幹事 (steering board, 幹事会)


class Office(db.Model):
    """A person holding an office (役員) for a term, on behalf of a member organisation."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OfficeKind] = mapped_column(enum_column(OfficeKind))
    person_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200), default="")  # the person's title at the organisation
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[Optional[date]] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Optional[Organisation]] = relationship()

    def is_current(self, today: date) -> bool:
        return self.term_start <= today and (self.term_end is None or today <= self.term_end)


class DueStatus(str, enum.Enum):
    INVOICED = "invoiced"
    PAID = "paid"
    WAIVED = "waived"


class Due(db.Model):
    """An organisation's membership fee (会費) for one fiscal year (年度)."""

    __tablename__ = "dues"
    __table_args__ = (UniqueConstraint("organisation_id", "fiscal_year", name="uq_dues_organisation_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    tier: Mapped[MembershipTier] = mapped_column(enum_column(MembershipTier))
    amount: Mapped[int] = mapped_column(Integer)  # yen
    status: Mapped[DueStatus] = mapped_column(enum_column(DueStatus), default=DueStatus.INVOICED)
    paid_on: Mapped[Optional[date]] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
