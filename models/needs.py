"""Regulatory needs (規制緩和ニーズ): the need, its timeline and attachments, the special-measure
catalogue (規制改革メニュー), the laws on file and proposal packages (提案パッケージ)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, Versioned, db, utcnow
from .organisations import enum_column

if TYPE_CHECKING:
    from .accounts import User
    from .groups import WorkingGroup
    from .organisations import Organisation


def need_tags(tags: str | None) -> list[str]:
    """The tags of a need's `tags` (separated by "," or "、"), or of tags typed the same way."""
    return [t.strip() for t in (tags or "").replace("、", ",").split(",") if t.strip()]


class NeedStatus(str, enum.Enum):
    """Where a need sits on the pipeline; DRAFT is the submitter's own, before 受付."""

    DRAFT = "draft"
    RECEIVED = "received"  # 受付
    REGULATION_IDENTIFIED = "regulation_identified"  # 規制特定
    EVIDENCE = "evidence"  # エビデンス収集
    LEGAL_CHECK = "legal_check"  # 法令確認
    RELIEF_DRAFTED = "relief_drafted"  # 緩和案作成
    COORDINATION = "coordination"  # 省庁調整
    PROPOSED = "proposed"  # 提案済
    REALISED = "realised"  # 措置済
    NATIONWIDE = "nationwide"  # 全国展開済
    NOT_TAKEN_UP = "not_taken_up"  # 見送り
    EXISTING_MEASURE = "existing_measure"  # 既存メニューで対応
    WITHDRAWN = "withdrawn"  # 取下げ


S = NeedStatus
# The one transition table of the pipeline (the secretariat moves needs along it; submission is
# DRAFT -> RECEIVED). Steps may go back one stage when something turns out to be missing.
NEED_TRANSITIONS: dict[NeedStatus, frozenset[NeedStatus]] = {
    S.DRAFT: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.REGULATION_IDENTIFIED, S.EXISTING_MEASURE, S.NOT_TAKEN_UP, S.WITHDRAWN}),
    S.REGULATION_IDENTIFIED: frozenset({S.EVIDENCE, S.RECEIVED, S.EXISTING_MEASURE, S.WITHDRAWN}),
    S.EVIDENCE: frozenset({S.LEGAL_CHECK, S.REGULATION_IDENTIFIED, S.EXISTING_MEASURE, S.WITHDRAWN}),
    S.LEGAL_CHECK: frozenset({S.RELIEF_DRAFTED, S.EVIDENCE, S.EXISTING_MEASURE, S.NOT_TAKEN_UP, S.WITHDRAWN}),
    S.RELIEF_DRAFTED: frozenset({S.COORDINATION, S.LEGAL_CHECK, S.WITHDRAWN}),
    S.COORDINATION: frozenset({S.PROPOSED, S.RELIEF_DRAFTED, S.EXISTING_MEASURE, S.NOT_TAKEN_UP, S.WITHDRAWN}),
    S.PROPOSED: frozenset({S.REALISED, S.NATIONWIDE, S.NOT_TAKEN_UP, S.COORDINATION}),
    S.REALISED: frozenset({S.NATIONWIDE}),
    S.NATIONWIDE: frozenset(),
    S.NOT_TAKEN_UP: frozenset(),
    S.EXISTING_MEASURE: frozenset(),
    S.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = (S.RECEIVED, S.REGULATION_IDENTIFIED, S.EVIDENCE, S.LEGAL_CHECK, S.RELIEF_DRAFTED,
                 S.COORDINATION, S.PROPOSED)


class Confidentiality(str, enum.Enum):
    CONFIDENTIAL = "confidential"  # own organisation + secretariat
    MEMBERS = "members"  # shared with member organisations
    PUBLIC = "public"  # public summary


class BusinessStage(str, enum.Enum):
    CONCEPT = "concept"  # 事業構想
    FEASIBILITY = "feasibility"  # 事業化検討
    CONSORTIUM = "consortium"  # 事業体組成
    TRIAL = "trial"  # 実証実験
    DEPLOYMENT = "deployment"  # 社会実装


