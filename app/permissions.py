"""Who may do what: the one refusal (`Refused`), role decorators for views and cross-domain helpers.

Domain rules about single objects live beside their domain (`app/<domain>/permissions.py`) as
`can_<verb>_<noun>(user, obj)` functions and `visible_<nouns>(user)` query scopes; views and
services ask them before acting. Whatever refuses (a decorator, `require`, a loader, a service)
raises `Refused`; pages answer 403 (404 when the object must stay hidden), the API its own
problem document with the same status.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

from flask_login import current_user, login_required

from models import Role, User

F = TypeVar("F", bound=Callable)


class Refused(Exception):
    """The actor may not do this. `hidden=True` when even the object's existence must not be revealed (404).

    `message` is shown to the user when given (translated by the raiser); otherwise the generic
    403/404 text is shown.
    """

    def __init__(self, message: str = "", *, hidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hidden = hidden

    @property
    def status(self) -> int:
        return 404 if self.hidden else 403

STAFF_ROLES = (Role.ADMIN, Role.SECRETARIAT)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Require a logged-in user with one of `roles`: anonymous users go to the login page, others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                raise Refused()
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = role_required(*STAFF_ROLES)
admin_required = role_required(Role.ADMIN)


def require(allowed: bool, message: str = "") -> None:
    """Refuse (403) unless an object permission holds: `require(can_edit_need(user, need))`."""
    if not allowed:
        raise Refused(message)


def is_staff(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff)

