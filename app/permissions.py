"""Who may do what: role decorators for views and the cross-domain permission helpers.

Domain rules about single objects live beside their domain (`app/<domain>/permissions.py`) as
`can_<verb>_<noun>(user, obj)` functions and `visible_<nouns>(user)` query scopes; views and
services ask them before acting.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

from flask import abort
from flask_login import current_user, login_required

from models import Role, User

F = TypeVar("F", bound=Callable)

STAFF_ROLES = (Role.ADMIN, Role.SECRETARIAT)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Require a logged-in user with one of `roles`: anonymous users go to the login page, others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = role_required(*STAFF_ROLES)
admin_required = role_required(Role.ADMIN)


def require(allowed: bool) -> None:
    """Abort with 403 unless an object permission holds: `require(can_edit_need(user, need))`."""
    if not allowed:
        abort(403)


def is_staff(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff)

