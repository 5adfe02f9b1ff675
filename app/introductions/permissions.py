"""Who sees and answers introductions: the secretariat, the requesting side and the target side."""
from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from app.permissions import is_staff
from models import Introduction, IntroductionStatus, Role


def _org_id(user) -> int | None:
    return getattr(user, "organisation_id", None) if getattr(user, "is_authenticated", False) else None


def visible_introductions(user) -> Select:
    """Staff see all; an organisation sees the introductions sent to or about it (not drafts)."""
    stmt = select(Introduction)
    if is_staff(user):
        return stmt
    org = _org_id(user)
    if org is None:
        return stmt.where(false())
    return stmt.where(
        Introduction.status != IntroductionStatus.SUGGESTED,
        or_(Introduction.requester_organisation_id == org, Introduction.target_organisation_id == org),
    )


def can_view_introduction(user, introduction: Introduction) -> bool:
    if is_staff(user):
        return True
    org = _org_id(user)
    return (org is not None and introduction.status != IntroductionStatus.SUGGESTED
            and org in (introduction.requester_organisation_id, introduction.target_organisation_id))


def is_target(user, introduction: Introduction) -> bool:
    org = _org_id(user)
    return org is not None and introduction.target_organisation_id == org


def is_requester_side(user, introduction: Introduction) -> bool:
    org = _org_id(user)
    return org is not None and introduction.requester_organisation_id == org


def can_answer_introduction(user, introduction: Introduction) -> bool:
    """Only the target side accepts or declines; the secretariat answers for the sites it keeps."""
    if introduction.status != IntroductionStatus.INTRODUCED:
        return False
    if introduction.target_organisation_id is None:
        return is_staff(user)
    return is_target(user, introduction) and user.role in (Role.MEMBER, Role.APPLICANT)


def can_send_introduction(user, introduction: Introduction) -> bool:
    return is_staff(user) and introduction.status == IntroductionStatus.SUGGESTED


def can_confirm_agreement(user, introduction: Introduction) -> bool:
    """After acceptance, the requesting side (or the secretariat) confirms that the trial is agreed."""
    if introduction.status != IntroductionStatus.ACCEPTED:
        return False
    return is_staff(user) or (is_requester_side(user, introduction) and user.role in (Role.MEMBER, Role.APPLICANT))


# Both sides have agreed to meet: from here on each sees the other's contact person.
CONTACT_STATUSES = (IntroductionStatus.ACCEPTED, IntroductionStatus.AGREED, IntroductionStatus.TRIAL_STARTED)


def can_see_contacts(user, introduction: Introduction) -> bool:
    """The contact persons and e-mail addresses of both sides: only once the target side has accepted,
    and only for the two sides and the secretariat."""
    if introduction.status not in CONTACT_STATUSES:
        return False
    return is_staff(user) or is_requester_side(user, introduction) or is_target(user, introduction)


def can_report_trial_started(user, introduction: Introduction) -> bool:
    """The requesting side (or the secretariat) reports that the agreed trial has started."""
    if introduction.status != IntroductionStatus.AGREED:
        return False
    return is_staff(user) or (is_requester_side(user, introduction) and user.role in (Role.MEMBER, Role.APPLICANT))


def can_run_matcher(user) -> bool:
    return is_staff(user)
