"""The corpora's term counts (`match_term_counts`) as each process keeps them between requests.

A page weighs the few hundred rows it retrieved by the corpus's counts of all their terms (2,000
terms for the matcher; 5 ms of SQL on PostgreSQL at 100,000 needs, and as long to read the rows).
The counts change only when a row of the corpus is saved, so each process keeps what it read, per
corpus, under the corpus's stamp: a row (`STAMP` as its term) that every change of the corpus's
counts sets to a new random number in the same transaction. A read asks for the stamp with the
terms it does not hold yet; a stamp other than the one kept means another request or server
changed the corpus, and the kept counts are read again. Counts are therefore exactly those of
the database at the moment of the read, as without the cache.
"""
from __future__ import annotations

import secrets
import threading
from typing import Iterable

from sqlalchemy import String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

from models import MatchTermCount, db

from .database import insert_on_conflict

STAMP = "\x1fstamp"  # a term no text has (the analyser never yields control characters)
KEPT = 25_000  # terms kept per corpus (about 4 MB; four corpora); past it the corpus starts again from the terms asked

_kept: dict[str, tuple[int, dict[str, int]]] = {}  # corpus -> (stamp, term -> rows; 0 for none)
_lock = threading.Lock()


def read(corpus: str, wanted: Iterable[str]) -> dict[str, int]:
    """Rows of `corpus` holding each wanted term that some row holds (terms held by none are left out)."""
    wanted = set(wanted)
    stamp, known = _kept.get(corpus, (None, {}))
    found = _select(corpus, [t for t in wanted if t not in known] + [STAMP])
    current = found.pop(STAMP, None)
    if current != stamp:  # changed since, or counts from before stamps (None: nothing is kept): read them all
        found |= _select(corpus, [t for t in wanted if t in known])
        known = {}
    counts = {**known, **{t: found.get(t, 0) for t in wanted if t not in known}}
    if current is not None:
        with _lock:
            _kept[corpus] = (current, counts if len(counts) <= KEPT else {t: counts[t] for t in wanted})
    return {t: counts[t] for t in wanted if counts[t]}


def _select(corpus: str, terms: list[str]) -> dict[str, int]:
    if not terms:
        return {}
    c = MatchTermCount.__table__.c
    if db.session.get_bind().dialect.name == "postgresql":  # one array, not thousands of parameters
        among = c.term == any_(bindparam("terms", sorted(terms), type_=ARRAY(String)))
    else:
        among = c.term.in_(sorted(terms))
    return dict(db.session.execute(select(c.term, c.documents).where(c.corpus == corpus, among)).all())


def restamp(connection: Connection, corpora: Iterable[str]) -> None:
    """Give these corpora new stamps (in the transaction that changed their counts)."""
    rows = [{"corpus": corpus, "term": STAMP, "documents": secrets.randbelow(2**31 - 1) + 1} for corpus in sorted(set(corpora))]
    if not rows:
        return
    insert = insert_on_conflict(connection.dialect.name)
    stmt = insert(MatchTermCount.__table__)
    connection.execute(stmt.on_conflict_do_update(index_elements=["corpus", "term"],
                                                  set_={"documents": stmt.excluded.documents}), rows)
