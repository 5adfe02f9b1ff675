"""Organisations (団体): companies, universities, municipalities, NPOs and financial institutions."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, Versioned, db, utcnow

if TYPE_CHECKING:
    from .accounts import User


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column storing the member's value as text (no native PG enum types)."""
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Sector(str, enum.Enum):
    """産学官民金."""

    INDUSTRY = "industry"  # 産
    ACADEMIA = "academia"  # 学
    GOVERNMENT = "government"  # 官
    CITIZENS = "citizens"  # 民 (citizens, NPO)
    FINANCE = "finance"  # 金


class IndustryCategory(str, enum.Enum):
    """Industry split as the study does."""

    LOCAL_LARGE = "local_large"  # 地元大手
    TOKYO_BASED = "tokyo_based"  # 在京企業
    SME = "sme"  # 中小企業
    STARTUP = "startup"  # スタートアップ


class OrganisationStatus(str, enum.Enum):
    APPLICANT = "applicant"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class MembershipTier(str, enum.Enum):
    """会員種別."""

    REGULAR = "regular"  # 正会員
    SUPPORTING = "supporting"  # 賛助会員
    SPECIAL = "special"  # 特別会員 (government, universities; often fee-exempt)


# The kinds of capability tag (技術シーズ) an organisation can list.
CAPABILITY_KINDS = ("technologies", "facilities", "data", "customers", "fields")


def listed_in(text: str | None) -> list[str]:
    """The items of an organisation's list field (`service_area`, `capabilities`): stored separated by
    ";", and "；" typed by hand also counts."""
    return [item.strip() for item in (text or "").replace("；", ";").split(";") if item.strip()]


def tags_in(capability_tags: dict | None) -> list[str]:
    """Every tag of a `capability_tags` value ({kind: [tag, ...]}), kind by kind in CAPABILITY_KINDS order."""
    return [tag for kind in CAPABILITY_KINDS for tag in (capability_tags or {}).get(kind) or []]


class Organisation(Versioned, db.Model):
    """An organisation (団体). Members are organisations; people belong to one."""

    __tablename__ = "organisations"
    # The sort and filter columns of its lists (issue 13).
    __table_args__ = (Index("ix_organisations_status_name", "status", "name_ja"), Index("ix_organisations_municipality", "municipality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[Sector] = mapped_column(enum_column(Sector), default=Sector.INDUSTRY)
    category: Mapped[Optional[IndustryCategory]] = mapped_column(enum_column(IndustryCategory))
    status: Mapped[OrganisationStatus] = mapped_column(
        enum_column(OrganisationStatus), default=OrganisationStatus.APPLICANT
    )
    municipality: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[Optional[float]]
    longitude: Mapped[Optional[float]]
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    capabilities: Mapped[str] = mapped_column(Text, default="")  # 技術シーズ, free text
    # {"technologies": [...], "facilities": [...], "data": [...], "customers": [...], "fields": [...]}
    capability_tags: Mapped[dict] = mapped_column(JSON, default=dict)
    # The support it can give field trials (SupportKind values); empty: not stated.
    offered_support: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Where it works (the matcher's service area): "" not stated, "municipalities" (service_area:
    # gazetteer names separated by ";"), "radius" (service_radius_km around its office), "hokkaido",
    # "nationwide".
    service_scope: Mapped[str] = mapped_column(String(20), default="", server_default="")
    service_area: Mapped[str] = mapped_column(Text, default="", server_default="")
    service_radius_km: Mapped[Optional[int]] = mapped_column(default=None)
    tier: Mapped[Optional[MembershipTier]] = mapped_column(enum_column(MembershipTier))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    joined_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="organisation")

    def display_name(self, locale: str = "ja") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_ja

    @property
    def is_member(self) -> bool:
        return self.status == OrganisationStatus.ACTIVE

    def tags_of(self, kind: str) -> list[str]:
        return list((self.capability_tags or {}).get(kind, []))

    @property
    def service_places(self) -> list[str]:
        return listed_in(self.service_area)

    @property
    def all_tags(self) -> list[str]:
        return tags_in(self.capability_tags)

    @property
    def admins(self) -> list["User"]:
        return [user for user in self.users if user.is_org_admin and user.is_active_account]

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name_ja}>"
