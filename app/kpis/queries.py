"""The indicators as SQL aggregates per fiscal year (1 April–31 March, Asia/Tokyo; stored UTC).

Every figure is one conditional aggregate per source table over an indexed time column, for all the
years asked at once (`sum(case when t in year then 1 end)`), so a page's statement count depends on
how many years it shows, never on how many rows there are. Medians are computed in the database:
`percentile_cont` on PostgreSQL, a bounded ORDER BY/LIMIT on SQLite.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.core.fiscal import fiscal_year_bounds, fiscal_year_span
from models import (
    AttendanceStatus, AuditEntry, GroupMembership, Introduction, IntroductionStatus, Meeting, MeetingAttendance,
    MembershipStatus, NeedEvent, NeedStatus, Organisation, OrganisationStatus, ProposalPackage, RegionalChallenge,
    RegulatoryNeed, StatusChange, TrialRequest, TrialRequestStatus, TrialResult, User, WorkingGroup, db, utcnow,
)
from models.kpis import EvaluationScore, EvaluationWeights, Evaluator, KpiManualValue, KpiTarget, PublicIndicator

from .labels import COMPUTED, MANUAL

log = logging.getLogger(__name__)

REALISED = (NeedStatus.REALISED, NeedStatus.NATIONWIDE)
TRIAL_STATUS_ACTION = "trial_request.status"
AGREED_ACTION = "introduction.agreed"
DEFAULT_WEIGHTS = (1, 1, 2)


def _in(column, span: tuple[datetime, datetime]):
    return and_(column >= span[0], column < span[1])


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _count_distinct_if(condition, value):
    return func.count(distinct(case((condition, value), else_=None)))


def _window(years: list[int]) -> tuple[datetime, datetime]:
    return fiscal_year_span(min(years))[0], fiscal_year_span(max(years))[1]


def _by_year(years: list[int], row: Any, keys: Iterable[str]) -> dict[str, dict[int, int]]:
    """Unpack a row of `<key>_<year>` columns into {key: {year: value}}."""
    mapping = row._mapping
    return {key: {y: int(mapping[f"{key}_{y}"] or 0) for y in years} for key in keys}


def indicator_trend(years: list[int], now: datetime | None = None) -> dict[str, dict[int, float | None]]:
    """Every computed indicator for every year in `years`: {key: {year: value}}. About a dozen statements."""
    years = sorted(set(years))
    spans = {y: fiscal_year_span(y) for y in years}
    window = _window(years)
    now = now or utcnow()
    out: dict[str, dict[int, float | None]] = {}

    cols = []
    for y, span in spans.items():
        cols.append(_count_if(_in(RegulatoryNeed.submitted_at, span)).label(f"needs_received_{y}"))
    out.update(_by_year(years, db.session.execute(select(*cols).where(_in(RegulatoryNeed.submitted_at, window))).one(),
                        ["needs_received"]))

    cols = []
    for y, span in spans.items():
        held = _in(NeedEvent.created_at, span)
        cols.append(_count_distinct_if(and_(held, NeedEvent.to_status.in_(REALISED)), NeedEvent.need_id)
                    .label(f"measures_realised_{y}"))
        cols.append(_count_distinct_if(and_(held, NeedEvent.to_status == NeedStatus.EXISTING_MEASURE), NeedEvent.need_id)
                    .label(f"needs_existing_measure_{y}"))
    stmt = select(*cols).where(NeedEvent.to_status.in_((*REALISED, NeedStatus.EXISTING_MEASURE)),
                               _in(NeedEvent.created_at, window))
    out.update(_by_year(years, db.session.execute(stmt).one(), ["measures_realised", "needs_existing_measure"]))

    cols = []
    for y in years:
        first, last = fiscal_year_bounds(y)
        cols.append(_count_if(ProposalPackage.submitted_on.between(first, last)).label(f"packages_proposed_{y}"))
    first, last = fiscal_year_bounds(min(years))[0], fiscal_year_bounds(max(years))[1]
    stmt = select(*cols).where(ProposalPackage.submitted_on.between(first, last))
    out.update(_by_year(years, db.session.execute(stmt).one(), ["packages_proposed"]))

    cols = [_count_if(_in(TrialRequest.created_at, span)).label(f"trial_requests_received_{y}") for y, span in spans.items()]
    out.update(_by_year(years, db.session.execute(select(*cols).where(_in(TrialRequest.created_at, window))).one(),
                        ["trial_requests_received"]))

    cols = [_count_if(_in(TrialResult.created_at, span)).label(f"trials_completed_{y}") for y, span in spans.items()]
    out.update(_by_year(years, db.session.execute(select(*cols).where(_in(TrialResult.created_at, window))).one(),
                        ["trials_completed"]))

    started = and_(AuditEntry.action == TRIAL_STATUS_ACTION,
                   AuditEntry.details["new"].as_string() == TrialRequestStatus.RUNNING.value)
    agreed = AuditEntry.action == AGREED_ACTION
    cols = []
    for y, span in spans.items():
        cols.append(_count_distinct_if(and_(started, _in(AuditEntry.created_at, span)), AuditEntry.object_id)
                    .label(f"trials_started_{y}"))
        cols.append(_count_distinct_if(and_(agreed, _in(AuditEntry.created_at, span)), AuditEntry.object_id)
                    .label(f"introductions_agreed_{y}"))
    stmt = select(*cols).where(AuditEntry.action.in_((TRIAL_STATUS_ACTION, AGREED_ACTION)),
                               _in(AuditEntry.created_at, window))
    out.update(_by_year(years, db.session.execute(stmt).one(), ["trials_started", "introductions_agreed"]))

    cols = []
    for y, span in spans.items():
        made = _in(Introduction.introduced_at, span)
        cols.append(_count_if(made).label(f"introductions_made_{y}"))
        cols.append(_count_distinct_if(and_(made, Introduction.challenge_id.is_not(None)), Introduction.challenge_id)
                    .label(f"challenges_matched_{y}"))
    stmt = select(*cols).where(_in(Introduction.introduced_at, window))
    out.update(_by_year(years, db.session.execute(stmt).one(), ["introductions_made", "challenges_matched"]))

    cols = [_count_if(_in(RegionalChallenge.created_at, span)).label(f"challenges_posted_{y}") for y, span in spans.items()]
    out.update(_by_year(years, db.session.execute(select(*cols).where(_in(RegionalChallenge.created_at, window))).one(),
                        ["challenges_posted"]))

    withdrawn = _withdrawals()
    cols = []
    for y, span in spans.items():
        cols.append(_count_if(and_(Organisation.joined_at < span[1],
                                   or_(withdrawn.c.at.is_(None), withdrawn.c.at >= span[1]))).label(f"members_total_{y}"))
        cols.append(_count_if(_in(Organisation.joined_at, span)).label(f"members_joined_{y}"))
        cols.append(_count_if(_in(withdrawn.c.at, span)).label(f"members_withdrawn_{y}"))
    stmt = (select(*cols).select_from(Organisation).outerjoin(withdrawn, withdrawn.c.organisation_id == Organisation.id)
            .where(Organisation.joined_at < window[1]))
    out.update(_by_year(years, db.session.execute(stmt).one(), ["members_total", "members_joined", "members_withdrawn"]))

    cols = []
    for y, span in spans.items():
        held = and_(_in(Meeting.starts_at, span), Meeting.starts_at < now)
        cols.append(_count_distinct_if(held, Meeting.id).label(f"meetings_held_{y}"))
        cols.append(_count_if(and_(held, MeetingAttendance.status == AttendanceStatus.ATTENDED))
                    .label(f"meeting_attendance_{y}"))
    stmt = (select(*cols).select_from(Meeting).outerjoin(MeetingAttendance, MeetingAttendance.meeting_id == Meeting.id)
            .where(_in(Meeting.starts_at, window)))
    out.update(_by_year(years, db.session.execute(stmt).one(), ["meetings_held", "meeting_attendance"]))

    out["median_days_to_proposal"] = {y: median_days_to_proposal(y) for y in years}
    out["median_days_to_introduction"] = {y: median_days_to_introduction(y) for y in years}
    return {i.key: out[i.key] for i in COMPUTED}


def _withdrawals():
    """When each organisation withdrew (退会), from the status history."""
    return (select(StatusChange.organisation_id, func.min(StatusChange.created_at).label("at"))
            .where(StatusChange.new_status == OrganisationStatus.WITHDRAWN)
            .group_by(StatusChange.organisation_id).subquery("withdrawals"))


# --- medians --------------------------------------------------------------------------------------

def _days_between(start, end):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


def _median(days, *, select_from, where) -> float | None:
    """The median of `days` over the rows `where` selects, in the database."""
    if db.session.get_bind().dialect.name == "postgresql":
        value = db.session.scalar(select(func.percentile_cont(0.5).within_group(days)).select_from(select_from).where(*where))
        return None if value is None else round(float(value), 1)
    n = db.session.scalar(select(func.count()).select_from(select_from).where(*where)) or 0
    if not n:
        return None
    # SQLite: the middle one or two values only; the sort is bounded by LIMIT.
    middle = list(db.session.scalars(select(days).select_from(select_from).where(*where).order_by(days)
                                      .limit(2 - n % 2).offset((n - 1) // 2)))
    return round(sum(float(v) for v in middle) / len(middle), 1)


def median_days_to_proposal(year: int) -> float | None:
    """Needs whose first 提案済 step falls in the year: days from receipt (submission) to that step."""
    earlier = aliased(NeedEvent)
    first_proposal = and_(
        NeedEvent.to_status == NeedStatus.PROPOSED, _in(NeedEvent.created_at, fiscal_year_span(year)),
        ~exists().where(earlier.need_id == NeedEvent.need_id, earlier.to_status == NeedStatus.PROPOSED,
                        or_(earlier.created_at < NeedEvent.created_at,
                            and_(earlier.created_at == NeedEvent.created_at, earlier.id < NeedEvent.id))),
        RegulatoryNeed.submitted_at.is_not(None),
    )
    source = NeedEvent.__table__.join(RegulatoryNeed.__table__, RegulatoryNeed.id == NeedEvent.need_id)
    return _median(_days_between(RegulatoryNeed.submitted_at, NeedEvent.created_at), select_from=source,
                   where=[first_proposal])


def median_days_to_introduction(year: int) -> float | None:
    """Trial requests whose first introduction falls in the year: days from the request to it."""
    earlier = aliased(Introduction)
    first = and_(
        Introduction.trial_request_id.is_not(None), _in(Introduction.introduced_at, fiscal_year_span(year)),
        ~exists().where(earlier.trial_request_id == Introduction.trial_request_id,
                        or_(earlier.introduced_at < Introduction.introduced_at,
                            and_(earlier.introduced_at == Introduction.introduced_at, earlier.id < Introduction.id))),
    )
    source = Introduction.__table__.join(TrialRequest.__table__, TrialRequest.id == Introduction.trial_request_id)
    return _median(_days_between(TrialRequest.created_at, Introduction.introduced_at), select_from=source, where=[first])


# --- per working group ----------------------------------------------------------------------------

def group_indicators(year: int, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """{group_id: {key: value}} for the indicators that belong to a working group, in one year."""
    span = fiscal_year_span(year)
    now = now or utcnow()
    figures: dict[int, dict[str, int]] = {}

    def put(key: str, rows) -> None:
        for group_id, value in rows:
            if group_id is not None:
                figures.setdefault(group_id, {})[key] = int(value or 0)

    put("needs_received", db.session.execute(
        select(RegulatoryNeed.group_id, func.count()).where(_in(RegulatoryNeed.submitted_at, span))
        .group_by(RegulatoryNeed.group_id)))
    realised = db.session.execute(
        select(RegulatoryNeed.group_id,
               _count_distinct_if(NeedEvent.to_status.in_(REALISED), NeedEvent.need_id),
               _count_distinct_if(NeedEvent.to_status == NeedStatus.EXISTING_MEASURE, NeedEvent.need_id))
        .select_from(NeedEvent).join(RegulatoryNeed, RegulatoryNeed.id == NeedEvent.need_id)
        .where(NeedEvent.to_status.in_((*REALISED, NeedStatus.EXISTING_MEASURE)), _in(NeedEvent.created_at, span))
        .group_by(RegulatoryNeed.group_id)).all()
    put("measures_realised", [(g, a) for g, a, _b in realised])
    put("needs_existing_measure", [(g, b) for g, _a, b in realised])
    put("trial_requests_received", db.session.execute(
        select(TrialRequest.group_id, func.count()).where(_in(TrialRequest.created_at, span))
        .group_by(TrialRequest.group_id)))
    put("trials_completed", db.session.execute(
        select(TrialRequest.group_id, func.count()).select_from(TrialResult)
        .join(TrialRequest, TrialResult.trial_request_id == TrialRequest.id)
        .where(_in(TrialResult.created_at, span)).group_by(TrialRequest.group_id)))
    put("trials_started", db.session.execute(
        select(TrialRequest.group_id, func.count(distinct(AuditEntry.object_id))).select_from(AuditEntry)
        .join(TrialRequest, and_(AuditEntry.object_type == TrialRequest.__tablename__, AuditEntry.object_id == TrialRequest.id))
        .where(AuditEntry.action == TRIAL_STATUS_ACTION, _in(AuditEntry.created_at, span),
               AuditEntry.details["new"].as_string() == TrialRequestStatus.RUNNING.value)
        .group_by(TrialRequest.group_id)))
    put("introductions_made", db.session.execute(
        select(TrialRequest.group_id, func.count()).select_from(Introduction)
        .join(TrialRequest, TrialRequest.id == Introduction.trial_request_id)
        .where(_in(Introduction.introduced_at, span)).group_by(TrialRequest.group_id)))
    put("introductions_agreed", db.session.execute(
        select(TrialRequest.group_id, func.count(distinct(AuditEntry.object_id))).select_from(AuditEntry)
        .join(Introduction, and_(AuditEntry.object_type == Introduction.__tablename__, AuditEntry.object_id == Introduction.id))
        .join(TrialRequest, TrialRequest.id == Introduction.trial_request_id)
        .where(AuditEntry.action == AGREED_ACTION, _in(AuditEntry.created_at, span))
        .group_by(TrialRequest.group_id)))
    held = and_(_in(Meeting.starts_at, span), Meeting.starts_at < now)
    meetings = db.session.execute(
        select(Meeting.group_id, func.count(distinct(Meeting.id)),
               _count_if(MeetingAttendance.status == AttendanceStatus.ATTENDED))
        .outerjoin(MeetingAttendance, MeetingAttendance.meeting_id == Meeting.id).where(held)
        .group_by(Meeting.group_id)).all()
    put("meetings_held", [(g, a) for g, a, _b in meetings])
    put("meeting_attendance", [(g, b) for g, _a, b in meetings])
    put("members_total", db.session.execute(
        select(GroupMembership.group_id, func.count(distinct(GroupMembership.organisation_id)))
        .where(GroupMembership.status == MembershipStatus.ACTIVE, GroupMembership.organisation_id.is_not(None),
               GroupMembership.created_at < span[1])
        .group_by(GroupMembership.group_id)))
    return figures


def working_groups() -> list[WorkingGroup]:
    return list(db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.axis, WorkingGroup.id)))


# --- members, funnel ------------------------------------------------------------------------------

def members_by_sector(year: int) -> list[tuple[str, str | None, int]]:
    """(sector, category, count) of the members at the end of the year."""
    end = fiscal_year_span(year)[1]
    withdrawn = _withdrawals()
    stmt = (select(Organisation.sector, Organisation.category, func.count())
            .outerjoin(withdrawn, withdrawn.c.organisation_id == Organisation.id)
            .where(Organisation.joined_at < end, or_(withdrawn.c.at.is_(None), withdrawn.c.at >= end))
            .group_by(Organisation.sector, Organisation.category))
    return [(s.value, c.value if c else None, int(n)) for s, c, n in db.session.execute(stmt)]


def need_funnel(year: int) -> dict[str, int]:
    """Needs received in the year, by the state they are in now."""
    stmt = (select(RegulatoryNeed.status, func.count()).where(_in(RegulatoryNeed.submitted_at, fiscal_year_span(year)))
            .group_by(RegulatoryNeed.status))
    return {status.value: int(n) for status, n in db.session.execute(stmt)}


def trial_funnel(year: int) -> dict[str, int]:
    """Trial requests received in the year, by the state they are in now."""
    stmt = (select(TrialRequest.status, func.count()).where(_in(TrialRequest.created_at, fiscal_year_span(year)))
            .group_by(TrialRequest.status))
    return {status.value: int(n) for status, n in db.session.execute(stmt)}


# --- one organisation -----------------------------------------------------------------------------

def organisation_activity(organisation_id: int, year: int) -> dict[str, int]:
    """One member organisation's own figures for the year: its requests, needs, introductions, meetings attended."""
    span = fiscal_year_span(year)
    figures = {
        "trial_requests": db.session.scalar(select(func.count()).where(
            TrialRequest.organisation_id == organisation_id, _in(TrialRequest.created_at, span))) or 0,
        "needs": db.session.scalar(select(func.count()).where(
            RegulatoryNeed.organisation_id == organisation_id, _in(RegulatoryNeed.submitted_at, span))) or 0,
    }
    row = db.session.execute(select(
        _count_if(Introduction.requester_organisation_id == organisation_id),
        _count_if(Introduction.target_organisation_id == organisation_id),
        _count_if(Introduction.status == IntroductionStatus.AGREED),
    ).where(or_(Introduction.requester_organisation_id == organisation_id,
                Introduction.target_organisation_id == organisation_id),
            _in(Introduction.introduced_at, span))).one()
    figures["introductions_requested"], figures["introductions_received"], figures["introductions_agreed"] = map(int, row)
    row = db.session.execute(select(func.count(distinct(Meeting.id)), func.count())
                             .select_from(MeetingAttendance).join(Meeting, Meeting.id == MeetingAttendance.meeting_id)
                             .join(User, User.id == MeetingAttendance.user_id)
                             .where(User.organisation_id == organisation_id,
                                    MeetingAttendance.status == AttendanceStatus.ATTENDED,
                                    _in(Meeting.starts_at, span))).one()
    figures["meetings_attended"], figures["attendances"] = int(row[0]), int(row[1])
    return figures


