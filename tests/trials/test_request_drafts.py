"""Trial-request drafts: saved on the server, seen only by their organisation, resumed and submitted;
edits until screening starts; files through the upload module, seen by the requester and the secretariat."""
from __future__ import annotations

import io

import pytest

from app.core.audit import entries_for
from models import Notification, Role, TrialRequest, TrialRequestStatus, db

S = TrialRequestStatus


def _notifications(user) -> int:
    return len(db.session.scalars(db.select(Notification).where(Notification.recipient_id == user.id)).all())


def _request() -> TrialRequest:
    return db.session.scalars(db.select(TrialRequest)).one()


def test_a_draft_needs_only_a_title_and_tells_nobody(client, login_as, applicant, secretariat, post_form):
    login_as(applicant)
    response = post_form("/trials/requests/new", {"title": "除雪ロボットの実証（下書き）", "save_draft": "y"})
    assert response.status_code == 302
    draft = _request()
    assert draft.status == S.DRAFT and draft.verify == ""
    assert [e.action for e in entries_for(draft)] == ["trial_request.draft_saved"]
    assert _notifications(secretariat) == 0


def test_submitting_without_saying_what_to_verify_keeps_the_typed_text(client, login_as, applicant, post_form):
    login_as(applicant)
    response = post_form("/trials/requests/new", {"title": "除雪ロボットの実証", "technology": "LiDAR", "submit": "y"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "提出する前に、検証したいことを記入してください。" in html and "LiDAR" in html
    assert db.session.scalars(db.select(TrialRequest)).first() is None


@pytest.mark.parametrize("who", ["secretariat", "other_member", "anonymous"])
def test_a_draft_is_hidden_from_everyone_but_its_organisation(client, login_as, make_request, applicant, secretariat,
                                                               make_user, who):
    draft = make_request(applicant, status=S.DRAFT, confidential=False)
    if who == "secretariat":
        login_as(secretariat)
    elif who == "other_member":
        login_as(make_user(Role.MEMBER))
    response = client.get(f"/trials/requests/{draft.id}")
    assert response.status_code in ((404,) if who != "anonymous" else (302, 401, 404))
    if who != "anonymous":
        assert draft.title not in client.get("/trials/requests").get_data(as_text=True)


def test_the_draft_is_resumed_edited_and_submitted(client, login_as, applicant, secretariat, make_request, post_form):
    draft = make_request(applicant, status=S.DRAFT, verify="")
    login_as(applicant)
    edit = f"/trials/requests/{draft.id}/edit"
    assert "除雪ロボットの実証" in client.get(edit).get_data(as_text=True)
    post_form(edit, {"title": "除雪ロボットの実証（改）", "save_draft": "y"})
    db.session.refresh(draft)
    assert draft.title == "除雪ロボットの実証（改）" and draft.status == S.DRAFT
    post_form(edit, {"title": "除雪ロボットの実証（改）", "verify": "吹雪の中で自律走行できるか", "submit": "y"})
    db.session.refresh(draft)
    assert draft.status == S.SUBMITTED and draft.verify == "吹雪の中で自律走行できるか"
    assert _notifications(secretariat) == 1


def test_a_sent_request_is_edited_until_screening_starts(client, login_as, applicant, secretariat, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(applicant)
    edit = f"/trials/requests/{trial_request.id}/edit"
    assert post_form(edit, {"title": "除雪ロボットの実証", "verify": "夜間も走行できるか", "submit": "y"}).status_code == 302
    db.session.refresh(trial_request)
    assert trial_request.verify == "夜間も走行できるか" and trial_request.status == S.SUBMITTED
    assert _notifications(secretariat) == 1  # the secretariat hears of the change
    trial_request.status = S.SCREENING
    db.session.commit()
    assert client.get(edit).status_code == 403
    assert post_form(edit, {"title": "x", "verify": "y", "submit": "y"}, form_page=f"/trials/requests/{trial_request.id}"
                     ).status_code == 403


def test_another_organisation_cannot_edit(client, login_as, applicant, make_request, make_user):
    trial_request = make_request(applicant, confidential=False)
    login_as(make_user(Role.MEMBER))
    assert client.get(f"/trials/requests/{trial_request.id}/edit").status_code == 403


def _upload(post_form, trial_request, name, content, form_page=None):
    return post_form(f"/trials/requests/{trial_request.id}/attachments", {"file": (io.BytesIO(content), name)},
                     form_page=form_page or f"/trials/requests/{trial_request.id}", content_type="multipart/form-data",
                     follow_redirects=True)


def test_files_are_attached_and_read_by_the_requester_and_the_secretariat_only(client, auth, login_as, applicant, secretariat,
                                                                                make_request, make_user, post_form):
    trial_request = make_request(applicant, status=S.DRAFT, confidential=False)
    login_as(applicant)
    page = _upload(post_form, trial_request, "実証計画書.pdf", b"%PDF-1.4 plan").get_data(as_text=True)
    assert "実証計画書.pdf" in page
    attachment = trial_request.attachments[0]
    download = f"/trials/requests/{trial_request.id}/attachments/{attachment.id}"
    response = client.get(download)
    assert response.data == b"%PDF-1.4 plan"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    response.close()
    assert [e.action for e in entries_for(trial_request)][-1] == "trial_request.attachment_added"
    auth.logout()
    login_as(secretariat)
    assert client.get(download).status_code == 404  # still a draft
    trial_request.status = S.SUBMITTED
    db.session.commit()
    response = client.get(download)
    assert response.data == b"%PDF-1.4 plan"
    response.close()
    auth.logout()
    login_as(make_user(Role.MEMBER))  # the request is shared with members, its files are not
    assert client.get(f"/trials/requests/{trial_request.id}").status_code == 200
    assert client.get(download).status_code == 404


def test_a_file_of_the_wrong_type_is_refused_with_a_message(client, login_as, applicant, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(applicant)
    page = _upload(post_form, trial_request, "計画.pdf", b"MZ\x90\x00").get_data(as_text=True)
    assert "ファイルの内容" in page and not trial_request.attachments


def test_no_files_once_screening_started(client, login_as, applicant, make_request, post_form):
    trial_request = make_request(applicant, status=S.SCREENING)
    login_as(applicant)
    response = post_form(f"/trials/requests/{trial_request.id}/attachments", {"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                         form_page=f"/trials/requests/{trial_request.id}", content_type="multipart/form-data")
    assert response.status_code == 403
