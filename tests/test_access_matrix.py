"""The access-control matrix: every route of the URL map, for every role, against objects that one
organisation owns, answers the status written here.

Roles (columns, in this order):
  anon   anonymous visitor
  appl   applicant of another, non-member organisation
  owner  member (and organisation admin) of the owning organisation
  other  member (and organisation admin) of another member organisation
  chair  chair of the working group, member of a third organisation (the introduction's target)
  sec    secretariat
  admin  administrator

Statuses: a number is the HTTP status; `L` is a redirect to the login page. A POST is sent with a
valid CSRF token and an empty form, so refusals are tested with the request an attacker could make;
for allowed roles the answer is whatever an empty form earns (a redirect with a message, the form
again with its errors, 400), never a refusal.

A route missing from MATRIX fails `test_every_route_is_in_the_matrix`: add one line for it, e.g.
    "GET /things/<int:thing_id>": "L 404 200 404 404 200 200",
and, when it takes a new URL argument, a value for it in `_arguments`. Run with
`ACCESS_MATRIX_PRINT=1 ... -s` to print the statuses the app gives today (then check each by hand
against the rules before copying: this table is the specification, not a recording).
"""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.groups.calendar_services import digest as feed_digest
from app.trials.services import ATTACHMENT_FOLDER
from app.web.uploads import storage_dir
from models import (
    AuditEntry,
    CalendarFeedToken,
    ChangeKind,
    ChangeRequest,
    Confidentiality,
    Due,
    Evaluator,
    GroupMembership,
    GroupRole,
    Introduction,
    IntroductionStatus,
    Invitation,
    MatchRun,
    Meeting,
    MeetingAttachment,
    MembershipApplication,
    MembershipStatus,
    MembershipTier,
    NeedAttachment,
    NeedStatus,
    Notification,
    Office,
    OfficeKind,
    Organisation,
    OrganisationStatus,
    ProposalPackage,
    RegionalChallenge,
    RegulatoryNeed,
    Role,
    Sector,
    SpecialMeasure,
    TrialRequest,
    TrialRequestMessage,
    TrialRequestAttachment,
    TrialRequestStatus,
    TrialSite,
    User,
    WorkingGroup,
    db,
)
from models.members import ApplicationStatus

ROLES = ("anon", "appl", "owner", "other", "chair", "sec", "admin")

