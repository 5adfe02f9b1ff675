"""Stored analyses: the matching state that lives with the data.

Every analysable row (need, trial site, organisation, special measure, trial request, regional
challenge) keeps the `matching` library's analysis of each of its views in `match_analyses`,
made when the row is flushed (an ORM hook, so every service and loader is covered; a text that did
not change is not analysed again). Pages retrieve candidates from the database with the viewer's
scope in the same SQL (PostgreSQL: a `tsvector` of hashed terms with a GIN index; SQLite: FTS5 over
the same tokens), and the library re-ranks those few hundred rows from their stored analyses,
weighing terms by the whole corpus (`match_term_counts`, kept by the same hook). `match_state`
holds the analyser version (code, synonyms, lexicon) that all rows were made with: when it differs
from the running analyser, `reanalyse()` (also `flask reanalyse`) brings the rows up to date.
Why retrieval in the database rather than an index per process: see docs/matching-state.md.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import (Select, and_, bindparam, cast, column, delete, event, exists, func, literal,
                        literal_column, select, table, update)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, False_

from matching import Analysis, Analyzer, Candidate, CorpusStats, default_analyzer, load_tables
from models import MatchAnalysis, MatchState, MatchTermCount, db

from . import term_counts as counts_kept
from .database import insert_on_conflict
from .synonyms import matching_analyzer

log = logging.getLogger(__name__)

VERSION_KEY = "analyzer_version"
MAX_TERM_LENGTH = 200  # longer terms are not counted (the library then counts them within the pool)
POOL = 200  # rows retrieved for the library to re-rank (its own rerank depth is 100)
ALL_BELOW = POOL  # a scope of at most this many rows is ranked whole, as the library alone would
POSTINGS_BUDGET = 5_000  # retrieval reads the query's rarest terms up to about this many rows
MAX_QUERY_TERMS = 64  # a long query retrieves by its rarest terms only
DOCUMENTS = ""  # the term under which a corpus counts its rows

_fts = table("match_fts", column("rowid"))


@dataclass(frozen=True)
class View:
    """One view of a row as the library sees it, and the corpora whose term counts it joins."""

    candidate: Candidate
    corpora: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysable:
    """A model whose rows keep analyses: the kinds it stores and, per row, its views by kind
    (a kind missing from the answer means no stored analysis for it)."""

    model: type
    kinds: tuple[str, ...]
    views: Callable[[Any], dict[str, View]]


_registry: dict[type, Analysable] = {}
# Work that follows a committed change of a row but must not sit in its transaction (e.g. the
# similar-need pairs of a changed need): callbacks per model, given the changed ids.
_after_commit: dict[type, list[Callable[[set[int]], None]]] = {}
PENDING, COMMITTED = "match_pending", "match_committed"  # keys of Session.info


def register_model(model: type, kinds: Sequence[str], views: Callable[[Any], dict[str, View]]) -> None:
    """Called by a domain at import: rows of `model` keep these analyses from now on."""
    _registry[model] = Analysable(model, tuple(kinds), views)


def after_commit(model: type, callback: Callable[[set[int]], None]) -> None:
    """Call `callback(ids)` after a transaction that changed rows of `model` committed (at the end
    of the request, in a transaction of its own; `run_pending()` elsewhere)."""
    _after_commit.setdefault(model, []).append(callback)


def analyzer() -> Analyzer:
    """The analyser every stored analysis and every query uses (with the secretariat's synonyms)."""
    return matching_analyzer() or default_analyzer()


def token(term: str) -> str:
    """A term as a search token: a short hash, so that neither tsvector's nor FTS5's tokenisers can
    split or fold it (terms hold Japanese, glosses, compounds)."""
    return "t" + hashlib.blake2b(term.encode(), digest_size=6).hexdigest()


def corpus_token(corpus: str) -> str:
    """The search token of the rows a corpus counts, so that retrieval can search within one audience
    (e.g. members' shared summaries) instead of every stored view of every kind."""
    return token("\x1fcorpus:" + corpus)


def _search(terms: Iterable[str], corpora: Iterable[str]) -> str:
    """The `search` value of a row: its terms' tokens and its corpora's."""
    return " ".join(sorted({token(t) for t in terms} | {corpus_token(c) for c in corpora}))


def _digest(candidate: Candidate) -> str:
    h = hashlib.sha1(candidate.full_text().encode(), usedforsecurity=False)  # a change detector, not a secret
    h.update(b"\x1f" + "\x1f".join(candidate.tags).encode())
    return h.hexdigest()


def _terms(analysis: dict | Analysis) -> list[str]:
    """The terms of a stored analysis, as the table holds it or as `read` gives it."""
    return list(analysis.terms if isinstance(analysis, Analysis) else analysis.get("t", {}))


def _count(deltas: Counter, corpora: Iterable[str], terms: Iterable[str], sign: int) -> None:
    terms = [t for t in terms if len(t) <= MAX_TERM_LENGTH]
    for corpus in corpora:
        deltas[(corpus, DOCUMENTS)] += sign
        for term in terms:
            deltas[(corpus, term)] += sign


# -- keeping the analyses -----------------------------------------------------------------------
def refresh(connection: Connection, changed: Iterable[Any], deleted: Iterable[Any] = ()) -> int:
    """Bring the stored analyses of these rows up to date (analysing only changed texts) and the
    term counts with them; returns how many texts were analysed."""
    wanted: dict[tuple[str, int], View | None] = {}
    for obj in changed:
        spec = _registry[type(obj)]
        views = spec.views(obj)
        for kind in spec.kinds:
            wanted[(kind, obj.id)] = views.get(kind)
    for obj in deleted:
        for kind in _registry[type(obj)].kinds:
            wanted[(kind, obj.id)] = None
    if not wanted:
        return 0
    t = MatchAnalysis.__table__
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in wanted:
        by_kind.setdefault(kind, []).append(item_id)
    existing = {}
    for kind, ids in by_kind.items():
        for row in connection.execute(select(t.c.id, t.c.kind, t.c.item_id, t.c.version, t.c.digest, t.c.analysis,
                                             t.c.corpora).where(t.c.kind == kind, t.c.item_id.in_(ids))
                                      .with_for_update()):  # PostgreSQL: one writer per row at a time
            existing[(row.kind, row.item_id)] = row
    the_analyzer = analyzer()
    version = the_analyzer.version
    deltas: Counter = Counter()
    inserts, updates, corpora_updates, deletes = [], [], [], []
    analysed = 0
    for (kind, item_id), view in wanted.items():
        old = existing.get((kind, item_id))
        old_terms = _terms(old.analysis) if old is not None and old.corpora else None
        if old_terms is not None:
            _count(deltas, old.corpora.split(), old_terms, -1)
        if view is None:
            if old is not None:
                deletes.append(old.id)
            continue
        digest = _digest(view.candidate)
        corpora = " ".join(view.corpora)
        if old is not None and old.digest == digest and old.version == version:
            if view.corpora:
                _count(deltas, view.corpora, old_terms if old_terms is not None else _terms(old.analysis), 1)
            if corpora != old.corpora:
                corpora_updates.append({"_id": old.id, "corpora": corpora,
                                        "search": _search(_terms(old.analysis), view.corpora)})
            continue
        analysis = the_analyzer.analyze_candidate(view.candidate)
        analysed += 1
        values = {"version": version, "digest": digest, "corpora": corpora,
                  "analysis": analysis.to_json(version),
                  "search": _search(analysis.terms, view.corpora)}
        _count(deltas, view.corpora, analysis.terms, 1)
        if old is None:
            inserts.append({"kind": kind, "item_id": item_id, **values})
        else:
            updates.append({"_id": old.id, **values})
    if deletes:
        connection.execute(delete(t).where(t.c.id.in_(deletes)))
    if inserts:
        connection.execute(t.insert(), inserts)
    if updates:
        connection.execute(update(t).where(t.c.id == bindparam("_id")).values(
            version=bindparam("version"), digest=bindparam("digest"), corpora=bindparam("corpora"),
            analysis=bindparam("analysis"), search=bindparam("search")), updates)
    if corpora_updates:
        connection.execute(update(t).where(t.c.id == bindparam("_id")).values(
            corpora=bindparam("corpora"), search=bindparam("search")), corpora_updates)
    _apply_counts(connection, deltas)
    return analysed


def _apply_counts(connection: Connection, deltas: Counter) -> None:
    rows = [{"corpus": c, "term": term, "documents": n} for (c, term), n in sorted(deltas.items()) if n]
    if not rows:
        return
    # One upsert, rows in key order: concurrent writers lock the same rows in the same order.
    insert = insert_on_conflict(connection.dialect.name)
    stmt = insert(MatchTermCount.__table__)
    stmt = stmt.on_conflict_do_update(index_elements=["corpus", "term"],
                                      set_={"documents": MatchTermCount.__table__.c.documents + stmt.excluded.documents})
    connection.execute(stmt, rows)
    counts_kept.restamp(connection, {row["corpus"] for row in rows})


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if not _registry:
        return
    changed = [o for o in (*session.new, *session.dirty) if type(o) in _registry]
    deleted = [o for o in session.deleted if type(o) in _registry]
    if changed or deleted:
        refresh(session.connection(), changed, deleted)
    for obj in (*changed, *deleted):
        if type(obj) in _after_commit:
            session.info.setdefault(PENDING, {}).setdefault(type(obj), set()).add(obj.id)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    changed = session.info.pop(PENDING, None)
    if changed:
        pending = session.info.setdefault(COMMITTED, {})
        for model, ids in changed.items():
            pending.setdefault(model, set()).update(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)


def run_pending() -> None:
    """Run the after-commit callbacks of the changes committed so far, then commit their work."""
    pending = db.session.info.pop(COMMITTED, None)
    if not pending:
        return
    try:  # each callback reads and ranks without the write lock, then writes in a short transaction
        for model, ids in pending.items():
            for callback in _after_commit.get(model, []):
                callback(ids)
        db.session.commit()
    except Exception:  # the page the user asked for is done; the next change of the row retries
        db.session.rollback()
        log.exception("after-commit work failed for %s", {m.__name__: sorted(i) for m, i in pending.items()})


def _after_request(response):
    run_pending()
    return response


def register(app) -> None:
    """Run the after-commit work at the end of every request."""
    app.after_request(_after_request)


# -- the version stamp and re-analysis ----------------------------------------------------------
def stored_version() -> str | None:
    state = db.session.get(MatchState, VERSION_KEY)
    return state.value if state is not None else None


def is_current() -> bool:
    """Were all stored analyses made by the running analyser (same code, synonyms, lexicon)?"""
    return stored_version() == analyzer().version


def reanalyse(batch: int = 500, echo: Callable[[str], None] | None = None) -> int:
    """Analyse every row whose stored analysis is missing, stale or of another text, commit per
    batch, then stamp the version. Returns how many texts were analysed."""
    version = analyzer().version
    analysed = 0
    for spec in list(_registry.values()):
        last = 0
        while True:
            rows = db.session.scalars(select(spec.model).where(spec.model.id > last)
                                      .order_by(spec.model.id).limit(batch)).all()
            if not rows:
                break
            analysed += refresh(db.session.connection(), rows)
            last = rows[-1].id
            db.session.commit()
            if echo:
                echo(f"{spec.model.__name__} up to id {last}: {analysed} texts analysed")
        t = MatchAnalysis.__table__
        for kind in spec.kinds:  # rows whose item is gone (deleted outside the ORM)
            orphans = select(t.c.id).where(t.c.kind == kind, t.c.item_id.not_in(select(spec.model.id)))
            gone = db.session.execute(select(t.c.id, t.c.analysis, t.c.corpora).where(t.c.id.in_(orphans))).all()
            if gone:
                deltas: Counter = Counter()
                for row in gone:
                    if row.corpora:
                        _count(deltas, row.corpora.split(), _terms(row.analysis), -1)
                db.session.execute(delete(t).where(t.c.id.in_([r.id for r in gone])))
                _apply_counts(db.session.connection(), deltas)
    # An upsert: another server may stamp the same version at the same moment.
    stamp = insert_on_conflict(db.session.get_bind().dialect.name)(MatchState.__table__).values(key=VERSION_KEY, value=version)
    db.session.execute(stamp.on_conflict_do_update(index_elements=["key"], set_={"value": version}))
    db.session.commit()
    return analysed


def ensure_current(echo: Callable[[str], None] | None = None) -> int:
    """Re-analyse when the analyser's version differs from the stamp (code, synonyms or lexicon changed).
    Servers starting together on one PostgreSQL take turns: the first re-analyses, the others then
    find the stamp current."""
    if is_current():
        return 0
    with _one_server_at_a_time():
        db.session.rollback()  # read the stamp again: another server may have just written it
        if is_current():
            return 0
        log.info("stored analyses are of version %s, the analyser is %s: re-analysing", stored_version(),
                 analyzer().version)
        return reanalyse(echo=echo)


REANALYSIS_LOCK = 0x7468696E6B646F  # a PostgreSQL advisory lock's key ("thinkdo")


@contextmanager
def _one_server_at_a_time():
    """A PostgreSQL advisory lock held on a connection of its own while re-analysing (the analysis
    commits per batch). SQLite is one file that one server's processes share: nothing to do."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as lock:
        lock.execute(select(func.pg_advisory_lock(REANALYSIS_LOCK)))
        try:
            yield
        finally:
            lock.execute(select(func.pg_advisory_unlock(REANALYSIS_LOCK)))


def reanalyse_soon(app) -> None:
    """After the synonyms changed: re-analyse in a background thread of this process (inline when
    testing), so that the secretariat's request returns at once."""
    if app.config.get("TESTING"):
        ensure_current()
        return

    def run() -> None:
        with app.app_context():
            try:
                ensure_current()
            except Exception:  # logged; the next start or `flask reanalyse` tries again
                log.exception("re-analysis failed")
            finally:
                db.session.remove()

    threading.Thread(target=run, name="reanalyse", daemon=True).start()


def warm_up(app, keep: Callable[[], Any] | None = None) -> None:
    """Before gunicorn forks (`--preload`): load the analyser (Sudachi dictionary, lexicon) once, so
    that every worker shares it and no user waits for it, and bring stale analyses up to date.

    Then everything loaded so far is set aside from the garbage collector (`gc.freeze`): the
    analyser holds about 240,000 objects that live as long as the process, and every full
    collection walked them all, a pause of 130 ms every few requests of a matcher page (its p95
    277 ms, 157 ms frozen). Frozen objects are not written to by collections either, so the
    workers keep sharing their memory pages with the master. `keep`: more to make and keep from the
    stored analyses once they are current (before the freeze)."""
    with app.app_context():
        analyzer().analyze("ドローンの目視外飛行 drone")
        load_tables(analyzer())  # the gazetteer, the setting table: read by every ranking
        try:
            analysed = ensure_current()
            if keep is not None:
                keep()
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection crosses the fork
    if analysed:
        log.info("re-analysed %d texts at start", analysed)
    gc.collect()
    gc.freeze()


# -- reading stored analyses ----------------------------------------------------------------------
# Stored analyses as the library's objects, parsed once per process and kept by (kind, digest of the
# text, analyser version): the same text always has the same analysis (`refresh` relies on it too),
# so an entry is never stale; an edited text has a new digest. A retrieval then reads three short
# columns a row instead of its analysis (2-3 KB of JSON), and parses only the analyses it has not met
# (a matcher page parsed 400: 18 ms of its 115).
PARSED_KEPT = 5_000  # about 12 KB each; the oldest go first
_parsed: dict[tuple[str, str, str], Analysis] = {}
_parsed_lock = threading.Lock()
_KEY = (MatchAnalysis.id, MatchAnalysis.kind, MatchAnalysis.digest, MatchAnalysis.version)


def read(stmt: Select) -> list[tuple]:
    """The rows of `stmt`, whose last column is `MatchAnalysis.analysis`, with that column as a parsed
    `matching.Analysis`: the statement reads the analyses' keys, and one more reads the analyses this
    process has not parsed yet."""
    columns = [d["expr"] for d in stmt.column_descriptions]
    rows = db.session.execute(stmt.with_only_columns(*columns[:-1], *_KEY)).all()
    keys = [tuple(row[-3:]) for row in rows]
    missing = {row[-4] for row, key in zip(rows, keys) if key not in _parsed}
    fetched: dict[int, Analysis] = {}
    if missing:
        t = MatchAnalysis.__table__.c
        for row in db.session.execute(select(t.id, t.kind, t.digest, t.version, t.analysis).where(t.id.in_(missing))):
            fetched[row.id] = analysis = Analysis.from_json(row.analysis)
            _keep((row.kind, row.digest, row.version), analysis)
    # A row edited between the two statements is read as the second found it (and kept under its new key).
    return [(*row[:-4], fetched.get(row[-4]) or _parsed[key]) for row, key in zip(rows, keys)]


def _keep(key: tuple[str, str, str], analysis: Analysis) -> None:
    with _parsed_lock:
        _parsed[key] = analysis
        while len(_parsed) > PARSED_KEPT:
            del _parsed[next(iter(_parsed))]


# -- retrieval ----------------------------------------------------------------------------------
def query_terms(text: str, tags: Sequence[str] = ()) -> list[str]:
    """The terms of a query (its text and tags): the one analysis a request makes."""
    the_analyzer = analyzer()
    terms = dict(the_analyzer.analyze(text).terms)
    for tag in tags:
        terms.update(the_analyzer.analyze(tag).terms)
    return list(terms)


def word_terms(word: str) -> list[str]:
    """The terms a search word stands for: its own (weight 1 and more), not its glosses nor the
    compounds it is part of, which the rows holding the word may lack."""
    return [t for t, w in analyzer().analyze(word).terms.items() if w >= 1.0 and len(t) <= MAX_TERM_LENGTH]


def items_holding(kind: str, terms: Sequence[str]) -> Select:
    """The ids of the items whose stored analysis of `kind` holds every one of `terms` (a subquery
    for `id IN (...)`: the full-text index finds them)."""
    return select(MatchAnalysis.item_id).where(MatchAnalysis.kind == kind, _holds_every(terms))


def item_holds(kind: str, terms: Sequence[str], key: ColumnElement) -> ColumnElement[bool]:
    """The same as a test of each row (`EXISTS`), for a list read in the order of an index and cut
    at a page when its terms are common: the first rows hold them, and listing every holder first
    cost more (SQLite, ドローン at 100,000 needs: 13,700 holders, 45 ms; row by row, 7 ms). A rare
    term is better listed: row by row, the whole table is read to fill the page (230 ms)."""
    return exists().where(MatchAnalysis.item_id == key, MatchAnalysis.kind == kind, _holds_every(terms))


def _holds_every(terms: Sequence[str]) -> ColumnElement[bool]:
    tokens = sorted({token(t) for t in terms})
    if db.session.get_bind().dialect.name == "postgresql":
        return MatchAnalysis.search.op("@@")(cast(" & ".join(tokens), TSQUERY))
    found = select(_fts.c.rowid).select_from(_fts).where(literal_column("match_fts").op("MATCH")(" AND ".join(tokens)))
    return MatchAnalysis.id.in_(found)


def holds_outside(term: str, corpus: str) -> ColumnElement[bool]:
    """A condition on a few stored analyses (a viewer's own organisation's), checked row by row:
    holding `term`, in a row that `corpus` does not count."""
    if db.session.get_bind().dialect.name == "postgresql":
        return MatchAnalysis.search.op("@@")(cast(f"{token(term)} & !{corpus_token(corpus)}", TSQUERY))
    # SQLite: the row's token text itself (tokens are of one length, separated by spaces). The FTS
    # index answers for the whole table at once: 'term NOT corpus' is 45,000 rows for ドローン at
    # 100,000 needs, 23 ms to list; per row, 28 lookups took 15 ms; this reads 28 rows, 0.2 ms.
    padded = literal(" ") + MatchAnalysis.search + literal(" ")
    return and_(padded.like(f"% {token(term)} %"), padded.not_like(f"% {corpus_token(corpus)} %"))


def term_counts(corpus: str, terms: Iterable[str]) -> dict[str, int]:
    """Rows of `corpus` holding each term (and, under "", the corpus's rows); terms no row holds are
    left out. Read through the process's copy (see app.core.term_counts): one query, of the terms
    this process has not asked about since the corpus last changed."""
    return counts_kept.read(corpus, {t for t in terms if len(t) <= MAX_TERM_LENGTH} | {DOCUMENTS})


def rare_terms(corpus: str, terms: Sequence[str], budget: int = POSTINGS_BUDGET, *, counted_only: bool = False,
               counts: dict[str, int] | None = None) -> list[str]:
    """The query's rarest terms, up to about `budget` rows in all (at least three), as the library
    chooses its candidates from the rarest postings. Terms the corpus does not count come first:
    they can only be in rows outside it (the viewer's own organisation's needs) or in none; with
    `counted_only` (a search within the corpus) they are left out. `counts`: the corpus's
    `term_counts` of these terms when the caller has read them already."""
    counts = term_counts(corpus, terms) if counts is None else counts
    chosen, total, held = [], 0, 0
    for n, term in sorted((counts.get(t, 0), t) for t in set(terms) if len(t) <= MAX_TERM_LENGTH):
        if counted_only and not n:
            continue
        # "At least three" counts terms the corpus holds: uncounted ones cost nothing but may find nothing.
        if len(chosen) >= MAX_QUERY_TERMS or (held >= 3 and total + n > budget):
            break
        chosen.append(term)
        total += n
        held += n > 0
    return chosen


def corpus_stats(corpus: str, analyses: Iterable[Analysis]) -> CorpusStats:
    """The corpus's document frequencies of every term of these analyses (as `read` gives them; one query)."""
    terms: set[str] = set()
    for value in analyses:
        terms.update(value.terms)  # the keys of its dict: no list made per analysis
    counts = term_counts(corpus, terms)
    return CorpusStats(n=max(counts.pop(DOCUMENTS, 0), 1), df=counts)


def retrieve(stmt: Select, key, corpus: str, text: str, tags: Sequence[str] = (), *,
             outside: ColumnElement[bool] | None = None) -> tuple[list, CorpusStats | None]:
    """The rows of `stmt` (which joins MatchAnalysis; `key` is its rows' id column) for the library to
    re-rank, and the corpus's term counts to weigh them by. A scope of at most ALL_BELOW rows comes
    whole, in `key` order, with None for the counts (ranked among themselves, as the library alone
    would); a larger one gives the POOL rows holding most of the text's rarest terms (none when the
    text has no term). The stored analysis must be the last column of `stmt`.

    `outside`, when given, says which rows of `stmt` the corpus does not count (a member's own needs,
    read in full; `false()`: none): the search then stays within the corpus, which is much cheaper
    than searching every stored view, and those rows come whole besides (the newest POOL). Without
    it, the search reads every row holding the terms and `stmt` alone keeps the scope."""
    within = outside is not None
    # Within a corpus, the query terms' counts (read once) also hold the corpus's row count.
    query = query_terms(text, tags) if within else None
    counts = term_counts(corpus, query) if within else None
    # A corpus of more rows than ALL_BELOW says the scope is large without scanning it (PostgreSQL
    # may read most stored views to find ALL_BELOW + 1 rows of a member's scope).
    if not within or counts.get(DOCUMENTS, 0) <= ALL_BELOW:
        few = db.session.scalars(stmt.with_only_columns(key).limit(ALL_BELOW + 1)).all()
        if len(few) <= ALL_BELOW:
            return read(stmt.order_by(key)), None
    query = query if within else query_terms(text, tags)
    counts = counts if within else term_counts(corpus, query)
    terms = rare_terms(corpus, query, counted_only=within, counts=counts)
    rows = search(stmt, terms, counts, corpus=corpus if within else None)
    if within and not isinstance(outside, False_):
        rows += read(stmt.where(outside).order_by(key.desc()).limit(POOL))
    if not rows:
        return [], None
    return rows, corpus_stats(corpus, (row[-1] for row in rows))


def search(stmt: Select, terms: Sequence[str], counts: dict[str, int], corpus: str | None = None) -> list:
    """The POOL rows of `stmt` (which joins MatchAnalysis) for the library to re-rank, from the
    query's rare `terms` (rarest first, as `rare_terms` chose them; `counts` their rows).

    The terms whose postings fit in POSTINGS_BUDGET are searched with ranking (rows holding more of
    them first). The terms beyond it, taken only to have three terms at least, are each held by
    more rows than the budget (a law every eighth need cites): ranking all of those costs more than
    it tells (PostgreSQL reads each row's tokens to rank it), so the newest of them fill what
    the ranked search left of the pool."""
    total, ranked, broad = 0, [], []
    for term in terms:
        total += counts.get(term, 0)
        (ranked if total <= POSTINGS_BUDGET else broad).append(term)
    rows = read(with_search(stmt, ranked, corpus=corpus)) if ranked else []
    if broad and len(rows) < POOL:
        rows += read(with_search(stmt, broad, POOL - len(rows), corpus, ranked=False, excluding=ranked))
    return rows


def with_search(stmt: Select, terms: Sequence[str], limit: int | None = None, corpus: str | None = None, *,
                ranked: bool = True, excluding: Sequence[str] = ()) -> Select:
    """`stmt` (which joins MatchAnalysis) limited to the `limit` (POOL) rows holding any of `terms`
    (and none of `excluding`): those holding most of them first, or with `ranked=False` the newest
    first; with `corpus`, among the rows that corpus counts."""
    limit, base = limit or POOL, stmt
    tokens = sorted({token(t) for t in terms})
    without = sorted({token(t) for t in excluding})
    if db.session.get_bind().dialect.name == "postgresql":
        expression = f"({' | '.join(tokens)})"
        if corpus:
            expression = f"{corpus_token(corpus)} & {expression}"
        if without:
            expression += f" & !({' | '.join(without)})"
        q = cast(expression, TSQUERY)
        stmt = stmt.where(MatchAnalysis.search.op("@@")(q))
        order = func.ts_rank(MatchAnalysis.search, q).desc() if ranked else MatchAnalysis.id.desc()
    else:
        expression = f"({' OR '.join(tokens)})"
        if corpus:
            expression = f"{corpus_token(corpus)} AND {expression}"
        if without:
            expression += f" NOT ({' OR '.join(without)})"
        stmt = (stmt.join(_fts, _fts.c.rowid == MatchAnalysis.id)
                .where(literal_column("match_fts").op("MATCH")(expression)))
        # Newest first in the index's own order, so that SQLite stops at `limit` matches.
        order = func.bm25(literal_column("match_fts")) if ranked else _fts.c.rowid.desc()
    # The rows are chosen by their ids alone, then read whole: sorting thousands of matches with
    # their stored analyses spilled PostgreSQL's sort to disk and cost SQLite its overflow pages.
    chosen = stmt.with_only_columns(MatchAnalysis.id).order_by(*((order, MatchAnalysis.id) if ranked else (order,)))
    chosen = chosen.limit(limit)
    return base.where(MatchAnalysis.id.in_(chosen.scalar_subquery())).order_by(MatchAnalysis.id)
