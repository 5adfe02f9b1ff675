"""Field trials (実証実験): trial sites (実証フィールド), trial requests, their messages and result
reports, regional challenges (地域課題) and the proposals (民間提案) that answer them."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, Versioned, db, utcnow
from .organisations import enum_column

if TYPE_CHECKING:
    from .accounts import User
    from .groups import WorkingGroup
    from .organisations import Organisation

ALL_MONTHS = (1 << 12) - 1


def technologies_in(technologies: str | None) -> list[str]:
    """The tags of a site's `technologies` (stored separated by ";")."""
    return [t.strip() for t in (technologies or "").split(";") if t.strip()]


def months_mask(start_month: int, end_month: int) -> int:
    """Bit i-1 set for every month i from start to end inclusive, wrapping over the new year."""
    mask, month = 0, start_month
    while True:
        mask |= 1 << (month - 1)
        if month == end_month:
            return mask
        month = month % 12 + 1


class SiteKind(str, enum.Enum):
    """The kind of a trial site. The first group comes from the public site list (sites.csv)."""

    SPACEPORT = "spaceport"
    PERMIT_OFFICE = "permit_office"
    ROCKET_TEST = "rocket_test"
    UNIVERSITY = "university"
    CCS_DEMO = "ccs_demo"
    HYDROGEN = "hydrogen"
    TEST_ROAD = "test_road"
    DATA_CENTER = "data_center"
    INDUSTRIAL_ZONE = "industrial_zone"
    OFFSHORE_WIND = "offshore_wind"
    WIND = "wind"
    GRID = "grid"
    ENERGY_HUB = "energy_hub"
    SEMICONDUCTOR_FAB = "semiconductor_fab"
    SMART_AGRICULTURE = "smart_agriculture"
    DRONE_FIELD = "drone_field"
    MUNICIPAL_PROGRAM = "municipal_program"
    MEDICAL = "medical"
    VEHICLE_TEST_COURSE = "vehicle_test_course"
    ROBOT_TEST_FIELD = "robot_test_field"
    SMART_CITY = "smart_city"
    PORT = "port"
    FARM = "farm"
    SNOWFIELD = "snowfield"
    FACILITY = "facility"
    OTHER = "other"


