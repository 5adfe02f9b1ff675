"""The member directory: filters and fuzzy search over the same visible scope as the list and detail pages."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import JSON, Select, Text, and_, case, cast, false, func, select, true
from sqlalchemy.orm import aliased

from app.core import analyses
from app.members.search_queries import Hit, SearchRecord, rank
from matching import Index
from models import MatchAnalysis, Organisation, OrganisationStatus, Sector, db, tags_in

from .permissions import visible_organisations

# Words a searcher may type for a sector, in both languages.
SECTOR_WORDS = {
    Sector.INDUSTRY: "産 産業 企業 industry",
    Sector.ACADEMIA: "学 大学 研究 academia university",
    Sector.GOVERNMENT: "官 行政 自治体 government municipality",
    Sector.CITIZENS: "民 市民 NPO citizens",
    Sector.FINANCE: "金 金融 銀行 finance bank",
}


@dataclass
class DirectoryQuery:
    q: str = ""
    sector: Sector | None = None
    municipality: str = ""
    tag: str = ""
    status: OrganisationStatus | None = OrganisationStatus.ACTIVE


# Organisations keep one stored analysis (app.core.analyses), made from their name, description,
# capabilities and tags: the matcher ranks them as partners with it and the directory's search reads
# it. Its kind and the corpus that counts active members' terms are named here, where organisations
# belong; the matcher (app.introductions.candidates) registers the analysis under these names.
ORGANISATION_ANALYSIS, PARTNER_CORPUS = "organisation", "partner"
# The tags come as the column's JSON text, read once per distinct value (see `_tag_words`).
RECORD_COLUMNS = (Organisation.id, Organisation.name_ja, Organisation.name_en,
                  cast(Organisation.capability_tags, Text).label("capability_tags"),
                  Organisation.capabilities, Organisation.municipality, Organisation.sector, Organisation.description)


@functools.lru_cache(maxsize=16_384)
def _tag_words(capability_tags: str | None) -> str:
    return " ".join(tags_in(json.loads(capability_tags or "{}")))


# Organisations as search records, by (id, version, created_at): a search reads only the visible
# organisations' keys, and the fields of those it has not seen in this version. Every ORM update bumps
# `version` (models.base.Versioned) and organisations are never deleted; the creation time tells apart
# rows that got the same id in another database (a restored backup, the test suite's emptied tables).
_records: dict[tuple, SearchRecord] = {}
RECORDS_KEPT = 100_000  # beyond this many (old versions pile up), the memo starts again
READ_BATCH = 1_000  # ids per IN list
# (The creation time as the database writes it: converting 3,000 timestamps was a tenth of a search.)
RECORD_KEY = (Organisation.id, Organisation.version, cast(Organisation.created_at, Text).label("created"))


def search_records(stmt: Select) -> list[SearchRecord]:
    """The organisations `stmt` selects, as search records (fields read only for new ones or new versions)."""
    keys = [tuple(key) for key in db.session.execute(stmt.with_only_columns(*RECORD_KEY))]
    fresh: dict[int, SearchRecord] = {}
    missing = [key[0] for key in keys if key not in _records]
    for start in range(0, len(missing), READ_BATCH):
        batch = select(*RECORD_COLUMNS, *RECORD_KEY[1:]).where(Organisation.id.in_(missing[start:start + READ_BATCH]))
        for row in db.session.execute(batch):
            fresh[row.id] = search_record(row)
            if len(_records) >= RECORDS_KEPT:
                _records.clear()
            _records[(row.id, row.version, row.created)] = fresh[row.id]
    # An organisation edited between the two statements is taken as read by the second.
    return [fresh.get(key[0]) or _records[key] for key in keys]


def keep_every_record() -> int:
    """Every organisation as a search record, normalised, kept: done before gunicorn forks, so that
    its workers share them instead of each reading and normalising all organisations at its first
    search (3,000 organisations: about 170 ms)."""
    records = search_records(select(Organisation))
    for record in records:
        _ = record.normalised  # made now and kept with the record
    return len(records)


def search_record(row) -> SearchRecord:
    """One organisation (a row of RECORD_COLUMNS) as the search's plain fields."""
    return SearchRecord(id=row.id, fields={
        "name": f"{row.name_ja} {row.name_en}",
        "tags": _tag_words(row.capability_tags),
        "capabilities": row.capabilities,
        "municipality": row.municipality,
        "sector": SECTOR_WORDS[row.sector],
        "description": row.description,
    })


