"""Roles: the administrator's pages, role changes, disabling accounts."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEntry, Role, db

from ..conftest import csrf_token


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MEMBER, Role.APPLICANT])
def test_users_page_is_for_administrators_only(client, login_as, role):
    login_as(role)
    assert client.get("/admin/users").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_administrator_changes_a_role_and_it_is_audited(client, login_as, admin, member):
    login_as(admin)
    token = csrf_token(client, "/admin/users")
    response = client.post(f"/admin/users/{member.id}/role", data={"role": "secretariat", "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.role == Role.SECRETARIAT
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role.changed"))
    assert entry.details == {"old": "member", "new": "secretariat"} and entry.actor_id == admin.id


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MEMBER])
def test_non_administrator_cannot_change_roles(client, login_as, make_user, role):
    target = make_user(Role.APPLICANT)
    login_as(role)
    token = csrf_token(client, "/dashboard")
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "admin", "csrf_token": token})
    assert response.status_code == 403
    db.session.refresh(target)
    assert target.role == Role.APPLICANT


def test_disabling_an_account_ends_its_sessions(app, client, login_as, admin, member):
    from tests.conftest import AuthActions

    victim = app.test_client()
    AuthActions(victim).login(member)
    assert victim.get("/dashboard").status_code == 200
    login_as(admin)
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{member.id}/active", data={"active": "0", "csrf_token": token})
    assert victim.get("/dashboard").status_code == 302


def test_administrator_cannot_disable_themselves(client, login_as, admin):
    login_as(admin)
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0", "csrf_token": token})
    db.session.refresh(admin)
    assert admin.is_active_account


def test_user_search(client, login_as, admin, make_user):
    make_user(Role.MEMBER, email="yuki@example.org", name="雪田 由紀")
    make_user(Role.MEMBER, email="kaze@example.org", name="風間 翔")
    login_as(admin)
    html = client.get("/admin/users?q=雪田").get_data(as_text=True)
    assert "yuki@example.org" in html and "kaze@example.org" not in html
