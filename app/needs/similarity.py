"""Similarity for needs, in one small module so the implementation can be swapped: similar needs
for a draft (against what the viewer may see), special measures that may already give the relief,
and groups of similar needs for proposal packages. Character bigrams over NFKC-normalised text,
a few synonyms, and rapidfuzz for law names."""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations

from flask_babel import gettext
from rapidfuzz import fuzz
from sqlalchemy import select

from models import NeedStatus, RegulatoryNeed, SpecialMeasure, db

from .permissions import can_see_need_details, visible_needs

log = logging.getLogger(__name__)

# Spelling variants that should meet (ドローン / UAV / 無人航空機 ...): each maps to one form.
SYNONYMS = {
    "uav": "ドローン", "drone": "ドローン", "無人航空機": "ドローン", "無人機": "ドローン",
    "目視外": "目視外飛行", "bvlos": "目視外飛行", "レベル4": "目視外飛行",
    "rocket": "ロケット", "hydrogen": "水素", "visa": "在留資格", "ビザ": "在留資格", "査証": "在留資格",
    "offshore wind": "洋上風力", "洋上風力発電": "洋上風力", "外国籍船": "外国船舶", "foreign-flagged": "外国船舶",
    "english": "英語", "高圧ガス保安法": "高圧ガス保安法", "火薬類取締法": "火薬類取締法",
}
_SPACE = re.compile(r"\s+")
MIN_SCORE = 18.0


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    for variant, canonical in SYNONYMS.items():
        text = text.replace(variant, canonical)
    return _SPACE.sub(" ", text).strip()


def _bigrams(text: str) -> set[str]:
    compact = normalise(text).replace(" ", "")
    return {compact[i:i + 2] for i in range(len(compact) - 1)}


@dataclass
class Suggestion:
    """One ranked suggestion with the reasons shown to the user."""

    id: int
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    summary: str = ""
    status: str = ""


def _text_score(query: set[str], other: set[str]) -> float:
    if not query or not other:
        return 0.0
    shared = len(query & other)
    containment = shared / len(query)
    dice = 2 * shared / (len(query) + len(other))
    return 100.0 * (0.6 * containment + 0.4 * dice)


def _same_law(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    return bool(a and b) and (a in b or b in a or fuzz.ratio(a, b) >= 85)


def _need_text(need: RegulatoryNeed, full: bool) -> str:
    parts = [need.title, need.tags, need.law_name, need.public_summary]
    if full:
        parts += [need.business, need.obstacle, need.relief, need.interpretation]
    return " ".join(p for p in parts if p)


def _score(text: str, tags: str, law: str, other_text: str, other_tags: list[str], other_law: str,
           ) -> tuple[float, list[str]]:
    base = _text_score(_bigrams(text), _bigrams(other_text))
    reasons = []
    if base >= MIN_SCORE:
        reasons.append(gettext("Similar wording (%(score)s%%)", score=round(base)))
    bonus = 0.0
    if law and _same_law(law, other_law):
        bonus += 20
        reasons.append(gettext("Same law: %(law)s", law=other_law))
    mine = {normalise(t) for t in re.split(r"[,、]", tags or "") if t.strip()}
    shared = sorted(mine & {normalise(t) for t in other_tags})
    if shared:
        bonus += 10 * min(len(shared), 2)
        reasons.append(gettext("Shared tags: %(tags)s", tags=", ".join(shared)))
    return min(100.0, base + bonus), reasons


def similar_needs(viewer, text: str, *, tags: str = "", law: str = "", exclude_id: int | None = None,
                  limit: int = 5) -> list[Suggestion]:
    """Needs the viewer may see that look like the draft, best first. Needs whose details the
    viewer may not read are compared on their title, tags, law and public summary only."""
    if len(normalise(text)) < 4:
        return []
    stmt = visible_needs(viewer).where(RegulatoryNeed.status != NeedStatus.DRAFT)
    if exclude_id:
        stmt = stmt.where(RegulatoryNeed.id != exclude_id)
    found = []
    for need in db.session.scalars(stmt):
        full = can_see_need_details(viewer, need)
        score, reasons = _score(text, tags, law, _need_text(need, full), need.tag_list, need.law_name)
        if score >= MIN_SCORE and reasons:
            summary = need.public_summary or (need.relief if full else "")
            found.append(Suggestion(need.id, need.title, round(score, 1), reasons, summary[:200], need.status.value))
    found.sort(key=lambda s: (-s.score, s.id))
    return found[:limit]


def matching_measures(text: str, *, law: str = "", limit: int = 5) -> list[Suggestion]:
    """Active special-zone measures (規制改革メニュー) that may already give the relief."""
    if len(normalise(text)) < 4:
        return []
    found = []
    for measure in db.session.scalars(select(SpecialMeasure).where(SpecialMeasure.is_active)):
        other = " ".join((measure.name_ja, measure.name_en, measure.law, measure.field_tags, measure.summary))
        score, reasons = _score(text, "", law, other, [], measure.law)
        if score >= MIN_SCORE and reasons:
            found.append(Suggestion(measure.id, f"{measure.code} {measure.name_ja}", round(score, 1), reasons,
                                    measure.summary[:200]))
    found.sort(key=lambda s: (-s.score, s.id))
    return found[:limit]


def suggested_groups(needs: list[RegulatoryNeed], threshold: float = 35.0) -> list[list[RegulatoryNeed]]:
    """Groups of similar needs (connected pairs above the threshold), largest first, for packages."""
    parent = {n.id: n.id for n in needs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in combinations(needs, 2):
        score, _ = _score(_need_text(a, True), a.tags, a.law_name, _need_text(b, True), b.tag_list, b.law_name)
        if score >= threshold:
            parent[find(a.id)] = find(b.id)
    groups: dict[int, list[RegulatoryNeed]] = {}
    for need in needs:
        groups.setdefault(find(need.id), []).append(need)
    result = [g for g in groups.values() if len(g) > 1]
    result.sort(key=lambda g: (-len(g), g[0].id))
    return result