class Urgency(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class NationalRoute(str, enum.Enum):
    """Which national route fits the need."""

    EXISTING_MEASURE = "existing_measure"  # 既存の特区メニュー
    GREY_ZONE = "grey_zone"  # グレーゾーン解消制度
    NEW_BUSINESS = "new_business"  # 新事業特例制度
    SANDBOX = "sandbox"  # 規制のサンドボックス制度
    ZONE_PROPOSAL = "zone_proposal"  # 国家戦略特区の提案募集


class EventKind(str, enum.Enum):
    SUBMITTED = "submitted"
    STATUS = "status"
    INTERNAL_NOTE = "internal_note"  # secretariat only, never shown to the submitter
    MESSAGE = "message"  # between the secretariat and the submitter
    ASSIGNED = "assigned"


class PackageStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # submitted on a date to someone
    ANSWERED = "answered"  # the ministry's answer
    RE_REQUESTED = "re_requested"  # 再要望
    HEARING = "hearing"  # ヒアリング
    DECIDED = "decided"


P = PackageStatus
PACKAGE_TRANSITIONS: dict[PackageStatus, frozenset[PackageStatus]] = {
    P.DRAFT: frozenset({P.SUBMITTED}),
    P.SUBMITTED: frozenset({P.ANSWERED, P.HEARING}),
    P.ANSWERED: frozenset({P.RE_REQUESTED, P.HEARING, P.DECIDED}),
    P.RE_REQUESTED: frozenset({P.ANSWERED, P.HEARING}),
    P.HEARING: frozenset({P.ANSWERED, P.DECIDED}),
    P.DECIDED: frozenset(),
}


need_measures = Table(
    "need_measures",
    db.metadata,
    Column("need_id", Integer, ForeignKey("regulatory_needs.id", ondelete="CASCADE"), primary_key=True),
    Column("measure_id", Integer, ForeignKey("special_measures.id", ondelete="CASCADE"), primary_key=True),
)

package_needs = Table(
    "package_needs",
    db.metadata,
    Column("package_id", Integer, ForeignKey("proposal_packages.id", ondelete="CASCADE"), primary_key=True),
    Column("need_id", Integer, ForeignKey("regulatory_needs.id", ondelete="CASCADE"), primary_key=True),
)


class Law(db.Model):
    """A law or regulation on file (法令), the law field's suggestions."""

    __tablename__ = "laws"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    title_ja: Mapped[str] = mapped_column(String(200))
    short_ja: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    law_number_ja: Mapped[str] = mapped_column(String(100), default="")
    ministry_en: Mapped[str] = mapped_column(String(100), default="")
    keywords: Mapped[str] = mapped_column(Text, default="")


class SpecialMeasure(db.Model):
    """An existing special-zone measure (規制改革メニュー); the secretariat edits the catalogue."""

    __tablename__ = "special_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name_ja: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    law: Mapped[str] = mapped_column(String(300), default="")
    field_tags: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def display_name(self, locale: str = "ja") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_ja


class RegulatoryNeed(Versioned, db.Model):
    """A regulatory need (規制緩和ニーズ) brought by an organisation."""

    __tablename__ = "regulatory_needs"
    # The sort and filter columns of its lists (issue 13).
    __table_args__ = (
        Index("ix_regulatory_needs_updated", "updated_at", "id"),
        Index("ix_regulatory_needs_status_updated", "status", "updated_at"),
        Index("ix_regulatory_needs_group_id", "group_id"),
        Index("ix_regulatory_needs_assignee_id", "assignee_id"),
        # What decides who may see a need (permissions.visible_needs): counting a viewer's needs
        # reads this index alone, not the rows with their texts.
        Index("ix_regulatory_needs_visibility", "status", "confidentiality", "organisation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    business: Mapped[str] = mapped_column(Text, default="")  # what the business wants to do
    stage: Mapped[Optional[BusinessStage]] = mapped_column(enum_column(BusinessStage))
    tags: Mapped[str] = mapped_column(String(300), default="")
    law_name: Mapped[str] = mapped_column(String(200), default="")
    law_article: Mapped[str] = mapped_column(String(200), default="")
    law_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    interpretation: Mapped[str] = mapped_column(Text, default="")
    obstacle: Mapped[str] = mapped_column(Text, default="")
    relief: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), default=Urgency.MEDIUM)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_column(Confidentiality), default=Confidentiality.CONFIDENTIAL
    )
    public_summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus, 30), default=NeedStatus.DRAFT, index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    submitter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("working_groups.id"))
    national_route: Mapped[Optional[NationalRoute]] = mapped_column(enum_column(NationalRoute, 30))
    route_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    organisation: Mapped["Organisation"] = relationship()
    submitter: Mapped["User"] = relationship(foreign_keys=[submitter_id])
    assignee: Mapped[Optional["User"]] = relationship(foreign_keys=[assignee_id])
    group: Mapped[Optional["WorkingGroup"]] = relationship()
    measures: Mapped[list[SpecialMeasure]] = relationship(secondary=need_measures, order_by=SpecialMeasure.code)
    events: Mapped[list["NeedEvent"]] = relationship(
        back_populates="need", order_by="NeedEvent.created_at, NeedEvent.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["NeedAttachment"]] = relationship(
        back_populates="need", order_by="NeedAttachment.id", cascade="all, delete-orphan"
    )
    packages: Mapped[list["ProposalPackage"]] = relationship(secondary=package_needs, back_populates="needs")

    def can_move_to(self, target: NeedStatus) -> bool:
        return target in NEED_TRANSITIONS[self.status]

    def move_to(self, target: NeedStatus) -> NeedStatus:
        """Change the status if the table allows it; returns the old status."""
        if not self.can_move_to(target):
            raise ValueError(f"{self.status.value} -> {target.value} is not allowed")
        old, self.status = self.status, target
        return old

    @property
    def tag_list(self) -> list[str]:
        return need_tags(self.tags)

    def __repr__(self) -> str:
        return f"<RegulatoryNeed {self.id} {self.status.value}>"


