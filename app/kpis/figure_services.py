"""Stored figures of closed fiscal years (締めた年度の数値), so that the KPI pages aggregate only the
current year's rows.

A fiscal year before the current one is *closed*: its rows hardly change any more, yet the dashboard
shows it in every five-year trend. Its computed indicators (overall, scope "all", and per working
group, scope "group:<id>") are therefore kept in `kpi_stored_figures`, computed by the same SQL
aggregates as the live figures (app/kpis/queries.py):

- **written** by `flask kpis close-year` (run it after 1 April for the year just ended, and after any
  change of data made outside the app: bulk SQL, imports), or lazily by the first page that reads a
  closed year whose figures are missing or out of date (that page's transaction stores them; the view
  commits);
- **invalidated** by an ORM hook (below): a flush that inserts, changes or deletes a row that a closed
  year's figures are computed from bumps `kpi_stored_years.generation` of every closed year from the
  row's own year on (figures of later years may depend on it: a need's group, the first introduction
  of a request, members at year end), and figures stored at an older generation are computed again
  on their next read. Rows written with Core statements bypass the hook: run the command.

The current fiscal year changes all the time: its figures are computed live, then kept for
`KPI_CURRENT_YEAR_SECONDS` (five minutes by default; 0 keeps nothing) and the pages say "as of" when
they show kept ones. They are stored with the generation `LIVE`, which no closed year ever has: once
the year closes, they count as stale and the closed year is computed in full. Writes never invalidate
them (every write of the day would contend for the current year's row), so a change shows within that
time. Later years are always computed live; a caller passing `now` (what-if, tests) gets live figures.

These functions keep derived data only (like app.core.analyses keeps the matching analyses): they
decide nothing a user could be refused, so they take no actor and write no audit entry; they flush
through the session's connection and never commit.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable

from flask import current_app
from sqlalchemy import delete, event, select, update
from sqlalchemy import inspect as inspect_object
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.core.database import insert_on_conflict, write_transaction
from app.core.fiscal import current_fiscal_year, fiscal_year_of
from models import (
    AuditEntry, GroupMembership, Introduction, Meeting, MeetingAttendance, NeedEvent, Organisation, ProposalPackage,
    RegionalChallenge, RegulatoryNeed, StatusChange, TrialRequest, TrialResult, db, utcnow,
)
from models.kpis import KpiStoredFigure, KpiStoredYear

from . import queries
from .labels import COMPUTED

log = logging.getLogger(__name__)

ALL = "all"  # the scope of the overall figures
GROUP = "group:"  # the scope prefix of one working group's figures
MEDIANS = frozenset(i.key for i in COMPUTED if i.lower_is_better)  # days, with a decimal; every other figure counts
UPSERT_YEARS = 30  # invalidation creates the year rows this far back (see _invalidate)
LIVE = -1  # stored_generation of the current year's kept figures: never equal to a closed year's generation

_years = KpiStoredYear.__table__
_figures = KpiStoredFigure.__table__


def group_scope(group_id: int) -> str:
    return f"{GROUP}{group_id}"


def is_closed(year: int) -> bool:
    return year < current_fiscal_year()


def _keeps_current_year(year: int, now: datetime | None) -> bool:
    return now is None and year == current_fiscal_year() and current_app.config["KPI_CURRENT_YEAR_SECONDS"] > 0


# --- reading ------------------------------------------------------------------------------------

def indicator_figures(years: Iterable[int], now: datetime | None = None) -> dict[str, dict[int, float | None]]:
    """Every computed indicator for every year: {key: {year: value}}, as `queries.indicator_trend`
    gives them, but closed years read from the stored figures (stored first when missing or stale)."""
    years = sorted(set(years))
    closed = [y for y in years if is_closed(y)]
    live = [y for y in years if not is_closed(y)]
    out: dict[str, dict[int, float | None]] = {i.key: {} for i in COMPUTED}
    stored = _read(closed, scopes=[ALL])
    for year in closed:
        figures = stored.get((year, ALL))
        if figures is None:
            figures = store_year(year)[ALL]
        for key in out:
            out[key][year] = figures.get(key)
    kept = [y for y in live if _keeps_current_year(y, now)]
    for year in kept:
        figures = current_year_figures(year)[0][ALL]
        for key in out:
            out[key][year] = figures.get(key)
    computed = [y for y in live if y not in kept]
    if computed:
        for key, values in queries.indicator_trend(computed, now=now).items():
            out[key].update(values)
    return {key: {y: out[key].get(y) for y in years} for key in out}


def group_figures(year: int, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """{group_id: {key: value}} as `queries.group_indicators` gives them; a closed year from its stored figures."""
    if _keeps_current_year(year, now):
        return _group_part(current_year_figures(year)[0])
    if not is_closed(year):
        return queries.group_indicators(year, now=now)
    rows = db.session.execute(
        select(_figures.c.scope, _figures.c.indicator, _figures.c.value)
        .join(_years, _years.c.fiscal_year == _figures.c.fiscal_year)
        .where(_figures.c.fiscal_year == year, _years.c.stored_generation == _years.c.generation)).all()
    by_scope = _by_scope(rows)
    if ALL not in by_scope:  # not stored, or stale: every stored year has its overall figures
        by_scope = store_year(year)
    return _group_part(by_scope)


def _read(years: list[int], *, scopes: list[str]) -> dict[tuple[int, str], dict[str, Any]]:
    """Fresh stored figures of these years and scopes: {(year, scope): {key: value}} (one statement)."""
    if not years:
        return {}
    stmt = (select(_figures.c.fiscal_year, _figures.c.scope, _figures.c.indicator, _figures.c.value)
            .join(_years, _years.c.fiscal_year == _figures.c.fiscal_year)
            .where(_figures.c.fiscal_year.in_(years), _figures.c.scope.in_(scopes),
                   _years.c.stored_generation == _years.c.generation))
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for year, scope, key, value in db.session.execute(stmt):
        out.setdefault((year, scope), {})[key] = _number(key, value)
    return out


def _number(key: str, value: float | None) -> int | float | None:
    """A stored figure comes back as the live query gives it: a count as an int, a median (days) as a float."""
    return value if value is None or key in MEDIANS else int(value)


def _by_scope(rows: Iterable[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for scope, key, value in rows:
        out.setdefault(scope, {})[key] = _number(key, value)
    return out


def _group_part(by_scope: dict[str, dict[str, Any]]) -> dict[int, dict[str, int]]:
    return {int(scope[len(GROUP):]): {k: int(v) for k, v in figures.items()}
            for scope, figures in by_scope.items() if scope.startswith(GROUP)}


# --- storing ------------------------------------------------------------------------------------

def current_year_figures(year: int) -> tuple[dict[str, dict[str, Any]], datetime]:
    """The current year's figures, {scope: {key: value}}, and the moment they were computed: the kept
    ones while younger than KPI_CURRENT_YEAR_SECONDS, else computed now and kept."""
    fresh_after = utcnow() - timedelta(seconds=current_app.config["KPI_CURRENT_YEAR_SECONDS"])
    rows = db.session.execute(
        select(_figures.c.scope, _figures.c.indicator, _figures.c.value, _years.c.stored_at)
        .join(_years, _years.c.fiscal_year == _figures.c.fiscal_year)
        .where(_figures.c.fiscal_year == year, _years.c.stored_generation == LIVE, _years.c.stored_at >= fresh_after)).all()
    by_scope = _by_scope((scope, key, value) for scope, key, value, _at in rows)
    if ALL in by_scope:
        return by_scope, rows[0].stored_at
    computed_at = utcnow()
    by_scope = _compute(year)
    _store(year, by_scope, LIVE, computed_at)
    return by_scope, computed_at


def current_year_as_of(year: int) -> datetime | None:
    """When the current year's figures a page shows were computed (None: computed for this page, live)."""
    if not _keeps_current_year(year, None):
        return None
    return db.session.scalar(select(_years.c.stored_at).where(_years.c.fiscal_year == year,
                                                              _years.c.stored_generation == LIVE))


