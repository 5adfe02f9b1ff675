"""The one text search behind the lists of needs, trial requests and sites: `text_matches(q, *columns)`.

Every word of the query must occur in at least one of the columns (case-insensitive on ASCII; LIKE
wildcards in the query are taken literally). One function on purpose: the stored-analysis retrieval
(full-text index) replaces its body without touching the pages that call it.
"""
from __future__ import annotations

import logging

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql.elements import ColumnElement

log = logging.getLogger(__name__)

MAX_WORDS = 8  # a longer query is cut: each word is one more condition on every row
MAX_WORD_LENGTH = 100


def query_words(q: str) -> list[str]:
    words = [w[:MAX_WORD_LENGTH] for w in (q or "").replace("\x00", "").split()]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_matches(q: str, *columns) -> ColumnElement[bool]:
    """A WHERE condition: every word of `q` in one of `columns` (true for an empty query)."""
    words = query_words(q)
    if not words:
        return true()
    if not columns:
        return false()
    return and_(*(or_(*(column.ilike(f"%{_escaped(w)}%", escape="\\") for column in columns)) for w in words))
