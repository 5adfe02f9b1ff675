"""Joining a group: request, approval by the chair or the secretariat, leaving, and who may do what."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.mail import sent_messages
from models import GroupMembership, GroupRole, MembershipStatus, Notification, OrganisationStatus, Role, db


def _memberships(group):
    return list(db.session.scalars(select(GroupMembership).where(GroupMembership.group_id == group.id)))


def test_member_requests_to_join_and_secretariat_approves(client, login_as, post_form, group, member, secretariat, auth):
    login_as(member)
    response = post_form(f"/groups/{group.id}/join", {"message": "水素に関心があります"}, form_page=f"/groups/{group.id}")
    assert response.status_code == 302
    (request,) = _memberships(group)
    assert request.status == MembershipStatus.PENDING and request.user_id == member.id
    assert client.get(f"/groups/{group.id}/members").status_code == 404  # not a member yet

    auth.logout()
    login_as(secretariat)
    assert "水素に関心があります" in client.get(f"/groups/{group.id}/members").get_data(as_text=True)
    response = post_form(f"/groups/{group.id}/members/{request.id}/approve", {"role": "member"}, form_page=f"/groups/{group.id}/members")
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status == MembershipStatus.ACTIVE and request.decided_by_id == secretariat.id
    assert any("承認" in n.message or "approved" in n.message for n in db.session.scalars(select(Notification).where(Notification.recipient_id == member.id)))

    auth.logout()
    login_as(member)
    assert client.get(f"/groups/{group.id}/members").status_code == 200


def test_join_request_notifies_the_secretariat_by_email(login_as, post_form, group, member, secretariat):
    login_as(member)
    post_form(f"/groups/{group.id}/join", {}, form_page=f"/groups/{group.id}")
    assert [m["To"] for m in sent_messages] == [secretariat.email]
    assert db.session.scalar(select(Notification).where(Notification.recipient_id == secretariat.id)) is not None


def test_org_admin_can_join_on_behalf_of_the_organisation(login_as, post_form, group, member):
    login_as(member)
    post_form(f"/groups/{group.id}/join", {"as_organisation": "y"}, form_page=f"/groups/{group.id}")
    (request,) = _memberships(group)
    assert request.organisation_id == member.organisation_id and request.user_id is None


def test_organisation_membership_makes_its_people_members(client, login_as, make_user, group, member, add_member):
    add_member(group, organisation=member.organisation)
    colleague = make_user(Role.MEMBER, organisation=member.organisation)
    login_as(colleague)
    assert client.get(f"/groups/{group.id}/members").status_code == 200


def test_chair_approves_a_request(client, login_as, post_form, make_user, group, add_member, outsider):
    chair = make_user(Role.MEMBER, email="chair@example.org")
    add_member(group, chair, role=GroupRole.CHAIR)
    request = add_member(group, outsider, status=MembershipStatus.PENDING)
    login_as(chair)
    post_form(f"/groups/{group.id}/members/{request.id}/approve", {"role": "observer"}, form_page=f"/groups/{group.id}/members")
    db.session.refresh(request)
    assert request.status == MembershipStatus.ACTIVE and request.role == GroupRole.OBSERVER


def test_chair_cannot_make_another_chair(client, login_as, make_user, group, add_member, outsider):
    from tests.conftest import csrf_token

    chair = make_user(Role.MEMBER, email="chair@example.org")
    add_member(group, chair, role=GroupRole.CHAIR)
    request = add_member(group, outsider, status=MembershipStatus.PENDING)
    login_as(chair)
    token = csrf_token(client, f"/groups/{group.id}/members")
    response = client.post(f"/groups/{group.id}/members/{request.id}/approve", data={"csrf_token": token, "role": "chair"})
    assert response.status_code == 403
    db.session.refresh(request)
    assert request.status == MembershipStatus.PENDING


def test_secretariat_declines_a_request(login_as, post_form, group, outsider, secretariat, add_member):
    request = add_member(group, outsider, status=MembershipStatus.PENDING)
    login_as(secretariat)
    post_form(f"/groups/{group.id}/members/{request.id}/reject", {}, form_page=f"/groups/{group.id}/members")
    db.session.refresh(request)
    assert request.status == MembershipStatus.REJECTED


def test_plain_member_cannot_approve_requests(client, login_as, group, group_member, outsider, add_member):
    from tests.conftest import csrf_token

    request = add_member(group, outsider, status=MembershipStatus.PENDING)
    login_as(group_member)
    token = csrf_token(client, f"/groups/{group.id}/members")
    assert client.post(f"/groups/{group.id}/members/{request.id}/approve", data={"csrf_token": token, "role": "member"}).status_code == 403
    db.session.refresh(request)
    assert request.status == MembershipStatus.PENDING


def test_outsider_cannot_decide_requests_of_a_group_they_are_not_in(client, login_as, group, outsider, make_user, add_member):
    from tests.conftest import csrf_token

    other = make_user(Role.MEMBER)
    request = add_member(group, other, status=MembershipStatus.PENDING)
    login_as(outsider)
    token = csrf_token(client, "/dashboard")
    assert client.post(f"/groups/{group.id}/members/{request.id}/approve", data={"csrf_token": token, "role": "member"}).status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.SECRETARIAT])
def test_only_member_users_may_request_to_join(client, login_as, group, role):
    from tests.conftest import csrf_token

    login_as(role)
    token = csrf_token(client, "/dashboard")
    assert client.post(f"/groups/{group.id}/join", data={"csrf_token": token}).status_code == 403
    assert _memberships(group) == []


def test_anonymous_join_goes_to_login(client, group):
    response = client.post(f"/groups/{group.id}/join", data={})
    assert response.status_code in (302, 400)
    assert _memberships(group) == []


def test_a_second_request_while_pending_is_refused(client, login_as, post_form, group, member):
    from tests.conftest import csrf_token

    login_as(member)
    post_form(f"/groups/{group.id}/join", {}, form_page=f"/groups/{group.id}")
    token = csrf_token(client, "/dashboard")
    assert client.post(f"/groups/{group.id}/join", data={"csrf_token": token}).status_code == 403
    assert len(_memberships(group)) == 1


def test_member_leaves_the_group(client, login_as, post_form, group, group_member):
    (membership,) = _memberships(group)
    login_as(group_member)
    post_form(f"/groups/{group.id}/memberships/{membership.id}/leave", {}, form_page=f"/groups/{group.id}")
    db.session.refresh(membership)
    assert membership.status == MembershipStatus.LEFT
    assert client.get(f"/groups/{group.id}/members").status_code == 404


def test_member_cannot_end_someone_elses_membership(client, login_as, group, group_member, outsider, add_member):
    from tests.conftest import csrf_token

    (membership,) = _memberships(group)
    add_member(group, outsider)
    login_as(outsider)
    token = csrf_token(client, "/dashboard")
    assert client.post(f"/groups/{group.id}/memberships/{membership.id}/leave", data={"csrf_token": token}).status_code == 403
    db.session.refresh(membership)
    assert membership.is_active


def test_dashboard_lists_my_groups(client, login_as, group, group_member, make_group):
    make_group("人材育成部会", name_en="Talent")  # not a member of this one
    login_as(group_member)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "水素・GX部会" in page and "人材育成部会" not in page


def test_secretariat_adds_an_organisation_as_chair(login_as, post_form, group, secretariat, make_organisation):
    organisation = make_organisation("北央銀行")
    login_as(secretariat)
    post_form(f"/groups/{group.id}/members/add", {"organisation_id": organisation.id, "role": "chair"}, form_page=f"/groups/{group.id}/members")
    (membership,) = _memberships(group)
    assert membership.organisation_id == organisation.id and membership.role == GroupRole.CHAIR and membership.is_active


def test_secretariat_changes_a_members_role(login_as, post_form, secretariat, group, group_member):
    (membership,) = _memberships(group)
    login_as(secretariat)
    post_form(f"/groups/{group.id}/members/{membership.id}/role", {"role": "chair"}, form_page=f"/groups/{group.id}/members")
    db.session.refresh(membership)
    assert membership.role == GroupRole.CHAIR


def test_chair_removes_a_member(login_as, post_form, make_user, group, group_member, add_member):
    chair = make_user(Role.MEMBER)
    add_member(group, chair, role=GroupRole.CHAIR)
    membership = next(m for m in _memberships(group) if m.user_id == group_member.id)
    login_as(chair)
    post_form(f"/groups/{group.id}/members/{membership.id}/remove", {}, form_page=f"/groups/{group.id}/members")
    db.session.refresh(membership)
    assert membership.status == MembershipStatus.LEFT


def test_chair_cannot_change_roles(client, login_as, make_user, group, group_member, add_member):
    from tests.conftest import csrf_token

    chair = make_user(Role.MEMBER)
    add_member(group, chair, role=GroupRole.CHAIR)
    membership = next(m for m in _memberships(group) if m.user_id == group_member.id)
    login_as(chair)
    token = csrf_token(client, f"/groups/{group.id}/members")
    assert client.post(f"/groups/{group.id}/members/{membership.id}/role", data={"csrf_token": token, "role": "chair"}).status_code == 403


def test_the_add_form_offers_organisations_found_by_name_not_every_member(client, login_as, group, secretariat,
                                                                          make_organisation):
    make_organisation("北央銀行")
    make_organisation("道央電力")
    make_organisation("北央信金（申請中）", status=OrganisationStatus.APPLICANT)
    login_as(secretariat)
    page = client.get(f"/groups/{group.id}/members").get_data(as_text=True)
    assert "北央銀行" not in page and "道央電力" not in page  # no query: no list of every organisation
    page = client.get(f"/groups/{group.id}/members", query_string={"org_q": "北央"}).get_data(as_text=True)
    assert "北央銀行" in page and "道央電力" not in page
    assert "北央信金（申請中）" not in page  # only active members can be added
    page = client.get(f"/groups/{group.id}/members", query_string={"org_q": "存在しない"}).get_data(as_text=True)
    assert 'data-testid="no-organisation-found"' in page


def test_the_add_form_names_organisations_in_the_pages_language(client, login_as, group, secretariat, make_organisation):
    found = make_organisation("北央銀行", name_en="Hokuou Bank")
    login_as(secretariat)
    page = client.get(f"/groups/{group.id}/members", query_string={"org_q": "北央"}).get_data(as_text=True)
    assert f'<option value="{found.id}">北央銀行</option>' in page
    secretariat.locale = "en"
    db.session.commit()
    page = client.get(f"/groups/{group.id}/members", query_string={"org_q": "Hokuou"}).get_data(as_text=True)
    assert f'<option value="{found.id}">Hokuou Bank</option>' in page


def test_an_organisation_that_is_not_an_active_member_cannot_be_added(login_as, post_form, group, secretariat,
                                                                      make_organisation):
    applicant = make_organisation("申請中の団体", status=OrganisationStatus.APPLICANT)
    login_as(secretariat)
    for chosen in (applicant.id, 999_999_999_999):
        response = post_form(f"/groups/{group.id}/members/add", {"organisation_id": chosen, "role": "member"},
                             form_page=f"/groups/{group.id}/members", follow_redirects=True)
        assert "追加できませんでした" in response.get_data(as_text=True)
    assert _memberships(group) == []


def test_dashboards_count_every_join_request_and_list_each_members_groups(client, login_as, auth, make_group, add_member,
                                                                         make_user, member, secretariat):
    """The secretariat's panel counts all waiting requests and links the oldest eight (one per group
    here); a member's panel lists each of their groups, personal or through the organisation."""
    groups = [make_group(f"部会{n:02d}") for n in range(10)]
    for group in groups:
        applicant = make_user(Role.MEMBER)
        add_member(group, applicant, status=MembershipStatus.PENDING)
    add_member(groups[0], member)
    add_member(groups[3], organisation=member.organisation)
    add_member(groups[5], member, status=MembershipStatus.PENDING)  # not a group of theirs yet

    login_as(secretariat)
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<span class="badge">11</span>' in page
    assert [f"部会{n:02d} への申請" in page for n in range(10)] == [True] * 8 + [False] * 2

    auth.logout()
    login_as(member)
    page = client.get("/dashboard").get_data(as_text=True)
    assert [f"/groups/{g.id}\"" in page for g in groups] == [n in (0, 3) for n in range(10)]