def _compute(year: int) -> dict[str, dict[str, Any]]:
    overall = queries.indicator_trend([year])
    by_scope: dict[str, dict[str, Any]] = {ALL: {key: values[year] for key, values in overall.items()}}
    for group_id, figures in queries.group_indicators(year).items():
        by_scope[group_scope(group_id)] = dict(figures)
    return by_scope


def store_year(year: int) -> dict[str, dict[str, Any]]:
    """Compute a closed year's figures (overall and per working group) and store them; returns
    {scope: {key: value}}.

    The aggregates run without SQLite's write lock (a page reads in a deferred transaction); only
    the store is a short write transaction. The figures are stamped with the year's generation as
    read before computing: a change committed meanwhile has bumped it, so they count as stale and
    are computed again on the next read (nothing is locked while computing)."""
    if not is_closed(year):
        raise ValueError(f"FY{year} is not closed yet: its figures are computed live")
    generation = db.session.scalar(select(_years.c.generation).where(_years.c.fiscal_year == year)) or 0
    by_scope = _compute(year)
    _store(year, by_scope, generation, utcnow())
    log.info("stored the figures of FY%s (generation %s)", year, generation)
    return by_scope


def _store(year: int, by_scope: dict[str, dict[str, Any]], generation: int, computed_at: datetime) -> None:
    """One short write transaction. The figures are upserted: two workers storing the same year at once
    (PostgreSQL) both succeed, the later one's figures stay."""
    with write_transaction():
        connection = db.session.connection()
        connection.execute(insert_on_conflict(connection.dialect.name)(_years).values(fiscal_year=year, generation=0)
                           .on_conflict_do_nothing(index_elements=["fiscal_year"]))
        connection.execute(delete(_figures).where(_figures.c.fiscal_year == year))
        upsert = insert_on_conflict(connection.dialect.name)(_figures)
        upsert = upsert.on_conflict_do_update(index_elements=["fiscal_year", "scope", "indicator"],
                                              set_={"value": upsert.excluded.value})
        connection.execute(upsert, [{"fiscal_year": year, "scope": scope, "indicator": key, "value": value}
                                    for scope, figures in by_scope.items() for key, value in figures.items()])
        connection.execute(update(_years).where(_years.c.fiscal_year == year)
                           .values(stored_generation=generation, stored_at=computed_at))


