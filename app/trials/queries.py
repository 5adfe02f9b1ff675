"""Read-side queries of trial requests shared by the pages and the API."""
from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement

from app.core.text_search import text_matches
from models import TrialRequest

from .permissions import REQUEST_ANALYSIS


def requests_matching(q: str) -> ColumnElement[bool]:
    """The search box of trial-request lists: requests holding each word of `q` (either language) in
    their stored analysis (whoever may view a request reads all of its analysed text)."""
    return text_matches(q, TrialRequest.title, TrialRequest.verify, TrialRequest.technology,
                        stored=(REQUEST_ANALYSIS, TrialRequest.id))
