"""The submitting organisation withdraws its own need (取下げ); nobody else can, and not from every status."""
from __future__ import annotations

import io

import pytest

from models import AuditEntry, Confidentiality, EventKind, NeedStatus, Notification, Role, db


def test_the_submitter_withdraws_a_need_and_the_secretariat_is_told(client, login_as, post_form, make_need, applicant,
                                                                   secretariat):
    need = make_need(applicant, status=NeedStatus.EVIDENCE)
    login_as(applicant)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'data-testid="withdraw-need"' in page and "事務局での検討は終了します" in page  # asks first
    response = post_form(f"/needs/{need.id}/withdraw", form_page=f"/needs/{need.id}")
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.status == NeedStatus.WITHDRAWN
    event = need.events[-1]
    assert (event.kind, event.from_status, event.to_status, event.actor_id) == (
        EventKind.STATUS, NeedStatus.EVIDENCE, NeedStatus.WITHDRAWN, applicant.id)
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "need.status",
                                                         AuditEntry.actor_id == applicant.id)) is not None
    notices = db.session.scalars(db.select(Notification).where(Notification.recipient_id == secretariat.id)).all()
    assert any(n.link == f"/needs/manage/{need.id}" for n in notices)
    assert 'data-testid="withdraw-need"' not in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_a_colleague_of_the_submitter_may_withdraw_too(client, login_as, post_form, make_need, make_user, applicant):
    need = make_need(applicant)
    colleague = make_user(Role.APPLICANT, organisation=applicant.organisation)
    login_as(colleague)
    assert post_form(f"/needs/{need.id}/withdraw", form_page=f"/needs/{need.id}").status_code == 302
    assert need.status == NeedStatus.WITHDRAWN


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECRETARIAT])
def test_another_organisation_or_the_secretariat_cannot_use_the_submitters_withdrawal(client, login_as, make_need,
                                                                                     applicant, role):
    need = make_need(applicant, confidentiality=Confidentiality.MEMBERS)
    login_as(role)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'data-testid="withdraw-need"' not in page
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/needs/{need.id}/withdraw", data={"csrf_token": token})
    assert response.status_code in (403, 404)
    assert need.status == NeedStatus.RECEIVED


def test_a_confidential_need_of_another_organisation_is_not_found(client, login_as, make_need, applicant):
    need = make_need(applicant, confidentiality=Confidentiality.CONFIDENTIAL)
    login_as(Role.MEMBER)
    assert client.post(f"/needs/{need.id}/withdraw").status_code in (400, 404)
    assert need.status == NeedStatus.RECEIVED


@pytest.mark.parametrize("status", [NeedStatus.DRAFT, NeedStatus.PROPOSED, NeedStatus.REALISED, NeedStatus.WITHDRAWN])
def test_drafts_and_needs_past_the_proposal_cannot_be_withdrawn(client, login_as, post_form, make_need, applicant,
                                                                status):
    need = make_need(applicant, status=status)
    login_as(applicant)
    assert 'data-testid="withdraw-need"' not in client.get(f"/needs/{need.id}").get_data(as_text=True)
    response = post_form(f"/needs/{need.id}/withdraw", form_page=f"/needs/{need.id}")
    assert response.status_code == 403
    assert need.status == status


def test_withdrawal_without_the_form_token_is_refused(client, login_as, make_need, applicant):
    need = make_need(applicant)
    login_as(applicant)
    assert client.post(f"/needs/{need.id}/withdraw").status_code == 400
    assert need.status == NeedStatus.RECEIVED


def test_a_withdrawn_need_is_closed_for_its_submitter(client, login_as, make_need, applicant):
    need = make_need(applicant, status=NeedStatus.WITHDRAWN)
    events = len(need.events)
    login_as(applicant)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'data-testid="need-closed"' in page
    assert "message-form" not in page and "upload-form" not in page
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/needs/{need.id}/messages", data={"csrf_token": token, "body": "まだ検討してほしい"})
    assert response.status_code == 403
    response = client.post(f"/needs/{need.id}/attachments", data={"csrf_token": token, "file": (io.BytesIO(b"x"), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    db.session.refresh(need)
    assert len(need.events) == events and need.attachments == []


def test_the_secretariat_may_still_write_on_a_withdrawn_need(client, login_as, post_form, make_need, applicant):
    need = make_need(applicant, status=NeedStatus.WITHDRAWN)
    login_as(Role.SECRETARIAT)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "message-form" in page and 'data-testid="need-closed"' not in page
    response = post_form(f"/needs/{need.id}/messages", {"body": "取下げを承りました。"}, form_page=f"/needs/{need.id}")
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.events[-1].kind == EventKind.MESSAGE


def test_an_anonymous_visitor_cannot_withdraw_even_a_public_need(client, make_need, applicant):
    need = make_need(applicant, confidentiality=Confidentiality.PUBLIC)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'data-testid="withdraw-need"' not in page
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]  # the language form's
    response = client.post(f"/needs/{need.id}/withdraw", data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(need)
    assert need.status == NeedStatus.RECEIVED