MATRIX: dict[str, str] = {
    # --- public and account pages -------------------------------------------------------------
    "GET /": "200 200 200 200 200 200 200",
    "GET /healthz": "200 200 200 200 200 200 200",
    "GET /static/<path:filename>": "200 200 200 200 200 200 200",
    "POST /language": "302 302 302 302 302 302 302",
    "GET /dashboard": "L 200 200 200 200 200 200",
    "GET /auth/login": "200 302 302 302 302 302 302",
    "POST /auth/login": "200 302 302 302 302 302 302",
    "POST /auth/logout": "L 302 302 302 302 302 302",
    "GET /auth/password": "L 200 200 200 200 200 200",
    "POST /auth/password": "L 200 200 200 200 200 200",
    "GET /auth/register": "200 302 302 302 302 302 302",
    "POST /auth/register": "200 302 302 302 302 302 302",
    "GET /auth/forgot": "200 200 200 200 200 200 200",
    "POST /auth/forgot": "200 200 200 200 200 200 200",
    "GET /auth/reset/<token>": "302 302 302 302 302 302 302",
    "POST /auth/reset/<token>": "302 302 302 302 302 302 302",
    "GET /notifications/": "L 200 200 200 200 200 200",
    "POST /notifications/<int:notification_id>/read": "L 404 302 404 404 404 404",
    "POST /notifications/read-all": "L 302 302 302 302 302 302",
    "GET /privacy/": "L 200 200 200 200 200 200",
    "GET /privacy/export.json": "L 200 200 200 200 200 200",
    "POST /privacy/delete": "L 400 400 400 400 400 400",
    # --- administration and the audit log ----------------------------------------------------
    "GET /admin/users": "L 403 403 403 403 403 200",
    "POST /admin/users/<int:user_id>/active": "L 403 403 403 403 403 400",
    "POST /admin/users/<int:user_id>/role": "L 403 403 403 403 403 302",
    "GET /admin/audit": "L 403 403 403 403 200 200",
    "GET /admin/audit.csv": "L 403 403 403 403 200 200",
    # --- members --------------------------------------------------------------------------------
    "GET /members/": "L 403 200 200 200 200 200",
    "GET /members/<int:organisation_id>": "L 404 200 200 200 200 200",
    "GET /members/<int:organisation_id>/edit": "L 404 200 403 403 200 200",
    "POST /members/<int:organisation_id>/edit": "L 404 200 403 403 200 200",
    "GET /members/<int:organisation_id>/changes": "L 404 200 403 403 200 200",
    "POST /members/<int:organisation_id>/changes": "L 404 200 403 403 403 403",
    "GET /members/<int:organisation_id>/colleagues": "L 404 200 403 403 200 200",
    "POST /members/<int:organisation_id>/colleagues": "L 404 200 403 403 200 200",
    "POST /members/<int:organisation_id>/colleagues/<int:user_id>/admin": "L 404 302 403 403 302 302",
    "POST /members/<int:organisation_id>/colleagues/<int:user_id>/remove": "L 404 302 403 403 404 404",
    "POST /members/<int:organisation_id>/invitations/<int:invitation_id>/revoke": "L 404 302 403 403 302 302",
    "GET /members/apply": "L 200 200 200 200 404 404",
    "POST /members/apply": "L 200 302 302 302 404 404",  # members of an organisation that is already a member are sent to its status
    "GET /members/governance": "200 200 200 200 200 200 200",
    "GET /members/public": "200 200 200 200 200 200 200",
    "GET /members/invitations/<token>": "200 302 302 302 302 302 302",
    "POST /members/invitations/<token>": "200 302 302 302 302 302 302",
    "GET /members/manage/applications": "L 403 403 403 403 200 200",
    "GET /members/manage/applications/<int:application_id>": "L 403 403 403 403 200 200",
    "POST /members/manage/applications/<int:application_id>/approve": "L 403 403 403 403 302 302",
    "POST /members/manage/applications/<int:application_id>/reject": "L 403 403 403 403 302 302",
    "GET /members/manage/changes": "L 403 403 403 403 200 200",
    "GET /members/manage/changes/<int:change_id>": "L 403 403 403 403 200 200",
    "POST /members/manage/changes/<int:change_id>": "L 403 403 403 403 302 200",
    "GET /members/manage/dues": "L 403 403 403 403 200 200",
    "GET /members/manage/dues.csv": "L 403 403 403 403 200 200",
    "GET /members/manage/dues/<int:due_id>": "L 403 403 403 403 200 200",
    "POST /members/manage/dues/<int:due_id>": "L 403 403 403 403 200 200",
    "POST /members/manage/dues/invoice": "L 403 403 403 403 302 302",
    "GET /members/manage/export.csv": "L 403 403 403 403 200 200",
    "GET /members/manage/import": "L 403 403 403 403 200 200",
    "POST /members/manage/import": "L 403 403 403 403 200 200",
    "POST /members/manage/import/confirm": "L 403 403 403 403 302 302",
    "GET /members/manage/mix": "L 403 403 403 403 200 200",
    "GET /members/manage/offices": "L 403 403 403 403 200 200",
    "POST /members/manage/offices": "L 403 403 403 403 200 200",
    "POST /members/manage/offices/<int:office_id>/delete": "L 403 403 403 403 302 404",
    "GET /members/manage/organisations/<int:organisation_id>/status": "L 403 403 403 403 200 200",
    "POST /members/manage/organisations/<int:organisation_id>/status": "L 403 403 403 403 200 200",
    # --- working groups -----------------------------------------------------------------------
    "GET /groups/": "200 200 200 200 200 200 200",
    "GET /groups/<int:group_id>": "200 200 200 200 200 200 200",
    "GET /groups/<int:group_id>/edit": "L 403 403 403 403 200 200",
    "POST /groups/<int:group_id>/edit": "L 403 403 403 403 200 200",
    "POST /groups/<int:group_id>/join": "L 403 403 302 403 403 403",
    "GET /groups/<int:group_id>/meetings": "L 404 200 404 200 200 200",
    "GET /groups/<int:group_id>/meetings/<int:meeting_id>": "L 404 200 404 200 200 200",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/answer": "L 404 403 404 403 403 403",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/attachments": "L 404 403 404 302 302 302",
    "GET /groups/<int:group_id>/meetings/<int:meeting_id>/attachments/<int:attachment_id>": "L 404 200 404 200 200 200",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/attachments/<int:attachment_id>/delete": "L 404 403 404 302 404 404",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/attendance": "L 404 403 404 302 302 302",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/delete": "L 404 403 404 302 404 404",
    "GET /groups/<int:group_id>/meetings/<int:meeting_id>/edit": "L 404 403 404 200 200 200",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/edit": "L 404 403 404 200 200 200",
    "POST /groups/<int:group_id>/meetings/<int:meeting_id>/minutes": "L 404 403 404 302 302 302",
    "GET /groups/<int:group_id>/meetings/new": "L 403 403 403 200 200 200",
    "POST /groups/<int:group_id>/meetings/new": "L 403 403 403 200 200 200",
    "GET /groups/<int:group_id>/members": "L 404 200 404 200 200 200",
    "POST /groups/<int:group_id>/members/<int:membership_id>/approve": "L 404 403 404 403 403 403",
    "POST /groups/<int:group_id>/members/<int:membership_id>/reject": "L 404 403 404 403 403 403",
    "POST /groups/<int:group_id>/members/<int:membership_id>/remove": "L 404 403 404 302 403 403",
    "POST /groups/<int:group_id>/members/<int:membership_id>/role": "L 404 403 404 403 302 302",
    "POST /groups/<int:group_id>/members/add": "L 403 403 403 403 302 302",
    "POST /groups/<int:group_id>/memberships/<int:membership_id>/leave": "L 403 302 403 403 403 403",
    "POST /groups/<int:group_id>/status": "L 403 403 403 403 400 400",
    "GET /groups/activity": "L 403 403 403 403 200 200",
    "GET /groups/calendar": "L 200 200 200 200 200 200",
    "GET /groups/calendar/<token>.ics": "200 200 200 200 200 200 200",
    "GET /groups/calendar/tokens": "L 302 302 302 302 302 302",
    "POST /groups/calendar/tokens": "L 200 200 200 200 200 200",
    "POST /groups/calendar/tokens/<int:token_id>/revoke": "L 404 302 404 404 404 404",
    "GET /groups/new": "L 403 403 403 403 200 200",
    "POST /groups/new": "L 403 403 403 403 200 200",
    # --- regulatory needs -----------------------------------------------------------------------
    "GET /needs/": "200 200 200 200 200 200 200",
    "GET /needs/<int:need_id>": "404 404 200 404 404 200 200",
    "POST /needs/<int:need_id>/attachments": "L 404 302 404 404 302 302",
    "GET /needs/<int:need_id>/attachments/<int:attachment_id>": "404 404 200 404 404 200 200",
    "GET /needs/<int:need_id>/edit": "L 404 403 404 404 403 403",
    "POST /needs/<int:need_id>/edit": "L 404 403 404 404 403 403",
    "POST /needs/<int:need_id>/messages": "L 404 302 404 404 302 302",
    "POST /needs/<int:need_id>/withdraw": "L 404 302 404 404 403 403",
    "GET /needs/export.csv": "L 200 200 200 200 200 200",
    "GET /needs/manage/": "L 403 403 403 403 200 200",
    "GET /needs/manage/<int:need_id>": "L 403 403 403 403 200 200",
    "POST /needs/manage/<int:need_id>/assign": "L 403 403 403 403 302 302",
    "POST /needs/manage/<int:need_id>/message": "L 403 403 403 403 302 302",
    "POST /needs/manage/<int:need_id>/note": "L 403 403 403 403 302 302",
    "POST /needs/manage/<int:need_id>/route": "L 403 403 403 403 302 302",
    "POST /needs/manage/<int:need_id>/transition": "L 403 403 403 403 302 302",
    "GET /needs/manage/board": "L 403 403 403 403 200 200",
    "GET /needs/manage/measures/<int:measure_id>/edit": "L 403 403 403 403 200 200",
    "POST /needs/manage/measures/<int:measure_id>/edit": "L 403 403 403 403 302 302",
    "GET /needs/manage/measures/new": "L 403 403 403 403 200 200",
    "POST /needs/manage/measures/new": "L 403 403 403 403 200 200",
    "GET /needs/manage/packages/": "L 403 403 403 403 200 200",
    "GET /needs/manage/packages/<int:package_id>": "L 403 403 403 403 200 200",
    "GET /needs/manage/packages/<int:package_id>/edit": "L 403 403 403 403 200 200",
    "POST /needs/manage/packages/<int:package_id>/edit": "L 403 403 403 403 200 200",
    "GET /needs/manage/packages/<int:package_id>/export.<fmt>": "L 403 403 403 403 200 200",
    "POST /needs/manage/packages/<int:package_id>/transition": "L 403 403 403 403 302 302",
    "GET /needs/manage/packages/new": "L 403 403 403 403 200 200",
    "POST /needs/manage/packages/new": "L 403 403 403 403 200 200",
    "GET /needs/measures/": "200 200 200 200 200 200 200",
    "GET /needs/measures/<int:measure_id>": "200 200 200 200 200 200 200",
    "GET /needs/new": "L 200 200 200 200 403 403",
    "POST /needs/new": "L 200 200 200 200 403 403",
    "GET /needs/similar.json": "L 200 200 200 200 200 200",
    # --- field trials, sites and regional challenges -------------------------------------------
    "GET /trials/challenges": "200 200 200 200 200 200 200",
    "GET /trials/challenges/<int:challenge_id>": "200 200 200 200 200 200 200",
    "POST /trials/challenges/<int:challenge_id>": "403 302 403 302 302 403 403",
    "GET /trials/challenges/new": "L 403 200 403 403 200 200",
    "POST /trials/challenges/new": "L 403 200 403 403 200 200",
    "GET /trials/requests": "L 200 200 200 200 200 200",
    "GET /trials/requests/<int:request_id>": "L 404 200 404 404 200 200",
    "POST /trials/requests/<int:request_id>/messages": "L 404 302 404 404 302 302",
    "GET /trials/requests/<int:request_id>/result": "L 404 403 404 404 403 403",
    "POST /trials/requests/<int:request_id>/result": "L 404 403 404 404 403 403",
    "POST /trials/requests/<int:request_id>/route": "L 404 403 404 404 400 400",
    "POST /trials/requests/<int:request_id>/status": "L 404 403 404 404 400 400",
    "POST /trials/requests/<int:request_id>/withdraw": "L 404 302 404 404 403 403",
    "GET /trials/requests/new": "L 200 200 200 200 403 403",
    "GET /trials/requests/<int:request_id>/attachments/<int:attachment_id>": "L 404 200 404 404 200 200",
    "POST /trials/requests/<int:request_id>/attachments": "L 404 302 404 404 403 403",
    "GET /trials/requests/<int:request_id>/edit": "L 404 200 404 404 403 403",
    "POST /trials/requests/<int:request_id>/edit": "L 404 302 403 403 403 403",  # the owner's empty form (run first) saves the draft unticked: shared, so members then see it
    "POST /trials/requests/new": "L 200 200 200 200 403 403",
    "GET /trials/sites": "200 200 200 200 200 200 200",
    "GET /trials/sites/<int:site_id>": "200 200 200 200 200 200 200",
    "GET /trials/sites/<int:site_id>/edit": "L 403 200 403 403 200 200",
    "POST /trials/sites/<int:site_id>/edit": "L 403 200 403 403 200 200",
    "GET /trials/sites/new": "L 403 200 200 200 200 200",
    "POST /trials/sites/new": "L 403 200 200 200 200 200",
    # --- introductions and the matcher ----------------------------------------------------------
    "GET /introductions/": "L 200 200 200 200 200 200",
    "GET /introductions/<int:introduction_id>": "L 404 200 404 200 200 200",
    "POST /introductions/<int:introduction_id>/agree": "L 404 403 404 403 403 403",
    "POST /introductions/<int:introduction_id>/answer": "L 404 403 404 400 403 403",
    "POST /introductions/<int:introduction_id>/send": "L 404 403 404 403 403 403",
    "POST /introductions/<int:introduction_id>/started": "L 404 403 404 403 403 403",
    "GET /introductions/match/challenge/<int:challenge_id>": "L 403 403 403 403 200 200",
    "GET /introductions/match/request/<int:request_id>": "L 403 403 403 403 200 200",
    "POST /introductions/match/request/<int:request_id>/dismiss": "L 403 403 403 403 400 400",
    "POST /introductions/match/request/<int:request_id>/undismiss": "L 403 403 403 403 400 400",
    "POST /introductions/runs/<int:run_id>/introduce": "L 403 403 403 403 302 302",
    "GET /introductions/synonyms": "L 403 403 403 403 200 200",
    "POST /introductions/synonyms": "L 403 403 403 403 302 302",
    # --- API and the token page. The API authenticates by personal access token only: these rows are
    # sent with each role's session cookie and prove that a browser session opens nothing there
    # (401, or only what anonymous callers get). Roles by token are tested in tests/api/.
    "GET /account/tokens": "L 200 200 200 200 200 200",
    "GET /api/reference": "200 200 200 200 200 200 200",
    "GET /api/v1/challenges/<int:challenge_id>/matches": "401 401 401 401 401 401 401",
    "GET /api/v1/introductions": "401 401 401 401 401 401 401",
    "GET /api/v1/kpis": "404 404 404 404 404 404 404",  # as anonymous: nothing published in this world
    "GET /api/v1/kpis/organisations/<int:organisation_id>": "401 401 401 401 401 401 401",
    "GET /api/v1/introductions/<int:introduction_id>": "401 401 401 401 401 401 401",
    "GET /api/v1/me": "401 401 401 401 401 401 401",
    "GET /api/v1/meetings/<int:meeting_id>": "401 401 401 401 401 401 401",
    "GET /api/v1/needs": "200 200 200 200 200 200 200",
    "GET /api/v1/needs/<int:need_id>": "404 404 404 404 404 404 404",
    "GET /api/v1/openapi.json": "200 200 200 200 200 200 200",
    "GET /api/v1/organisations": "200 200 200 200 200 200 200",
    "GET /api/v1/organisations/<int:organisation_id>": "200 200 200 200 200 200 200",
    "GET /api/v1/trial-requests": "401 401 401 401 401 401 401",
    "GET /api/v1/trial-requests/<int:request_id>": "401 401 401 401 401 401 401",
    "GET /api/v1/trial-requests/<int:request_id>/matches": "401 401 401 401 401 401 401",
    "GET /api/v1/trial-sites": "200 200 200 200 200 200 200",
    "GET /api/v1/trial-sites/<int:site_id>": "200 200 200 200 200 200 200",
    "GET /api/v1/working-groups": "200 200 200 200 200 200 200",
    "GET /api/v1/working-groups/<int:group_id>": "200 200 200 200 200 200 200",
    "GET /api/v1/working-groups/<int:group_id>/meetings": "401 401 401 401 401 401 401",
    "PATCH /api/v1/trial-sites/<int:site_id>": "401 401 401 401 401 401 401",
    "POST /account/tokens": "L 400 400 400 400 400 400",
    "POST /account/tokens/<int:token_id>/revoke": "L 404 404 404 404 404 404",
    "POST /api/v1/introductions/<int:introduction_id>/agree": "401 401 401 401 401 401 401",
    "POST /api/v1/introductions/<int:introduction_id>/answer": "401 401 401 401 401 401 401",
    "POST /api/v1/needs": "401 401 401 401 401 401 401",
    "POST /api/v1/needs/<int:need_id>/status": "401 401 401 401 401 401 401",
    "POST /api/v1/needs/<int:need_id>/withdraw": "401 401 401 401 401 401 401",
    "POST /api/v1/trial-requests": "401 401 401 401 401 401 401",
    "POST /api/v1/trial-requests/<int:request_id>/status": "401 401 401 401 401 401 401",
    "POST /api/v1/trial-requests/<int:request_id>/withdraw": "401 401 401 401 401 401 401",
    "POST /api/v1/trial-sites": "401 401 401 401 401 401 401",
    # KPIs: the public figures exist only once the secretariat opts some in (none here); the chair is a
    # named evaluator of the year; a member sees only its own organisation's activity page.
    "GET /kpis/": "404 404 404 404 404 404 404",
    "GET /kpis/evaluation/<int:year>/score": "L 403 403 403 200 200 200",
    "POST /kpis/evaluation/<int:year>/score": "L 403 403 403 200 200 200",
    "GET /kpis/manage/": "L 403 403 403 403 200 200",
    "GET /kpis/manage/evaluation/<int:year>": "L 403 403 403 403 200 200",
    "POST /kpis/manage/evaluation/<int:year>/evaluators": "L 403 403 403 403 400 400",
    "POST /kpis/manage/evaluation/<int:year>/weights": "L 403 403 403 403 400 400",
    "POST /kpis/manage/evaluators/<int:evaluator_id>/remove": "L 403 403 403 403 302 404",
    "GET /kpis/manage/figures/<int:year>": "L 403 403 403 403 200 200",
    "POST /kpis/manage/figures/<int:year>/<indicator>": "L 403 403 403 403 400 400",
    "GET /kpis/manage/public": "L 403 403 403 403 200 200",
    "POST /kpis/manage/public": "L 403 403 403 403 302 302",
    "GET /kpis/manage/report/<int:year>.<fmt>": "L 403 403 403 403 200 200",
    "GET /kpis/manage/targets/<int:year>": "L 403 403 403 403 200 200",
    "POST /kpis/manage/targets/<int:year>/<indicator>": "L 403 403 403 403 302 302",
    "GET /kpis/organisation": "L 404 302 302 302 302 302",
    "GET /kpis/organisations/<int:organisation_id>": "L 404 200 404 404 200 200",
}