def filtered(user, query: DirectoryQuery) -> Select:
    """The visible organisations narrowed by the filters (not yet by the free-text query)."""
    stmt = visible_organisations(user)
    if query.status is not None:
        stmt = stmt.where(Organisation.status == query.status)
    if query.sector is not None:
        stmt = stmt.where(Organisation.sector == query.sector)
    if query.municipality:
        stmt = stmt.where(Organisation.municipality == query.municipality)
    return stmt


def directory(user, query: DirectoryQuery) -> tuple[Select, dict[int, Hit] | None]:
    """The visible organisations the filters leave, and with a query the hits by id, best first
    (what matched; `paginate_ranked` shows them in that order), else None (the list by name)."""
    stmt = filtered(user, query)
    if query.tag:
        tagged, kinds, tags = _tag_rows()
        stmt = stmt.where(Organisation.id.in_(select(tagged.id).join(kinds, true()).join(tags, true())
                                              .where(tags.c.value == query.tag)))
    if not query.q.strip():
        return stmt.order_by(Organisation.name_ja, Organisation.id), None
    # The words are looked for in every visible organisation's plain fields (normalised once per
    # version of the organisation); the meaning within the process's index of all partners when it is
    # current (active organisations are all partners), else in the stored analyses retrieved for the query.
    records = search_records(stmt)
    within = _index_of_partners() if _index_of_partners and query.status == OrganisationStatus.ACTIVE else None
    if within is not None:
        index, key = within
        hits = rank(query.q, records, within=index, key=key)
    else:
        analysed = stmt.with_only_columns(Organisation.id, MatchAnalysis.analysis).join(
            MatchAnalysis, and_(MatchAnalysis.item_id == Organisation.id, MatchAnalysis.kind == ORGANISATION_ANALYSIS))
        # Active organisations are all counted in the partner corpus (none outside it): the search stays within it.
        outside = false() if query.status == OrganisationStatus.ACTIVE else None
        pool, corpus = analyses.retrieve(analysed, Organisation.id, PARTNER_CORPUS, query.q, outside=outside)
        hits = rank(query.q, records, analyses=dict(pool), corpus=corpus)
    return stmt, {hit.id: hit for hit in hits}


IndexOfPartners = Callable[[], tuple[Index, Callable[[int], str]] | None]
# The process's index of all partners and the ids it gives organisations, when it is current (None
# otherwise): app.introductions.partner_index registers it (`rank_within`), as it builds on this module.
_index_of_partners: IndexOfPartners | None = None


def rank_within(index_of_partners: IndexOfPartners) -> None:
    """Let searches of active organisations rank their meaning within the index of all partners (every
    active organisation is in it, analysed as stored): no retrieval, no index built per search."""
    global _index_of_partners
    _index_of_partners = index_of_partners


def municipalities(user) -> list[str]:
    visible = visible_organisations(user).with_only_columns(Organisation.id)
    stmt = (select(Organisation.municipality).distinct().where(Organisation.municipality != "", Organisation.id.in_(visible))
            .order_by(Organisation.municipality))
    return list(db.session.scalars(stmt))


def _tag_rows():
    """(organisation alias, kinds, tags): one row per tag of an organisation, from the JSON column in SQL.

    `capability_tags` is {"technologies": [...], ...}: the kinds are unnested, then each kind's list.
    SQLite and PostgreSQL name these table functions differently; both evaluate them per row.
    """
    tagged = aliased(Organisation)
    if db.session.get_bind().dialect.name == "postgresql":
        kinds = func.json_each(tagged.capability_tags).table_valued("key", "value").alias("kinds")
        lists = case((func.json_typeof(kinds.c.value) == "array", kinds.c.value), else_=cast("[]", JSON))
        tags = func.json_array_elements_text(lists).table_valued("value").alias("tags")
    else:
        kinds = func.json_each(tagged.capability_tags).table_valued("value").alias("kinds")
        tags = func.json_each(kinds.c.value).table_valued("value").alias("tags")
    return tagged, kinds, tags


def popular_tags(user, limit: int = 30) -> list[str]:
    """The tags most active visible organisations carry (a GROUP BY over the unnested tags)."""
    visible = visible_organisations(user).where(Organisation.status == OrganisationStatus.ACTIVE).with_only_columns(Organisation.id)
    tagged, kinds, tags = _tag_rows()
    uses = func.count(tagged.id)
    stmt = (select(tags.c.value).select_from(tagged).join(kinds, true()).join(tags, true())
            .where(tagged.id.in_(visible)).group_by(tags.c.value).order_by(uses.desc(), tags.c.value).limit(limit))
    return [str(tag) for tag in db.session.scalars(stmt)]
