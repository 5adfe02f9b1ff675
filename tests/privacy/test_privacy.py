"""Privacy (APPI): a person downloads their data (JSON) and deletes their account; what they wrote stays."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.notifications.services import notify
from models import (
    AuditEntry,
    LoginAttempt,
    Notification,
    PasswordResetToken,
    RegulatoryNeed,
    Role,
    TrialRequest,
    User,
    db,
    utcnow,
)

from ..conftest import DEFAULT_PASSWORD, AuthActions


@pytest.fixture
def author(make_user, app):
    """A member who wrote a need and a trial request and has a notification."""
    user = make_user(Role.MEMBER, email="author@example.org", name="山田 花子", is_org_admin=True)
    db.session.add(RegulatoryNeed(title="ドローン配送の目視外飛行", submitter=user, organisation_id=user.organisation_id,
                                  business="b", obstacle="o", relief="r"))
    db.session.add(TrialRequest(title="除雪ロボットの実証", submitted_by=user, organisation_id=user.organisation_id,
                                verify="吹雪の中で"))
    with app.test_request_context("/"):
        notify(user, "Welcome!", email=False)
    db.session.add(PasswordResetToken(user=user, token_hash="a" * 64, expires_at=utcnow()))
    db.session.commit()
    return user


def test_the_privacy_page_needs_a_login(client):
    for path in ("/privacy/", "/privacy/export.json"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_export_holds_the_account_and_what_is_linked_to_it(client, login_as, author):
    login_as(author)
    response = client.get("/privacy/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "author@example.org" and data["account"]["name"] == "山田 花子"
    assert data["organisation"]["id"] == author.organisation_id
    linked = data["linked"]
    assert [n["title"] for n in linked["regulatory_needs"]] == ["ドローン配送の目視外飛行"]
    assert [r["title"] for r in linked["trial_requests"]] == ["除雪ロボットの実証"]
    assert [n["message"] for n in linked["notifications"]] == ["Welcome!"]
    assert any(e["action"] == "login" for e in linked["audit_entries"])
    text = response.get_data(as_text=True)
    assert "password_hash" not in text and "token_hash" not in text and "argon2" not in text
    exported = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.exported"))
    assert exported.actor_id == author.id


def test_the_export_holds_nothing_of_other_people(client, login_as, author, make_user):
    login_as(make_user(Role.MEMBER, email="someone@example.org"))
    text = client.get("/privacy/export.json").get_data(as_text=True)
    assert "author@example.org" not in text and "ドローン配送" not in text and "山田" not in text


def test_deleting_the_account_removes_personal_data_and_keeps_what_was_written(client, login_as, author, post_form):
    author_id, org_id = author.id, author.organisation_id
    AuthActions(client.application.test_client()).login("author@example.org", password="a wrong password")
    login_as(author)
    response = post_form("/privacy/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"}, form_page="/privacy/")
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, author_id)
    assert user.removed_at is not None and not user.is_active_account
    assert "author@example.org" not in user.email and "山田" not in user.name and user.organisation_id is None
    need = db.session.scalars(select(RegulatoryNeed)).one()
    assert need.submitter_id == author_id and need.organisation_id == org_id  # stays, by a removed user
    assert db.session.scalars(select(TrialRequest)).one().submitted_by_id == author_id
    assert db.session.scalars(select(Notification)).all() == []
    assert db.session.scalars(select(PasswordResetToken)).all() == []
    assert db.session.scalars(select(LoginAttempt).where(LoginAttempt.account == "author@example.org")).all() == []
    failed = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login.failed"))
    assert failed.details["email"] == "(removed)"
    deleted = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.deleted"))
    assert deleted.actor_id == author_id and deleted.object_id == author_id
    # Logged out, and the old credentials open nothing.
    assert client.get("/dashboard").status_code == 302
    assert AuthActions(client).login("author@example.org").status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_deletion_needs_the_password_and_the_tick(client, login_as, author, post_form):
    login_as(author)
    assert post_form("/privacy/delete", {"password": "not my password", "confirm": "y"}, form_page="/privacy/").status_code == 400
    assert post_form("/privacy/delete", {"password": DEFAULT_PASSWORD}, form_page="/privacy/").status_code == 400
    db.session.refresh(author)
    assert author.removed_at is None and author.is_active_account


def test_deletion_without_csrf_token_is_refused(client, login_as, author):
    login_as(author)
    assert client.post("/privacy/delete", data={"password": DEFAULT_PASSWORD, "confirm": "y"}).status_code == 400
    db.session.refresh(author)
    assert author.removed_at is None


def test_the_last_administrator_cannot_delete_themself(client, login_as, admin, post_form):
    login_as(admin)
    response = post_form("/privacy/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"}, form_page="/privacy/")
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.removed_at is None


def test_the_removed_user_shows_as_removed_in_the_audit_log(client, login_as, author, secretariat, post_form):
    login_as(author)
    post_form("/privacy/delete", {"password": DEFAULT_PASSWORD, "confirm": "y"}, form_page="/privacy/")
    login_as(secretariat)
    html = client.get("/admin/audit?action=account.deleted").get_data(as_text=True)
    assert "削除済みの利用者" in html and "author@example.org" not in html
