"""Read-side queries of needs shared by the pages and the API."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from app.core import analyses
from app.core.text_search import single_term, text_matches
from app.web.inputs import search_words
from models import MatchAnalysis, NeedStatus, RegulatoryNeed, db

from .similarity_queries import FULL, SUMMARY, corpus_of


def needs_matching(q: str, viewer) -> ColumnElement[bool]:
    """The search box of every needs list: needs holding each word of `q` (either language) in the
    view `viewer` may read of every need listed: the full one for the secretariat, the summary for
    everyone else (their own organisation's needs too: a list never finds a need by words of details
    that some of its viewers may not read). A word without analysed terms (an article number) is
    looked for in the columns of that view."""
    summary = (RegulatoryNeed.title, RegulatoryNeed.public_summary, RegulatoryNeed.law_name, RegulatoryNeed.tags)
    return text_matches(q, *summary, *((RegulatoryNeed.obstacle,) if _searches_full(viewer) else ()),
                        stored=(_searched_view(viewer), RegulatoryNeed.id), row_by_row=_is_common(q, viewer))


COMMON_SHARE = 100  # a term held by one need in a hundred or more of the viewer's corpus


def _is_common(q: str, viewer) -> bool:
    """Whether `q` is one term so common that a list tests its needs one by one, newest first (every
    needs list's order, `ix_regulatory_needs_updated`), rather than listing every holder: a page of
    20 then reads about 20 × COMMON_SHARE needs at most."""
    term = single_term(q)
    if term is None:
        return False
    counts = analyses.term_counts(corpus_of(viewer), [term])
    return counts.get(term, 0) * COMMON_SHARE >= counts.get(analyses.DOCUMENTS, 0) > 0


def _searches_full(viewer) -> bool:
    return getattr(viewer, "is_staff", False)


def _searched_view(viewer) -> str:
    return FULL if _searches_full(viewer) else SUMMARY


def list_count(args, viewer, *, submitted_only: bool = False) -> int | None:
    """The count of a needs list whose only arguments are ?q= (and ?page=), from the term counts
    (see `count_matching`); None for any other list (count the list itself). `submitted_only`: the
    list leaves drafts out (the secretariat's manage list)."""
    if not set(args) <= {"q", "page"}:
        return None
    return count_matching(search_words(args), viewer, submitted_only=submitted_only)


def count_matching(q: str, viewer, *, submitted_only: bool = False) -> int | None:
    """How many needs the list of every visible need searched by `q` (and nothing else) holds, when
    `q` stands for one analysed term; None otherwise (count the list itself). `submitted_only`:
    of the visible needs that are not drafts.

    A viewer sees the needs their corpus counts (`similarity_queries.corpus_of`: every submitted
    need for the secretariat, the shared or the public summaries for others) and their own
    organisation's. The corpus's rows holding the term are already counted (`match_term_counts`,
    kept in the same transaction as the analyses); only the own organisation's needs outside the
    corpus (drafts, confidential ones) are counted here. A frequent word's count read every matching
    row: ドローン at 100,000 needs, 13,700 rows, 54 ms and 78 ms of the database's CPU."""
    term = single_term(q)
    if term is None:
        return None
    corpus = corpus_of(viewer)
    total = analyses.term_counts(corpus, [term]).get(term, 0)
    organisation_id = getattr(viewer, "organisation_id", None) if getattr(viewer, "is_authenticated", False) else None
    if organisation_id:
        # From the organisation's needs (the IN), not from every stored view of the kind (a join let
        # SQLite start from the 100,000 views).
        own_needs = select(RegulatoryNeed.id).where(RegulatoryNeed.organisation_id == organisation_id)
        if submitted_only:
            own_needs = own_needs.where(RegulatoryNeed.status != NeedStatus.DRAFT)
        own = select(func.count()).select_from(MatchAnalysis).where(
            MatchAnalysis.kind == _searched_view(viewer), MatchAnalysis.item_id.in_(own_needs),
            analyses.holds_outside(term, corpus))
        total += db.session.scalar(own) or 0
    return total
