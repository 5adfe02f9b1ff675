"""Demo data: organisations of every sector and users of every role, read from the CSV files in data/.

Each step is a function `step(context)` that loads one domain's demo content; `context` holds what
earlier steps made (organisations by key, users by e-mail). `STEPS` lists them in the order they run.
"""
from __future__ import annotations

from sqlalchemy import func, select

from models import Organisation, User, db

from . import accounts, groups, members, needs, organisations, trials
from .base import DEMO_PASSWORD, DemoContext, DemoRefused, read_rows

STEPS = (
    organisations.load_organisations,
    accounts.load_users,
    members.load_member_profiles,
    members.load_member_organisations,
    members.load_membership_history,
    members.load_offices,
    members.load_dues,
    groups.load_groups,
    needs.load_needs_reference,
    needs.load_needs,
    trials.load_trials,
)


def demo_logins() -> list[tuple[str, str, str]]:
    return [(row["role"], row["email"], DEMO_PASSWORD) for row in read_rows("users.csv")]


def database_is_empty() -> bool:
    return (db.session.scalar(select(func.count(User.id))) or 0) == 0 and (
        db.session.scalar(select(func.count(Organisation.id))) or 0
    ) == 0


def load_demo(force: bool = False) -> list[tuple[str, str, str]]:
    """Load every demo step. Refuses on a database that has data unless `force`."""
    if not force and not database_is_empty():
        raise DemoRefused("The database already has data. Use --force to load the demo anyway.")
    context = DemoContext()
    for step in STEPS:
        step(context)
        db.session.flush()
    return demo_logins()


__all__ = ["DEMO_PASSWORD", "DemoContext", "DemoRefused", "STEPS", "database_is_empty", "demo_logins", "load_demo"]
