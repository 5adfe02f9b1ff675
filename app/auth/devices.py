"""Device cookies (OWASP): a signed note, kept by the browser, that an account has logged in here before.

The cookie holds, for up to `MAX_ACCOUNTS` accounts, a digest of the account's e-mail address and its
password hash, and a random nonce, signed with the app's secret key. A login attempt that presents a
valid entry for its account is from a known device: it is not held by the account's lock-out (it has
its own limit). A password change or reset changes the digest: every device is unknown again.
"""
from __future__ import annotations

import hashlib
import secrets

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeSerializer

MAX_ACCOUNTS = 5
SALT = "device-cookie"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _key(email: str, stamp: str) -> str:
    return hashlib.sha256(f"{email}\n{stamp}".encode()).hexdigest()[:20]


def _entries(request: Request) -> dict[str, str]:
    raw = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"], "")
    if not raw or len(raw) > 4000:
        return {}
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def device_nonce(request: Request, email: str, stamp: str) -> str:
    """The nonce of this browser's valid device cookie for `email` with this `stamp` (the account's
    password hash, "" for an unknown address), or "" (unknown device)."""
    return _entries(request).get(_key(email, stamp), "")[:32]


def remember_device(request: Request, response: Response, email: str, stamp: str) -> None:
    """After a successful login: keep (or add) this account's entry in the browser's device cookie."""
    entries = _entries(request)
    key = _key(email, stamp)
    nonce = entries.pop(key, "") or secrets.token_hex(16)
    entries[key] = nonce  # most recent last; the oldest accounts drop out
    entries = dict(list(entries.items())[-MAX_ACCOUNTS:])
    config = current_app.config
    response.set_cookie(
        config["DEVICE_COOKIE_NAME"], _serializer().dumps(entries), max_age=config["DEVICE_COOKIE_DAYS"] * 86400,
        httponly=True, secure=config["SESSION_COOKIE_SECURE"], samesite="Lax",
    )
