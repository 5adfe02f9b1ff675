"""Demo users of every role, all with the demo password."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.passwords import hash_password
from models import Role, User, db

from . import DEMO_PASSWORD, DemoContext, demo_step, read_rows


@demo_step(20)
def load_users(context: DemoContext) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    for row in read_rows("users.csv"):
        user = db.session.scalar(select(User).where(User.email == row["email"]))
        if user is None:
            user = User(email=row["email"], name=row["name"], password_hash=password_hash)
            db.session.add(user)
        user.role = Role(row["role"])
        user.organisation = context.organisations[row["organisation"]]
        user.is_org_admin = row["is_org_admin"] == "true"
        context.users[row["email"]] = user
