"""Matches (secretariat): the matcher's ranked sites and partners for a trial request or a regional
challenge, with the reasons; every run is stored, as on the matcher page."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask_login import current_user
from pydantic import Field

from app.core.database import begin_write
from app.introductions.matcher_services import MatchFilters, match_challenge, match_trial_request
from app.introductions.permissions import can_run_matcher
from app.introductions.services import record_run
from app.permissions import require
from app.web.loaders import get_or_404
from models import RegionalChallenge, TrialRequest

from .auth import READ
from .operations import operation
from .schemas import QueryModel, ResponseModel, Text


class Suggestion(ResponseModel):
    id: int
    rank: int
    kind: Literal["site", "organisation"]
    site_id: int | None
    organisation_id: int | None
    score: float
    reasons: dict[str, Any] = Field(description="Per-component scores, contributions and the matched words.")


class MatchRunOut(ResponseModel):
    """One run of the matcher (stored, so introductions can be made from its suggestions)."""

    id: int
    trial_request_id: int | None
    challenge_id: int | None
    created_at: datetime
    filters: dict[str, Any]
    suggestions: list[Suggestion]


class MatchQuery(QueryModel):
    kind: Literal["all", "site", "organisation"] | None = Field(None, description="Default: all for a request, organisation for a challenge.")
    municipality: Text(100) = Field("", description="Look around this municipality instead of the request's place.")
    radius_km: float | None = Field(None, ge=1, le=2000, allow_inf_nan=False)
    top: int = Field(10, ge=1, le=50)


def _filters(query: MatchQuery, default_kind: str) -> MatchFilters:
    return MatchFilters(query.kind or default_kind, query.municipality, query.radius_km, query.top)


@operation("/trial-requests/<int:request_id>/matches", summary="Match a field-trial request", tag="matches",
           access=READ, query=MatchQuery, response=MatchRunOut, errors=(403, 404))
def match_request(request_id: int, query: MatchQuery):
    """The secretariat: trial sites and partner organisations ranked for the request."""
    require(can_run_matcher(current_user))
    trial_request = get_or_404(TrialRequest, request_id)
    filters = _filters(query, "all")
    results = match_trial_request(trial_request, filters)
    begin_write()  # ranked in a read transaction; storing the run takes SQLite's lock briefly
    run = record_run(current_user, trial_request=trial_request, filters=filters.as_dict(), results=results)
    return MatchRunOut.model_validate(run)


@operation("/challenges/<int:challenge_id>/matches", summary="Match a regional challenge", tag="matches",
           access=READ, query=MatchQuery, response=MatchRunOut, errors=(403, 404))
def match_challenge_op(challenge_id: int, query: MatchQuery):
    """The secretariat: organisations (and sites) that could answer a regional challenge."""
    require(can_run_matcher(current_user))
    challenge = get_or_404(RegionalChallenge, challenge_id)
    filters = _filters(query, "organisation")
    results = match_challenge(challenge, filters)
    begin_write()
    run = record_run(current_user, challenge=challenge, filters=filters.as_dict(), results=results)
    return MatchRunOut.model_validate(run)
