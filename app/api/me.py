"""/me: who the token acts as, and what it may do (a first call to check a new token)."""
from __future__ import annotations

from flask import g
from flask_login import current_user

from models import Role, TokenScope

from .auth import READ
from .operations import operation
from .schemas import ResponseModel


class MeOut(ResponseModel):
    id: int
    name: str
    role: Role
    organisation_id: int | None
    token_name: str
    token_scope: TokenScope


@operation("/me", summary="The token's user", tag="account", access=READ, response=MeOut)
def me():
    token = g.api_token
    return MeOut(id=current_user.id, name=current_user.name, role=current_user.role,
                 organisation_id=current_user.organisation_id, token_name=token.name, token_scope=token.scope)