def stored_years() -> list[int]:
    """Closed years that have stored figures (fresh or not), oldest first."""
    return list(db.session.scalars(select(_years.c.fiscal_year).where(
        _years.c.stored_generation.is_not(None), _years.c.fiscal_year < current_fiscal_year())
        .order_by(_years.c.fiscal_year)))


def stale_years() -> list[int]:
    return list(db.session.scalars(select(_years.c.fiscal_year).where(
        _years.c.stored_generation.is_not(None), _years.c.stored_generation != _years.c.generation,
        _years.c.fiscal_year < current_fiscal_year()).order_by(_years.c.fiscal_year)))


# --- invalidation -------------------------------------------------------------------------------

def _values(state, attribute: str) -> list:
    history = state.attrs[attribute].history
    return [v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None]


def _changed(state, attributes: tuple[str, ...]) -> bool:
    return any(state.attrs[a].history.has_changes() for a in attributes)


# model -> (the attributes whose change matters, the attribute holding the row's moment)
TRACKED: dict[type, tuple[tuple[str, ...], str]] = {
    RegulatoryNeed: (("submitted_at", "group_id", "organisation_id"), "submitted_at"),
    NeedEvent: (("created_at", "to_status", "need_id"), "created_at"),
    ProposalPackage: (("submitted_on",), "submitted_on"),
    TrialRequest: (("created_at", "group_id"), "created_at"),
    TrialResult: (("created_at", "trial_request_id"), "created_at"),
    AuditEntry: (("created_at", "action", "object_id", "details"), "created_at"),
    Introduction: (("introduced_at", "trial_request_id", "challenge_id"), "introduced_at"),
    RegionalChallenge: (("created_at",), "created_at"),
    Organisation: (("joined_at",), "joined_at"),
    StatusChange: (("created_at", "new_status", "organisation_id"), "created_at"),
    Meeting: (("starts_at", "group_id"), "starts_at"),
    MeetingAttendance: (("status", "meeting_id", "user_id"), "meeting_id"),
    GroupMembership: (("status", "created_at", "group_id", "organisation_id"), "created_at"),
}
# Deleting one of these may remove rows of earlier years with it (database cascades): every closed year.
EVERY_YEAR_ON_DELETE = (Organisation,)
EVERY_YEAR = -1  # "from the first year on"