class TrialSite(Versioned, db.Model):
    """A trial site (実証フィールド), kept by the secretariat (no owner) or by the member that owns it."""

    __tablename__ = "trial_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), default="")  # id in the public site list, e.g. S001
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    owner_organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisations.id"), index=True)
    municipality: Mapped[str] = mapped_column(String(200), default="", index=True)
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind, length=30), default=SiteKind.OTHER, index=True)
    features_ja: Mapped[str] = mapped_column(Text, default="")
    features_en: Mapped[str] = mapped_column(Text, default="")
    technologies: Mapped[str] = mapped_column(Text, default="")  # semicolon-separated tags
    constraints: Mapped[str] = mapped_column(Text, default="")
    permits: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    # Months in which the site can be used (bit 0 = January), kept in step with `periods`.
    available_months: Mapped[int] = mapped_column(Integer, default=ALL_MONTHS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[Optional["Organisation"]] = relationship()
    periods: Mapped[list["SiteAvailability"]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="SiteAvailability.start_month"
    )

    @property
    def technology_tags(self) -> list[str]:
        return technologies_in(self.technologies)

    def refresh_available_months(self) -> None:
        mask = 0
        for period in self.periods:
            mask |= months_mask(period.start_month, period.end_month)
        self.available_months = mask or ALL_MONTHS


class SiteAvailability(db.Model):
    """A yearly period when a site can be used, e.g. December to March for snow testing."""

    __tablename__ = "trial_site_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("trial_sites.id", ondelete="CASCADE"), index=True)
    start_month: Mapped[int] = mapped_column(Integer)
    end_month: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")

    site: Mapped[TrialSite] = relationship(back_populates="periods")


class SupportKind(str, enum.Enum):
    """The support a trial request asks for."""

    SITE_COORDINATION = "site_coordination"  # 実証フィールド調整
    PR = "pr"  # 広報支援
    MONITORS = "monitors"  # モニター募集
    PERMITS = "permits"  # 許認可相談
    PARTNERS = "partners"  # 事業者マッチング
    FUNDING = "funding"  # 外部資金獲得


class TrialRequestStatus(str, enum.Enum):
    DRAFT = "draft"  # the requester's own, saved but not yet sent to the secretariat
    SUBMITTED = "submitted"
    SCREENING = "screening"
    MATCHING = "matching"
    INTRODUCED = "introduced"
    AGREED = "agreed"  # trial agreed
    RUNNING = "running"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"


S = TrialRequestStatus
# The secretariat's moves. Withdrawal (by the requester) and completion (with the result report)
# are separate operations so that each carries its own rule.
TRIAL_TRANSITIONS: dict[TrialRequestStatus, tuple[TrialRequestStatus, ...]] = {
    S.DRAFT: (),  # sent by the requester (submit_trial_draft), never moved by the secretariat
    S.SUBMITTED: (S.SCREENING, S.DECLINED),
    S.SCREENING: (S.MATCHING, S.DECLINED),
    S.MATCHING: (S.INTRODUCED, S.DECLINED),
    S.INTRODUCED: (S.AGREED, S.MATCHING, S.DECLINED),
    S.AGREED: (S.RUNNING, S.MATCHING),
    S.RUNNING: (),
    S.COMPLETED: (),
    S.WITHDRAWN: (),
    S.DECLINED: (),
}
# The requester may still change what it sent until the secretariat starts screening.
EDITABLE_TRIAL_STATUSES = (S.DRAFT, S.SUBMITTED)
OPEN_TRIAL_STATUSES = (S.SUBMITTED, S.SCREENING, S.MATCHING, S.INTRODUCED, S.AGREED)


class TrialRequest(Versioned, db.Model):
    """A field-trial request (実証実験の相談). Confidential by default: own organisation and secretariat."""

    __tablename__ = "trial_requests"
    # The sort and filter columns of its lists (issue 13).
    __table_args__ = (Index("ix_trial_requests_created", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("working_groups.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    verify: Mapped[str] = mapped_column(Text, default="")  # what to verify
    technology: Mapped[str] = mapped_column(Text, default="")
    site_features: Mapped[str] = mapped_column(Text, default="")
    municipality: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)
    radius_km: Mapped[Optional[float]] = mapped_column(Float)
    period_start: Mapped[Optional[date]] = mapped_column(Date)
    period_end: Mapped[Optional[date]] = mapped_column(Date)
    duration: Mapped[str] = mapped_column(String(100), default="")
    permits_expected: Mapped[str] = mapped_column(Text, default="")
    support: Mapped[list[str]] = mapped_column(JSON, default=list)  # SupportKind values
    confidential: Mapped[bool] = mapped_column(default=True)
    status: Mapped[TrialRequestStatus] = mapped_column(
        enum_column(TrialRequestStatus), default=TrialRequestStatus.SUBMITTED, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation"] = relationship()
    submitted_by: Mapped[Optional["User"]] = relationship()
    group: Mapped[Optional["WorkingGroup"]] = relationship()
    messages: Mapped[list["TrialRequestMessage"]] = relationship(
        back_populates="trial_request", cascade="all, delete-orphan", order_by="TrialRequestMessage.created_at"
    )
    result: Mapped[Optional["TrialResult"]] = relationship(back_populates="trial_request", cascade="all, delete-orphan")
    attachments: Mapped[list["TrialRequestAttachment"]] = relationship(
        back_populates="trial_request", cascade="all, delete-orphan", order_by="TrialRequestAttachment.created_at"
    )

    def can_move_to(self, status: TrialRequestStatus) -> bool:
        return status in TRIAL_TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRIAL_STATUSES

    def matcher_text(self) -> str:
        return "\n".join(p for p in (self.title, self.verify, self.technology, self.site_features) if p)


class TrialRequestMessage(db.Model):
    """A message between the requesting organisation and the secretariat about one request."""

    __tablename__ = "trial_request_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_request_id: Mapped[int] = mapped_column(ForeignKey("trial_requests.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    trial_request: Mapped[TrialRequest] = relationship(back_populates="messages")
    author: Mapped[Optional["User"]] = relationship()


class TrialRequestAttachment(db.Model):
    """A file sent with a trial request (plans, drawings). Stored under a generated name; the original name is data."""

    __tablename__ = "trial_request_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_request_id: Mapped[int] = mapped_column(ForeignKey("trial_requests.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    trial_request: Mapped[TrialRequest] = relationship(back_populates="attachments")


class TrialResult(db.Model):
    """The result report (実証結果報告) of a completed trial, as support programmes require."""

    __tablename__ = "trial_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_request_id: Mapped[int] = mapped_column(ForeignKey("trial_requests.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    data_shared: Mapped[str] = mapped_column(Text, default="")
    obstacles: Mapped[str] = mapped_column(Text, default="")  # regulatory obstacles met
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    trial_request: Mapped[TrialRequest] = relationship(back_populates="result")
    author: Mapped[Optional["User"]] = relationship()


class ChallengeStatus(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class RegionalChallenge(Versioned, db.Model):
    """A regional challenge (地域課題) posted by a government member, answered by proposals (民間提案)."""

    __tablename__ = "regional_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    posted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    municipality: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[Optional[float]] = mapped_column(Float)
    longitude: Mapped[Optional[float]] = mapped_column(Float)
    tags: Mapped[str] = mapped_column(String(300), default="")  # semicolon-separated
    deadline: Mapped[Optional[date]] = mapped_column(Date)
    status: Mapped[ChallengeStatus] = mapped_column(enum_column(ChallengeStatus), default=ChallengeStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped["Organisation"] = relationship()
    posted_by: Mapped[Optional["User"]] = relationship()
    proposals: Mapped[list["ChallengeProposal"]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", order_by="ChallengeProposal.created_at"
    )

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(";") if t.strip()]


class ProposalStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    NOT_SELECTED = "not_selected"


class ChallengeProposal(db.Model):
    """A private proposal (民間提案) answering a regional challenge. Seen by its author organisation,
    the challenge's organisation and the secretariat."""

    __tablename__ = "challenge_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("regional_challenges.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus), default=ProposalStatus.SUBMITTED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    challenge: Mapped[RegionalChallenge] = relationship(back_populates="proposals")
    organisation: Mapped["Organisation"] = relationship()
    submitted_by: Mapped[Optional["User"]] = relationship()


__all__ = [
    "ALL_MONTHS", "ChallengeProposal", "ChallengeStatus", "ProposalStatus", "RegionalChallenge", "SiteAvailability",
    "SiteKind", "SupportKind", "TRIAL_TRANSITIONS", "TrialRequest", "TrialRequestAttachment", "TrialRequestMessage", "TrialRequestStatus",
    "TrialResult", "TrialSite", "months_mask",
]
