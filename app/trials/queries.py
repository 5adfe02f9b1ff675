"""Read-side queries of trial requests and trial sites shared by the pages and the API."""
from __future__ import annotations

from sqlalchemy.sql.elements import ColumnElement

from app.core.text_search import text_matches
from models import TrialRequest, TrialSite

from .permissions import REQUEST_ANALYSIS

# The kind of a trial site's stored analysis (its names, features, constraints and technologies: the
# public catalogue shows all of them). The matcher (app.introductions.candidates) registers it.
SITE_ANALYSIS = "site"


def requests_matching(q: str) -> ColumnElement[bool]:
    """The search box of trial-request lists: requests holding each word of `q` (either language) in
    their stored analysis (whoever may view a request reads all of its analysed text)."""
    return text_matches(q, TrialRequest.title, TrialRequest.verify, TrialRequest.technology,
                        stored=(REQUEST_ANALYSIS, TrialRequest.id))


def sites_matching(q: str) -> ColumnElement[bool]:
    """The search box of the site catalogue, the same way."""
    return text_matches(q, TrialSite.name_ja, TrialSite.name_en, TrialSite.features_ja, TrialSite.features_en,
                        TrialSite.technologies, stored=(SITE_ANALYSIS, TrialSite.id))
