"""Demo users of every role, all with the demo password."""
from __future__ import annotations

from app.auth.passwords import hash_password
from models import Role, User

from .base import DEMO_PASSWORD, DemoContext, find_or_add, read_rows


def load_users(context: DemoContext) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    for row in read_rows("users.csv"):
        user = find_or_add(User, {"email": row["email"]}, name=row["name"], password_hash=password_hash)
        user.role = Role(row["role"])
        user.organisation = context.organisations[row["organisation"]]
        user.is_org_admin = row["is_org_admin"] == "true"
        context.users[row["email"]] = user
