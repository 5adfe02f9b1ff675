"""/trial-sites: the public catalogue for everyone; adding and editing for members (their own sites) and the secretariat."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_login import current_user
from pydantic import Field, model_validator
from sqlalchemy.orm import selectinload

from app.trials.labels import SEASONS
from app.trials.site_services import create_site, search_sites, update_site
from app.web.loaders import get_or_404
from models import SiteKind, TrialSite

from .auth import PUBLIC, WRITE
from .operations import operation
from .schemas import PageQuery, RequestModel, ResponseModel, Text, page_model, page_of

Season = Literal[("", *SEASONS)]


class Period(ResponseModel):
    start_month: int = Field(ge=1, le=12)
    end_month: int = Field(ge=1, le=12)
    note: Text(200) = ""


class TrialSiteOut(ResponseModel):
    """A trial site (実証フィールド). `owner_organisation_id` null: kept by the secretariat."""

    id: int
    code: str
    name_ja: str
    name_en: str
    kind: SiteKind
    owner_organisation_id: int | None
    municipality: str
    latitude: float | None
    longitude: float | None
    features_ja: str
    features_en: str
    technologies: str = Field(description="Technologies that fit, separated by semicolons.")
    constraints: str
    permits: str
    contact: str
    periods: list[Period] = Field(description="Yearly availability periods; none: all year.")
    created_at: datetime
    updated_at: datetime


def _point(model):
    if (model.latitude is None) != (model.longitude is None):
        raise ValueError("Give both latitude and longitude, or neither.")
    return model


class TrialSiteIn(RequestModel):
    name_ja: Text(200, 1)
    name_en: Text(200) = ""
    kind: SiteKind = SiteKind.OTHER
    municipality: Text(200, 1)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    features_ja: Text(5000) = ""
    features_en: Text(5000) = ""
    technologies: Text(1000) = ""
    constraints: Text(3000) = ""
    permits: Text(3000) = ""
    contact: Text(300) = ""
    periods: list[Period] = Field(default_factory=list, max_length=12)

    _point_complete = model_validator(mode="after")(_point)


class TrialSitePatch(RequestModel):
    """Only the fields given are changed; `periods` replaces every period."""

    name_ja: Text(200, 1) | None = None
    name_en: Text(200) | None = None
    kind: SiteKind | None = None
    municipality: Text(200, 1) | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    features_ja: Text(5000) | None = None
    features_en: Text(5000) | None = None
    technologies: Text(1000) | None = None
    constraints: Text(3000) | None = None
    permits: Text(3000) | None = None
    contact: Text(300) | None = None
    periods: list[Period] | None = Field(None, max_length=12)

    _point_complete = model_validator(mode="after")(_point)


class TrialSiteFilters(PageQuery):
    q: Text(100) = Field("", description="Words of the name, features or technologies (each word, in Japanese or English).")
    kind: SiteKind | None = None
    municipality: Text(100) = ""
    technology: Text(100) = ""
    season: Season = Field("", description="Sites available in that season.")


def _values(body: RequestModel) -> dict:
    values = body.model_dump(exclude_none=True, exclude_unset=isinstance(body, TrialSitePatch))
    if "periods" in values:  # from the models: a patch's dump leaves out the unset notes of its periods
        values["periods"] = [(p.start_month, p.end_month, p.note) for p in body.periods]
    return values


@operation("/trial-sites", summary="List trial sites", tag="trial sites", access=PUBLIC, query=TrialSiteFilters,
           response=page_model(TrialSiteOut))
def list_trial_sites(query: TrialSiteFilters):
    """The public catalogue, filtered as on the catalogue page."""
    stmt = search_sites(q=query.q, kind=query.kind.value if query.kind else "", municipality=query.municipality,
                        technology=query.technology, season=query.season)
    return page_of(stmt.options(selectinload(TrialSite.periods)), query, TrialSiteOut)


@operation("/trial-sites/<int:site_id>", summary="One trial site", tag="trial sites", access=PUBLIC,
           response=TrialSiteOut, errors=(404,))
def get_trial_site(site_id: int):
    return TrialSiteOut.model_validate(get_or_404(TrialSite, site_id))


@operation("/trial-sites", method="POST", summary="Add a trial site", tag="trial sites", access=WRITE, body=TrialSiteIn,
           response=TrialSiteOut, status=201, errors=(403,), idempotent_create=True)
def create_trial_site(body: TrialSiteIn):
    """A member adds a site its organisation owns; the secretariat adds sites it keeps."""
    return TrialSiteOut.model_validate(create_site(current_user, _values(body)))


@operation("/trial-sites/<int:site_id>", method="PATCH", summary="Edit a trial site", tag="trial sites", access=WRITE,
           body=TrialSitePatch, response=TrialSiteOut, errors=(403, 404))
def edit_trial_site(site_id: int, body: TrialSitePatch):
    """The owning organisation's members and the secretariat."""
    site = get_or_404(TrialSite, site_id)
    update_site(current_user, site, _values(body))
    return TrialSiteOut.model_validate(site)
