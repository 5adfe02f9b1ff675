"""Rows to the matching library's plain objects: sites and organisations to Candidates, trial
requests and regional challenges to Queries. Ids are "site:<id>" and "org:<id>"."""
from __future__ import annotations

import datetime as dt
import logging
import math
from collections import namedtuple
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import ColumnElement, Select, and_, or_, select

from matching import Analysis, Candidate, CorpusStats, Query
from app.core import analyses
from app.core.analyses import View
from app.members.directory_queries import ORGANISATION_ANALYSIS as ORGANISATION
from app.members.directory_queries import PARTNER_CORPUS
from app.trials.permissions import REQUEST_ANALYSIS
from app.trials.queries import SITE_ANALYSIS as SITE
from models import (
    IndustryCategory,
    MatchAnalysis,
    Organisation,
    OrganisationStatus,
    RegionalChallenge,
    Role,
    Sector,
    SiteAvailability,
    TrialRequest,
    TrialSite,
    User,
    db,
    listed_in,
    technologies_in,
)

log = logging.getLogger(__name__)


# The support (SupportKind values) an organisation of each sector can typically give a trial, assumed
# when an organisation has not stated its own in its profile. A site always offers site coordination.
SUPPORT_BY_SECTOR = {
    Sector.GOVERNMENT: ("site_coordination", "permits", "pr"),
    Sector.FINANCE: ("funding",),
    Sector.CITIZENS: ("monitors", "pr"),
    Sector.ACADEMIA: ("partners",),
    Sector.INDUSTRY: ("partners",),
}
SITE_SUPPORT = ("site_coordination",)


@dataclass
class Area:
    """Where to look: a point (lat, lon) and an optional radius in km."""

    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None


def candidate_id(kind: str, number: int) -> str:
    """The library's id of a site ("site:3") or an organisation ("org:7"); `parse_id` reads it back."""
    return f"site:{number}" if kind == SITE else f"org:{number}"


def site_id(site: TrialSite) -> str:
    return candidate_id(SITE, site.id)


def organisation_id(organisation: Organisation) -> str:
    return candidate_id(ORGANISATION, organisation.id)


def parse_id(value: str) -> tuple[str, int]:
    prefix, _, number = value.partition(":")
    return (SITE if prefix == "site" else ORGANISATION), int(number)


# What the matcher reads of a site and of an organisation: plain rows of these columns (or the ORM
# objects, which have the same attributes). Reading a few hundred candidates as rows, not entities,
# was a fifth of the matcher page at 100,000 needs.
SITE_COLUMNS = (TrialSite.id, TrialSite.name_ja, TrialSite.name_en, TrialSite.features_ja, TrialSite.features_en,
                TrialSite.constraints, TrialSite.technologies, TrialSite.municipality, TrialSite.latitude,
                TrialSite.longitude)
ORGANISATION_COLUMNS = (Organisation.id, Organisation.name_ja, Organisation.name_en, Organisation.description,
                        Organisation.capabilities, Organisation.municipality, Organisation.latitude,
                        Organisation.longitude, Organisation.offered_support, Organisation.sector,
                        Organisation.service_scope, Organisation.service_area, Organisation.service_radius_km)


def yearly_ranges(periods, first_year: int, last_year: int) -> list[tuple[dt.date, dt.date]]:
    """A site's yearly availability `periods` (start_month, end_month) as date ranges over the years
    a query spans."""
    ranges = []
    for year in range(first_year - 1, last_year + 1):
        for period in periods:
            start = dt.date(year, period.start_month, 1)
            end_year = year if period.end_month >= period.start_month else year + 1
            end = dt.date(end_year + (period.end_month == 12), 1 if period.end_month == 12 else period.end_month + 1, 1)
            ranges.append((start, end - dt.timedelta(days=1)))
    return ranges


def site_candidate(site, years: tuple[int, int] | None, periods: Sequence = ()) -> Candidate:
    """The site (a TrialSite or a row of SITE_COLUMNS) for the library, available in its yearly
    `periods` over `years`; `years` None: without availability (what is analysed and stored)."""
    return Candidate(
        id=site_id(site), kind=SITE, name=f"{site.name_ja} {site.name_en}",
        text="\n".join(p for p in (site.features_ja, site.features_en, site.constraints) if p),
        tags=technologies_in(site.technologies), municipality=site.municipality, lat=site.latitude, lon=site.longitude,
        available=yearly_ranges(periods, *years) if years and periods else [], support=list(SITE_SUPPORT),
    )


def organisation_candidate(organisation) -> Candidate:
    """The organisation (an Organisation or a row of ORGANISATION_COLUMNS) for the library."""
    tags = listed_in(organisation.capabilities)
    return Candidate(
        id=organisation_id(organisation), kind=ORGANISATION, name=f"{organisation.name_ja} {organisation.name_en}",
        text="\n".join(p for p in (organisation.description, organisation.capabilities) if p), tags=tags,
        municipality=organisation.municipality, lat=organisation.latitude, lon=organisation.longitude,
        support=list(organisation.offered_support or SUPPORT_BY_SECTOR.get(organisation.sector, ())),
        **service_fields(organisation),
    )


