"""One way to paginate a 2.0-style select: `paginate(stmt)` reads ?page= from the request.

A page beyond the last (or a number no database could take as an offset) shows the last page;
anything that is not a positive number shows the first.
"""
from __future__ import annotations

from flask import current_app, request
from sqlalchemy import Select, func, select

from models import db


def paginate(stmt: Select, per_page: int | None = None):
    per_page = min(per_page or current_app.config["ITEMS_PER_PAGE"], 100)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, -(-total // per_page))
    asked = request.args.get("page", type=int) or 1
    page = db.paginate(stmt, page=min(max(asked, 1), last), per_page=per_page, error_out=False, count=False)
    page.total = total
    return page