def _first_year(session: Session) -> int | None:
    """The earliest fiscal year whose figures this flush may have changed (None: none)."""
    first: int | None = None
    meeting_ids: set[int] = set()

    def consider(moment) -> None:
        nonlocal first
        if isinstance(moment, (date, datetime)):
            year = fiscal_year_of(moment)
            first = year if first is None else min(first, year)

    for obj, deleted in [*((o, False) for o in session.new), *((o, False) for o in session.dirty),
                         *((o, True) for o in session.deleted)]:
        spec = TRACKED.get(type(obj))
        if spec is None:
            continue
        attributes, moment_attribute = spec
        state = inspect_object(obj)
        if not (deleted or obj in session.new or _changed(state, attributes)):
            continue
        if deleted and type(obj) in EVERY_YEAR_ON_DELETE:
            return EVERY_YEAR
        values = _values(state, moment_attribute)
        if not values and not deleted and obj not in session.new:
            values = [getattr(obj, moment_attribute)]  # an expired attribute: loaded (the row still exists)
        if not values and deleted:
            return EVERY_YEAR  # when it happened is unknown: every closed year
        if not values and obj in session.new:
            values = [utcnow()]  # the column's default
        if type(obj) is MeetingAttendance:
            meeting_ids.update(v for v in values if v is not None)
            continue
        for value in values:
            consider(value)
    if meeting_ids:
        for (starts_at,) in session.connection().execute(select(Meeting.starts_at).where(Meeting.id.in_(meeting_ids))):
            consider(starts_at)
    return first


def _invalidate(connection: Connection, first: int, current: int) -> None:
    """Bump the generation of every closed year from `first` on. The recent years are upserted, so that
    a first store of one of them running at the same time (its row not yet committed) waits for this
    change and is computed again; older years are bumped only where a row exists."""
    recent = list(range(max(first, current - UPSERT_YEARS), current))
    if recent:
        stmt = insert_on_conflict(connection.dialect.name)(_years)
        stmt = stmt.on_conflict_do_update(index_elements=["fiscal_year"], set_={"generation": _years.c.generation + 1})
        connection.execute(stmt, [{"fiscal_year": year, "generation": 1} for year in recent])
    if first < current - UPSERT_YEARS:
        connection.execute(update(_years).where(_years.c.fiscal_year >= first, _years.c.fiscal_year < current - UPSERT_YEARS)
                           .values(generation=_years.c.generation + 1))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    first = _first_year(session)
    if first is None:
        return
    current = current_fiscal_year()
    if first < current:
        _invalidate(session.connection(), first, current)


def recompute(years: Iterable[int], echo: Callable[[str], Any] = log.info) -> list[int]:
    """Store these closed years' figures again (the command's work); returns the years stored."""
    done = []
    for year in sorted(set(years)):
        store_year(year)
        done.append(year)
        echo(f"FY{year}: figures stored")
    return done
