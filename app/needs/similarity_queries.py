"""Similarity for needs, in one small module so the implementation can be swapped: similar needs
for a draft (against what the viewer may see), special measures that may already give the relief,
and groups of similar needs for proposal packages. Backed by the `matching` library (normalisation,
synonyms, Japanese/English analysis, TF-IDF index, near-duplicate pairs)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select

from app.core.indexes import build_index, build_need_index
from matching import Candidate, Query
from matching.needs import group_pairs
from models import NeedStatus, RegulatoryNeed, SpecialMeasure, db

from .permissions import can_see_need_details, visible_needs

log = logging.getLogger(__name__)

MIN_SCORE = 25.0  # below this a suggestion is noise (checked on the demo needs)
GROUP_THRESHOLD = 40.0  # the library's best-F1 duplicate threshold on its dev set


@dataclass
class Suggestion:
    """One ranked suggestion with the reasons shown to the user."""

    id: int
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    summary: str = ""
    status: str = ""


def split_tags(tags: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,、]", tags or "") if t.strip()]


def _need_text(need: RegulatoryNeed, full: bool) -> str:
    """What is compared: details only for viewers who may read them, else the summary."""
    parts = [need.law_name, need.law_article, need.public_summary]
    if full:
        parts += [need.business, need.obstacle, need.relief, need.interpretation]
    return " ".join(p for p in parts if p)


def _candidate(need: RegulatoryNeed, full: bool) -> Candidate:
    return Candidate(id=str(need.id), kind="need", name=need.title, text=_need_text(need, full), tags=need.tag_list)


def _explain(reasons: dict) -> list[str]:
    """The library's evidence (``Reasons.to_dict()`` or ``PairReasons.to_dict()``) as short sentences for people."""
    out = []
    text = reasons.get("components", {}).get("text")
    if text:
        out.append(gettext("Similar wording (%(score)s%%)", score=round(100 * text)))
    if reasons.get("laws"):
        out.append(gettext("Same law: %(law)s", law=", ".join(reasons["laws"])))
    tags = reasons.get("tags_shared") or reasons.get("tags_matched")
    if tags:
        out.append(gettext("Shared tags: %(tags)s", tags=", ".join(tags)))
    terms = [t for t in (reasons.get("shared_terms") or reasons.get("matched_terms") or []) if len(t) > 1]
    if terms:
        out.append(gettext("Shared terms: %(terms)s", terms=", ".join(terms[:6])))
    return out


def similar_needs(viewer, text: str, *, tags: str = "", law: str = "", exclude_id: int | None = None,
                  limit: int = 5) -> list[Suggestion]:
    """Needs the viewer may see that look like the draft, best first. Needs whose details the
    viewer may not read are compared on their title, tags, law and public summary only."""
    query = " ".join(p for p in (text, law) if p).strip()
    if len(query) < 3:
        return []
    stmt = visible_needs(viewer).where(RegulatoryNeed.status != NeedStatus.DRAFT)
    if exclude_id:
        stmt = stmt.where(RegulatoryNeed.id != exclude_id)
    needs = {n.id: n for n in db.session.scalars(stmt)}
    if not needs:
        return []
    full = {i: can_see_need_details(viewer, n) for i, n in needs.items()}
    index = build_need_index([_candidate(n, full[i]) for i, n in needs.items()])
    found = []
    for result in index.similar_to(query, tags=split_tags(tags), limit=limit):
        if result.score < MIN_SCORE or not result.reasons.components.get("text"):
            continue
        need = needs[int(result.id)]
        summary = need.public_summary or (need.relief if full[need.id] else "")
        found.append(Suggestion(need.id, need.title, result.score, _explain(result.reasons.to_dict()), summary[:200],
                                need.status.value))
    return found


def matching_measures(text: str, *, law: str = "", limit: int = 5) -> list[Suggestion]:
    """Active special-zone measures (規制改革メニュー) that may already give the relief."""
    query = " ".join(p for p in (text, law) if p).strip()
    if len(query) < 3:
        return []
    measures = {m.id: m for m in db.session.scalars(select(SpecialMeasure).where(SpecialMeasure.is_active))}
    if not measures:
        return []
    index = build_index([Candidate(id=str(m.id), kind="measure", name=m.name_ja,
                                   text=" ".join((m.name_en, m.law, m.summary)),
                                   tags=[t for t in m.field_tags.split(";") if t]) for m in measures.values()])
    found = []
    for result in index.rank(Query(text=query), limit=limit):
        if result.score < MIN_SCORE:
            continue
        measure = measures[int(result.id)]
        found.append(Suggestion(measure.id, f"{measure.code} {measure.name_ja}", result.score,
                                _explain(result.reasons.to_dict()), measure.summary[:200]))
    return found


def suggested_groups(needs: list[RegulatoryNeed], threshold: float = GROUP_THRESHOLD) -> list[list[RegulatoryNeed]]:
    """Groups of similar needs (connected near-duplicate pairs), largest first, for packages."""
    if len(needs) < 2:
        return []
    by_id = {str(n.id): n for n in needs}
    pairs = build_need_index([_candidate(n, True) for n in needs]).all_pairs(threshold)
    return [[by_id[m] for m in sorted(g["members"], key=int)] for g in group_pairs(pairs)]
