"""Introductions (引き合わせ) and the stored match suggestions: every candidate the matcher showed the
secretariat, and what the secretariat did with it, so match quality can be measured on real decisions."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UTCDateTime, db, utcnow
from .organisations import enum_column

if TYPE_CHECKING:
    from .accounts import User
    from .organisations import Organisation
    from .trials import RegionalChallenge, TrialRequest, TrialSite


class IntroductionStatus(str, enum.Enum):
    SUGGESTED = "suggested"
    INTRODUCED = "introduced"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    AGREED = "agreed"  # trial agreed
    TRIAL_STARTED = "trial_started"  # reported by the requesting side


class Introduction(db.Model):
    """An introduction (引き合わせ) between the requesting side (a startup's trial request or a
    municipality's regional challenge) and a target: a trial site's owner or a partner organisation.

    `target_organisation_id` is the side that answers; None means a site the secretariat keeps.
    """

    __tablename__ = "introductions"
    # The sort and filter columns of its lists (issue 13).
    __table_args__ = (Index("ix_introductions_created", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_request_id: Mapped[Optional[int]] = mapped_column(ForeignKey("trial_requests.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[Optional[int]] = mapped_column(ForeignKey("regional_challenges.id", ondelete="CASCADE"), index=True)
    requester_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    site_id: Mapped[Optional[int]] = mapped_column(ForeignKey("trial_sites.id", ondelete="SET NULL"))
    target_organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisations.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")  # the context both sides read
    status: Mapped[IntroductionStatus] = mapped_column(
        enum_column(IntroductionStatus), default=IntroductionStatus.SUGGESTED, index=True
    )
    response_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    responded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    introduced_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    responded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    trial_request: Mapped[Optional["TrialRequest"]] = relationship()
    challenge: Mapped[Optional["RegionalChallenge"]] = relationship()
    requester: Mapped["Organisation"] = relationship(foreign_keys=[requester_organisation_id])
    target: Mapped[Optional["Organisation"]] = relationship(foreign_keys=[target_organisation_id])
    site: Mapped[Optional["TrialSite"]] = relationship()
    created_by: Mapped[Optional["User"]] = relationship(foreign_keys=[created_by_id])
    responded_by: Mapped[Optional["User"]] = relationship(foreign_keys=[responded_by_id])


class SuggestionAction(str, enum.Enum):
    SHOWN = "shown"  # shown, nothing done with it (yet)
    INTRODUCED = "introduced"


class MatchRun(db.Model):
    """One showing of the matcher page: for which request or challenge, by whom, with which filters."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_request_id: Mapped[Optional[int]] = mapped_column(ForeignKey("trial_requests.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[Optional[int]] = mapped_column(ForeignKey("regional_challenges.id", ondelete="CASCADE"), index=True)
    shown_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    trial_request: Mapped[Optional["TrialRequest"]] = relationship()
    challenge: Mapped[Optional["RegionalChallenge"]] = relationship()
    suggestions: Mapped[list["MatchSuggestion"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="MatchSuggestion.rank"
    )


class MatchSuggestion(db.Model):
    """One candidate the matcher showed, with its score and reasons, and the secretariat's action."""

    __tablename__ = "match_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # "site" or "organisation"
    site_id: Mapped[Optional[int]] = mapped_column(ForeignKey("trial_sites.id", ondelete="SET NULL"))
    organisation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    action: Mapped[SuggestionAction] = mapped_column(enum_column(SuggestionAction), default=SuggestionAction.SHOWN)
    acted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    introduction_id: Mapped[Optional[int]] = mapped_column(ForeignKey("introductions.id", ondelete="SET NULL"))

    run: Mapped[MatchRun] = relationship(back_populates="suggestions")
    site: Mapped[Optional["TrialSite"]] = relationship()
    organisation: Mapped[Optional["Organisation"]] = relationship()

    @property
    def candidate(self) -> tuple[str, int | None]:
        """(kind, id) of the suggested site or organisation (the id is None once it is deleted)."""
        return self.kind, self.site_id if self.kind == "site" else self.organisation_id


class MatchDismissal(db.Model):
    """A candidate the secretariat marked "not relevant" (関係なし) for a trial request: folded at the
    end of the matcher page, and a negative label for learning the matcher's weights.

    Kept per request and candidate (not per showing), so it holds across later runs of the matcher.
    """

    __tablename__ = "match_dismissals"
    __table_args__ = (UniqueConstraint("trial_request_id", "candidate_kind", "candidate_id",
                                       name="uq_match_dismissals_request_candidate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_request_id: Mapped[int] = mapped_column(ForeignKey("trial_requests.id", ondelete="CASCADE"))
    candidate_kind: Mapped[str] = mapped_column(String(20))  # "site" or "organisation"
    candidate_id: Mapped[int] = mapped_column(Integer)  # a site's or an organisation's id
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[Optional["User"]] = relationship()


class MatcherWeights(db.Model):
    """Component weights learnt from the secretariat's decisions (`flask matcher learn --apply`).

    The newest row is in force; a row without weights (`--reset`) means the library's defaults.
    Rows are never changed, so the history of what ranked the candidates stays.
    """

    __tablename__ = "matcher_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    weights: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)  # component -> weight; None: defaults
    label_count: Mapped[int] = mapped_column(Integer, default=0)
    applied_by: Mapped[str] = mapped_column(String(200), default="")  # who ran the command
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["Introduction", "IntroductionStatus", "MatchDismissal", "MatchRun", "MatchSuggestion", "MatcherWeights",
           "SuggestionAction"]
