"""Loading objects for views: 404 both for what does not exist and for what the user may not see."""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import abort

from app.permissions import Refused
from models import db

T = TypeVar("T")


# Primary keys are 32-bit integers: a larger id in a URL is simply not found (PostgreSQL would fail on it).
MAX_ID = 2**31 - 1


def get_or_404(model: type[T], object_id: int) -> T:
    if not 0 < object_id <= MAX_ID:
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def get_visible_or_404(model: type[T], object_id: int, user, can_view: Callable[[object, T], bool]) -> T:
    """The object, if it exists and `can_view(user, obj)`; otherwise 404 so its existence is not revealed."""
    obj = get_or_404(model, object_id)
    if not can_view(user, obj):
        raise Refused(hidden=True)
    return obj
