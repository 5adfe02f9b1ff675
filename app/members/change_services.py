"""Changes of sector, tier and status asked for by an organisation (変更申請), decided by the secretariat.

Sector decides what an organisation may do (a municipality posts regional challenges), tier decides
its dues, status its members' access: none of them is self-service. The organisation's admin asks;
nothing changes until the secretariat approves; every step is audited.
"""
from __future__ import annotations

import logging

from flask_babel import gettext
from sqlalchemy import Select, select

from app.core import audit
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import (
    ChangeKind,
    ChangeRequest,
    ChangeRequestStatus,
    IndustryCategory,
    MembershipTier,
    Organisation,
    OrganisationStatus,
    Role,
    Sector,
    User,
    db,
    utcnow,
)

from .permissions import can_decide_changes, can_request_change
from .services import MembershipError, Profile, change_membership_status, update_profile

log = logging.getLogger(__name__)

# The statuses an organisation may ask for, from where it stands (休会, 退会, 復帰).
REQUESTABLE_STATUSES = {
    OrganisationStatus.ACTIVE: (OrganisationStatus.SUSPENDED, OrganisationStatus.WITHDRAWN),
    OrganisationStatus.SUSPENDED: (OrganisationStatus.ACTIVE, OrganisationStatus.WITHDRAWN),
    OrganisationStatus.APPLICANT: (),
    OrganisationStatus.WITHDRAWN: (),
}


ASKED = {
    ChangeKind.SECTOR: N_("%(organisation)s asks to change its sector."),
    ChangeKind.TIER: N_("%(organisation)s asks to change its membership tier."),
    ChangeKind.STATUS: N_("%(organisation)s asks to change its membership status."),
}
APPROVED = {
    ChangeKind.SECTOR: N_("The secretariat approved the new sector of %(organisation)s."),
    ChangeKind.TIER: N_("The secretariat approved the new membership tier of %(organisation)s."),
    ChangeKind.STATUS: N_("The secretariat approved the new membership status of %(organisation)s."),
}
REJECTED = {
    ChangeKind.SECTOR: N_("The secretariat did not approve the new sector of %(organisation)s."),
    ChangeKind.TIER: N_("The secretariat did not approve the new membership tier of %(organisation)s."),
    ChangeKind.STATUS: N_("The secretariat did not approve the new membership status of %(organisation)s."),
}


def current_value(organisation: Organisation, kind: ChangeKind) -> str:
    value = {ChangeKind.SECTOR: organisation.sector, ChangeKind.TIER: organisation.tier,
             ChangeKind.STATUS: organisation.status}[kind]
    return value.value if value is not None else ""


def pending_request(organisation: Organisation, kind: ChangeKind) -> ChangeRequest | None:
    return db.session.scalar(select(ChangeRequest).where(
        ChangeRequest.organisation_id == organisation.id, ChangeRequest.kind == kind,
        ChangeRequest.status == ChangeRequestStatus.PENDING))


def requests_of(organisation: Organisation) -> list[ChangeRequest]:
    stmt = (select(ChangeRequest).where(ChangeRequest.organisation_id == organisation.id)
            .order_by(ChangeRequest.created_at.desc(), ChangeRequest.id.desc()).limit(50))
    return list(db.session.scalars(stmt))


def request_queue() -> Select:
    """Every request, pending first, newest first (the secretariat's queue)."""
    return select(ChangeRequest).order_by(ChangeRequest.status != ChangeRequestStatus.PENDING,
                                          ChangeRequest.created_at.desc(), ChangeRequest.id.desc())


def _validated(organisation: Organisation, kind: ChangeKind, new_value: str, category: str) -> tuple[str, str]:
    try:
        if kind == ChangeKind.SECTOR:
            sector = Sector(new_value)
            category = IndustryCategory(category).value if (sector == Sector.INDUSTRY and category) else ""
        elif kind == ChangeKind.TIER:
            MembershipTier(new_value)
            category = ""
            if organisation.status not in (OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED):
                raise MembershipError(gettext("Only a member organisation can change its membership tier."))
        else:
            status = OrganisationStatus(new_value)
            category = ""
            if status not in REQUESTABLE_STATUSES[organisation.status]:
                raise MembershipError(gettext("This status change is not possible."))
    except ValueError:
        raise MembershipError(gettext("Please choose one of the listed values.")) from None
    unchanged = new_value == current_value(organisation, kind)
    if kind == ChangeKind.SECTOR:
        unchanged = unchanged and category == (organisation.category.value if organisation.category else "")
    if unchanged:
        raise MembershipError(gettext("That is already the current value."))
    return new_value, category


