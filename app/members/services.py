"""Membership rules: profiles, applications and their decision, status changes (休会・退会) with history."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from flask_babel import gettext
from sqlalchemy import select

from app.auth.queries import secretariat_users
from app.core import audit
from app.notifications.services import N_, bilingual, notify
from app.permissions import Refused
from models import (
    CAPABILITY_KINDS,
    ApplicationStatus,
    IndustryCategory,
    MembershipApplication,
    MembershipTier,
    Organisation,
    OrganisationStatus,
    Role,
    Sector,
    StatusChange,
    SupportKind,
    User,
    db,
    utcnow,
)

from .permissions import (
    can_apply_for_membership,
    can_decide_applications,
    can_edit_organisation,
    can_manage_membership,
)

log = logging.getLogger(__name__)

TAG_SPLIT = re.compile(r"[;；,、，\n]+")


class MembershipError(Exception):
    """A rule refused the action; the message is shown to the user."""


@dataclass
class Profile:
    """The editable fields of an organisation, as plain values."""

    name_ja: str
    name_en: str = ""
    sector: Sector = Sector.INDUSTRY
    category: IndustryCategory | None = None
    municipality: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    website: str = ""
    contact_email: str = ""
    phone: str = ""
    description: str = ""
    capabilities: str = ""
    tags: dict[str, list[str]] = field(default_factory=dict)
    support: list[str] = field(default_factory=list)  # SupportKind values it can give field trials
    service_scope: str = ""  # where it works: see Organisation.service_scope
    service_area: list[str] = field(default_factory=list)  # gazetteer place names, for "municipalities"
    service_radius_km: int | None = None  # for "radius", around its office point


def split_tags(text: str) -> list[str]:
    """Tags typed as one line, separated by commas, semicolons or 、; duplicates dropped, order kept."""
    seen: list[str] = []
    for part in TAG_SPLIT.split(text or ""):
        tag = part.strip()
        if tag and tag not in seen:
            seen.append(tag[:60])
    return seen


def profile_of(organisation: Organisation) -> Profile:
    return Profile(
        name_ja=organisation.name_ja, name_en=organisation.name_en, sector=organisation.sector,
        category=organisation.category, municipality=organisation.municipality, address=organisation.address,
        latitude=organisation.latitude, longitude=organisation.longitude, website=organisation.website,
        contact_email=organisation.contact_email, phone=organisation.phone, description=organisation.description,
        capabilities=organisation.capabilities,
        tags={kind: organisation.tags_of(kind) for kind in CAPABILITY_KINDS},
        support=list(organisation.offered_support or []),
        service_scope=organisation.service_scope or "", service_area=organisation.service_places,
        service_radius_km=organisation.service_radius_km,
    )


def apply_profile(organisation: Organisation, profile: Profile) -> None:
    organisation.name_ja = profile.name_ja.strip()
    organisation.name_en = profile.name_en.strip()
    organisation.sector = profile.sector
    # The industry split (地元大手, 在京企業, ...) only applies to industry.
    organisation.category = profile.category if profile.sector == Sector.INDUSTRY else None
    organisation.municipality = profile.municipality.strip()
    organisation.address = profile.address.strip()
    organisation.latitude = profile.latitude
    organisation.longitude = profile.longitude
    organisation.website = profile.website.strip()
    organisation.contact_email = profile.contact_email.strip()
    organisation.phone = profile.phone.strip()
    organisation.description = profile.description.strip()
    organisation.capabilities = profile.capabilities.strip()
    organisation.capability_tags = {kind: list(profile.tags.get(kind, [])) for kind in CAPABILITY_KINDS if profile.tags.get(kind)}
    organisation.offered_support = [kind.value for kind in SupportKind if kind.value in profile.support]
    organisation.service_scope = profile.service_scope
    organisation.service_area = ";".join(profile.service_area) if profile.service_scope == "municipalities" else ""
    organisation.service_radius_km = profile.service_radius_km if profile.service_scope == "radius" else None


def update_profile(actor: User, organisation: Organisation, profile: Profile) -> Organisation:
    """An organisation admin (or the secretariat) updates the profile and capabilities (技術シーズ)."""
    if not can_edit_organisation(actor, organisation):
        raise Refused(gettext("You may not edit this organisation."))
    old_sector = organisation.sector
    if not can_decide_applications(actor):
        # Sector (and its category) decide what the organisation may do: the organisation asks
        # for a change (app.members.change_services) and the secretariat decides.
        profile = replace(profile, sector=organisation.sector, category=organisation.category)
    apply_profile(organisation, profile)
    audit.record("organisation.updated", organisation, actor=actor)
    if organisation.sector != old_sector:
        audit.record("organisation.sector_changed", organisation, actor=actor, old=old_sector.value,
                     new=organisation.sector.value)
    db.session.flush()
    return organisation


def open_application(organisation: Organisation) -> MembershipApplication | None:
    stmt = select(MembershipApplication).where(
        MembershipApplication.organisation_id == organisation.id,
        MembershipApplication.status == ApplicationStatus.SUBMITTED,
    )
    return db.session.scalar(stmt)


def last_rejection(organisation: Organisation) -> MembershipApplication | None:
    stmt = select(MembershipApplication).where(
        MembershipApplication.organisation_id == organisation.id,
        MembershipApplication.status == ApplicationStatus.REJECTED,
    ).order_by(MembershipApplication.decided_at.desc()).limit(1)
    return db.session.scalar(stmt)


def submit_application(actor: User, organisation: Organisation, *, tier: MembershipTier, profile: Profile,
                       message: str = "") -> MembershipApplication:
    """An applicant organisation's admin applies for membership in a tier, with its profile."""
    if not can_apply_for_membership(actor, organisation):
        raise Refused(gettext("Only the administrator of a non-member organisation can apply."))
    if open_application(organisation) is not None:
        raise MembershipError(gettext("Your organisation already has an application waiting for a decision."))
    apply_profile(organisation, profile)
    if organisation.status != OrganisationStatus.APPLICANT:
        _change_status(actor, organisation, OrganisationStatus.APPLICANT, gettext("Applied again"))
    application = MembershipApplication(organisation=organisation, applicant=actor, tier=tier, message=message.strip())
    db.session.add(application)
    db.session.flush()
    audit.record("membership.applied", application, actor=actor, tier=tier.value)
    for staff in secretariat_users():
        notify(staff, N_("%(organisation)s applied for membership."), link=f"/members/manage/applications/{application.id}",
               organisation=bilingual(organisation), email=False)
    return application


