"""Running the matcher for a trial request or a regional challenge: filters in, explained results out."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from app.core.indexes import build_index
from matching import Result
from models import Organisation, RegionalChallenge, TrialRequest, TrialSite

from . import candidates as c

log = logging.getLogger(__name__)

KIND_CHOICES = ("all", c.SITE, c.ORGANISATION)


@dataclass
class MatchFilters:
    """The secretariat's adjustments on the matcher page."""

    kind: str = "all"
    municipality: str = ""
    radius_km: float | None = None
    top: int = 10

    @classmethod
    def from_args(cls, args, default_kind: str = "all") -> "MatchFilters":
        kind = args.get("kind", default_kind)
        try:
            radius = float(args["radius_km"]) if args.get("radius_km") else None
        except ValueError:
            radius = None
        if radius is not None and not 1 <= radius <= 2000:
            radius = None
        try:
            top = min(max(int(args.get("top", 10)), 1), 50)
        except ValueError:
            top = 10
        return cls(kind if kind in KIND_CHOICES else default_kind, args.get("municipality", "").strip()[:100], radius, top)

    def kinds(self) -> list[str] | None:
        return None if self.kind == "all" else [self.kind]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "municipality": self.municipality, "radius_km": self.radius_km, "top": self.top}


def _rank(query, sites: list[TrialSite], organisations: list[Organisation], top: int) -> list[Result]:
    years = c.query_years(query)
    pool = [c.site_candidate(s, years) for s in sites] + [c.organisation_candidate(o) for o in organisations]
    if not pool:
        return []
    return build_index(pool).rank(query, limit=top)


def match_trial_request(trial_request: TrialRequest, filters: MatchFilters) -> list[Result]:
    area = c.request_area(trial_request, filters.municipality, filters.radius_km)
    query = c.request_query(trial_request, area, filters.kinds())
    partners = c.partner_organisations(trial_request.organisation_id, include_startups=False)
    return _rank(query, c.all_sites(), partners, filters.top)


def match_challenge(challenge: RegionalChallenge, filters: MatchFilters) -> list[Result]:
    area = c.challenge_area(challenge, filters.municipality, filters.radius_km)
    query = c.challenge_query(challenge, area, filters.kinds())
    partners = c.partner_organisations(challenge.organisation_id, include_startups=True)
    return _rank(query, c.all_sites(), partners, filters.top)


def shown_rows(suggestions) -> list:
    """Attach the component bars (0-100 per component) to stored suggestions for the template."""
    rows = []
    for s in suggestions:
        comps = s.reasons.get("components", {})
        contrib = s.reasons.get("contributions", {})
        rows.append((s, [(name, round(100 * value, 1), contrib.get(name, 0.0)) for name, value in comps.items()]))
    return rows

