"""Running the matcher for a trial request or a regional challenge: filters in, explained results out."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from app.core import analyses
from matching import Analysis, Candidate, CorpusStats, Index, Result, Weights
from models import RegionalChallenge, TrialRequest

from . import candidates as c
from . import partner_index
from .weights import stored_weights

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


def candidate_index(pairs: list[tuple[Candidate, Analysis]], corpus: CorpusStats | None) -> Index | None:
    """The library's index over (candidate, stored analysis) pairs (`candidates.partners`); None without any."""
    if not pairs:
        return None
    return Index.build([candidate for candidate, _ in pairs], analyzer=analyses.analyzer(),
                       analyses=[analysis for _, analysis in pairs], corpus=corpus)


def _rank(query, area: c.Area, exclude_id: int | None, include_startups: bool, top: int,
          weights: Weights | None = None) -> list[Result]:
    """Ranked by the library from the stored analyses: within the process's index of all partners
    when it has a current one for the query, else among candidates retrieved from the database."""
    whole = partner_index.ranked(query, exclude_id, include_startups, top, weights)
    if whole is not None:
        return whole
    found, corpus = c.retrieve_partners(query, area, exclude_id, include_startups, query.kinds)
    index = candidate_index(found, corpus)
    return index.rank(query, limit=top, weights=weights) if index is not None else []


def match_trial_request(trial_request: TrialRequest, filters: MatchFilters) -> list[Result]:
    """Ranked with the learnt weights when `flask matcher learn --apply` stored some (they were
    learnt from trial requests' outcomes only, so regional challenges keep the defaults)."""
    area = c.request_area(trial_request, filters.municipality, filters.radius_km)
    query = c.request_query(trial_request, area, filters.kinds())
    return _rank(query, area, trial_request.organisation_id, False, filters.top, stored_weights())


def match_challenge(challenge: RegionalChallenge, filters: MatchFilters) -> list[Result]:
    area = c.challenge_area(challenge, filters.municipality, filters.radius_km)
    query = c.challenge_query(challenge, area, filters.kinds())
    return _rank(query, area, challenge.organisation_id, True, filters.top)


WIDEST_KM = 2000.0  # the matcher's largest radius: "nearest matches" when nothing lies inside the circle
NEAREST = 5


def request_circle(trial_request: TrialRequest, filters: MatchFilters) -> float | None:
    """The radius of the request's circle (a point and a radius), None when the query has no circle."""
    area = c.request_area(trial_request, filters.municipality, filters.radius_km)
    return area.radius_km if area.lat is not None and area.radius_km is not None else None


def challenge_circle(challenge: RegionalChallenge, filters: MatchFilters) -> float | None:
    area = c.challenge_area(challenge, filters.municipality, filters.radius_km)
    return area.radius_km if area.lat is not None and area.radius_km is not None else None


def inside_circle(results: list[Result]) -> bool:
    """Whether any real (not weak) located result lies inside the query's circle."""
    return any(r.reasons.within_radius and not r.reasons.weak for r in results)


def nearest_matches(results: list[Result], circle: float, top: int = NEAREST) -> list[Result]:
    """The real matches that have a location, nearest first (ranked over the widest radius);
    ``within_radius`` is set against the query's own circle, not the widest radius."""
    located = sorted((r for r in results if r.reasons.distance_km is not None and not r.reasons.weak),
                     key=lambda r: (r.reasons.distance_km, -r.score))[:top]
    for r in located:
        r.reasons.within_radius = r.reasons.distance_km <= circle
    return located


def match_nearest_for_request(trial_request: TrialRequest, filters: MatchFilters, circle: float) -> list[Result]:
    return nearest_matches(match_trial_request(trial_request, replace(filters, radius_km=WIDEST_KM, top=50)), circle)


def match_nearest_for_challenge(challenge: RegionalChallenge, filters: MatchFilters, circle: float) -> list[Result]:
    return nearest_matches(match_challenge(challenge, replace(filters, radius_km=WIDEST_KM, top=50)), circle)


def shown_rows(suggestions) -> tuple[list, list]:
    """Attach the component bars (0-100 per component) to stored suggestions for the template, split
    into real matches and weak ones (``reasons.weak``: little text relevance), each in ranked order.
    With a circle, real matches without a location (no ``distance_km``) go apart: see `unlocated`."""
    good, weak = [], []
    for s in suggestions:
        comps = s.reasons.get("components", {})
        contrib = s.reasons.get("contributions", {})
        row = (s, [(name, round(100 * value, 1), contrib.get(name, 0.0)) for name, value in comps.items()])
        (weak if s.reasons.get("weak") else good).append(row)
    return good, weak


def unlocated(rows: list, circle: float | None) -> tuple[list, list]:
    """With a circle: (located rows, rows without a location on file); without one: (rows, [])."""
    if circle is None:
        return rows, []
    located = [row for row in rows if row[0].reasons.get("distance_km") is not None]
    return located, [row for row in rows if row[0].reasons.get("distance_km") is None]
