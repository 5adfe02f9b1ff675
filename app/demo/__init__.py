"""Demo data: organisations of every sector and users of every role, read from the CSV files beside this module.

Each domain adds its part with `@demo_step(order)`: a function `step(context)` that loads its
demo content; `context` holds what earlier steps made (organisations by key, users by e-mail).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from models import IndustryCategory, Organisation, OrganisationStatus, Role, Sector, User, db

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "thinkdo-demo-2026"  # the published password of the demo accounts (README, make run)  # noqa: S105  # nosec B105


class DemoRefused(Exception):
    """The database already has data and --force was not given."""


@dataclass
class DemoContext:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)


STEPS: list[tuple[int, Callable[[DemoContext], None]]] = []


def demo_step(order: int) -> Callable:
    def decorator(step: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        STEPS.append((order, step))
        return step

    return decorator


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def find_or_add(model: type, key: dict, **new_fields):
    """The row whose natural key matches, else a new one (key and `new_fields`) added to the session.

    Loading the demo again updates its rows instead of duplicating them.
    """
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **new_fields)
        db.session.add(row)
    return row


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
    _import_domain_steps()
    context = DemoContext()
    for _order, step in sorted(STEPS, key=lambda pair: pair[0]):
        step(context)
        db.session.flush()
    return demo_logins()


def _import_domain_steps() -> None:
    """Domain demo modules register their steps on import."""
    from . import accounts  # noqa: F401
    from . import members  # noqa: F401
    from . import groups  # noqa: F401
    from . import needs  # noqa: F401
    from . import trials  # noqa: F401


@demo_step(10)
def load_organisations(context: DemoContext) -> None:
    for row in read_rows("organisations.csv"):
        organisation = find_or_add(Organisation, {"name_ja": row["name_ja"]})
        organisation.name_en = row["name_en"]
        organisation.sector = Sector(row["sector"])
        organisation.category = IndustryCategory(row["category"]) if row["category"] else None
        organisation.status = OrganisationStatus(row["status"])
        organisation.municipality = row["municipality"]
        organisation.latitude = float(row["latitude"]) if row["latitude"] else None
        organisation.longitude = float(row["longitude"]) if row["longitude"] else None
        organisation.website = row["website"]
        organisation.description = row["description"]
        organisation.capabilities = row["capabilities"]
        context.organisations[row["key"]] = organisation


__all__ = ["DemoContext", "DemoRefused", "demo_step", "load_demo", "demo_logins", "Role"]
