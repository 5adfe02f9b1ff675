"""Loading the user of a session. A session whose generation is stale is refused."""
from __future__ import annotations

from models import User, db


def load_user(session_id: str) -> User | None:
    user_id, _, generation = session_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active_account or user.session_generation != int(generation):
        return None
    return user
