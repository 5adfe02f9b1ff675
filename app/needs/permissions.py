"""Who may see and do what with regulatory needs. `visible_needs` is the ONE scope used by the
list, detail, search, similar-needs suggestions, exports and attachments."""
from __future__ import annotations

from sqlalchemy import Select, and_, false, or_, select

from models import Confidentiality, NeedStatus, RegulatoryNeed, Role, db


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _own(user, need: RegulatoryNeed) -> bool:
    return _authenticated(user) and user.organisation_id is not None and need.organisation_id == user.organisation_id


def visible_needs(user) -> Select:
    """Needs `user` may see: drafts only by their own organisation; confidential needs by their
    organisation and the secretariat; shared needs by members too; public summaries by everyone."""
    stmt = select(RegulatoryNeed)
    submitted = RegulatoryNeed.status != NeedStatus.DRAFT
    if not _authenticated(user):
        return stmt.where(submitted, RegulatoryNeed.confidentiality == Confidentiality.PUBLIC)
    own = RegulatoryNeed.organisation_id == user.organisation_id if user.organisation_id else false()
    if user.is_staff:
        return stmt.where(or_(submitted, own))
    shared = [Confidentiality.PUBLIC]
    if user.role == Role.MEMBER:
        shared.append(Confidentiality.MEMBERS)
    return stmt.where(or_(own, and_(submitted, RegulatoryNeed.confidentiality.in_(shared))))


def can_view_need(user, need: RegulatoryNeed) -> bool:
    return db.session.scalar(visible_needs(user).where(RegulatoryNeed.id == need.id)) is not None


def can_see_need_details(user, need: RegulatoryNeed) -> bool:
    """The full need (evidence, attachments, timeline): its own organisation and the secretariat.
    Everyone else who may view it sees the summary only."""
    return can_view_need(user, need) and sees_details_of_visible(user, need)


def sees_details_of_visible(user, need: RegulatoryNeed) -> bool:
    """`can_see_need_details` for a need already taken from `visible_needs(user)` (a list: no query per row)."""
    return _own(user, need) or (_authenticated(user) and user.is_staff)


def can_create_need(user) -> bool:
    return _authenticated(user) and user.role in (Role.MEMBER, Role.APPLICANT) and user.organisation_id is not None


def can_edit_need(user, need: RegulatoryNeed) -> bool:
    """Drafts are edited by their organisation; submitted needs are curated by the secretariat."""
    return _own(user, need) and need.status == NeedStatus.DRAFT


def can_withdraw_need(user, need: RegulatoryNeed) -> bool:
    """The submitting organisation may withdraw (取下げ) a submitted need while the pipeline allows it."""
    return _own(user, need) and need.status != NeedStatus.DRAFT and need.can_move_to(NeedStatus.WITHDRAWN)


def _closed_for(user, need: RegulatoryNeed) -> bool:
    """A withdrawn need is closed for its submitter; the secretariat may still write (to close the file)."""
    return need.status == NeedStatus.WITHDRAWN and not (_authenticated(user) and user.is_staff)


def can_talk_about_need(user, need: RegulatoryNeed) -> bool:
    """Write a message on the timeline / add evidence: the submitter's organisation or the secretariat."""
    return need.status != NeedStatus.DRAFT and not _closed_for(user, need) and can_see_need_details(user, need)


def can_add_attachment(user, need: RegulatoryNeed) -> bool:
    if _closed_for(user, need):
        return False
    return _own(user, need) or (_authenticated(user) and user.is_staff and need.status != NeedStatus.DRAFT)


def can_manage_needs(user) -> bool:
    return _authenticated(user) and user.is_staff