# --- targets, hand-entered figures, evaluation ----------------------------------------------------

def targets(years: list[int]) -> dict[str, dict[int, float]]:
    stmt = select(KpiTarget.indicator, KpiTarget.fiscal_year, KpiTarget.value).where(KpiTarget.fiscal_year.in_(years))
    out: dict[str, dict[int, float]] = {}
    for key, year, value in db.session.execute(stmt):
        out.setdefault(key, {})[year] = value
    return out


def manual_values(years: list[int]) -> list[KpiManualValue]:
    stmt = select(KpiManualValue).where(KpiManualValue.fiscal_year.in_(years))
    return list(db.session.scalars(stmt))


def manual_trend(years: list[int], rows: list[KpiManualValue]) -> dict[str, dict[int, float | None]]:
    out: dict[str, dict[int, float | None]] = {i.key: {y: None for y in years} for i in MANUAL}
    for row in rows:
        if row.indicator in out:
            out[row.indicator][row.fiscal_year] = row.value
    return out


def public_indicators() -> set[str]:
    return set(db.session.scalars(select(PublicIndicator.indicator)))


def weights_for(year: int) -> tuple[int, int, int]:
    row = db.session.get(EvaluationWeights, year)
    return (row.weight_i, row.weight_ii, row.weight_iii) if row else DEFAULT_WEIGHTS


