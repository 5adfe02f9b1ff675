"""Registration, password change and password reset."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.auth import services
from app.core.mail import sent_messages
from models import AuditEntry, Organisation, PasswordResetToken, Role, User, db, utcnow

from ..conftest import DEFAULT_PASSWORD, csrf_token

JAPANESE_PASSPHRASE = "北海道の雪原でドローンを飛ばすための長い合言葉" * 3  # 69 characters, > 72 bytes


def test_register_creates_applicant_and_organisation(client, post_form):
    response = post_form("/auth/register", {
        "email": "Founder@Example.org", "name": "創業 花子", "organisation_name": "株式会社ゆきみらい",
        "password": JAPANESE_PASSPHRASE, "confirm": JAPANESE_PASSPHRASE,
    })
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "founder@example.org"))
    assert user.role == Role.APPLICANT and user.is_org_admin
    assert user.organisation.name_ja == "株式会社ゆきみらい"
    assert client.get("/dashboard").status_code == 200


def test_register_with_errors_keeps_what_was_typed(client, post_form):
    response = post_form("/auth/register", {
        "email": "founder@example.org", "name": "創業 花子", "organisation_name": "株式会社ゆきみらい",
        "password": "short", "confirm": "short",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="founder@example.org"' in html and 'value="株式会社ゆきみらい"' in html
    assert db.session.scalar(select(User)) is None


def test_register_refuses_a_taken_address(client, post_form, member):
    response = post_form("/auth/register", {
        "email": member.email, "name": "x", "organisation_name": "y", "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD,
    })
    assert "すでに存在します" in response.get_data(as_text=True)
    assert db.session.scalar(select(Organisation).where(Organisation.name_ja == "y")) is None


def test_long_japanese_passphrase_logs_in(client, auth, make_user):
    user = make_user(Role.MEMBER, password=JAPANESE_PASSPHRASE)
    assert len(JAPANESE_PASSPHRASE.encode()) > 72
    assert auth.login(user, password=JAPANESE_PASSPHRASE).status_code == 302
    assert user.password_hash.startswith("$argon2id$")


def test_change_password_ends_other_sessions_but_keeps_this_one(app, client, auth, member):
    auth.login(member)
    other = app.test_client()
    other_auth = type(auth)(other)
    other_auth.login(member)
    assert other.get("/dashboard").status_code == 200

    token = csrf_token(client, "/auth/password")
    response = client.post("/auth/password", data={
        "current_password": DEFAULT_PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase",
        "csrf_token": token,
    })
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert "password.changed" in db.session.scalars(select(AuditEntry.action)).all()


def test_change_password_needs_the_current_one(client, auth, member):
    auth.login(member)
    token = csrf_token(client, "/auth/password")
    response = client.post("/auth/password", data={
        "current_password": "not my password", "password": "a brand new passphrase", "confirm": "a brand new passphrase",
        "csrf_token": token,
    })
    assert response.status_code == 200
    assert "現在のパスワードが正しくありません" in response.get_data(as_text=True)


def _reset_link() -> str:
    body = sent_messages[-1].get_content()
    return re.search(r"https://\S+", body).group(0)


def test_reset_link_uses_configured_base_url_not_host_header(app, member):
    with app.test_request_context("/auth/forgot", method="POST", headers={"Host": "evil.example"}):
        services.request_password_reset(member.email)
        db.session.commit()  # mail goes out after commit
    link = _reset_link()
    assert link.startswith("https://platform.example.org/auth/reset/")
    assert "evil.example" not in sent_messages[-1].get_content()


def test_forgot_password_answers_the_same_for_unknown_address(client, post_form, member):
    known = post_form("/auth/forgot", {"email": member.email}, follow_redirects=True)
    unknown = post_form("/auth/forgot", {"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert len(sent_messages) == 1
    message = "そのアドレスのアカウントがあれば"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_reset_email_is_in_the_recipients_language(client, post_form, make_user):
    english = make_user(Role.MEMBER, locale="en")
    post_form("/auth/forgot", {"email": english.email})
    assert sent_messages[-1]["Subject"] == "Password reset for the Think & Do Tank platform"


def test_reset_token_works_once(client, post_form, auth, member):
    post_form("/auth/forgot", {"email": member.email})
    path = _reset_link().replace("https://platform.example.org", "")
    response = post_form(path, {"password": "my new long passphrase", "confirm": "my new long passphrase"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert auth.login(member, password="my new long passphrase").status_code == 302
    auth.logout()
    reused = client.get(path)
    assert reused.status_code == 302 and "/auth/forgot" in reused.headers["Location"]


def test_expired_reset_token_is_refused(client, post_form, member):
    post_form("/auth/forgot", {"email": member.email})
    path = _reset_link().replace("https://platform.example.org", "")
    record = db.session.scalar(select(PasswordResetToken))
    record.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(path).status_code == 302
    token = path.rsplit("/", 1)[1]
    try:
        services.reset_password(token, "my new long passphrase")
    except services.AccountError:
        pass
    else:
        raise AssertionError("expired token accepted")


def test_reset_ends_existing_sessions(app, client, post_form, member):
    thief = app.test_client()
    type_auth = __import__("tests.conftest", fromlist=["AuthActions"]).AuthActions
    type_auth(thief).login(member)
    post_form("/auth/forgot", {"email": member.email})
    path = _reset_link().replace("https://platform.example.org", "")
    post_form(path, {"password": "my new long passphrase", "confirm": "my new long passphrase"})
    assert thief.get("/dashboard").status_code == 302


def test_a_hash_of_older_parameters_is_redone_at_the_next_login(app, client, auth, make_user):
    """Hashes keep their own parameters; when the configured ones change, a successful login re-hashes
    with the new ones (the password is at hand only then) and a wrong password changes nothing."""
    from argon2 import PasswordHasher, extract_parameters

    user = make_user(Role.MEMBER)
    old = PasswordHasher(time_cost=1, memory_cost=4096, parallelism=2).hash(DEFAULT_PASSWORD)
    user.password_hash = old
    db.session.commit()
    assert auth.login(user, password="not the password").status_code == 200
    db.session.refresh(user)
    assert user.password_hash == old
    assert auth.login(user).status_code == 302
    db.session.refresh(user)
    params = extract_parameters(user.password_hash)
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"])
    assert type(auth)(app.test_client()).login(user).status_code == 302  # the new hash verifies
