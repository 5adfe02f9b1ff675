"""Account rules: registration, authentication with throttling, passwords, roles, disabling."""
from __future__ import annotations

import hashlib
import logging
import math
import secrets
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import delete, func, select, text

from app.core import audit
from app.core.database import read_only
from app.core.mail import queue_mail
from app.permissions import Refused
from models import LoginAttempt, Organisation, PasswordResetToken, Role, User, db, utcnow

from .passwords import burn_time, hash_password, needs_rehash, verify_password

log = logging.getLogger(__name__)


class AccountError(Exception):
    """A rule refused the action; the message is shown to the user."""


class Throttled(Exception):
    """Too many failed logins for this account or address; `retry_after` in seconds."""

    def __init__(self, retry_after: int = 0) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


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


def _since(seconds: int):
    return utcnow() - timedelta(seconds=seconds)


def retention_seconds() -> int:
    """How long a failed attempt matters: older ones are never counted, so they are deleted."""
    config = current_app.config
    return max(config["LOGIN_ACCOUNT_WINDOW_SECONDS"], config["LOGIN_WINDOW_SECONDS"])


def purge_login_attempts() -> int:
    """Delete every attempt older than `retention_seconds()` (accounts and addresses never seen again;
    each login already purges its own account's). Returns how many were deleted."""
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < _since(retention_seconds())))
    return result.rowcount or 0


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count(LoginAttempt.id)).where(*conditions)) or 0


def account_wait(email: str, device: str = "") -> int:
    """Seconds this account must still wait before the next try from an unknown device (0: none).

    After LOGIN_MAX_FAILURES_PER_ACCOUNT failures the wait is LOGIN_FIRST_DELAY_SECONDS, doubled by
    every further failure up to LOGIN_MAX_DELAY_SECONDS, counted from the last failure. `device`
    (a known device's nonce) counts only that device's failures instead.
    """
    config = current_app.config
    window = LoginAttempt.attempted_at >= _since(config["LOGIN_ACCOUNT_WINDOW_SECONDS"])
    where = (LoginAttempt.account == email, LoginAttempt.device == device, window)
    failures = _count(*where)
    excess = failures - config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if excess < 0:
        return 0
    last = db.session.scalar(select(func.max(LoginAttempt.attempted_at)).where(*where))
    delay = min(config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(excess, 20), config["LOGIN_MAX_DELAY_SECONDS"])
    remaining = (last + timedelta(seconds=delay) - utcnow()).total_seconds()
    return max(0, math.ceil(remaining))


def address_blocks(address: str, email: str) -> bool:
    """The address has failed too often, and also on this account: refuse without checking.

    An address over its limit may still try accounts it has not failed on, so a correct password
    for such an account logs in (a shared office or proxy address cannot lock everyone out), while
    guessing goes on at one try per account.
    """
    config = current_app.config
    window = LoginAttempt.attempted_at >= _since(config["LOGIN_WINDOW_SECONDS"])
    if _count(LoginAttempt.address == address, window) < config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        return False
    return _count(LoginAttempt.address == address, LoginAttempt.account == email, window) > 0


def reserve_login_attempt(email: str, address: str, device: str = "") -> LoginAttempt:
    """Count this attempt as a failure before the password is checked, or raise Throttled.

    Counting first keeps the limit exact when many workers try the same account at once: on SQLite
    the check and the insert share one `BEGIN IMMEDIATE` transaction, on PostgreSQL an advisory lock
    per account. The caller commits at once, so the slow password hash runs outside any lock, then
    calls `complete_login`. Unknown and known accounts go through the same counting, so the answer
    (and its speed) does not reveal which addresses have accounts.

    `device` is the nonce of the browser's device cookie for this account. A device that has itself
    failed too often is treated as unknown; a known device is held neither by the account's wait
    nor by the address limit (it proved an earlier login).
    """
    email = normalise_email(email)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "login:" + email})
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account == email,
                                                  LoginAttempt.attempted_at < _since(retention_seconds())))
    if device and account_wait(email, device):
        device = ""
    if not device:
        wait = account_wait(email)
        if wait:
            raise Throttled(wait)
        if address_blocks(address, email):
            raise Throttled(current_app.config["LOGIN_WINDOW_SECONDS"])
    attempt = LoginAttempt(account=email, address=address, device=device)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def device_stamp(email: str) -> str:
    """What a device cookie's entry is bound to besides the address: the account's password hash, so a
    password change or reset makes every device unknown again ("" for an address without an account)."""
    user = find_user_by_email(email)
    return user.password_hash if user is not None else ""


def complete_login(email: str, device: str, password: str) -> User | None:
    """The user for these credentials, or None (the reserved attempt then stays as a failure).

    Takes the attempt's e-mail address and device nonce, not the reserved row: a concurrent successful
    login to the same account deletes the account's attempts, this one included, so the row may be gone.
    Unknown account and wrong password take the same path and about the same time.
    """
    email = normalise_email(email)
    # The deliberately slow hash runs in a read transaction: on SQLite, a POST's transaction would
    # hold the write lock through it, and logins arriving together would wait for one another.
    with read_only():
        user = find_user_by_email(email)
        if user is None:
            burn_time(password)
            ok = False
        else:
            ok = verify_password(user.password_hash, password) and user.is_active_account
        checked = user.password_hash if ok else None
        # Made with older parameters: the password is at hand to redo it.
        rehashed = hash_password(password) if ok and needs_rehash(checked) else None
    if not ok:
        audit.record("login.failed", user, actor=None, email=email, known_device=bool(device))
        return None
    # The owner is in: forget the failures of the kind this attempt was (from unknown browsers, or
    # from this device). A login on a known device leaves an attacker's count elsewhere standing.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account == email, LoginAttempt.device == device))
    if rehashed and user.password_hash == checked:  # not if the password changed meanwhile
        user.password_hash = rehashed
    user.last_login_at = utcnow()
    audit.record("login", user, actor=user, known_device=bool(device))
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
    queue_mail(user.email, subject, body)
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