def evaluators_for(year: int) -> list[Evaluator]:
    stmt = select(Evaluator).where(Evaluator.fiscal_year == year).order_by(Evaluator.id)
    return list(db.session.scalars(stmt))


def scores_for(year: int) -> list[EvaluationScore]:
    stmt = select(EvaluationScore).where(EvaluationScore.fiscal_year == year).order_by(EvaluationScore.id)
    return list(db.session.scalars(stmt))


def evaluation_years() -> list[int]:
    """Years with any score, newest first (past years are kept)."""
    return list(db.session.scalars(select(EvaluationScore.fiscal_year).distinct().order_by(EvaluationScore.fiscal_year.desc())))


@dataclass(frozen=True)
class Evaluation:
    year: int
    weights: tuple[int, int, int]
    means: tuple[float | None, float | None, float | None]  # mean score per part over the evaluators
    total: float | None  # the weighted score, 0–100
    scores: list[EvaluationScore]


def combine(weights: tuple[int, int, int], scores: list[tuple[int, int, int]]) -> tuple[tuple, float | None]:
    """Mean per part over the evaluators, then the weighted mean of the parts (weights need not sum to 1)."""
    if not scores:
        return (None, None, None), None
    means = tuple(sum(s[part] for s in scores) / len(scores) for part in range(3))
    total_weight = sum(weights)
    total = sum(w * m for w, m in zip(weights, means)) / total_weight if total_weight else None
    return means, (None if total is None else round(total, 1))


def evaluation(year: int) -> Evaluation:
    scores = scores_for(year)
    weights = weights_for(year)
    means, total = combine(weights, [(s.score_i, s.score_ii, s.score_iii) for s in scores])
    return Evaluation(year, weights, means, total, scores)

