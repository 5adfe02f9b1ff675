"""Keeping the trial-site catalogue: create and edit sites with their availability periods."""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Select, select

from app.core import audit
from app.permissions import Refused
from models import SiteAvailability, SiteKind, TrialSite, User, db

from .labels import season_mask
from .permissions import can_create_site, can_edit_site
from .queries import sites_matching

log = logging.getLogger(__name__)

SITE_FIELDS = ("name_ja", "name_en", "municipality", "latitude", "longitude", "features_ja", "features_en",
               "technologies", "constraints", "permits", "contact")


def _apply(site: TrialSite, values: dict[str, Any]) -> None:
    for key in SITE_FIELDS:
        if key in values:
            value = values[key]
            setattr(site, key, value.strip() if isinstance(value, str) else value)
    if "kind" in values:
        site.kind = SiteKind(values["kind"])
    if "periods" in values:
        site.periods = [SiteAvailability(start_month=a, end_month=b, note=note) for a, b, note in values["periods"]]
    site.refresh_available_months()


def create_site(actor: User, values: dict[str, Any]) -> TrialSite:
    """Staff create sites the secretariat keeps; a member creates a site its organisation owns."""
    if not can_create_site(actor):
        raise Refused()  # may not add trial sites
    site = TrialSite(owner_organisation_id=None if actor.is_staff else actor.organisation_id)
    _apply(site, values)
    db.session.add(site)
    db.session.flush()
    audit.record("trial_site.created", site, actor=actor)
    return site


def update_site(actor: User, site: TrialSite, values: dict[str, Any]) -> None:
    if not can_edit_site(actor, site):
        raise Refused()  # may not edit this site
    _apply(site, values)
    audit.record("trial_site.edited", site, actor=actor)
    db.session.flush()


def search_sites(q: str = "", kind: str = "", municipality: str = "", technology: str = "", season: str = "") -> Select:
    """The public catalogue, filtered; every filter is optional."""
    stmt = select(TrialSite)
    if q:
        stmt = stmt.where(sites_matching(q))
    if kind:
        stmt = stmt.where(TrialSite.kind == SiteKind(kind))
    if municipality:
        stmt = stmt.where(TrialSite.municipality.ilike(f"%{municipality}%"))
    if technology:
        stmt = stmt.where(TrialSite.technologies.ilike(f"%{technology}%"))
    if season:
        stmt = stmt.where(TrialSite.available_months.op("&")(season_mask(season)) != 0)
    return stmt.order_by(TrialSite.code, TrialSite.id)
