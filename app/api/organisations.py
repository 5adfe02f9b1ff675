"""GET /organisations: public fields for everyone; the profile and contacts for those the pages show them to."""
from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field
from sqlalchemy import or_

from app.members.permissions import can_list_organisation, can_see_contacts, can_view_organisation, listed_organisations
from app.web.loaders import get_visible_or_404
from models import IndustryCategory, MembershipTier, Organisation, OrganisationStatus, Sector

from .auth import PUBLIC
from .operations import operation
from .schemas import PageQuery, ResponseModel, Text, page_model, page_of


class OrganisationProfile(ResponseModel):
    """What members and the organisation itself read on the profile page."""

    status: OrganisationStatus
    tier: MembershipTier | None
    website: str
    description: str
    capabilities: str
    capability_tags: dict[str, list[str]]
    offered_support: list[str]
    joined_at: datetime | None


class OrganisationContacts(ResponseModel):
    contact_email: str
    phone: str
    address: str


class OrganisationOut(ResponseModel):
    """An organisation (団体). `profile` and `contacts` are null when the caller may not see them."""

    id: int
    name_ja: str
    name_en: str
    sector: Sector
    category: IndustryCategory | None
    municipality: str
    profile: OrganisationProfile | None = None
    contacts: OrganisationContacts | None = None


class OrganisationFilters(PageQuery):
    q: Text(100) = Field("", description="Part of the Japanese or English name.")
    sector: Sector | None = None
    municipality: Text(100) = ""


def organisation_out(org: Organisation) -> OrganisationOut:
    user = current_user
    out = OrganisationOut.model_validate(org)
    if can_view_organisation(user, org):
        out.profile = OrganisationProfile.model_validate(org)
        if can_see_contacts(user, org):
            out.contacts = OrganisationContacts.model_validate(org)
    return out


@operation("/organisations", summary="List organisations", tag="organisations", access=PUBLIC,
           query=OrganisationFilters, response=page_model(OrganisationOut))
def list_organisations(query: OrganisationFilters):
    """Active members for everyone (names, sector, municipality); with a token, also what the member
    directory shows the caller (their own organisation, and everything for the secretariat)."""
    stmt = listed_organisations(current_user)
    if query.q:
        stmt = stmt.where(or_(Organisation.name_ja.ilike(f"%{query.q}%"), Organisation.name_en.ilike(f"%{query.q}%")))
    if query.sector is not None:
        stmt = stmt.where(Organisation.sector == query.sector)
    if query.municipality:
        stmt = stmt.where(Organisation.municipality == query.municipality)
    return page_of(stmt.order_by(Organisation.name_ja, Organisation.id), query, OrganisationOut, organisation_out)


@operation("/organisations/<int:organisation_id>", summary="One organisation", tag="organisations", access=PUBLIC,
           response=OrganisationOut, errors=(404,))
def get_organisation(organisation_id: int):
    """Public fields of an active member for everyone; the profile and contacts as the profile page shows them."""
    return organisation_out(get_visible_or_404(Organisation, organisation_id, current_user, can_list_organisation))
