"""KPIs (重要業績評価指標) and the evaluation (評価): targets per indicator and fiscal year, hand-entered
figures, the evaluation sheet with its weights and evaluators, and which figures are public.

The indicators themselves are computed from the other domains' rows (app/kpis/queries.py); the
indexes at the bottom of this module are the ones those aggregates range over.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .accounts import User
from .audit import AuditEntry
from .base import UTCDateTime, db, utcnow
from .introductions import Introduction
from .needs import NeedEvent, RegulatoryNeed
from .trials import TrialRequest


class KpiTarget(db.Model):
    """The secretariat's target (目標値) for one indicator in one fiscal year (年度)."""

    __tablename__ = "kpi_targets"
    __table_args__ = (UniqueConstraint("indicator", "fiscal_year", name="uq_kpi_targets_indicator_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(60))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[float] = mapped_column(Float)
    set_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    set_by: Mapped[Optional[User]] = relationship()


class KpiManualValue(db.Model):
    """A figure the data cannot give (external funding won, jobs created), entered by hand with a note."""

    __tablename__ = "kpi_manual_values"
    __table_args__ = (UniqueConstraint("indicator", "fiscal_year", name="uq_kpi_manual_values_indicator_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(60))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entered_by: Mapped[Optional[User]] = relationship()


class EvaluationWeights(db.Model):
    """The weights of the evaluation's three parts for one fiscal year (1:1:2 unless changed)."""

    __tablename__ = "kpi_evaluation_weights"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    weight_i: Mapped[int] = mapped_column(Integer, default=1)
    weight_ii: Mapped[int] = mapped_column(Integer, default=1)
    weight_iii: Mapped[int] = mapped_column(Integer, default=2)
    set_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Evaluator(db.Model):
    """A person the secretariat names to score one fiscal year's evaluation (評価者)."""

    __tablename__ = "kpi_evaluators"
    __table_args__ = (UniqueConstraint("fiscal_year", "user_id", name="uq_kpi_evaluators_year_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    named_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class EvaluationScore(db.Model):
    """One evaluator's scores (0–100) of the three parts for one fiscal year, with comments:
    I progress toward goals, II use of support measures and own initiatives, III overall progress
    on policy issues."""

    __tablename__ = "kpi_evaluation_scores"
    __table_args__ = (UniqueConstraint("fiscal_year", "evaluator_id", name="uq_kpi_evaluation_scores_year_evaluator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    evaluator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    score_i: Mapped[int] = mapped_column(Integer)
    score_ii: Mapped[int] = mapped_column(Integer)
    score_iii: Mapped[int] = mapped_column(Integer)
    comment_i: Mapped[str] = mapped_column(Text, default="")
    comment_ii: Mapped[str] = mapped_column(Text, default="")
    comment_iii: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    evaluator: Mapped[Optional[User]] = relationship()


class KpiStoredYear(db.Model):
    """A closed fiscal year (before the current one) whose computed figures are stored in
    `kpi_stored_figures`, so that its pages need not aggregate the year's rows again.

    `generation` goes up with every change of a row the year's figures are computed from (an ORM hook
    in app/kpis/figure_services.py); the stored figures are used only while `stored_generation`
    equals it, otherwise they are computed again (on the next read, or by `flask kpis close-year`).
    """

    __tablename__ = "kpi_stored_years"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    stored_generation: Mapped[Optional[int]] = mapped_column(Integer)
    stored_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class KpiStoredFigure(db.Model):
    """One stored figure of a closed fiscal year: an indicator overall (scope "all") or for one working
    group (scope "group:<id>"). A median of a year without cases is stored as NULL."""

    __tablename__ = "kpi_stored_figures"

    fiscal_year: Mapped[int] = mapped_column(ForeignKey("kpi_stored_years.fiscal_year", ondelete="CASCADE"),
                                             primary_key=True, autoincrement=False)
    scope: Mapped[str] = mapped_column(String(30), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Optional[float]] = mapped_column(Float)


class PublicIndicator(db.Model):
    """An indicator the secretariat has opted in to the public page of headline figures."""

    __tablename__ = "kpi_public_indicators"

    indicator: Mapped[str] = mapped_column(String(60), primary_key=True)
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The columns the fiscal-year aggregates range over (the other tables' own indexes cover the rest).
# The time column comes first and the columns the aggregates read follow it, so that the current
# year's live figures (and the funnels) are read from the index alone, without visiting the rows.
Index("ix_regulatory_needs_submitted_status_group", RegulatoryNeed.submitted_at, RegulatoryNeed.status,
      RegulatoryNeed.group_id)
# need_events keeps (to_status, created_at): with need_id added, SQLite answered the first-proposal
# NOT EXISTS from it, scanning every earlier proposal per row (14 s instead of 50 ms at 200,000 rows).
Index("ix_need_events_to_status_created_at", NeedEvent.to_status, NeedEvent.created_at)
Index("ix_trial_requests_created_status_group", TrialRequest.created_at, TrialRequest.status, TrialRequest.group_id)
Index("ix_introductions_introduced_request_challenge", Introduction.introduced_at, Introduction.trial_request_id,
      Introduction.challenge_id)
Index("ix_introductions_request_introduced", Introduction.trial_request_id, Introduction.introduced_at)
Index("ix_audit_entries_action_created_at", AuditEntry.action, AuditEntry.created_at)

__all__ = ["EvaluationScore", "EvaluationWeights", "Evaluator", "KpiManualValue", "KpiStoredFigure", "KpiStoredYear",
           "KpiTarget", "PublicIndicator"]
