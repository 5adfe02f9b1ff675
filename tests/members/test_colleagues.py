"""Colleagues: invitations (single use, expiring), accepting, removing, handing over the admin role."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.mail import sent_messages
from app.members import colleague_services
from app.members.services import MembershipError
from app.permissions import Refused
from models import Invitation, Role, User, db, utcnow

PASSWORD = "雪の札幌で実証実験をはじめよう"


def test_an_invitation_stores_only_the_token_digest_and_mails_the_link(org_with_people):
    organisation, admin, _ = org_with_people()
    invitation, token = colleague_services.invite_colleague(admin, organisation, "New.Person@Example.org")
    assert invitation.email == "new.person@example.org"
    assert token not in invitation.token_hash
    body = sent_messages[-1].get_content()
    assert f"https://platform.example.org/members/invitations/{token}" in body


def test_the_invitation_lasts_the_configured_days_and_the_page_says_so(app, monkeypatch, client, login_as,
                                                                        org_with_people):
    monkeypatch.setitem(app.config, "INVITATION_DAYS", 3)
    organisation, admin, _ = org_with_people()
    invitation, _token = colleague_services.invite_colleague(admin, organisation, "three.days@example.org")
    lifetime = invitation.expires_at - utcnow()
    assert timedelta(days=3) - timedelta(minutes=1) < lifetime <= timedelta(days=3)
    login_as(admin)
    assert "3日間有効なリンク" in client.get(f"/members/{organisation.id}/colleagues").get_data(as_text=True)


def test_accepting_creates_a_member_in_the_organisation(org_with_people):
    organisation, admin, _ = org_with_people()
    _invitation, token = colleague_services.invite_colleague(admin, organisation, "new@example.org")
    user = colleague_services.accept_invitation(token, name="新人 太郎", password=PASSWORD)
    assert user.organisation_id == organisation.id
    assert user.role == Role.MEMBER
    assert not user.is_org_admin


def test_an_invitation_works_only_once(org_with_people):
    organisation, admin, _ = org_with_people()
    _invitation, token = colleague_services.invite_colleague(admin, organisation, "new@example.org")
    colleague_services.accept_invitation(token, name="新人 太郎", password=PASSWORD)
    with pytest.raises(MembershipError):
        colleague_services.accept_invitation(token, name="別人", password=PASSWORD)


def test_an_expired_invitation_is_refused(org_with_people):
    organisation, admin, _ = org_with_people()
    invitation, token = colleague_services.invite_colleague(admin, organisation, "late@example.org")
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert colleague_services.usable_invitation(token) is None
    with pytest.raises(MembershipError):
        colleague_services.accept_invitation(token, name="遅刻 太郎", password=PASSWORD)


def test_a_revoked_invitation_is_refused(org_with_people):
    organisation, admin, _ = org_with_people()
    invitation, token = colleague_services.invite_colleague(admin, organisation, "x@example.org")
    colleague_services.revoke_invitation(admin, invitation)
    assert colleague_services.usable_invitation(token) is None


def test_a_colleague_who_is_not_admin_cannot_invite(org_with_people):
    organisation, _admin, colleague = org_with_people()
    with pytest.raises(Refused):
        colleague_services.invite_colleague(colleague, organisation, "x@example.org")


def test_an_admin_of_another_organisation_cannot_invite(org_with_people):
    organisation, _admin, _ = org_with_people()
    _other, other_admin, _ = org_with_people()
    with pytest.raises(Refused):
        colleague_services.invite_colleague(other_admin, organisation, "x@example.org")


def test_removing_a_colleague_detaches_them_and_ends_member_access(org_with_people):
    organisation, admin, colleague = org_with_people()
    generation = colleague.session_generation
    colleague_services.remove_colleague(admin, organisation, colleague)
    assert colleague.organisation_id is None
    assert colleague.role == Role.APPLICANT
    assert colleague.session_generation == generation + 1


def test_the_last_admin_cannot_be_removed_by_the_secretariat(org_with_people, secretariat):
    organisation, admin, _ = org_with_people()
    with pytest.raises(MembershipError):
        colleague_services.remove_colleague(secretariat, organisation, admin)


def test_handing_over_makes_the_successor_admin_and_the_actor_not(org_with_people):
    organisation, admin, colleague = org_with_people()
    colleague_services.hand_over_admin(admin, organisation, colleague)
    assert colleague.is_org_admin and not admin.is_org_admin


def test_cannot_hand_over_to_someone_of_another_organisation(org_with_people):
    organisation, admin, _ = org_with_people()
    _other, _other_admin, stranger = org_with_people()
    with pytest.raises(Refused):
        colleague_services.hand_over_admin(admin, organisation, stranger)


def test_invite_and_accept_through_the_pages(client, login_as, post_form, auth, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/colleagues", {"email": "joiner@example.org"})
    assert response.status_code == 302
    auth.logout()
    link = re.search(r"/members/invitations/\S+", sent_messages[-1].get_content()).group(0)
    response = post_form(link, {"name": "参加 花子", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "joiner@example.org")).one()
    assert user.organisation_id == organisation.id
    auth.logout()
    # The same link a second time: refused, back to the home page.
    assert client.get(link).status_code == 302
    assert db.session.scalars(select(Invitation)).one().accepted_at is not None


def test_remove_through_the_page_needs_the_admin(client, login_as, post_form, org_with_people):
    organisation, admin, colleague = org_with_people()
    login_as(colleague)
    response = post_form(f"/members/{organisation.id}/colleagues/{admin.id}/remove",
                         form_page=f"/members/{organisation.id}/colleagues")
    assert response.status_code == 403
    assert admin.organisation_id == organisation.id
