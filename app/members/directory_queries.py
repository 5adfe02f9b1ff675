"""The member directory: filters and fuzzy search over the same visible scope as the list and detail pages."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, case

from app.members.search_queries import Hit, SearchRecord, rank
from models import Organisation, OrganisationStatus, Sector, db

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


def search_record(organisation: Organisation) -> SearchRecord:
    return SearchRecord(id=organisation.id, fields={
        "name": f"{organisation.name_ja} {organisation.name_en}",
        "tags": " ".join(organisation.all_tags),
        "capabilities": organisation.capabilities,
        "municipality": organisation.municipality,
        "sector": SECTOR_WORDS[organisation.sector],
        "description": organisation.description,
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


def directory(user, query: DirectoryQuery) -> tuple[Select, dict[int, Hit]]:
    """The statement to paginate (ranked when there is a query) and the hits by id (what matched)."""
    stmt = filtered(user, query)
    if query.tag:
        # Tags are in JSON, which portable SQL cannot search: filter in Python over the scope.
        ids = [o.id for o in db.session.scalars(stmt) if query.tag in o.all_tags]
        stmt = filtered(user, query).where(Organisation.id.in_(ids))
    if not query.q.strip():
        return stmt.order_by(Organisation.name_ja, Organisation.id), {}
    records = [search_record(o) for o in db.session.scalars(stmt)]
    hits = rank(query.q, records)
    if not hits:
        return stmt.where(Organisation.id.is_(None)), {}
    order = case({hit.id: position for position, hit in enumerate(hits)}, value=Organisation.id)
    ranked = stmt.where(Organisation.id.in_([hit.id for hit in hits])).order_by(order)
    return ranked, {hit.id: hit for hit in hits}


def municipalities(user) -> list[str]:
    stmt = visible_organisations(user).where(Organisation.municipality != "")
    return sorted({o.municipality for o in db.session.scalars(stmt)})


def popular_tags(user, limit: int = 30) -> list[str]:
    counts: dict[str, int] = {}
    for organisation in db.session.scalars(visible_organisations(user).where(Organisation.status == OrganisationStatus.ACTIVE)):
        for tag in organisation.all_tags:
            counts[tag] = counts.get(tag, 0) + 1
    return [tag for tag, _n in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]]
