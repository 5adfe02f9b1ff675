"""Who may see and revoke personal access tokens: only the user they belong to."""
from __future__ import annotations

from sqlalchemy import Select, false, select

from models import ApiToken


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def visible_tokens(user) -> Select:
    """A user's own tokens, newest first. Nobody else (not even the secretariat) sees them."""
    if not _authenticated(user):
        return select(ApiToken).where(false())
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())


def can_view_token(user, token: ApiToken) -> bool:
    return _authenticated(user) and token.user_id == user.id


def can_create_token(user) -> bool:
    return _authenticated(user) and user.is_active_account


def can_revoke_token(user, token: ApiToken) -> bool:
    return can_view_token(user, token) and token.is_active