def approve_application(actor: User, application: MembershipApplication) -> MembershipApplication:
    """The secretariat approves: the organisation becomes an active member and its applicants become members."""
    _check_decidable(actor, application)
    organisation = application.organisation
    application.status = ApplicationStatus.APPROVED
    application.decided_by = actor
    application.decided_at = utcnow()
    organisation.tier = application.tier
    organisation.joined_at = organisation.joined_at or utcnow()
    _change_status(actor, organisation, OrganisationStatus.ACTIVE, gettext("Membership approved"))
    for user in organisation.users:
        if user.role == Role.APPLICANT:
            user.role = Role.MEMBER
            audit.record("role.changed", user, actor=actor, old=Role.APPLICANT.value, new=Role.MEMBER.value)
        notify(user, N_("Welcome! %(organisation)s is now a member of the Think & Do Tank."),
               link=f"/members/{organisation.id}", organisation=bilingual(organisation))
    audit.record("membership.approved", application, actor=actor)
    db.session.flush()
    return application


def reject_application(actor: User, application: MembershipApplication, reason: str) -> MembershipApplication:
    """The secretariat rejects, with a reason the applicant reads."""
    _check_decidable(actor, application)
    if not reason.strip():
        raise MembershipError(gettext("Please give a reason for the rejection."))
    application.status = ApplicationStatus.REJECTED
    application.decision_reason = reason.strip()
    application.decided_by = actor
    application.decided_at = utcnow()
    for user in application.organisation.users:
        notify(user, N_("The membership application of %(organisation)s was not approved: %(reason)s"),
               link="/members/apply", organisation=bilingual(application.organisation), reason=reason.strip())
    audit.record("membership.rejected", application, actor=actor, reason=reason.strip())
    db.session.flush()
    return application


def _check_decidable(actor: User, application: MembershipApplication) -> None:
    if not can_decide_applications(actor):
        raise Refused(gettext("Only the secretariat decides on applications."))
    if not application.is_open:
        raise MembershipError(gettext("This application has already been decided."))


# Status changes the secretariat may make by hand; approval goes through the application.
MANUAL_TRANSITIONS = {
    OrganisationStatus.ACTIVE: (OrganisationStatus.SUSPENDED, OrganisationStatus.WITHDRAWN),
    OrganisationStatus.SUSPENDED: (OrganisationStatus.ACTIVE, OrganisationStatus.WITHDRAWN),
    OrganisationStatus.APPLICANT: (OrganisationStatus.WITHDRAWN,),
    OrganisationStatus.WITHDRAWN: (),
}


def change_membership_status(actor: User, organisation: Organisation, new_status: OrganisationStatus,
                             reason: str) -> StatusChange:
    """Suspend (休会), reinstate or withdraw (退会) an organisation. History is kept; people stay attached."""
    if not can_manage_membership(actor):
        raise Refused(gettext("Only the secretariat changes membership status."))
    if new_status not in MANUAL_TRANSITIONS[organisation.status]:
        raise MembershipError(gettext("This status change is not possible."))
    change = _change_status(actor, organisation, new_status, reason.strip())
    # Members of a suspended or withdrawn organisation lose member access; reinstatement gives it back.
    for user in organisation.users:
        old_role = user.role
        if new_status == OrganisationStatus.ACTIVE and user.role == Role.APPLICANT:
            user.role = Role.MEMBER
        elif new_status != OrganisationStatus.ACTIVE and user.role == Role.MEMBER:
            user.role = Role.APPLICANT
        if user.role != old_role:
            audit.record("role.changed", user, actor=actor, old=old_role.value, new=user.role.value,
                         reason="organisation.status_changed")
    db.session.flush()
    return change


def _change_status(actor: User, organisation: Organisation, new_status: OrganisationStatus, reason: str) -> StatusChange:
    change = StatusChange(organisation=organisation, old_status=organisation.status, new_status=new_status,
                          reason=reason, actor=actor)
    db.session.add(change)
    organisation.status = new_status
    audit.record("organisation.status_changed", organisation, actor=actor, old=change.old_status.value,
                 new=new_status.value, reason=reason)
    return change


def status_history(organisation: Organisation) -> list[StatusChange]:
    stmt = select(StatusChange).where(StatusChange.organisation_id == organisation.id).order_by(
        StatusChange.created_at.desc(), StatusChange.id.desc())
    return list(db.session.scalars(stmt))


