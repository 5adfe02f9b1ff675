"""Personal access tokens: create (the secret is returned once), revoke, authenticate, count requests.

Only the SHA-256 digest of a secret is stored. Request counts live in the database (one row per token
and fixed window) so that the rate limit holds across every gunicorn worker.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.core import audit
from app.core.database import insert_on_conflict
from app.permissions import Refused
from models import ApiRateWindow, ApiToken, TokenScope, User, db, utcnow

from .permissions import can_create_token, can_revoke_token

log = logging.getLogger(__name__)

SECRET_PREFIX = "tdt_"  # the public prefix that lets people and scanners recognise a token  # noqa: S105  # nosec B105
PREFIX_LENGTH = 12  # "tdt_" and 8 characters of the secret, shown on the token page
LAST_USED_PRECISION = timedelta(seconds=60)  # last use is written at most once a minute


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(actor: User, name: str, scope: TokenScope) -> tuple[ApiToken, str]:
    """A new token for `actor` and its secret, which is never stored and cannot be shown again."""
    if not can_create_token(actor):
        raise Refused()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name.strip(), scope=scope, token_digest=digest(secret),
                     prefix=secret[:PREFIX_LENGTH])
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", token, actor=actor, name=token.name, scope=scope.value)
    return token, secret


def revoke_token(actor: User, token: ApiToken) -> None:
    """From now on the token is refused (401) on every request."""
    if not can_revoke_token(actor, token):
        raise Refused(hidden=token.user_id != getattr(actor, "id", None))
    token.revoked_at = utcnow()
    audit.record("api_token.revoked", token, actor=actor, name=token.name)
    db.session.flush()


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret whose user may still log in, or None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_digest == digest(secret)))
    if token is None or not token.is_active or not token.user.is_active_account:
        return None
    return token


def count_request(token: ApiToken) -> int | None:
    """Count one request of `token`; None when it is within the limit, else the seconds until the next window.

    One atomic upsert per request (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so concurrent
    workers never lose a count. The caller commits.
    """
    length = current_app.config["API_RATE_WINDOW_SECONDS"]
    limit = current_app.config["API_RATE_LIMIT"]
    now = time.time()
    window = int(now // length)
    insert = insert_on_conflict(db.engine.dialect.name)
    stmt = insert(ApiRateWindow).values(token_id=token.id, window=window, count=1)
    stmt = stmt.on_conflict_do_update(index_elements=["token_id", "window"], set_={"count": ApiRateWindow.count + 1})
    count = db.session.execute(stmt.returning(ApiRateWindow.count)).scalar_one()
    if count == 1:  # first request of a new window: forget the old ones
        db.session.execute(delete(ApiRateWindow).where(ApiRateWindow.token_id == token.id, ApiRateWindow.window < window))
    moment = utcnow()
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = moment
    if count > limit:
        return max(1, int((window + 1) * length - now + 0.999))
    return None