class NeedEvent(db.Model):
    """One line of a need's timeline: submission, state change, internal note, message, assignment."""

    __tablename__ = "need_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("regulatory_needs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[Optional[NeedStatus]] = mapped_column(enum_column(NeedStatus, 30))
    to_status: Mapped[Optional[NeedStatus]] = mapped_column(enum_column(NeedStatus, 30))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    need: Mapped[RegulatoryNeed] = relationship(back_populates="events")
    actor: Mapped[Optional["User"]] = relationship()

    @property
    def is_internal(self) -> bool:
        return self.kind == EventKind.INTERNAL_NOTE


class NeedAttachment(db.Model):
    """An evidence file. Stored under a generated name; the original (Japanese) name is data."""

    __tablename__ = "need_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("regulatory_needs.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    need: Mapped[RegulatoryNeed] = relationship(back_populates="attachments")


class ProposalPackage(Versioned, db.Model):
    """A proposal package (提案パッケージ): related needs proposed together."""

    __tablename__ = "proposal_packages"
    # The sort and filter columns of its lists (issue 13).
    __table_args__ = (Index("ix_proposal_packages_updated", "updated_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    proposal_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PackageStatus] = mapped_column(enum_column(PackageStatus), default=PackageStatus.DRAFT)
    submitted_on: Mapped[Optional[date]] = mapped_column(Date)
    submitted_to: Mapped[str] = mapped_column(String(200), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    needs: Mapped[list[RegulatoryNeed]] = relationship(
        secondary=package_needs, back_populates="packages", order_by=RegulatoryNeed.id
    )
    events: Mapped[list["PackageEvent"]] = relationship(
        back_populates="package", order_by="PackageEvent.created_at, PackageEvent.id", cascade="all, delete-orphan"
    )

    def move_to(self, target: PackageStatus) -> PackageStatus:
        if target not in PACKAGE_TRANSITIONS[self.status]:
            raise ValueError(f"{self.status.value} -> {target.value} is not allowed")
        old, self.status = self.status, target
        return old


class PackageEvent(db.Model):
    """A package's state change; submitters of its needs see the state and date, never the note."""

    __tablename__ = "package_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("proposal_packages.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Optional[PackageStatus]] = mapped_column(enum_column(PackageStatus))
    to_status: Mapped[PackageStatus] = mapped_column(enum_column(PackageStatus))
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    package: Mapped[ProposalPackage] = relationship(back_populates="events")