def request_change(actor: User, organisation: Organisation, kind: ChangeKind, new_value: str, *,
                   category: str = "", reason: str = "") -> ChangeRequest:
    """The organisation's admin asks for a new sector, tier or status; the secretariat is told."""
    if not can_request_change(actor, organisation):
        raise Refused(gettext("Only your organisation's administrator can ask for this change."))
    new_value, category = _validated(organisation, kind, new_value, category)
    if pending_request(organisation, kind) is not None:
        raise MembershipError(gettext("A request of this kind is already waiting for the secretariat."))
    change = ChangeRequest(organisation=organisation, requested_by=actor, kind=kind, new_value=new_value,
                           new_category=category, old_value=current_value(organisation, kind),
                           reason=reason.strip()[:2000])
    db.session.add(change)
    db.session.flush()
    audit.record("organisation.change_requested", change, actor=actor, organisation=organisation.id,
                 kind=kind.value, old=change.old_value, new=new_value, category=category)
    for staff in db.session.scalars(select(User).where(User.role.in_((Role.SECRETARIAT, Role.ADMIN)),
                                                       User.is_active_account.is_(True))):
        notify(staff, ASKED[kind], link=f"/members/manage/changes/{change.id}", organisation=organisation.name_ja,
               email=False)
    return change


def save_profile(actor: User, organisation: Organisation, profile: Profile) -> ChangeRequest | None:
    """The profile edit: saved at once, except a new sector, which becomes a request (returned)."""
    wanted_category = profile.category.value if (profile.sector == Sector.INDUSTRY and profile.category) else ""
    now_category = organisation.category.value if organisation.category else ""
    update_profile(actor, organisation, profile)
    if can_decide_changes(actor) or (profile.sector == organisation.sector and wanted_category == now_category):
        return None
    if not can_request_change(actor, organisation):
        return None
    existing = pending_request(organisation, ChangeKind.SECTOR)
    if existing is not None and (existing.new_value, existing.new_category) == (profile.sector.value, wanted_category):
        return existing  # asked already; saving the profile again does not ask twice
    return request_change(actor, organisation, ChangeKind.SECTOR, profile.sector.value, category=wanted_category,
                          reason=gettext("Changed on the profile page"))


def approve_change(actor: User, change: ChangeRequest, note: str = "") -> ChangeRequest:
    """The secretariat approves: only now does the organisation's sector, tier or status change."""
    _check_decidable(actor, change)
    organisation = change.organisation
    if change.kind == ChangeKind.SECTOR:
        old = organisation.sector
        organisation.sector = Sector(change.new_value)
        organisation.category = IndustryCategory(change.new_category) if change.new_category else None
        audit.record("organisation.sector_changed", organisation, actor=actor, old=old.value, new=change.new_value,
                     category=change.new_category, request=change.id)
    elif change.kind == ChangeKind.TIER:
        old_tier = organisation.tier
        organisation.tier = MembershipTier(change.new_value)
        audit.record("organisation.tier_changed", organisation, actor=actor,
                     old=old_tier.value if old_tier else "", new=change.new_value, request=change.id)
    else:
        # The secretariat's own status rules apply (and write the history and audit entry).
        change_membership_status(actor, organisation, OrganisationStatus(change.new_value),
                                 note.strip() or change.reason or gettext("Requested by the organisation"))
    _decide(actor, change, ChangeRequestStatus.APPROVED, note)
    _tell_organisation(change, APPROVED[change.kind])
    return change


def reject_change(actor: User, change: ChangeRequest, reason: str) -> ChangeRequest:
    _check_decidable(actor, change)
    if not reason.strip():
        raise MembershipError(gettext("Please give a reason for the rejection."))
    _decide(actor, change, ChangeRequestStatus.REJECTED, reason)
    _tell_organisation(change, REJECTED[change.kind])
    return change


def _check_decidable(actor: User, change: ChangeRequest) -> None:
    if not can_decide_changes(actor):
        raise Refused(gettext("Only the secretariat decides on these changes."))
    if not change.is_pending:
        raise MembershipError(gettext("This request has already been decided."))


def _decide(actor: User, change: ChangeRequest, status: ChangeRequestStatus, note: str) -> None:
    change.status = status
    change.decided_by = actor
    change.decided_at = utcnow()
    change.decision_reason = note.strip()[:2000]
    audit.record(f"organisation.change_{status.value}", change, actor=actor, organisation=change.organisation_id,
                 kind=change.kind.value, new=change.new_value, reason=change.decision_reason)
    db.session.flush()


def _tell_organisation(change: ChangeRequest, message: str) -> None:
    for user in change.organisation.admins:
        notify(user, message, link=f"/members/{change.organisation_id}/changes", organisation=change.organisation.name_ja)
