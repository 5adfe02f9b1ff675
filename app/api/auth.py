"""Who is calling: the bearer token of each API request (never the session cookie), its scope and rate limit."""
from __future__ import annotations

import logging

from flask import g, request
from flask_babel import gettext as _

from app.core.database import write_transaction
from app.core.extensions import csrf, login_manager

from .blueprint import bp
from .problems import ApiProblem, unauthorised
from .token_services import authenticate, count_request

log = logging.getLogger(__name__)

PUBLIC, READ, WRITE = "public", "read", "write"

# The API never reads the session cookie, so a page cannot make the browser call it: no CSRF hole.
csrf.exempt(bp)


@bp.before_request
def identify_caller() -> None:
    """Set the caller from `Authorization: Bearer <token>`; no header means anonymous (public data only)."""
    g.api_token = None
    # Flask-Login reads the user from here first: the session cookie is never consulted by the API.
    g._login_user = login_manager.anonymous_user()
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise unauthorised(_("Send the token as \"Authorization: Bearer <token>\"."))
    token = authenticate(secret.strip())
    if token is None:
        raise unauthorised(_("The token is unknown, revoked, or its account is disabled."))
    with write_transaction():  # the count is a write on every request, reads included
        retry_after = count_request(token)
    if retry_after is not None:
        raise ApiProblem(429, _("This token has made too many requests. Try again in %(seconds)s seconds.",
                                seconds=retry_after), headers={"Retry-After": str(retry_after)})
    g.api_token = token
    g._login_user = token.user


def require_access(access: str) -> None:
    """401 without a token where one is needed; 403 for a read-only token on a write."""
    if access == PUBLIC:
        return
    token = g.get("api_token")
    if token is None:
        raise unauthorised(_("This endpoint needs a personal access token."))
    if access == WRITE and not token.may_write:
        raise ApiProblem(403, _("This token may only read. Create a token with write access to change data."))


@bp.after_request
def _no_cookies(response):
    """API answers are per token: never cached by shared caches, never a session cookie."""
    response.headers.setdefault("Cache-Control", "no-store")
    response.vary.add("Authorization")
    response.vary.add("Accept-Language")
    return response
