"""Personal access tokens: stored hashed, shown once, scoped, revocable at once, rate limited per token,
audited; the API never accepts the session cookie."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.api.token_services import digest
from models import ApiRateWindow, ApiToken, AuditEntry, Role, TokenScope, db
from tests.conftest import csrf_token

SECRET_RE = re.compile(r'data-testid="token-value">(tdt_[A-Za-z0-9_-]+)<')


def _create_on_page(client, name="CRM", scope="read"):
    token = csrf_token(client, "/account/tokens")
    return client.post("/account/tokens", data={"name": name, "scope": scope, "csrf_token": token})


def test_token_created_on_the_account_page_is_shown_once_and_stored_hashed(client, login_as, member, api):
    login_as(member)
    response = _create_on_page(client, "自治体システム", "write")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = SECRET_RE.search(response.get_data(as_text=True)).group(1)
    stored = db.session.scalar(select(ApiToken))
    assert stored.name == "自治体システム" and stored.scope == TokenScope.WRITE
    assert stored.token_digest == digest(secret) and secret not in stored.token_digest
    assert stored.prefix == secret[:12]
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and stored.prefix in again
    assert api.get("/me", secret).json["token_scope"] == "write"


def test_token_page_needs_login_and_a_csrf_token(client, login_as, member):
    assert client.get("/account/tokens").status_code == 302
    login_as(member)
    assert client.post("/account/tokens", data={"name": "x", "scope": "read"}).status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_token_name_is_required(client, login_as, member):
    login_as(member)
    response = _create_on_page(client, "", "read")
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_revocation_takes_effect_on_the_next_request(client, login_as, member, api, token_for):
    secret = token_for(member)
    assert api.get("/me", secret).status_code == 200
    login_as(member)
    token = db.session.scalar(select(ApiToken))
    page_token = csrf_token(client, "/account/tokens")
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": page_token})
    assert response.status_code == 302
    refused = api.get("/me", secret)
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_creation_and_revocation_are_audited(client, login_as, member, token_for):
    token_for(member)
    token = db.session.scalar(select(ApiToken))
    login_as(member)
    client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(client, "/account/tokens")})
    actions = [e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "api_tokens"))]
    assert actions == ["api_token.created", "api_token.revoked"]


def test_nobody_else_can_see_or_revoke_a_token(client, login_as, member, make_user, token_for, api):
    secret = token_for(member)
    token = db.session.scalar(select(ApiToken))
    login_as(make_user(Role.SECRETARIAT))
    assert token.name not in client.get("/account/tokens").get_data(as_text=True)
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(client, "/account/tokens")})
    assert response.status_code == 404
    assert api.get("/me", secret).status_code == 200


def test_a_disabled_account_s_token_is_refused(member, token_for, api):
    secret = token_for(member)
    member.is_active_account = False
    db.session.commit()
    assert api.get("/me", secret).status_code == 401


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer tdt_wrong", "Bearer " + "x" * 300, "tdt_abc"])
def test_malformed_or_unknown_credentials_are_401(api, header):
    response = api.get("/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["status"] == 401


def test_the_session_cookie_is_not_accepted(client, login_as, member, api):
    login_as(member)
    assert client.get("/account/tokens").status_code == 200  # the session works for pages
    assert api.get("/me").status_code == 401
    response = api.post("/trial-requests", json={"title": "x", "verify": "y"})
    assert response.status_code == 401


def test_rate_limit_answers_429_with_retry_after(app, member, token_for, api):
    secret = token_for(member)
    app.config["API_RATE_LIMIT"] = 3
    try:
        statuses = [api.get("/me", secret).status_code for _ in range(4)]
        limited = api.get("/me", secret)
    finally:
        app.config["API_RATE_LIMIT"] = 120
    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert limited.headers["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited.headers["Retry-After"]) <= app.config["API_RATE_WINDOW_SECONDS"]


def test_rate_limit_counts_each_token_apart_in_the_database(app, member, token_for, api):
    first, second = token_for(member), token_for(member)
    app.config["API_RATE_LIMIT"] = 2
    try:
        assert [api.get("/me", first).status_code for _ in range(3)] == [200, 200, 429]
        assert api.get("/me", second).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = 120
    counts = sorted(w.count for w in db.session.scalars(select(ApiRateWindow)))
    assert counts == [1, 3]


def test_last_use_is_recorded_and_shown(client, login_as, member, token_for, api):
    secret = token_for(member)
    login_as(member)
    assert "未使用" in client.get("/account/tokens").get_data(as_text=True)
    api.get("/me", secret)
    token = db.session.scalar(select(ApiToken))
    db.session.refresh(token)
    assert token.last_used_at is not None
    assert "未使用" not in client.get("/account/tokens").get_data(as_text=True)


def test_read_token_may_read_but_not_write(member, token_for, api):
    secret = token_for(member, TokenScope.READ)
    assert api.get("/me", secret).status_code == 200
    response = api.post("/trial-requests", secret, json={"title": "除雪", "verify": "吹雪"})
    assert response.status_code == 403
    assert response.json["status"] == 403