def service_fields(organisation) -> dict:
    """The organisation's service area as the library's Candidate fields (none when not stated)."""
    scope = organisation.service_scope or ""
    if scope == "municipalities":
        names = listed_in(organisation.service_area)
        return {"service_area": names} if names else {}
    if scope == "radius" and organisation.service_radius_km:
        return {"service_radius_km": float(organisation.service_radius_km)}
    if scope in ("hokkaido", "nationwide"):
        return {"service_scope": scope}
    return {}


def startup_applicant() -> ColumnElement[bool]:
    return (Organisation.category == IndustryCategory.STARTUP) & (Organisation.status == OrganisationStatus.APPLICANT)


def in_partner_corpus() -> ColumnElement[bool]:
    """The organisations the partner corpus counts (see `_organisation_views`): members, and startups
    still applying (partners of regional challenges)."""
    return or_(Organisation.status == OrganisationStatus.ACTIVE, startup_applicant())


def secretariat_organisations() -> Select:
    """The organisations of the secretariat's staff: never proposed as partners."""
    return select(User.organisation_id).where(User.role.in_((Role.SECRETARIAT, Role.ADMIN)),
                                              User.organisation_id.is_not(None))


def is_partner(exclude_id: int | None, include_startups: bool) -> ColumnElement[bool]:
    """Member organisations (and, for regional challenges, startups still applying), not the asking one."""
    wanted = Organisation.status == OrganisationStatus.ACTIVE
    if include_startups:
        wanted = or_(wanted, startup_applicant())
    condition = and_(wanted, Organisation.id.not_in(secretariat_organisations()))
    return condition if exclude_id is None else and_(condition, Organisation.id != exclude_id)


def partner_scope(exclude_id: int | None, include_startups: bool) -> Select:
    return select(Organisation).where(is_partner(exclude_id, include_startups))


def partner_organisations(exclude_id: int | None, include_startups: bool) -> list[Organisation]:
    return list(db.session.scalars(partner_scope(exclude_id, include_startups).order_by(Organisation.id)))


def all_sites() -> list[TrialSite]:
    return list(db.session.scalars(select(TrialSite).order_by(TrialSite.id)))


# Stored analyses: sites and organisations are the matcher's candidates (their term counts make the
# "partner" corpus, named with the organisation's analysis in app.members.directory_queries, whose
# search reads it too); trial requests and regional challenges keep theirs as queries.


def _organisation_views(organisation: Organisation) -> dict[str, View]:
    partner = organisation.status == OrganisationStatus.ACTIVE or (
        organisation.category == IndustryCategory.STARTUP and organisation.status == OrganisationStatus.APPLICANT)
    return {ORGANISATION: View(organisation_candidate(organisation), (PARTNER_CORPUS,) if partner else ())}


analyses.register_model(TrialSite, (SITE,), lambda site: {SITE: View(site_candidate(site, None), (PARTNER_CORPUS,))})
analyses.register_model(Organisation, (ORGANISATION,), _organisation_views)
analyses.register_model(TrialRequest, (REQUEST_ANALYSIS,), lambda r: {REQUEST_ANALYSIS: View(Candidate(
    id=str(r.id), kind="request", text=r.matcher_text()))})
analyses.register_model(RegionalChallenge, ("challenge",), lambda ch: {"challenge": View(Candidate(
    id=str(ch.id), kind="challenge", name=ch.title, text=ch.description, tags=ch.tag_list))})


def _box(stmt: Select, area: "Area") -> Select:
    """Sites that can lie inside the circle (a box around it), and sites without a place."""
    if area.lat is None or area.lon is None or area.radius_km is None:
        return stmt
    dlat = area.radius_km / 110.5 * 1.02
    dlon = area.radius_km / (111.32 * max(math.cos(math.radians(min(abs(area.lat) + dlat, 89.0))), 0.01)) * 1.02
    return stmt.where(or_(TrialSite.latitude.is_(None), TrialSite.longitude.is_(None), and_(
        TrialSite.latitude.between(area.lat - dlat, area.lat + dlat),
        TrialSite.longitude.between(area.lon - dlon, area.lon + dlon))))


def partner_rows(kind: str) -> Select:
    """Sites or organisations (columns of SITE_COLUMNS or ORGANISATION_COLUMNS) with their stored
    analyses, the last column; narrow it with `.where`, read it with `analyses.read`, then `partners`."""
    model, columns = (TrialSite, SITE_COLUMNS) if kind == SITE else (Organisation, ORGANISATION_COLUMNS)
    return (select(*columns, MatchAnalysis.analysis)
            .join(MatchAnalysis, and_(MatchAnalysis.item_id == model.id, MatchAnalysis.kind == kind)))


_SiteRow = namedtuple("_SiteRow", [column.key for column in SITE_COLUMNS])
_OrganisationRow = namedtuple("_OrganisationRow", [column.key for column in ORGANISATION_COLUMNS])


