"""Confidentiality: one scope decides what list, detail, search, suggestions, exports and files show."""
from __future__ import annotations

import io

import pytest

from models import Confidentiality, NeedStatus, Role

SECRET = "極秘の水素貯蔵量の上限に関するニーズ"


@pytest.fixture
def confidential_need(make_need, applicant):
    return make_need(applicant, title=SECRET, confidentiality=Confidentiality.CONFIDENTIAL, tags="水素",
                     law_name="高圧ガス保安法", public_summary="")


@pytest.fixture
def outsider(request, make_user, client, login_as):
    """Another organisation's member, another organisation's applicant, or an anonymous visitor."""
    if request.param is None:
        return None
    return login_as(make_user(request.param))


OUTSIDERS = pytest.mark.parametrize("outsider", [Role.MEMBER, Role.APPLICANT, None], indirect=True,
                                    ids=["other-member", "other-applicant", "anonymous"])


@OUTSIDERS
def test_confidential_need_is_not_in_the_list(client, confidential_need, outsider):
    assert SECRET not in client.get("/needs/").get_data(as_text=True)


@OUTSIDERS
def test_confidential_need_detail_is_404(client, confidential_need, outsider):
    assert client.get(f"/needs/{confidential_need.id}").status_code == 404


@OUTSIDERS
def test_confidential_need_is_not_found_by_search(client, confidential_need, outsider):
    assert SECRET not in client.get("/needs/?q=水素").get_data(as_text=True)


@pytest.mark.parametrize("outsider", [Role.MEMBER, Role.APPLICANT], indirect=True)
def test_confidential_need_is_not_suggested_as_similar(client, confidential_need, outsider):
    data = client.get("/needs/similar.json", query_string={"title": SECRET, "law": "高圧ガス保安法"}).get_json()
    assert [s for s in data["needs"] if s["id"] == confidential_need.id] == []


def test_similar_needs_need_a_login(client, confidential_need):
    assert client.get("/needs/similar.json", query_string={"title": SECRET}).status_code == 302


@pytest.mark.parametrize("outsider", [Role.MEMBER, Role.APPLICANT], indirect=True)
def test_confidential_need_is_not_in_the_csv_export(client, confidential_need, outsider):
    assert SECRET not in client.get("/needs/export.csv").get_data(as_text=True)


def test_csv_export_needs_a_login(client, confidential_need):
    assert client.get("/needs/export.csv").status_code == 302


@OUTSIDERS
def test_confidential_need_attachment_is_404(client, app, confidential_need, applicant, outsider):
    from werkzeug.datastructures import FileStorage

    from app.needs.attachment_services import add_attachment
    from models import db

    attachment = add_attachment(applicant, confidential_need, FileStorage(io.BytesIO(b"%PDF-1.4 data"), "証拠.pdf"))
    db.session.commit()
    assert client.get(f"/needs/{confidential_need.id}/attachments/{attachment.id}").status_code == 404


def test_own_organisation_and_secretariat_see_the_confidential_need(client, auth, confidential_need, applicant, secretariat, login_as):
    login_as(applicant)
    assert SECRET in client.get("/needs/").get_data(as_text=True)
    auth.logout()
    login_as(secretariat)
    assert client.get(f"/needs/{confidential_need.id}").status_code == 200


def test_secretariat_sees_confidential_needs_among_similar_ones(client, confidential_need, secretariat, login_as):
    login_as(secretariat)
    data = client.get("/needs/similar.json", query_string={"title": SECRET, "law": "高圧ガス保安法"}).get_json()
    assert confidential_need.id in [s["id"] for s in data["needs"]]


def test_shared_need_is_seen_by_members_but_not_applicants_or_public(client, auth, make_need, applicant, make_user, login_as):
    need = make_need(applicant, title="会員共有のニーズ", confidentiality=Confidentiality.MEMBERS)
    assert client.get(f"/needs/{need.id}").status_code == 404
    login_as(make_user(Role.APPLICANT))
    assert client.get(f"/needs/{need.id}").status_code == 404
    auth.logout()
    login_as(make_user(Role.MEMBER))
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "会員共有のニーズ" in page
    assert need.obstacle not in page  # members read the summary, not the details


def test_public_summary_is_seen_by_anonymous_visitors_without_details(client, make_need, applicant):
    need = make_need(applicant, title="公開ニーズ", confidentiality=Confidentiality.PUBLIC)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "公開ニーズ" in page and need.public_summary in page
    assert need.obstacle not in page and need.evidence not in page


def test_drafts_are_seen_only_by_their_organisation(client, make_need, applicant, secretariat, login_as):
    need = make_need(applicant, status=NeedStatus.DRAFT, confidentiality=Confidentiality.PUBLIC)
    login_as(secretariat)
    assert client.get(f"/needs/{need.id}").status_code == 404


MANAGE_PAGES = ["/needs/manage/", "/needs/manage/board", "/needs/manage/packages/", "/needs/manage/packages/new",
                "/needs/manage/measures/new", "/needs/manage/{id}"]


@pytest.mark.parametrize("path", MANAGE_PAGES)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_secretariat_pages_are_forbidden_to_other_roles(client, make_need, applicant, login_as, path, role):
    need = make_need(applicant)
    login_as(role)
    assert client.get(path.format(id=need.id)).status_code == 403


@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_secretariat_pages_send_anonymous_visitors_to_login(client, make_need, applicant, path):
    need = make_need(applicant)
    response = client.get(path.format(id=need.id))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("action", ["transition", "assign", "note", "message", "route"])
def test_submitter_cannot_post_secretariat_actions(client, make_need, applicant, login_as, action):
    need = make_need(applicant)
    login_as(applicant)
    from tests.conftest import csrf_token

    token = csrf_token(client, f"/needs/{need.id}")
    response = client.post(f"/needs/manage/{need.id}/{action}", data={"csrf_token": token, "target": "evidence",
                                                                        "reason": "x", "note": "x", "body": "x"})
    assert response.status_code == 403


def test_other_organisation_cannot_edit_a_draft(client, make_need, applicant, make_user, login_as):
    need = make_need(applicant, status=NeedStatus.DRAFT)
    login_as(make_user(Role.APPLICANT))
    assert client.get(f"/needs/{need.id}/edit").status_code == 404


def test_a_submitted_need_cannot_be_edited_by_its_submitter(client, make_need, applicant, login_as):
    need = make_need(applicant)
    login_as(applicant)
    assert client.get(f"/needs/{need.id}/edit").status_code == 403


def test_a_member_of_another_organisation_cannot_message_a_shared_need(client, make_need, applicant, make_user, login_as):
    need = make_need(applicant, confidentiality=Confidentiality.MEMBERS)
    login_as(make_user(Role.MEMBER))
    from tests.conftest import csrf_token

    token = csrf_token(client, "/needs/")
    assert client.post(f"/needs/{need.id}/messages", data={"csrf_token": token, "body": "hi"}).status_code == 403
