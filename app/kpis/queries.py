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
AGREED_OR_LATER = (IntroductionStatus.AGREED, IntroductionStatus.TRIAL_STARTED)


def _in(column, span: tuple[datetime, datetime]):
    return and_(column >= span[0], column < span[1])


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _count_distinct_if(condition, value):
    return func.count(distinct(case((condition, value), else_=None)))


def _window(years: list[int]) -> tuple[datetime, datetime]:
    return fiscal_year_span(min(years))[0], fiscal_year_span(max(years))[1]


def _fiscal_year(column, years: list[int]):
    """The fiscal year of `column` as a SQL expression (rows outside the window are filtered out by the caller)."""
    return case(*[(column >= fiscal_year_span(y)[0], y) for y in sorted(years, reverse=True)], else_=None)


def _per_year(stmt, column, years: list[int], keys: list[str], out: dict) -> None:
    """Run `stmt` (aggregates named in `keys`) grouped by the fiscal year of `column`, into out[key][year]."""
    year = _fiscal_year(column, years)
    rows = db.session.execute(stmt.add_columns(year.label("fiscal_year")).where(_in(column, _window(years)))
                              .group_by(year)).all()
    for key in keys:
        out.setdefault(key, {y: 0 for y in years})
    for row in rows:
        for key in keys:
            out[key][row.fiscal_year] = int(getattr(row, key) or 0)


def indicator_trend(years: list[int], now: datetime | None = None) -> dict[str, dict[int, float | None]]:
    """Every computed indicator for every year in `years`: {key: {year: value}}.

    One statement per source table, grouped by fiscal year, plus one per median: the statement count
    does not depend on the number of rows or of years.
    """
    years = sorted(set(years))
    now = now or utcnow()
    out: dict[str, dict[int, float | None]] = {}
    count = func.count().label

    _per_year(select(count("needs_received")), RegulatoryNeed.submitted_at, years, ["needs_received"], out)
    _per_year(select(_count_distinct_if(NeedEvent.to_status.in_(REALISED), NeedEvent.need_id).label("measures_realised"),
                     _count_distinct_if(NeedEvent.to_status == NeedStatus.EXISTING_MEASURE, NeedEvent.need_id)
                     .label("needs_existing_measure"))
              .where(NeedEvent.to_status.in_((*REALISED, NeedStatus.EXISTING_MEASURE))),
              NeedEvent.created_at, years, ["measures_realised", "needs_existing_measure"], out)
    _per_packages(years, out)
    _per_year(select(count("trial_requests_received")), TrialRequest.created_at, years, ["trial_requests_received"], out)
    _per_year(select(count("trials_completed")), TrialResult.created_at, years, ["trials_completed"], out)
    started = and_(AuditEntry.action == TRIAL_STATUS_ACTION,
                   AuditEntry.details["new"].as_string() == TrialRequestStatus.RUNNING.value)
    _per_year(select(_count_distinct_if(started, AuditEntry.object_id).label("trials_started"),
                     _count_distinct_if(AuditEntry.action == AGREED_ACTION, AuditEntry.object_id).label("introductions_agreed"))
              .where(AuditEntry.action.in_((TRIAL_STATUS_ACTION, AGREED_ACTION))),
              AuditEntry.created_at, years, ["trials_started", "introductions_agreed"], out)
    _per_year(select(count("introductions_made"), func.count(distinct(Introduction.challenge_id)).label("challenges_matched")),
              Introduction.introduced_at, years, ["introductions_made", "challenges_matched"], out)
    _per_year(select(count("challenges_posted")), RegionalChallenge.created_at, years, ["challenges_posted"], out)
    _per_year(select(count("members_joined")), Organisation.joined_at, years, ["members_joined"], out)
    withdrawn = _withdrawals()
    _per_year(select(count("members_withdrawn")).select_from(withdrawn), withdrawn.c.at, years, ["members_withdrawn"], out)
    out["members_total"] = _members_at_year_ends(years)
    _per_year(select(count("meetings_held")).where(Meeting.starts_at < now), Meeting.starts_at, years, ["meetings_held"], out)
    _per_year(select(count("meeting_attendance")).select_from(MeetingAttendance)
              .join(Meeting, Meeting.id == MeetingAttendance.meeting_id)
              .where(MeetingAttendance.status == AttendanceStatus.ATTENDED, Meeting.starts_at < now),
              Meeting.starts_at, years, ["meeting_attendance"], out)
    out["median_days_to_proposal"] = median_days_to_proposal(years)
    out["median_days_to_introduction"] = median_days_to_introduction(years)
    return {i.key: out[i.key] for i in COMPUTED}


