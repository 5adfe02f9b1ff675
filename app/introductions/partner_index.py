"""Every partner (trial site, partner organisation) in one index of the matching library, per process.

With more partners than `analyses.ALL_BELOW`, the matcher used to retrieve 200 sites and 200
organisations per request by full text and build an index over them: two full-text searches, 400 rows
read, an index built, about 60 of a matcher page's 96 ms at 100,000 needs. It now ranks within one
index of all partners (7,400 at 100,000 needs) that a process builds from the stored analyses and keeps
while the partners' stamp is unchanged. That is the library alone: on 20 requests at 100,000 needs the
retrieval's top ten missed candidates that score higher, as its pool was chosen by the database's rank.

The stamp is a row of `match_state`, set to a new random value in the transaction of every change of a
site, a site's availability or an organisation (`_after_flush`), with the partner corpus's term-count
stamp (re-analysis, new synonyms) and the analyser's version. A request reads it (two small statements);
a process whose copy is stale builds a new one, one thread at a time (2.4 s at 100,000 needs);
meanwhile, and for a request whose period lies outside the years the sites' availability was laid out
for, the matcher retrieves as before. gunicorn's master builds it before forking and brings it up to
date before forking each worker (`app.startup`), so the workers share it (67 MB at 100,000 needs).
The member directory's search ranks active organisations' meaning within it too (`_organisations`).
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import Select, event, select
from sqlalchemy.orm import Session

from app.core import analyses
from app.core import term_counts
from app.core.database import insert_on_conflict
from app.core.memory import release_free_memory
from app.members import directory_queries
from matching import Index, Query, Result, Weights
from models import MatchState, MatchTermCount, Organisation, SiteAvailability, TrialSite, db

from . import candidates as c

log = logging.getLogger(__name__)

STAMP_KEY = "partners"
STAMPED = (TrialSite, SiteAvailability, Organisation)  # a change of any of these is a change of the partners
YEARS_BACK, YEARS_AHEAD = 1, 4  # the sites' availability is laid out over these years around the build
READ_BATCH = 1_000  # partners read, parsed and encoded at a time: their analyses are never all in memory


@dataclass(frozen=True)
class Partners:
    stamp: tuple
    index: Index
    years: tuple[int, int]  # queries whose years lie within can use it
    startups: frozenset[str]  # startups still applying: partners of regional challenges only


_kept: Partners | None = None
_building = threading.Lock()


def ranked(query: Query, exclude_id: int | None, include_startups: bool, top: int,
           weights: Weights | None = None) -> list[Result] | None:
    """The `top` partners for `query` (not organisation `exclude_id` nor the secretariat's; startups
    still applying only with `include_startups`), or None when this process has no current index for it
    (few partners: the matcher ranks them all itself; stale and being built elsewhere; period too far)."""
    partners = current()
    if partners is None:
        return None
    first, last = c.query_years(query)
    if first < partners.years[0] or last > partners.years[1]:
        return None
    excluded = {c.candidate_id(c.ORGANISATION, i) for i in db.session.scalars(c.secretariat_organisations())}
    if exclude_id is not None:
        excluded.add(c.candidate_id(c.ORGANISATION, exclude_id))
    if not include_startups:
        excluded |= partners.startups
    return partners.index.rank(query, limit=top, weights=weights, excluding=excluded)


def current() -> Partners | None:
    """This process's index of all partners if it is current (built now when it is not and no other
    thread is building it), or None: few partners, or being built by another thread."""
    global _kept
    stamp = _stamp()
    if stamp is None:
        return None
    kept = _kept
    if kept is not None and kept.stamp == stamp:
        return kept
    if not _building.acquire(blocking=False):
        return None
    try:
        started = time.perf_counter()
        _kept = kept = build(stamp)
        log.info("partner index: %d partners in %.2f s", len(kept.index), time.perf_counter() - started)
        return kept
    finally:
        _building.release()


def _organisations() -> tuple[Index, Callable[[int], str]] | None:
    """The current index, for the directory's search, with the ids it gives organisations."""
    partners = current()
    return None if partners is None else (partners.index, functools.partial(c.candidate_id, c.ORGANISATION))


directory_queries.rank_within(_organisations)


def _stamp() -> tuple | None:
    """What the index must have been built at to be current, None when there are few partners. (A
    database filled without the ORM has no `partners` row yet: the term counts' stamp, random too,
    still tells it apart.)"""
    corpus = dict(db.session.execute(select(MatchTermCount.term, MatchTermCount.documents).where(
        MatchTermCount.corpus == c.PARTNER_CORPUS, MatchTermCount.term.in_((term_counts.STAMP, analyses.DOCUMENTS)))).all())
    if corpus.get(analyses.DOCUMENTS, 0) <= analyses.ALL_BELOW or term_counts.STAMP not in corpus:
        return None
    partners = db.session.scalar(select(MatchState.value).where(MatchState.key == STAMP_KEY))
    return partners, corpus[term_counts.STAMP], analyses.analyzer().version


def build(stamp: tuple) -> Partners:
    """All sites and the organisations the partner corpus counts, from their stored analyses."""
    year = dt.date.today().year
    years = (year - YEARS_BACK, year + YEARS_AHEAD)
    index = Index.from_chunks(_chunks(years), analyzer=analyses.analyzer())
    # Read back from a file: built, its objects lie among the freed ones of the analyses it was made
    # from (100 MB more in the process at 100,000 needs); read back into freed memory, 64 MB.
    with tempfile.TemporaryDirectory(prefix="thinkdo-partners-") as folder:
        path = Path(folder) / "partners.npz"
        index.save(path)
        del index
        gc.collect()
        release_free_memory()
        index = Index.load(path, analyzer=analyses.analyzer())
    startups = frozenset(c.candidate_id(c.ORGANISATION, i)
                         for i in db.session.scalars(select(Organisation.id).where(c.startup_applicant())))
    return Partners(stamp, index, years, startups)


def _chunks(years: tuple[int, int]) -> Iterator[tuple[list, list]]:
    organisations = c.partner_rows(c.ORGANISATION).where(c.in_partner_corpus())
    for kind, stmt, key in ((c.SITE, c.partner_rows(c.SITE), TrialSite.id), (c.ORGANISATION, organisations, Organisation.id)):
        for rows in _batches(stmt, key):
            pairs = c.partners(kind, rows, years)  # the analysis (JSON) passes through, parsed by the library
            yield [candidate for candidate, _ in pairs], [analysis for _, analysis in pairs]


def _batches(stmt: Select, key) -> Iterator[list]:
    last = None
    while True:
        batch = stmt if last is None else stmt.where(key > last)
        rows = db.session.execute(batch.order_by(key).limit(READ_BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    """A new stamp in the transaction that changes a site, its availability or an organisation."""
    changed = any(isinstance(o, STAMPED) for o in (*session.new, *session.deleted)) or any(
        isinstance(o, STAMPED) and session.is_modified(o) for o in session.dirty)
    if changed:
        connection = session.connection()
        insert = insert_on_conflict(connection.dialect.name)
        stmt = insert(MatchState.__table__).values(key=STAMP_KEY, value=secrets.token_hex(8))
        connection.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))
