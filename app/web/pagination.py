"""One way to paginate a 2.0-style select: `paginate(stmt)` reads ?page= from the request;
`paginate_ranked(stmt, ids, key)` does the same for ids a search has ranked already.

A page beyond the last (or a number no database could take as an offset) shows the last page;
anything that is not a positive number shows the first.
"""
from __future__ import annotations

from typing import Sequence

from flask import current_app, request
from sqlalchemy import Select, case, false, func, select

from models import db


def _page_size(per_page: int | None) -> int:
    return min(per_page or current_app.config["ITEMS_PER_PAGE"], 100)


def _page_number(total: int, per_page: int) -> int:
    last = max(1, -(-total // per_page))
    return min(max(request.args.get("page", type=int) or 1, 1), last)


def paginate(stmt: Select, per_page: int | None = None, total: int | None = None):
    """A page of `stmt`; `total`, when the caller knows it, saves counting the statement's rows."""
    per_page = _page_size(per_page)
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = db.paginate(stmt, page=_page_number(total, per_page), per_page=per_page, error_out=False, count=False)
    page.total = total
    return page


def paginate_ranked(stmt: Select, ids: Sequence[int], key, per_page: int | None = None):
    """A page of `ids`, ranked best first by a search that read them all already: counted as
    len(ids), and only the page's rows of `stmt` read (`key`: their id column), in rank order.
    (Counting and ordering the statement by the whole ranking sent every id twice.)"""
    per_page = _page_size(per_page)
    number = _page_number(len(ids), per_page)
    chosen = list(ids[(number - 1) * per_page:number * per_page])
    if chosen:
        stmt = stmt.where(key.in_(chosen)).order_by(case({i: n for n, i in enumerate(chosen)}, value=key))
    else:
        stmt = stmt.where(false())
    page = db.paginate(stmt, page=1, per_page=per_page, error_out=False, count=False)
    page.page, page.total = number, len(ids)  # the page of the ranking (the statement holds only its rows)
    return page
