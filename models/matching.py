"""Matching state kept with the data: every analysable row's stored analysis (the `matching`
library's terms, as JSON, with search tokens for the database's full-text index), how many rows of
each corpus hold each term (the library's document frequencies), the analyser version the stored
analyses were made with, and the similar-need pairs that proposal packages are built from."""
from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import DDL, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from .base import db

# The search tokens: a tsvector on PostgreSQL (GIN-indexed); on SQLite the text an FTS5 table
# (`match_fts`, external content, kept in step by triggers) indexes.
SearchTokens = Text().with_variant(TSVECTOR(), "postgresql")


class AnalysisJSON(TypeDecorator):
    """`matching.Analysis.to_json()` kept as JSON text and read back as that dict, parsed once per
    row read (by orjson: a retrieval reads a few hundred analyses of 2-3 KB per request, and the
    standard library's parser took 45 µs each, orjson 12)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect) -> str | None:
        return None if value is None else orjson.dumps(value).decode()

    def process_result_value(self, value: str | None, dialect) -> dict[str, Any] | None:
        return None if value is None else orjson.loads(value)


class MatchAnalysis(db.Model):
    """The stored analysis of one view of a row: `kind` says which (need, need_summary, site,
    organisation, measure, request, challenge), `item_id` the row."""

    __tablename__ = "match_analyses"
    __table_args__ = (
        UniqueConstraint("kind", "item_id", name="uq_match_analyses_kind_item"),
        # A row's views by item: joins that pick the view by a condition (full for one's own needs,
        # else the summary) cannot use the unique index, which starts with the kind.
        Index("ix_match_analyses_item_kind", "item_id", "kind"),
        Index("ix_match_analyses_search", "search", postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(100))  # the analyser's version (synonyms, lexicon)
    digest: Mapped[str] = mapped_column(String(40))  # of the text analysed: unchanged text, no new analysis
    analysis: Mapped[dict[str, Any]] = mapped_column(AnalysisJSON)  # matching.Analysis.to_json()
    search = mapped_column(SearchTokens, nullable=False)  # hashed terms (see app.analyses.token)
    corpora: Mapped[str] = mapped_column(String(100), default="")  # space-separated: counted in these


class MatchTermCount(db.Model):
    """How many rows of a corpus (`need`, `need:shared`, `need:public`, `partner`) hold a term;
    the empty term counts the rows themselves."""

    __tablename__ = "match_term_counts"

    corpus: Mapped[str] = mapped_column(String(20), primary_key=True)
    term: Mapped[str] = mapped_column(String(200), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer, default=0)


class MatchState(db.Model):
    """Small shared facts of the matching state, e.g. the analyser version all rows were made with."""

    __tablename__ = "match_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")


class NeedPair(db.Model):
    """Two similar needs (a < b) scoring at least the grouping threshold, kept up to date when
    either changes: proposal packages group needs from these pairs."""

    __tablename__ = "need_pairs"

    need_a_id: Mapped[int] = mapped_column(ForeignKey("regulatory_needs.id", ondelete="CASCADE"), primary_key=True)
    need_b_id: Mapped[int] = mapped_column(ForeignKey("regulatory_needs.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    score: Mapped[float] = mapped_column(Float)


# SQLite: the FTS5 index over the search tokens (no positions: a token is a term, once per row).
FTS_SQLITE = (
    "CREATE VIRTUAL TABLE match_fts USING fts5(search, content='match_analyses', content_rowid='id', "
    "detail='none')",
    "CREATE TRIGGER match_analyses_fts_insert AFTER INSERT ON match_analyses BEGIN "
    "INSERT INTO match_fts(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER match_analyses_fts_delete AFTER DELETE ON match_analyses BEGIN "
    "INSERT INTO match_fts(match_fts, rowid, search) VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER match_analyses_fts_update AFTER UPDATE OF search ON match_analyses BEGIN "
    "INSERT INTO match_fts(match_fts, rowid, search) VALUES ('delete', old.id, old.search); "
    "INSERT INTO match_fts(rowid, search) VALUES (new.id, new.search); END",
)
FTS_SQLITE_DROP = ("DROP TRIGGER IF EXISTS match_analyses_fts_update", "DROP TRIGGER IF EXISTS match_analyses_fts_delete",
                   "DROP TRIGGER IF EXISTS match_analyses_fts_insert", "DROP TABLE IF EXISTS match_fts")

for _statement in FTS_SQLITE:
    event.listen(MatchAnalysis.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
# PostgreSQL: the tokens stay in the row, not in TOAST (see migration scale_03: retrieval checks
# rows one by one for common terms, and each out-of-line value cost three more page reads).
event.listen(MatchAnalysis.__table__, "after_create",
             DDL("ALTER TABLE match_analyses ALTER COLUMN search SET STORAGE MAIN").execute_if(dialect="postgresql"))
for _statement in FTS_SQLITE_DROP:
    event.listen(MatchAnalysis.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


def include_in_comparison(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's `include_object`: SQLite's FTS5 tables are not models, and the GIN index exists on
    PostgreSQL only (there it is compared like any index)."""
    if type_ == "table" and reflected and (name or "").startswith("match_fts"):
        return False
    if type_ == "index" and name == "ix_match_analyses_search" and not reflected and compare_to is None:
        return False
    return True
