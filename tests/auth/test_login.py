"""Logging in and out, throttling, sessions that end."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

from sqlalchemy import func, select

from models import AuditEntry, LoginAttempt, db

from ..conftest import DEFAULT_PASSWORD, AuthActions, csrf_token


def test_login_with_right_password_reaches_dashboard(client, auth, member):
    response = auth.login(member)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert member.name in client.get("/dashboard").get_data(as_text=True)


def test_wrong_password_is_refused_and_audited(client, auth, member):
    response = auth.login(member, password="wrong password here")
    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが正しくありません" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "login.failed" in actions


def test_unknown_user_gets_the_same_answer_as_wrong_password(client, auth, member):
    wrong = auth.login(member, password="wrong password here")
    unknown = auth.login("nobody@example.org", password="wrong password here")
    strip = lambda r: CSRF_STRIP(r.get_data(as_text=True))  # noqa: E731
    assert wrong.status_code == unknown.status_code == 200
    assert strip(wrong).replace(member.email, "") == strip(unknown).replace("nobody@example.org", "")


def CSRF_STRIP(html: str) -> str:
    import re

    return re.sub(r'value="[^"]*"', "", html)


def test_login_without_csrf_token_is_a_400(client, member):
    response = client.post("/auth/login", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 302


def test_throttled_after_five_failures_even_with_right_password(client, auth, member):
    for _ in range(5):
        assert auth.login(member, password="wrong password here").status_code == 200
    response = auth.login(member)
    assert response.status_code == 429


def test_success_clears_account_failures(client, auth, member):
    for _ in range(4):
        auth.login(member, password="wrong password here")
    assert auth.login(member).status_code == 302
    auth.logout()
    for _ in range(4):
        assert auth.login(member, password="wrong password here").status_code == 200


def test_session_cookie_copied_before_logout_is_refused_after(app, client, auth, member):
    auth.login(member)
    copied = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/dashboard")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_disabled_account_cannot_log_in(client, auth, member):
    member.is_active_account = False
    db.session.commit()
    response = auth.login(member)
    assert response.status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_open_redirect_is_refused(client, member):
    token = csrf_token(client, "/auth/login")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = client.post(
            "/auth/login", data={"email": member.email, "password": DEFAULT_PASSWORD, "next": target, "csrf_token": token}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/dashboard", target
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
        token = csrf_token(client, "/auth/login")


def test_safe_next_is_followed(client, member):
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"email": member.email, "password": DEFAULT_PASSWORD, "next": "/notifications/", "csrf_token": token}
    )
    assert response.headers["Location"] == "/notifications/"


def test_login_is_audited(client, auth, member):
    auth.login(member)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    assert entry is not None and entry.actor_id == member.id


def test_a_login_whose_attempt_row_a_concurrent_login_deleted_still_succeeds(member):
    """Two logins to one account: both reserve an attempt, the first succeeds and deletes the
    account's attempts, the second then checks its password (it used to reload its deleted row: 500)."""
    from app.auth import services

    for _ in range(2):
        services.reserve_login_attempt(member.email, "192.0.2.1")
        db.session.commit()
    assert services.complete_login(member.email, "", DEFAULT_PASSWORD) == member
    db.session.commit()
    assert services.complete_login(member.email, "", DEFAULT_PASSWORD) == member
    db.session.commit()


def test_two_simultaneous_logins_to_one_account_both_succeed(app, member, monkeypatch):
    """Through the real form, in two threads (two workers), on both engines: the second password check
    runs after the first login has committed."""
    from app.auth import services

    email = member.email
    db.session.commit()  # the test's own transaction must not hold SQLite's lock while the threads write
    original = services.complete_login
    both_reserved = threading.Barrier(2, timeout=20)
    first_committed = threading.Event()
    arrivals: list[int] = []

    def in_sequence(address, device, password):
        both_reserved.wait()  # both attempts are counted and committed
        arrivals.append(threading.get_ident())
        if arrivals[0] != threading.get_ident():
            assert first_committed.wait(20)
        return original(address, device, password)

    monkeypatch.setattr(services, "complete_login", in_sequence)

    def log_in():
        client = app.test_client()
        response = AuthActions(client).login(email)
        return response, client.get("/dashboard")

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(log_in) for _ in range(2)]
        done = next(as_completed(futures, timeout=60))
        first_committed.set()
        results = [future.result(timeout=60) for future in futures]
    assert done.result()[0].status_code == 302
    for login, dashboard in results:
        assert login.status_code == 302 and login.headers["Location"].endswith("/dashboard")
        assert dashboard.status_code == 200
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
