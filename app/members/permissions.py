"""Who may see and change organisations, their people, applications and dues."""
from __future__ import annotations

from sqlalchemy import Select, or_, select

from models import Organisation, OrganisationStatus, Role, User


def _logged_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _staff(user) -> bool:
    return _logged_in(user) and user.is_staff


def _own(user, organisation: Organisation) -> bool:
    return _logged_in(user) and user.organisation_id is not None and user.organisation_id == organisation.id


def visible_organisations(user) -> Select:
    """Staff see every organisation; members see active members and their own; others only their own."""
    stmt = select(Organisation)
    if _staff(user):
        return stmt
    if not _logged_in(user):
        return stmt.where(Organisation.id.is_(None))
    if user.role == Role.MEMBER:
        return stmt.where((Organisation.status == OrganisationStatus.ACTIVE) | (Organisation.id == user.organisation_id))
    return stmt.where(Organisation.id == user.organisation_id)


def public_organisations() -> Select:
    """What anonymous visitors may see: active members' names and sectors only."""
    return select(Organisation).where(Organisation.status == OrganisationStatus.ACTIVE)


def listed_organisations(user) -> Select:
    """What the API lists: the public list (active members, public fields) plus what `visible_organisations` shows."""
    public_ids = public_organisations().with_only_columns(Organisation.id)
    visible_ids = visible_organisations(user).with_only_columns(Organisation.id)
    return select(Organisation).where(or_(Organisation.id.in_(public_ids), Organisation.id.in_(visible_ids)))


def can_list_organisation(user, organisation: Organisation) -> bool:
    """The single-object form of `listed_organisations`: public fields of active members, or a visible profile."""
    return organisation.status == OrganisationStatus.ACTIVE or can_view_organisation(user, organisation)


def can_browse_directory(user) -> bool:
    return _staff(user) or (_logged_in(user) and user.role == Role.MEMBER)


def can_view_organisation(user, organisation: Organisation) -> bool:
    if _staff(user) or _own(user, organisation):
        return True
    return _logged_in(user) and user.role == Role.MEMBER and organisation.status == OrganisationStatus.ACTIVE


def can_see_contacts(user, organisation: Organisation) -> bool:
    """Contact details (e-mail, phone, address) are for members and the secretariat."""
    return _staff(user) or _own(user, organisation) or (_logged_in(user) and user.role == Role.MEMBER)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return _staff(user) or (_own(user, organisation) and user.is_org_admin)


def can_view_colleagues(user, organisation: Organisation) -> bool:
    """People's e-mail addresses are seen only inside their own organisation and by the secretariat."""
    return _staff(user) or _own(user, organisation)


def can_manage_colleagues(user, organisation: Organisation) -> bool:
    return _staff(user) or (_own(user, organisation) and user.is_org_admin)


def can_apply_for_membership(user, organisation: Organisation) -> bool:
    return (
        _own(user, organisation)
        and user.is_org_admin
        and organisation.status in (OrganisationStatus.APPLICANT, OrganisationStatus.WITHDRAWN)
    )


def can_decide_applications(user) -> bool:
    return _staff(user)


def can_manage_membership(user) -> bool:
    """Status changes, offices, dues, import and export: the secretariat."""
    return _staff(user)


def visible_colleagues(user, organisation: Organisation) -> Select:
    return select(User).where(User.organisation_id == organisation.id).order_by(User.name, User.id)
