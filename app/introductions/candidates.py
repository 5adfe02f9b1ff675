"""Rows to the matching library's plain objects: sites and organisations to Candidates, trial
requests and regional challenges to Queries. Ids are "site:<id>" and "org:<id>"."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import or_, select

from matching import Candidate, Query
from models import (
    IndustryCategory,
    Organisation,
    OrganisationStatus,
    RegionalChallenge,
    Role,
    Sector,
    TrialRequest,
    TrialSite,
    User,
    db,
)

log = logging.getLogger(__name__)

SITE, ORGANISATION = "site", "organisation"

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


def site_id(site: TrialSite) -> str:
    return f"site:{site.id}"


def organisation_id(organisation: Organisation) -> str:
    return f"org:{organisation.id}"


def parse_id(candidate_id: str) -> tuple[str, int]:
    prefix, _, number = candidate_id.partition(":")
    return (SITE if prefix == "site" else ORGANISATION), int(number)


def yearly_ranges(site: TrialSite, first_year: int, last_year: int) -> list[tuple[dt.date, dt.date]]:
    """A site's yearly availability periods as date ranges over the years a query spans."""
    ranges = []
    for year in range(first_year - 1, last_year + 1):
        for period in site.periods:
            start = dt.date(year, period.start_month, 1)
            end_year = year if period.end_month >= period.start_month else year + 1
            end = dt.date(end_year + (period.end_month == 12), 1 if period.end_month == 12 else period.end_month + 1, 1)
            ranges.append((start, end - dt.timedelta(days=1)))
    return ranges


def site_candidate(site: TrialSite, years: tuple[int, int]) -> Candidate:
    return Candidate(
        id=site_id(site), kind=SITE, name=f"{site.name_ja} {site.name_en}",
        text="\n".join(p for p in (site.features_ja, site.features_en, site.constraints) if p),
        tags=site.technology_tags, municipality=site.municipality, lat=site.latitude, lon=site.longitude,
        available=yearly_ranges(site, *years) if site.periods else [], support=list(SITE_SUPPORT),
    )


def organisation_candidate(organisation: Organisation) -> Candidate:
    tags = [t.strip() for t in organisation.capabilities.replace("；", ";").split(";") if t.strip()]
    return Candidate(
        id=organisation_id(organisation), kind=ORGANISATION, name=f"{organisation.name_ja} {organisation.name_en}",
        text="\n".join(p for p in (organisation.description, organisation.capabilities) if p), tags=tags,
        municipality=organisation.municipality, lat=organisation.latitude, lon=organisation.longitude,
        support=list(organisation.offered_support or SUPPORT_BY_SECTOR.get(organisation.sector, ())),
    )


def partner_organisations(exclude_id: int | None, include_startups: bool) -> list[Organisation]:
    """Member organisations (and, for regional challenges, startups still applying), not the asking one."""
    wanted = Organisation.status == OrganisationStatus.ACTIVE
    if include_startups:
        wanted = or_(wanted, (Organisation.category == IndustryCategory.STARTUP)
                     & (Organisation.status == OrganisationStatus.APPLICANT))
    secretariat = select(User.organisation_id).where(User.role.in_((Role.SECRETARIAT, Role.ADMIN)),
                                                     User.organisation_id.is_not(None))
    stmt = select(Organisation).where(wanted, Organisation.id.not_in(secretariat)).order_by(Organisation.id)
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    return list(db.session.scalars(stmt))


def all_sites() -> list[TrialSite]:
    return list(db.session.scalars(select(TrialSite).order_by(TrialSite.id)))


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
