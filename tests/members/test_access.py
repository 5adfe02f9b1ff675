"""Denials: other organisations, wrong roles and anonymous visitors, over the members endpoints."""
from __future__ import annotations

import pytest

from models import Role


def test_a_member_cannot_edit_another_organisation(client, login_as, post_form, org_with_people):
    mine, me, _ = org_with_people()
    theirs, _their_admin, _ = org_with_people("他社（テスト）")
    login_as(me)
    assert client.get(f"/members/{theirs.id}/edit").status_code == 403
    response = client.post(f"/members/{theirs.id}/edit", data={
        "csrf_token": _token(client, f"/members/{mine.id}/edit"), "name_ja": "乗っ取り", "sector": "industry"})
    assert response.status_code == 403
    assert theirs.name_ja == "他社（テスト）"


def test_a_member_cannot_see_another_organisations_colleague_emails(client, login_as, org_with_people):
    _mine, me, _ = org_with_people()
    theirs, their_admin, their_colleague = org_with_people()
    login_as(me)
    page = client.get(f"/members/{theirs.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert their_admin.name in text
    assert their_admin.email not in text and their_colleague.email not in text
    assert client.get(f"/members/{theirs.id}/colleagues").status_code == 403


def test_a_member_sees_their_own_colleagues_emails(client, login_as, org_with_people):
    mine, me, colleague = org_with_people()
    login_as(me)
    assert colleague.email in client.get(f"/members/{mine.id}/colleagues").get_data(as_text=True)


def test_an_applicant_organisation_is_invisible_to_other_members(client, login_as, member, applicant):
    login_as(member)
    assert client.get(f"/members/{applicant.organisation_id}").status_code == 404


def test_a_non_admin_colleague_cannot_edit_their_own_organisation(client, login_as, org_with_people):
    mine, _admin, colleague = org_with_people()
    login_as(colleague)
    assert client.get(f"/members/{mine.id}/edit").status_code == 403


def test_members_see_another_members_contact_details(client, login_as, org_with_people, make_organisation):
    target = make_organisation("連絡先テスト（デモ）", contact_email="desk@target.example", phone="011-000-0000")
    _mine, me, _ = org_with_people()
    login_as(me)
    assert "desk@target.example" in client.get(f"/members/{target.id}").get_data(as_text=True)


def test_anonymous_sees_only_names_and_sectors_on_the_public_list(client, make_organisation):
    make_organisation("公開テスト（デモ）", contact_email="secret@target.example", capabilities="秘密の技術")
    text = client.get("/members/public").get_data(as_text=True)
    assert "公開テスト（デモ）" in text
    assert "secret@target.example" not in text and "秘密の技術" not in text


SECRETARIAT_PAGES = [
    "/members/manage/applications", "/members/manage/dues", "/members/manage/mix", "/members/manage/offices",
    "/members/manage/import", "/members/manage/export.csv", "/members/manage/dues.csv",
]


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_secretariat_pages_refuse_other_roles(client, login_as, path, role):
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", SECRETARIAT_PAGES + ["/members/", "/members/apply"])
def test_members_pages_send_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", SECRETARIAT_PAGES)
def test_secretariat_pages_open_for_the_secretariat(client, login_as, path):
    login_as(Role.SECRETARIAT)
    assert client.get(path).status_code == 200


def test_the_directory_refuses_applicants(client, login_as):
    login_as(Role.APPLICANT)
    assert client.get("/members/").status_code == 403


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_member_cannot_decide_an_application(client, login_as, member, application, action):
    login_as(member)
    token = _token(client, f"/members/{member.organisation_id}/edit")
    response = client.post(f"/members/manage/applications/{application.id}/{action}", data={"csrf_token": token, "reason": "x"})
    assert response.status_code == 403


def test_approving_without_a_csrf_token_is_refused(client, login_as, application):
    login_as(Role.SECRETARIAT)
    assert client.post(f"/members/manage/applications/{application.id}/approve").status_code == 400


def _token(client, path):
    from tests.conftest import csrf_token

    return csrf_token(client, path)


@pytest.mark.parametrize("action", ["remove", "admin"])
def test_an_admin_of_another_organisation_cannot_change_its_people(client, login_as, org_with_people, action):
    mine, me, _ = org_with_people()
    theirs, their_admin, their_colleague = org_with_people()
    login_as(me)
    token = _token(client, f"/members/{mine.id}/colleagues")
    response = client.post(f"/members/{theirs.id}/colleagues/{their_colleague.id}/{action}", data={"csrf_token": token})
    assert response.status_code == 403
    assert their_colleague.organisation_id == theirs.id and not their_colleague.is_org_admin


def test_an_admin_cannot_reach_a_person_of_another_organisation_through_their_own(client, login_as, org_with_people):
    mine, me, _ = org_with_people()
    _theirs, _their_admin, their_colleague = org_with_people()
    login_as(me)
    token = _token(client, f"/members/{mine.id}/colleagues")
    response = client.post(f"/members/{mine.id}/colleagues/{their_colleague.id}/remove", data={"csrf_token": token})
    assert response.status_code == 404
    assert their_colleague.organisation_id is not None


def test_an_admin_of_another_organisation_cannot_invite_into_it(client, login_as, org_with_people):
    mine, me, _ = org_with_people()
    theirs, _their_admin, _ = org_with_people()
    login_as(me)
    token = _token(client, f"/members/{mine.id}/colleagues")
    response = client.post(f"/members/{theirs.id}/colleagues", data={"csrf_token": token, "email": "spy@example.org"})
    assert response.status_code == 403


def test_applicants_organisation_pages_are_hidden_from_other_applicants(client, login_as, applicant, make_user):
    other = make_user(Role.APPLICANT)
    login_as(other)
    for path in (f"/members/{applicant.organisation_id}", f"/members/{applicant.organisation_id}/edit",
                 f"/members/{applicant.organisation_id}/colleagues"):
        assert client.get(path).status_code == 404
