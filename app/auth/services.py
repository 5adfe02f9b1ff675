"""Account rules: registration, authentication with throttling, passwords, roles, disabling."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import delete, func, select, text

from app.core import audit
from app.core.mail import send_mail
from app.permissions import Refused
from models import LoginAttempt, Organisation, PasswordResetToken, Role, User, db, utcnow

from .passwords import burn_time, hash_password, verify_password

log = logging.getLogger(__name__)


class AccountError(Exception):
    """A rule refused the action; the message is shown to the user."""


class Throttled(Exception):
    """Too many failed logins for this account or address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(*, email: str, name: str, organisation_name: str, password: str, locale: str = "ja") -> User:
    """A new applicant account with its organisation (status: applicant), whose admin it becomes."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(gettext("An account with this e-mail address already exists."))
    organisation = Organisation(name_ja=organisation_name.strip())
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=Role.APPLICANT,
        organisation=organisation,
        is_org_admin=True,
        locale=locale,
    )
    db.session.add_all([organisation, user])
    db.session.flush()
    audit.record("account.registered", user, actor=user)
    return user


def _failures_since(column, value: str) -> int:
    window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    stmt = select(func.count(LoginAttempt.id)).where(column == value, LoginAttempt.attempted_at >= utcnow() - window)
    return db.session.scalar(stmt) or 0


def reserve_login_attempt(email: str, address: str) -> LoginAttempt:
    """Count this attempt as a failure before the password is checked, or raise Throttled.

    Counting first keeps the limit exact when many workers try the same account at once: on SQLite
    the check and the insert share one `BEGIN IMMEDIATE` transaction, on PostgreSQL an advisory lock
    per account. The caller commits at once, so the slow password hash runs outside any lock, then
    calls `complete_login`.
    """
    email = normalise_email(email)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "login:" + email})
    config = current_app.config
    if _failures_since(LoginAttempt.account, email) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
        raise Throttled()
    if _failures_since(LoginAttempt.address, address) >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        raise Throttled()
    attempt = LoginAttempt(account=email, address=address)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def complete_login(email: str, password: str) -> User | None:
    """The user for these credentials, or None (the reserved attempt then stays as a failure).

    Takes the e-mail address, not the reserved attempt: a concurrent successful login to the same
    account deletes every attempt row, this one included, so the row may be gone by now.
    Unknown account and wrong password take the same path and about the same time.
    """
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active_account
    if not ok:
        audit.record("login.failed", user, actor=None, email=email)
        return None
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account == email))
    user.last_login_at = utcnow()
    audit.record("login", user, actor=user)
    return user


def end_all_sessions(user: User) -> None:
    """Every session and remember-me cookie of this user stops working."""
    user.session_generation += 1


def record_logout(user: User) -> None:
    end_all_sessions(user)
    audit.record("logout", user, actor=user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise AccountError(gettext("The current password is not correct."))
    _set_password(user, new_password)
    audit.record("password.changed", user, actor=user)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email: str) -> str | None:
    """E-mail a reset link if the account exists. Returns the token (for tests), never shown to the user."""
    user = find_user_by_email(email)
    if user is None or not user.is_active_account:
        return None
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(PasswordResetToken(user=user, token_hash=_digest(token), expires_at=utcnow() + timedelta(hours=hours)))
    # Built from the configured base URL, never from the request's Host header.
    link = current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token, _external=False)
    with force_locale(user.locale):
        subject = gettext("Password reset for the Think & Do Tank platform")
        body = gettext(
            "Open this link within %(hours)s hours to choose a new password:\n\n%(link)s\n\n"
            "If you did not ask for this, you can ignore this message.",
            hours=hours,
            link=link,
        )
    send_mail(user.email, subject, body)
    audit.record("password.reset_requested", user, actor=None)
    return token


def valid_reset_token(token: str) -> PasswordResetToken | None:
    record = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token)))
    if record is None or record.used_at is not None or record.expires_at < utcnow():
        return None
    return record


def reset_password(token: str, new_password: str) -> User:
    record = valid_reset_token(token)
    if record is None:
        raise AccountError(gettext("This reset link is invalid, expired or already used. Please ask for a new one."))
    record.used_at = utcnow()
    _set_password(record.user, new_password)
    audit.record("password.reset", record.user, actor=record.user)
    return record.user


def set_role(actor: User, user: User, role: Role) -> None:
    if actor.role != Role.ADMIN:
        raise Refused(gettext("Only an administrator can change roles."))
    if user.id == actor.id and role != Role.ADMIN:
        raise AccountError(gettext("You cannot remove your own administrator role."))
    old = user.role
    user.role = role
    end_all_sessions(user)
    audit.record("role.changed", user, actor=actor, old=old.value, new=role.value)


def set_account_active(actor: User, user: User, active: bool) -> None:
    if actor.role != Role.ADMIN:
        raise Refused(gettext("Only an administrator can disable accounts."))
    if user.id == actor.id:
        raise AccountError(gettext("You cannot disable your own account."))
    user.is_active_account = active
    if not active:
        end_all_sessions(user)
    audit.record("account.enabled" if active else "account.disabled", user, actor=actor)


def create_admin(email: str, name: str, password: str) -> User:
    """The first administrator, from the command line."""
    email = normalise_email(email)
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, name=name, password_hash=hash_password(password), role=Role.ADMIN)
        db.session.add(user)
    else:
        user.role = Role.ADMIN
        _set_password(user, password)
    db.session.flush()
    audit.record("admin.created", user, actor=None)
    return user