def site_periods(site_ids) -> dict[int, list]:
    """The yearly availability periods (start_month, end_month) of these sites, by site id (one query)."""
    periods: dict[int, list] = {}
    if site_ids:
        for period in db.session.execute(
                select(SiteAvailability.site_id, SiteAvailability.start_month, SiteAvailability.end_month)
                .where(SiteAvailability.site_id.in_(set(site_ids)))
                .order_by(SiteAvailability.site_id, SiteAvailability.start_month, SiteAvailability.id)):
            periods.setdefault(period.site_id, []).append(period)
    return periods


def partners(kind: str, rows: Sequence[tuple], years: tuple[int, int] | None = None,
             periods: dict[int, list] | None = None) -> list[tuple[Candidate, Analysis]]:
    """Rows of `partner_rows(kind)` as the library's candidates with their stored analyses: sites
    available over `years` in their `periods` (read here when not given); organisations take neither."""
    if kind == SITE:
        periods = site_periods([row[0] for row in rows]) if periods is None else periods
        sites = [_SiteRow._make(row[:-1]) for row in rows]
        return [(site_candidate(site, years, periods.get(site.id, ())), row[-1]) for site, row in zip(sites, rows)]
    return [(organisation_candidate(_OrganisationRow._make(row[:-1])), row[-1]) for row in rows]


def retrieve_partners(query: Query, area: "Area", exclude_id: int | None, include_startups: bool,
                      kinds: list[str] | None) -> tuple[list[tuple[Candidate, Analysis]], CorpusStats | None]:
    """(sites and organisations as candidates with their stored analyses, term counts or None): all
    of them when there are at most analyses.POOL, else the best retrieved by the query's rarest terms."""
    organisations = partner_rows(ORGANISATION).where(is_partner(exclude_id, include_startups))
    wanted = [(SITE, partner_rows(SITE), TrialSite), (ORGANISATION, organisations, Organisation)]
    wanted = [w for w in wanted if kinds is None or w[0] in kinds]
    few = sum(len(db.session.scalars(stmt.with_only_columns(model.id).limit(analyses.ALL_BELOW + 1)).all())
              for _, stmt, model in wanted)
    years = query_years(query)
    if few <= analyses.ALL_BELOW:
        return [pair for kind, stmt, model in wanted for pair in partners(kind, analyses.read(stmt.order_by(model.id)), years)], None
    # Every site and every partner organisation is counted in the partner corpus: search within it.
    query_terms = analyses.query_terms(query.text, query.tags)
    counts = analyses.term_counts(PARTNER_CORPUS, query_terms)
    terms = analyses.rare_terms(PARTNER_CORPUS, query_terms, counted_only=True, counts=counts)
    if not terms:
        return [], None
    found = [pair for kind, stmt, model in wanted for pair in partners(kind, analyses.search(
        _box(stmt, area) if model is TrialSite else stmt, terms, counts, corpus=PARTNER_CORPUS), years)]
    return found, analyses.corpus_stats(PARTNER_CORPUS, (a for _, a in found))


def place_of(municipality: str) -> tuple[float, float] | None:
    """A point for a municipality name, taken from a site or organisation located there."""
    name = municipality.strip()
    if not name:
        return None
    for model in (TrialSite, Organisation):
        row = db.session.scalars(
            select(model).where(model.municipality.contains(name), model.latitude.is_not(None)).limit(1)
        ).first()
        if row is not None:
            return row.latitude, row.longitude
    return None


def request_area(trial_request: TrialRequest, municipality: str = "", radius_km: float | None = None) -> Area:
    """The area of a request; `municipality` and `radius_km` (matcher filters) override the request's."""
    lat, lon = trial_request.latitude, trial_request.longitude
    where = municipality or ("" if lat is not None else trial_request.municipality)
    if where:
        point = place_of(where)
        lat, lon = point if point else (lat, lon)
    return Area(lat, lon, radius_km if radius_km is not None else trial_request.radius_km)


def request_query(trial_request: TrialRequest, area: Area, kinds: list[str] | None) -> Query:
    period = None
    if trial_request.period_start and trial_request.period_end:
        period = (trial_request.period_start, trial_request.period_end)
    return Query(id=f"request:{trial_request.id}", text=trial_request.matcher_text(), lat=area.lat, lon=area.lon,
                 radius_km=area.radius_km if area.lat is not None else None, period=period, kinds=kinds,
                 support=list(trial_request.support or []))


def challenge_area(challenge: RegionalChallenge, municipality: str = "", radius_km: float | None = None) -> Area:
    lat, lon = challenge.latitude, challenge.longitude
    where = municipality or ("" if lat is not None else challenge.municipality)
    if where:
        point = place_of(where)
        lat, lon = point if point else (lat, lon)
    return Area(lat, lon, radius_km)


def challenge_query(challenge: RegionalChallenge, area: Area, kinds: list[str] | None) -> Query:
    return Query(id=f"challenge:{challenge.id}", text=f"{challenge.title}\n{challenge.description}",
                 tags=challenge.tag_list, lat=area.lat, lon=area.lon,
                 radius_km=area.radius_km if area.lat is not None else None, kinds=kinds)


def query_years(query: Query) -> tuple[int, int]:
    if query.period:
        return query.period[0].year, query.period[1].year
    year = dt.date.today().year
    return year, year + 1