FEED_TOKEN = "feed-token-of-the-owner-0123456789"
INVITATION_TOKEN = "invitation-token-of-the-owning-org-0123456789"


_HASH: list[str] = []


def _user(email: str, role: Role, organisation: Organisation | None, **fields) -> User:
    from app.auth.passwords import hash_password

    if not _HASH:
        _HASH.append(hash_password("matrix password 2026"))  # one hash for all: nobody logs in by password here
    user = User(email=email, name=email.split("@")[0], password_hash=_HASH[0], role=role, organisation=organisation,
                **fields)
    db.session.add(user)
    return user


def build_world(app) -> dict:
    """One organisation's objects, and a user for every role. Returns the ids the URLs need."""
    now = datetime.now(timezone.utc)
    owning = Organisation(name_ja="所有市", sector=Sector.GOVERNMENT, status=OrganisationStatus.ACTIVE, tier=MembershipTier.SPECIAL)
    another = Organisation(name_ja="他社", status=OrganisationStatus.ACTIVE, tier=MembershipTier.REGULAR)
    third = Organisation(name_ja="第三大学", sector=Sector.ACADEMIA, status=OrganisationStatus.ACTIVE, tier=MembershipTier.SPECIAL)
    applying = Organisation(name_ja="申請社", status=OrganisationStatus.APPLICANT)
    db.session.add_all([owning, another, third, applying])
    users = {
        "appl": _user("appl@example.org", Role.APPLICANT, applying, is_org_admin=True),
        "owner": _user("owner@example.org", Role.MEMBER, owning, is_org_admin=True),
        "other": _user("other@example.org", Role.MEMBER, another, is_org_admin=True),
        "chair": _user("chair@example.org", Role.MEMBER, third, is_org_admin=True),
        "sec": _user("sec@example.org", Role.SECRETARIAT, None),
        "admin": _user("admin@example.org", Role.ADMIN, None),
    }
    colleague = _user("colleague@example.org", Role.MEMBER, owning)
    owner = users["owner"]

    need = RegulatoryNeed(title="機密ニーズ", status=NeedStatus.RECEIVED, confidentiality=Confidentiality.CONFIDENTIAL,
                          submitter=owner, organisation=owning, business="b", obstacle="o", relief="r")
    need_file = NeedAttachment(need=need, original_name="根拠.pdf", storage_name="matrix-need.pdf",
                               content_type="application/pdf", size=8, uploaded_by_id=None)
    trial = TrialRequest(title="機密の実証相談", organisation=owning, submitted_by=owner, confidential=True,
                         status=TrialRequestStatus.SUBMITTED, verify="v")
    message = TrialRequestMessage(trial_request=trial, author=owner, body="内部のやりとり")
    challenge = RegionalChallenge(title="地域課題", description="d", organisation=owning, posted_by=owner)
    site = TrialSite(name_ja="所有市の試験道路", owner=owning)
    group = WorkingGroup(name_ja="部会")
    chair_membership = GroupMembership(group=group, user=users["chair"], role=GroupRole.CHAIR, status=MembershipStatus.ACTIVE)
    owner_membership = GroupMembership(group=group, user=owner, role=GroupRole.MEMBER, status=MembershipStatus.ACTIVE)
    meeting = Meeting(group=group, title="第1回", starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=2))
    meeting_file = MeetingAttachment(meeting=meeting, original_name="資料.pdf", stored_name="matrix-meeting.pdf",
                                     content_type="application/pdf", size=8, uploaded_by=users["chair"])
    feed = CalendarFeedToken(user=owner, token_digest=feed_digest(FEED_TOKEN))
    introduction = Introduction(trial_request=trial, requester=owning, target=third, message="m",
                                status=IntroductionStatus.INTRODUCED, created_by=users["sec"], introduced_at=now)
    run = MatchRun(trial_request=trial)
    application = MembershipApplication(organisation=owning, applicant=owner, tier=MembershipTier.SPECIAL,
                                        status=ApplicationStatus.APPROVED)
    due = Due(organisation=owning, fiscal_year=2026, tier=MembershipTier.SPECIAL, amount=0)
    office = Office(kind=OfficeKind.BOARD, person_name="幹事", organisation=owning, term_start=date(2026, 4, 1))
    invitation = Invitation(organisation=owning, email="new@example.org", invited_by=owner,
                            token_hash=_invitation_digest(INVITATION_TOKEN), expires_at=now + timedelta(days=7))
    notification = Notification(recipient=owner, message="Welcome!", link="/dashboard")
    change = ChangeRequest(organisation=owning, requested_by=owner, kind=ChangeKind.TIER, old_value="special",
                           new_value="regular", reason="r")
    measure = SpecialMeasure(code="M999", name_ja="特区メニュー", law="航空法")
    package = ProposalPackage(title="提案パッケージ")
    package.needs.append(need)
    trial_file = TrialRequestAttachment(trial_request=trial, original_name="計画書.pdf", storage_name="matrix-trial.pdf",
                                        content_type="application/pdf", size=8)
    evaluator = Evaluator(fiscal_year=2026, user=users["chair"])
    db.session.add_all([colleague, need, need_file, trial, message, challenge, site, group, chair_membership,
                        owner_membership, meeting, meeting_file, feed, introduction, run, application, due, office,
                        invitation, notification, change, measure, package, trial_file, evaluator,
                        AuditEntry(action="matrix.seeded", object_type="organisations")])
    db.session.flush()
    need_file.uploaded_by_id = owner.id
    db.session.commit()
    with app.app_context():
        (storage_dir("needs") / "matrix-need.pdf").write_bytes(b"%PDF-1.4")
        (storage_dir("groups") / "matrix-meeting.pdf").write_bytes(b"%PDF-1.4")
        (storage_dir(ATTACHMENT_FOLDER) / "matrix-trial.pdf").write_bytes(b"%PDF-1.4")
    return {
        "users": {role: user.id for role, user in users.items()},
        "args": {
            "organisation_id": owning.id, "user_id": colleague.id, "invitation_id": invitation.id,
            "application_id": application.id, "change_id": change.id, "due_id": due.id, "office_id": office.id,
            "group_id": group.id, "meeting_id": meeting.id, "attachment_id": meeting_file.id,
            "membership_id": owner_membership.id, "token_id": feed.id, "introduction_id": introduction.id,
            "run_id": run.id, "challenge_id": challenge.id, "request_id": trial.id, "need_id": need.id,
            "measure_id": measure.id, "package_id": package.id, "notification_id": notification.id,
            "site_id": site.id, "fmt": "csv", "filename": "css/app.css",
            "year": 2026, "indicator": "jobs_created", "evaluator_id": evaluator.id,
        },
        "need_attachment_id": need_file.id,
        "trial_attachment_id": trial_file.id,
    }


