"""Read-side queries of needs shared by the pages and the API."""
from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement

from app.core.text_search import text_matches
from models import RegulatoryNeed

from .similarity_queries import FULL, SUMMARY


def needs_matching(q: str, viewer) -> ColumnElement[bool]:
    """The search box of every needs list: needs holding each word of `q` (either language) in the
    view `viewer` may read of every need listed: the full one for the secretariat, the summary for
    everyone else (their own organisation's needs too: a list never finds a need by words of details
    that some of its viewers may not read). A word without analysed terms (an article number) is
    looked for in the columns of that view."""
    summary = (RegulatoryNeed.title, RegulatoryNeed.public_summary, RegulatoryNeed.law_name, RegulatoryNeed.tags)
    if getattr(viewer, "is_staff", False):
        return text_matches(q, *summary, RegulatoryNeed.obstacle, stored=(FULL, RegulatoryNeed.id))
    return text_matches(q, *summary, stored=(SUMMARY, RegulatoryNeed.id))
