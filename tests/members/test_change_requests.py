"""Sector, tier and status are not self-service: the organisation asks, the secretariat decides."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import (
    AuditEntry,
    ChangeKind,
    ChangeRequest,
    ChangeRequestStatus,
    IndustryCategory,
    MembershipTier,
    OrganisationStatus,
    Role,
    Sector,
    db,
)

from ..conftest import AuthActions


def _profile_data(org, **overrides):
    data = {"name_ja": org.name_ja, "sector": org.sector.value, "category": "", "description": "自治体のふりをする"}
    data.update(overrides)
    return data


def _actions():
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_sector_change_on_the_profile_waits_for_the_secretariat(client, login_as, member, post_form):
    org = member.organisation
    login_as(member)
    response = post_form(f"/members/{org.id}/edit", _profile_data(org, sector="government"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/members/{org.id}/changes")
    db.session.refresh(org)
    assert org.sector == Sector.INDUSTRY
    assert org.description == "自治体のふりをする"  # the rest of the profile is saved at once
    change = db.session.scalars(select(ChangeRequest)).one()
    assert (change.kind, change.old_value, change.new_value, change.status) == (
        ChangeKind.SECTOR, "industry", "government", ChangeRequestStatus.PENDING)
    assert "organisation.change_requested" in _actions()
    page = client.get(f"/members/{org.id}/changes").get_data(as_text=True)
    assert "事務局の承認待ち" in page


def test_the_challenge_form_stays_closed_until_the_secretariat_approves(app, client, login_as, member, secretariat, post_form):
    org = member.organisation
    login_as(member)
    post_form(f"/members/{org.id}/edit", _profile_data(org, sector="government"))
    assert client.get("/trials/challenges/new").status_code == 403
    # Saving the profile again does not ask twice, nor change anything.
    post_form(f"/members/{org.id}/edit", _profile_data(org, sector="government"))
    assert db.session.scalar(select(db.func.count(ChangeRequest.id))) == 1
    assert client.get("/trials/challenges/new").status_code == 403

    staff = app.test_client()
    AuthActions(staff).login(secretariat)
    change = db.session.scalars(select(ChangeRequest)).one()
    page = staff.get(f"/members/manage/changes/{change.id}")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = staff.post(f"/members/manage/changes/{change.id}", data={"csrf_token": token, "approve": "y", "note": "確認済み"})
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.sector == Sector.GOVERNMENT and org.category is None
    assert client.get("/trials/challenges/new").status_code == 200
    actions = _actions()
    assert "organisation.sector_changed" in actions and "organisation.change_approved" in actions
    sector_entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.sector_changed"))
    assert sector_entry.actor_id == secretariat.id and sector_entry.details["new"] == "government"


def test_a_rejected_change_changes_nothing_and_needs_a_reason(client, login_as, member, secretariat, post_form):
    org = member.organisation
    login_as(member)
    post_form(f"/members/{org.id}/changes", {"kind": "sector", "sector": "government", "reason": "市の外郭団体です"})
    change = db.session.scalars(select(ChangeRequest)).one()
    AuthActions(client).logout()
    login_as(secretariat)
    url = f"/members/manage/changes/{change.id}"
    assert post_form(url, {"reject": "y", "note": ""}).status_code == 200  # a reason is needed
    assert post_form(url, {"reject": "y", "note": "自治体ではありません"}).status_code == 302
    db.session.refresh(change)
    db.session.refresh(org)
    assert change.status == ChangeRequestStatus.REJECTED and org.sector == Sector.INDUSTRY
    assert "organisation.change_rejected" in _actions()


def test_a_tier_change_is_applied_on_approval(client, login_as, member, secretariat, post_form):
    org = member.organisation
    org.tier = MembershipTier.REGULAR
    db.session.commit()
    login_as(member)
    assert post_form(f"/members/{org.id}/changes", {"kind": "tier", "tier": "supporting", "reason": "予算縮小"}).status_code == 302
    db.session.refresh(org)
    assert org.tier == MembershipTier.REGULAR
    AuthActions(client).logout()
    login_as(secretariat)
    change = db.session.scalars(select(ChangeRequest)).one()
    post_form(f"/members/manage/changes/{change.id}", {"approve": "y"})
    db.session.refresh(org)
    assert org.tier == MembershipTier.SUPPORTING
    assert "organisation.tier_changed" in _actions()


def test_a_suspension_asked_for_suspends_only_once_approved(client, login_as, member, secretariat, post_form):
    org = member.organisation
    login_as(member)
    post_form(f"/members/{org.id}/changes", {"kind": "status", "status": "suspended", "reason": "休会します"})
    db.session.refresh(org)
    assert org.status == OrganisationStatus.ACTIVE
    AuthActions(client).logout()
    login_as(secretariat)
    change = db.session.scalars(select(ChangeRequest)).one()
    post_form(f"/members/manage/changes/{change.id}", {"approve": "y"})
    db.session.refresh(org)
    db.session.refresh(member)
    assert org.status == OrganisationStatus.SUSPENDED and member.role == Role.APPLICANT
    role_entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role.changed"))
    assert (role_entry.object_id, role_entry.details["old"], role_entry.details["new"]) == (member.id, "member", "applicant")


def test_the_same_kind_cannot_be_asked_twice_while_pending(client, login_as, member, post_form):
    org = member.organisation
    login_as(member)
    post_form(f"/members/{org.id}/changes", {"kind": "sector", "sector": "government", "reason": "1"})
    response = post_form(f"/members/{org.id}/changes", {"kind": "sector", "sector": "academia", "reason": "2"})
    assert response.status_code == 200
    assert db.session.scalar(select(db.func.count(ChangeRequest.id))) == 1


@pytest.mark.parametrize("data", [
    {"kind": "sector", "sector": "industry"},  # unchanged
    {"kind": "status", "status": "active"},  # already active
    {"kind": "sector", "sector": "martian"},  # not a sector
])
def test_impossible_requests_are_refused_with_a_message(client, login_as, member, post_form, data):
    login_as(member)
    response = post_form(f"/members/{member.organisation_id}/changes", {**data, "reason": "x"})
    assert response.status_code == 200
    assert db.session.scalar(select(db.func.count(ChangeRequest.id))) == 0


def test_another_organisation_cannot_ask_for_or_see_its_requests(client, login_as, member, make_user, post_form):
    other = make_user(Role.MEMBER, is_org_admin=True)
    login_as(other)
    assert client.get(f"/members/{member.organisation_id}/changes").status_code == 403
    token_page = f"/members/{other.organisation_id}/changes"
    response = post_form(f"/members/{member.organisation_id}/changes", {"kind": "sector", "sector": "government", "reason": "x"},
                         form_page=token_page)
    assert response.status_code == 403
    assert db.session.scalar(select(db.func.count(ChangeRequest.id))) == 0


def test_a_colleague_who_is_not_the_admin_cannot_ask(client, login_as, member, make_user, post_form):
    colleague = make_user(Role.MEMBER, organisation=member.organisation)
    login_as(colleague)
    assert client.get(f"/members/{member.organisation_id}/changes").status_code == 403


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_only_the_secretariat_decides(client, login_as, member, make_user, post_form, role):
    org = member.organisation
    login_as(member)
    post_form(f"/members/{org.id}/changes", {"kind": "sector", "sector": "government", "reason": "x"})
    change = db.session.scalars(select(ChangeRequest)).one()
    AuthActions(client).logout()
    login_as(member if role == Role.MEMBER else make_user(role))
    assert client.get(f"/members/manage/changes/{change.id}").status_code == 403
    assert client.get("/members/manage/changes").status_code == 403
    db.session.refresh(org)
    assert org.sector == Sector.INDUSTRY


def test_the_secretariat_changes_the_sector_directly_and_it_is_audited(client, login_as, member, secretariat, post_form):
    org = member.organisation
    login_as(secretariat)
    post_form(f"/members/{org.id}/edit", _profile_data(org, sector="industry", category="startup"))
    db.session.refresh(org)
    assert org.category == IndustryCategory.STARTUP
    post_form(f"/members/{org.id}/edit", _profile_data(org, sector="academia"))
    db.session.refresh(org)
    assert org.sector == Sector.ACADEMIA
    assert db.session.scalar(select(db.func.count(ChangeRequest.id))) == 0
    assert "organisation.sector_changed" in _actions()


def test_the_queue_lists_pending_requests_first(client, login_as, member, secretariat, post_form):
    login_as(member)
    post_form(f"/members/{member.organisation_id}/changes", {"kind": "sector", "sector": "government", "reason": "x"})
    AuthActions(client).logout()
    login_as(secretariat)
    page = client.get("/members/manage/changes").get_data(as_text=True)
    assert 'data-testid="change-queue"' in page and member.organisation.name_ja in page and "事務局の承認待ち" in page
