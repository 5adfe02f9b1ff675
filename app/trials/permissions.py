"""Who may see and do what with trial sites, trial requests and regional challenges."""
from __future__ import annotations

from sqlalchemy import Select, and_, false, or_, select

from app.permissions import is_staff
from models import ChallengeProposal, RegionalChallenge, Role, Sector, TrialRequest, TrialRequestStatus, TrialSite
from models.trials import EDITABLE_TRIAL_STATUSES


def _org_id(user) -> int | None:
    return getattr(user, "organisation_id", None) if getattr(user, "is_authenticated", False) else None


# Sites: a public catalogue ------------------------------------------------------------------
def can_create_site(user) -> bool:
    return is_staff(user) or (getattr(user, "is_authenticated", False) and user.role == Role.MEMBER
                              and user.organisation_id is not None)


def can_edit_site(user, site: TrialSite) -> bool:
    if is_staff(user):
        return True
    org = _org_id(user)
    return org is not None and user.role == Role.MEMBER and site.owner_organisation_id == org


# Trial requests: confidential by default ---------------------------------------------------------
# The kind of a trial request's stored analysis (its title, verification aim, technology and site
# features: whoever may view a request reads all of them, so its list searches that analysis).
REQUEST_ANALYSIS = "request"


def visible_trial_requests(user) -> Select:
    """Drafts only by their own organisation; staff see every sent request; an organisation sees its own;
    members also see sent requests that are shared (not confidential)."""
    stmt = select(TrialRequest)
    sent = TrialRequest.status != TrialRequestStatus.DRAFT
    org = _org_id(user)
    own = TrialRequest.organisation_id == org if org is not None else false()
    if is_staff(user):
        return stmt.where(or_(sent, own))
    if org is None:
        return stmt.where(false())
    shared = and_(sent, TrialRequest.confidential.is_(False)) if user.role == Role.MEMBER else false()
    return stmt.where(or_(own, shared))


def can_view_trial_request(user, trial_request: TrialRequest) -> bool:
    if is_requester(user, trial_request):
        return True
    if trial_request.status == TrialRequestStatus.DRAFT:
        return False
    if is_staff(user):
        return True
    return _org_id(user) is not None and user.role == Role.MEMBER and not trial_request.confidential


def is_requester(user, trial_request: TrialRequest) -> bool:
    org = _org_id(user)
    return org is not None and trial_request.organisation_id == org


def can_submit_trial_request(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in (Role.MEMBER, Role.APPLICANT) \
        and user.organisation_id is not None


def can_edit_trial_request(user, trial_request: TrialRequest) -> bool:
    """The requester edits its draft, and what it sent until the secretariat starts screening."""
    return is_requester(user, trial_request) and trial_request.status in EDITABLE_TRIAL_STATUSES


def can_submit_trial_draft(user, trial_request: TrialRequest) -> bool:
    return is_requester(user, trial_request) and trial_request.status == TrialRequestStatus.DRAFT


def can_add_trial_attachment(user, trial_request: TrialRequest) -> bool:
    return can_edit_trial_request(user, trial_request)


def can_see_trial_attachments(user, trial_request: TrialRequest) -> bool:
    """Files may hold what the request text leaves out: the requester and the secretariat only."""
    return is_requester(user, trial_request) or (is_staff(user) and trial_request.status != TrialRequestStatus.DRAFT)


def can_advance_trial_request(user, trial_request: TrialRequest) -> bool:
    return is_staff(user) and trial_request.status != TrialRequestStatus.DRAFT


def can_withdraw_trial_request(user, trial_request: TrialRequest) -> bool:
    return is_requester(user, trial_request) and trial_request.is_open


def can_message_trial_request(user, trial_request: TrialRequest) -> bool:
    if trial_request.status == TrialRequestStatus.DRAFT:
        return False
    return is_staff(user) or is_requester(user, trial_request)


def can_read_trial_messages(user, trial_request: TrialRequest) -> bool:
    return can_message_trial_request(user, trial_request)


def can_report_trial_result(user, trial_request: TrialRequest) -> bool:
    return (is_staff(user) or is_requester(user, trial_request)) and trial_request.status == TrialRequestStatus.RUNNING


# Regional challenges: public once posted; proposals seen by their parties ----------------------
def visible_challenges(user) -> Select:
    return select(RegionalChallenge)


def can_view_challenge(user, challenge: RegionalChallenge) -> bool:
    return True


def can_post_challenge(user) -> bool:
    if is_staff(user):
        return True
    return (getattr(user, "is_authenticated", False) and user.role == Role.MEMBER and user.organisation is not None
            and user.organisation.sector == Sector.GOVERNMENT)


def can_propose(user, challenge: RegionalChallenge) -> bool:
    org = _org_id(user)
    return (org is not None and user.role in (Role.MEMBER, Role.APPLICANT) and org != challenge.organisation_id
            and challenge.status.value == "open")


def visible_proposals(user, challenge: RegionalChallenge) -> Select:
    stmt = select(ChallengeProposal).where(ChallengeProposal.challenge_id == challenge.id)
    if is_staff(user):
        return stmt
    org = _org_id(user)
    if org is None:
        return stmt.where(false())
    if org == challenge.organisation_id:
        return stmt
    return stmt.where(ChallengeProposal.organisation_id == org)
