"""Login throttling per OWASP: per-account waits that grow, a per-address limit that cannot lock
owners out, device cookies, trusted proxies counted from the right, no account enumeration."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.net import forwarded_client
from models import AuditEntry, LoginAttempt, db

from ..conftest import DEFAULT_PASSWORD, AuthActions, csrf_token

WRONG = "wrong password here"


def _age_failures(seconds: int) -> None:
    """Move every recorded failure `seconds` into the past (instead of sleeping)."""
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.attempted_at -= timedelta(seconds=seconds)
    db.session.commit()


def _fail(auth, who, times, **extra):
    return [auth.login(who, password=WRONG, **extra).status_code for _ in range(times)]


def test_account_is_held_after_five_failures_even_with_the_right_password(app, auth, member):
    assert _fail(auth, member, 5) == [200] * 5
    response = auth.login(member)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == app.config["LOGIN_FIRST_DELAY_SECONDS"]


def test_the_wait_doubles_with_each_further_failure_and_ends(app, auth, member):
    first = app.config["LOGIN_FIRST_DELAY_SECONDS"]
    _fail(auth, member, 5)
    _age_failures(first + 1)  # the first wait is over: one more try is allowed
    assert auth.login(member, password=WRONG).status_code == 200
    response = auth.login(member)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == 2 * first
    _age_failures(2 * first + 1)
    assert auth.login(member).status_code == 302


def test_the_wait_never_exceeds_the_maximum(app, auth, member):
    for _ in range(12):
        db.session.add(LoginAttempt(account=member.email, address="192.0.2.50"))
    db.session.commit()
    response = auth.login(member)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == app.config["LOGIN_MAX_DELAY_SECONDS"]


def test_correct_password_logs_in_from_an_address_with_twenty_failures_on_other_accounts(app, auth, member):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for i in range(limit + 5):
        assert auth.login(f"someone{i}@example.org", password=WRONG).status_code == 200
    assert auth.login(member).status_code == 302


def test_an_address_over_its_limit_cannot_retry_an_account_it_failed_on(app, auth):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for i in range(limit):
        auth.login(f"someone{i}@example.org", password=WRONG)
    assert auth.login("someone0@example.org", password=WRONG).status_code == 429
    # ... while a fresh account still gets its one check (and a plain "wrong password" answer).
    assert auth.login("fresh@example.org", password=WRONG).status_code == 200


def test_a_known_device_logs_in_while_its_account_is_held_and_an_unknown_one_does_not(app, member):
    owner = app.test_client()
    assert AuthActions(owner).login(member).status_code == 302  # this browser now knows the account
    AuthActions(owner).logout()
    attacker = app.test_client()
    assert _fail(AuthActions(attacker), member, 5) == [200] * 5
    assert AuthActions(attacker).login(member).status_code == 429  # unknown device: held
    other_browser = app.test_client()
    assert AuthActions(other_browser).login(member).status_code == 429
    assert AuthActions(owner).login(member).status_code == 302  # known device: in
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login").order_by(AuditEntry.id.desc())).first()
    assert entry.details["known_device"] is True


def test_a_known_device_that_fails_too_often_counts_as_unknown(app, member):
    owner = app.test_client()
    AuthActions(owner).login(member)
    AuthActions(owner).logout()
    assert _fail(AuthActions(owner), member, 5) == [200] * 5  # e.g. a stolen laptop
    # Its own failures held nobody else: another browser is not waiting.
    assert db.session.scalar(select(LoginAttempt.device).limit(1)) != ""
    assert _fail(AuthActions(owner), member, 5) == [200] * 5  # now counted as an unknown browser
    assert AuthActions(owner).login(member).status_code == 429
    assert AuthActions(app.test_client()).login(member).status_code == 429


def test_a_forged_device_cookie_is_not_honoured(app, member):
    attacker = app.test_client()
    _fail(AuthActions(attacker), member, 5)
    attacker.set_cookie(app.config["DEVICE_COOKIE_NAME"], "eyJhIjoiYiJ9.forged-signature")
    assert AuthActions(attacker).login(member).status_code == 429


def test_the_device_cookie_of_one_account_does_not_open_another(app, make_user):
    alice, bob = make_user(email="alice@example.org"), make_user(email="bob@example.org")
    browser = app.test_client()
    AuthActions(browser).login(alice)
    AuthActions(browser).logout()
    _fail(AuthActions(app.test_client()), bob, 5)
    assert AuthActions(browser).login(bob).status_code == 429


def test_throttled_answers_look_the_same_for_known_and_unknown_accounts(app, member):
    known, unknown = app.test_client(), app.test_client()
    _fail(AuthActions(known), member, 5)
    _fail(AuthActions(unknown), "nobody@example.org", 5)
    a = AuthActions(known).login(member, password=WRONG)
    b = AuthActions(unknown).login("nobody@example.org", password=WRONG)
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert a.status_code == b.status_code == 429
    # The wait counts from each account's own last failure, so only the seconds since then differ.
    first = app.config["LOGIN_FIRST_DELAY_SECONDS"]
    assert 0 < int(a.headers["Retry-After"]) <= first and 0 < int(b.headers["Retry-After"]) <= first
    assert strip(a) == strip(b)


def test_successful_login_sets_a_signed_http_only_device_cookie(app, client, auth, member):
    response = auth.login(member)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(app.config["DEVICE_COOKIE_NAME"]))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert member.email not in cookie


# Client address behind proxies --------------------------------------------------------------

@pytest.mark.parametrize(("header", "trusted", "expected"), [
    ("", 1, "10.0.0.1"),
    ("203.0.113.9", 0, "10.0.0.1"),
    ("203.0.113.9", 1, "203.0.113.9"),
    ("1.2.3.4, 203.0.113.9", 1, "203.0.113.9"),  # the client wrote 1.2.3.4; nginx appended the rest
    ("1.2.3.4, 203.0.113.9, 10.0.0.7", 2, "203.0.113.9"),
    ("203.0.113.9", 2, "10.0.0.1"),  # fewer entries than proxies: not through all of them
])
def test_the_client_address_is_counted_from_the_right(header, trusted, expected):
    assert forwarded_client("10.0.0.1", header, trusted) == expected


def test_spoofed_leftmost_forwarded_for_does_not_escape_the_address_limit(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    token = csrf_token(client, "/auth/login")

    def attempt(i: int, email: str):
        spoofed = f"198.18.{i // 250}.{i % 250 + 1}, 203.0.113.9"  # nginx appended the real 203.0.113.9
        return client.post("/auth/login", data={"email": email, "password": WRONG, "csrf_token": token},
                           headers={"X-Forwarded-For": spoofed}).status_code

    for i in range(limit):
        assert attempt(i, f"victim{i}@example.org") == 200
    assert [attempt(100 + i, "victim0@example.org") for i in range(30)] == [429] * 30
    addresses = set(db.session.scalars(select(LoginAttempt.address)))
    assert addresses == {"203.0.113.9"}


def test_without_trusted_proxies_the_header_is_ignored(app, client, member):
    token = csrf_token(client, "/auth/login")
    client.post("/auth/login", data={"email": member.email, "password": WRONG, "csrf_token": token},
                headers={"X-Forwarded-For": "203.0.113.9"})
    assert db.session.scalar(select(LoginAttempt.address)) == "127.0.0.1"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login.failed"))
    assert entry.address == "127.0.0.1"


def test_correct_password_after_throttling_elsewhere_is_unaffected(app, member, make_user):
    other = make_user(email="other@example.org")
    _fail(AuthActions(app.test_client()), other, 5)
    assert AuthActions(app.test_client()).login(member, password=DEFAULT_PASSWORD).status_code == 302


def test_a_password_change_makes_every_known_device_unknown_again(app, member):
    from app.auth import services

    owner = app.test_client()
    AuthActions(owner).login(member)
    AuthActions(owner).logout()  # a logout alone keeps the device known
    _fail(AuthActions(app.test_client()), member, 5)
    assert AuthActions(owner).login(member).status_code == 302
    AuthActions(owner).logout()
    services.change_password(member, DEFAULT_PASSWORD, "a brand new passphrase 2026")  # e.g. after a theft
    db.session.commit()
    assert AuthActions(owner).login(member, password="a brand new passphrase 2026").status_code == 429


def test_attempts_too_old_to_count_are_deleted(app, member, make_user):
    from app.auth import services

    other = make_user(email="someone.else@example.org")
    _fail(AuthActions(app.test_client()), member, 2)
    _fail(AuthActions(app.test_client()), other, 2)
    _age_failures(services.retention_seconds() + 60)
    _fail(AuthActions(app.test_client()), member, 1)  # a login purges its own account's old attempts
    assert sorted(db.session.scalars(select(LoginAttempt.account))) == sorted([other.email] * 2 + [member.email])
    result = app.test_cli_runner().invoke(args=["purge-login-attempts"])  # and the daily command the rest
    assert "2 old login attempts deleted" in result.output
    assert list(db.session.scalars(select(LoginAttempt.account))) == [member.email]