def _invitation_digest(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def _arguments(rule, world: dict) -> dict:
    values = dict(world["args"])
    if rule.rule.startswith("/needs/<int:need_id>/attachments/"):
        values["attachment_id"] = world["need_attachment_id"]
    if rule.rule.startswith("/trials/requests/<int:request_id>/attachments/"):
        values["attachment_id"] = world["trial_attachment_id"]
    if rule.endpoint == "groups.feed":
        values["token"] = FEED_TOKEN
    elif rule.endpoint == "members.accept_invitation":
        values["token"] = INVITATION_TOKEN
    elif rule.endpoint == "auth.reset_password":
        values["token"] = "not-a-valid-reset-token"
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.rule}: give a value for {missing} in _arguments"
    return {name: values[name] for name in rule.arguments}


def _routes(app) -> list[tuple[str, str, object]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((f"{method} {rule.rule}", method, rule))
    return sorted(found, key=lambda item: item[0])


def _client_for(app, role: str, world: dict):
    """A client logged in as `role` (the session Flask-Login would write) and its CSRF token."""
    client = app.test_client()
    raw = f"matrix-csrf-{role}"
    with client.session_transaction() as session:
        session["csrf_token"] = raw
        if role != "anon":
            session["_user_id"] = db.session.get(User, world["users"][role]).get_id()
            session["_fresh"] = True
    # The signed form of the raw token, as flask_wtf.csrf.generate_csrf makes it.
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)
    return client, token


