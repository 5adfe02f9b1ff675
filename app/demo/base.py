"""What every demo step shares: the context of what earlier steps made, the CSV files, find-or-add."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from models import Organisation, User, db

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "thinkdo-demo-2026"


class DemoRefused(Exception):
    """The database already has data and --force was not given."""


@dataclass
class DemoContext:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)


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
