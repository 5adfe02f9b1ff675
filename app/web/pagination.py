"""One way to paginate a 2.0-style select: `paginate(stmt)` reads ?page= from the request."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import Select

from models import db


def paginate(stmt: Select, per_page: int | None = None):
    return db.paginate(stmt, per_page=per_page or current_app.config["ITEMS_PER_PAGE"], max_per_page=100, error_out=False)