def _observed(response) -> str:
    if response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""):
        return "L"
    return str(response.status_code)


# Forms whose view checks the form before the permission: the matrix sends a valid one, so that the
# refusal (not the form's errors) is what an unauthorised role meets.
POST_DATA = {
    "POST /trials/challenges/<int:challenge_id>": {"summary": "除雪ロボット", "body": "夜間に自律除雪します。"},
}


def _request(client, key: str, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token, **POST_DATA.get(key, {})})


def test_every_route_is_in_the_matrix(app):
    routes = {key for key, _method, _rule in _routes(app)}
    unlisted = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not unlisted, "routes missing from the access matrix (add a line each):\n" + "\n".join(unlisted)
    assert not stale, "matrix lines for routes that no longer exist:\n" + "\n".join(stale)
    for key, row in MATRIX.items():
        assert len(row.split()) == len(ROLES), key


# What the owning organisation keeps to itself: no page may show it to anyone outside (and staff).
SECRETS = ("機密ニーズ", "機密の実証相談", "内部のやりとり")
OUTSIDERS = ("anon", "appl", "other")


def _check(app, world, keys_and_rules, printing=False) -> list[str]:
    clients, tokens = {}, {}
    for role in ROLES:
        clients[role], tokens[role] = _client_for(app, role, world)
    wrong = []
    for key, method, rule in keys_and_rules:
        url = rule.build(_arguments(rule, world), append_unknown=False)[1]
        observed = []
        for role in ROLES:
            db.session.expire_all()
            response = _request(clients[role], key, method, url, tokens[role])
            observed.append(_observed(response))
            if role in OUTSIDERS and not response.direct_passthrough:
                body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
                leaked = [secret for secret in SECRETS if secret in body]
                if leaked:
                    wrong.append(f"{key}: {role} saw {leaked}")
            response.close()
            db.session.rollback()
        line = " ".join(observed)
        if printing:
            print(f'    "{key}": "{line}",')
        elif MATRIX.get(key) != line:
            wrong.append(f"{key}\n    expected {MATRIX.get(key)}\n    observed {line}\n    roles    {' '.join(ROLES)}")
    return wrong


