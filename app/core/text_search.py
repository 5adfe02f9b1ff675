"""The one text search behind the lists of needs, trial requests and sites: `text_matches(q, *columns)`.

Every word of the query must occur in at least one of the columns (case-insensitive on ASCII; LIKE
wildcards in the query are taken literally). With `stored=(kind, key)`, a word is looked for in the
row's stored analysis of that kind instead (`analyses.items_holding`: the full-text index, so a
search costs the rows it finds, not a scan of every row): its own terms must all be there, in either
language ("drone" finds ドローン). A word the analyser finds no term in (a number, a particle) is
still looked for in the columns.
"""
from __future__ import annotations

import logging

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from . import analyses

log = logging.getLogger(__name__)

MAX_WORDS = 8  # a longer query is cut: each word is one more condition on every row
MAX_WORD_LENGTH = 100


def query_words(q: str) -> list[str]:
    words = [w[:MAX_WORD_LENGTH] for w in (q or "").replace("\x00", "").split()]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def single_term(q: str) -> str | None:
    """The one analysed term every word of `q` stands for (a one-word search such as ドローン), or
    None: no words, a word looked for in the columns, or words of more than one term."""
    terms: set[str] = set()
    for word in query_words(q):
        word_terms = analyses.word_terms(word)
        if not word_terms:
            return None
        terms.update(word_terms)
    return terms.pop() if len(terms) == 1 else None


def text_matches(q: str, *columns, stored: tuple[str, ColumnElement] | None = None,
                 row_by_row: bool = False) -> ColumnElement[bool]:
    """A WHERE condition: every word of `q` in one of `columns` (true for an empty query), or with
    `stored` (the analysis kind, the rows' id column) in the rows' stored analyses of that kind,
    tested `row_by_row` when the caller knows its words are common (`analyses.item_holds`)."""
    words = query_words(q)
    if not words:
        return true()
    if not columns:
        return false()
    conditions, analysed = [], []
    for word in words:
        terms = analyses.word_terms(word) if stored else []
        if terms:
            analysed.extend(terms)
        else:
            conditions.append(or_(*(column.ilike(f"%{_escaped(word)}%", escape="\\") for column in columns)))
    if analysed:
        kind, key = stored
        conditions.append(analyses.item_holds(kind, analysed, key) if row_by_row
                          else key.in_(analyses.items_holding(kind, analysed)))
    return and_(*conditions)