def _per_packages(years: list[int], out: dict) -> None:
    """Packages carry a date (submitted on), not a time: compared with the fiscal year's first and last day."""
    firsts = {y: fiscal_year_bounds(y)[0] for y in years}
    year = case(*[(ProposalPackage.submitted_on >= firsts[y], y) for y in sorted(years, reverse=True)], else_=None)
    stmt = (select(year.label("fiscal_year"), func.count())
            .where(ProposalPackage.submitted_on.between(firsts[min(years)], fiscal_year_bounds(max(years))[1]))
            .group_by(year))
    out["packages_proposed"] = {y: 0 for y in years}
    for fiscal_year, n in db.session.execute(stmt):
        out["packages_proposed"][fiscal_year] = int(n)


def _members_at_year_ends(years: list[int]) -> dict[int, int]:
    """Members on each year's last day: joined before its end, not withdrawn before it (one statement)."""
    withdrawn = _withdrawals()
    ends = {y: fiscal_year_span(y)[1] for y in years}
    cols = [_count_if(and_(Organisation.joined_at < ends[y], or_(withdrawn.c.at.is_(None), withdrawn.c.at >= ends[y])))
            .label(f"y{y}") for y in years]
    row = db.session.execute(select(*cols).select_from(Organisation)
                             .outerjoin(withdrawn, withdrawn.c.organisation_id == Organisation.id)
                             .where(Organisation.joined_at < ends[max(years)])).one()
    return {y: int(row._mapping[f"y{y}"] or 0) for y in years}


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


def _medians(days, moment, years: list[int], *, select_from, where) -> dict[int, float | None]:
    """The median of `days` per fiscal year of `moment`, in the database, in one statement:
    percentile_cont on PostgreSQL; on SQLite, the middle one or two rows of each year by ROW_NUMBER."""
    year = _fiscal_year(moment, years)
    where = [*where, _in(moment, _window(years))]
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = (select(year.label("fiscal_year"), func.percentile_cont(0.5).within_group(days))
                .select_from(select_from).where(*where).group_by(year))
    else:
        ranked = (select(year.label("fiscal_year"), days.label("days"),
                         func.row_number().over(partition_by=year, order_by=days).label("rn"),
                         func.count().over(partition_by=year).label("n"))
                  .select_from(select_from).where(*where).subquery())
        stmt = (select(ranked.c.fiscal_year, func.avg(ranked.c.days))
                .where(ranked.c.rn.between((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2))
                .group_by(ranked.c.fiscal_year))
    found = {fiscal_year: round(float(value), 1) for fiscal_year, value in db.session.execute(stmt) if value is not None}
    return {y: found.get(y) for y in years}


def median_days_to_proposal(years: list[int]) -> dict[int, float | None]:
    """Needs whose first 提案済 step falls in the year: days from receipt (submission) to that step."""
    earlier = aliased(NeedEvent)
    first_proposal = and_(
        NeedEvent.to_status == NeedStatus.PROPOSED,
        ~exists().where(earlier.need_id == NeedEvent.need_id, earlier.to_status == NeedStatus.PROPOSED,
                        or_(earlier.created_at < NeedEvent.created_at,
                            and_(earlier.created_at == NeedEvent.created_at, earlier.id < NeedEvent.id))),
        RegulatoryNeed.submitted_at.is_not(None),
    )
    source = NeedEvent.__table__.join(RegulatoryNeed.__table__, RegulatoryNeed.id == NeedEvent.need_id)
    return _medians(_days_between(RegulatoryNeed.submitted_at, NeedEvent.created_at), NeedEvent.created_at, years,
                    select_from=source, where=[first_proposal])


def median_days_to_introduction(years: list[int]) -> dict[int, float | None]:
    """Trial requests whose first introduction falls in the year: days from the request to it."""
    earlier = aliased(Introduction)
    first = and_(
        Introduction.trial_request_id.is_not(None),
        ~exists().where(earlier.trial_request_id == Introduction.trial_request_id,
                        or_(earlier.introduced_at < Introduction.introduced_at,
                            and_(earlier.introduced_at == Introduction.introduced_at, earlier.id < Introduction.id))),
    )
    source = Introduction.__table__.join(TrialRequest.__table__, TrialRequest.id == Introduction.trial_request_id)
    return _medians(_days_between(TrialRequest.created_at, Introduction.introduced_at), Introduction.introduced_at, years,
                    select_from=source, where=[first])


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
    # Each introduction is one row, counted once per line: one between two sides of the same organisation
    # (its own trial site) counts for its requests, not a second time as received; one whose trial has
    # started since its agreement still led to an agreed trial.
    row = db.session.execute(select(
        _count_if(Introduction.requester_organisation_id == organisation_id),
        _count_if(and_(Introduction.target_organisation_id == organisation_id,
                       Introduction.requester_organisation_id != organisation_id)),
        _count_if(Introduction.status.in_(AGREED_OR_LATER)),
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