def test_every_page_answers_every_role_as_the_matrix_says(app):
    """GET routes, all against one world (they change nothing)."""
    world = build_world(app)
    gets = [item for item in _routes(app) if item[1] == "GET" and item[0] in MATRIX]
    wrong = _check(app, world, gets, printing=bool(os.environ.get("ACCESS_MATRIX_PRINT")))
    assert not wrong, "\n".join(wrong)


POSTS = [key for key in MATRIX if not key.startswith("GET ")]


@pytest.mark.slow  # about 560 requests against 80 fresh worlds: `make test` and CI run it, the quick path does not
@pytest.mark.parametrize("key", POSTS)
def test_every_state_change_answers_every_role_as_the_matrix_says(app, key):
    """Each POST route against a fresh world; roles in the column order, the allowed ones last in effect."""
    world = build_world(app)
    item = next((entry for entry in _routes(app) if entry[0] == key), None)
    assert item is not None, f"{key} is not a route"
    wrong = _check(app, world, [item], printing=bool(os.environ.get("ACCESS_MATRIX_PRINT")))
    assert not wrong, "\n".join(wrong)


def test_the_secrets_are_on_the_owners_pages_so_their_absence_elsewhere_means_something(app):
    world = build_world(app)
    client, _token = _client_for(app, "owner", world)
    args = world["args"]
    pages = [f"/needs/{args['need_id']}", f"/trials/requests/{args['request_id']}"]
    bodies = "".join(client.get(page).get_data(as_text=True) for page in pages)
    assert all(secret in bodies for secret in SECRETS)
