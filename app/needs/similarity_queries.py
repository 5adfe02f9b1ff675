"""Similarity for needs, in one small module so the implementation can be swapped: similar needs
for a draft (against what the viewer may see), special measures that may already give the relief,
and groups of similar needs for proposal packages. Backed by the `matching` library and the stored
analyses (app.core.analyses): candidates come from the database with the viewer's scope in the same SQL,
and the library re-ranks them from their stored analyses, never analysing more than the query."""
from __future__ import annotations

import logging
from collections import namedtuple
from dataclasses import dataclass, field

from flask_babel import get_locale, gettext
from sqlalchemy import and_, case, delete, false, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import False_, True_

from app.core import analyses
from app.core.analyses import View
from app.core.database import insert_on_conflict, read_only, write_transaction
from app.web.templating import localized
from matching import Candidate, Index, NeedIndex, Query
from matching.needs import group_pairs
from models import (
    Confidentiality,
    MatchAnalysis,
    NeedPair,
    NeedStatus,
    RegulatoryNeed,
    Role,
    SpecialMeasure,
    db,
    need_tags,
)
from models.needs import OPEN_STATUSES

from .permissions import need_details_visible, visible_needs

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 4000  # characters of a draft compared (a longer text adds little and costs much)
MIN_SCORE = 25.0  # below this a suggestion is noise (checked on the demo needs)
GROUP_THRESHOLD = 33.0  # the library's best-F1 duplicate threshold on its dev sets (matching/README.md)
FULL, SUMMARY, MEASURE = "need", "need_summary", "measure"
# Term counts per audience: the secretariat's corpus is every submitted need in full; members' and
# the public's only the summaries they may read, so that no hidden word weighs in their scores.
ALL_NEEDS, SHARED_NEEDS, PUBLIC_NEEDS = "need", "need:shared", "need:public"


@dataclass
class Suggestion:
    """One ranked suggestion with the reasons shown to the user."""

    id: int
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    summary: str = ""
    status: str = ""


def _need_text(need: RegulatoryNeed, full: bool) -> str:
    """What is compared: details only for viewers who may read them, else the summary."""
    parts = [need.law_name, need.law_article, need.public_summary]
    if full:
        parts += [need.business, need.obstacle, need.relief, need.interpretation]
    return " ".join(p for p in parts if p)


def _candidate(need: RegulatoryNeed, full: bool) -> Candidate:
    """`need`: a RegulatoryNeed or a row of NEED_COLUMNS."""
    return Candidate(id=str(need.id), kind="need", name=need.title, text=_need_text(need, full), tags=need_tags(need.tags))


def full_candidate(need: RegulatoryNeed) -> Candidate:
    """A need for the library with its full text, as the secretariat's pairs compare it."""
    return _candidate(need, True)


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


def _views(need: RegulatoryNeed) -> dict[str, View]:
    """A need is stored twice: in full (its organisation, the secretariat) and as its summary."""
    submitted = need.status != NeedStatus.DRAFT
    shared = []
    if submitted and need.confidentiality in (Confidentiality.PUBLIC, Confidentiality.MEMBERS):
        shared.append(SHARED_NEEDS)
    if submitted and need.confidentiality == Confidentiality.PUBLIC:
        shared.append(PUBLIC_NEEDS)
    return {FULL: View(_candidate(need, True), (ALL_NEEDS,) if submitted else ()),
            SUMMARY: View(_candidate(need, False), tuple(shared))}


def _measure_candidate(measure: SpecialMeasure) -> Candidate:
    return Candidate(id=str(measure.id), kind="measure", name=measure.name_ja,
                     text=" ".join((measure.name_en, measure.law, measure.summary)),
                     tags=[t for t in measure.field_tags.split(";") if t])


analyses.register_model(RegulatoryNeed, (FULL, SUMMARY), _views)
analyses.register_model(SpecialMeasure, (MEASURE,), lambda m: {MEASURE: View(_measure_candidate(m))})


def corpus_of(viewer) -> str:
    """The corpus of the needs `viewer` sees besides their own organisation's (see `visible_needs`)."""
    if getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return ALL_NEEDS
    if getattr(viewer, "is_authenticated", False) and viewer.role == Role.MEMBER:
        return SHARED_NEEDS
    return PUBLIC_NEEDS


def _retrievable(viewer, exclude_id: int | None):
    """The viewer's submitted needs joined to the stored view they may read (full or summary)."""
    details = need_details_visible(viewer)
    if isinstance(details, (True_, False_)):  # the secretariat, the public: one view for all
        view = MatchAnalysis.kind == (FULL if isinstance(details, True_) else SUMMARY)
    elif db.session.get_bind().dialect.name == "sqlite":
        # One equality: with the OR below, SQLite scans both kinds' index even to read 200 rows by id.
        view = MatchAnalysis.kind == case((details, FULL), else_=SUMMARY)
    else:  # PostgreSQL joins by id with the OR, but hashes every need with the CASE (twice as slow)
        view = or_(and_(details, MatchAnalysis.kind == FULL), and_(~details, MatchAnalysis.kind == SUMMARY))
    stmt = (visible_needs(viewer).where(RegulatoryNeed.status != NeedStatus.DRAFT)
            .join(MatchAnalysis, and_(MatchAnalysis.item_id == RegulatoryNeed.id, view)))
    if exclude_id:
        stmt = stmt.where(RegulatoryNeed.id != exclude_id)
    return stmt


def _outside_corpus(viewer):
    """The viewer's needs that their corpus does not count: their own organisation's, read in full
    (none for the secretariat, whose corpus is every submitted need in full)."""
    if getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return false()
    return need_details_visible(viewer)


# What similarity reads of a need: plain rows of these columns, not ORM objects (200 needs a
# suggestion; as entities, their loading was a sixth of the curation page at 100,000 needs).
NEED_COLUMNS = (RegulatoryNeed.id, RegulatoryNeed.title, RegulatoryNeed.tags, RegulatoryNeed.status,
                RegulatoryNeed.law_name, RegulatoryNeed.law_article, RegulatoryNeed.public_summary,
                RegulatoryNeed.business, RegulatoryNeed.obstacle, RegulatoryNeed.relief, RegulatoryNeed.interpretation)
_NeedRow = namedtuple("_NeedRow", [column.key for column in NEED_COLUMNS])


def _retrieve(stmt, corpus: str, query: str, tags: list[str], outside):
    """(need as a row of NEED_COLUMNS, is full view, stored analysis) rows of `stmt` for the library
    to rank, and the corpus's term counts (see `analyses.retrieve`)."""
    stmt = stmt.with_only_columns(*NEED_COLUMNS, MatchAnalysis.kind, MatchAnalysis.analysis)
    rows, stats = analyses.retrieve(stmt, RegulatoryNeed.id, corpus, query, tags, outside=outside)
    return [(_NeedRow._make(row[:-2]), row[-2] == FULL, row[-1]) for row in rows], stats


def retrieve_needs(viewer, query: str, tags: list[str], exclude_id: int | None = None):
    """The viewer's candidates for a draft (see `_retrieve`)."""
    return _retrieve(_retrievable(viewer, exclude_id), corpus_of(viewer), query, tags, _outside_corpus(viewer))


def _ranked(rows, corpus, query: str, tags: list[str], limit: int):
    index = NeedIndex.build([_candidate(n, full) for n, full, _ in rows], analyzer=analyses.analyzer(),
                            analyses=[a for _, _, a in rows], corpus=corpus)
    return index.similar_to(query, tags=tags, limit=limit)


def similar_needs(viewer, text: str, *, tags: str = "", law: str = "", exclude_id: int | None = None,
                  limit: int = 5) -> list[Suggestion]:
    """Needs the viewer may see that look like the draft, best first. Needs whose details the
    viewer may not read are compared on their title, tags, law and public summary only."""
    query = " ".join(p for p in (text, law) if p).strip()[:MAX_QUERY_LENGTH]
    if len(query) < 3:
        return []
    tag_list = need_tags(tags)[:20]
    rows, corpus = retrieve_needs(viewer, query, tag_list, exclude_id)
    if not rows:
        return []
    needs = {n.id: (n, full) for n, full, _ in rows}
    found = []
    for result in _ranked(rows, corpus, query, tag_list, limit):
        if result.score < MIN_SCORE or not result.reasons.components.get("text"):
            continue
        need, full = needs[int(result.id)]
        summary = need.public_summary or (need.relief if full else "")
        found.append(Suggestion(need.id, need.title, result.score, _explain(result.reasons.to_dict()), summary[:200],
                                need.status.value))
    return found


def matching_measures(text: str, *, law: str = "", limit: int = 5) -> list[Suggestion]:
    """Active special-zone measures (規制改革メニュー) that may already give the relief."""
    query = " ".join(p for p in (text, law) if p).strip()[:MAX_QUERY_LENGTH]
    if len(query) < 3:
        return []
    rows = db.session.execute(
        select(SpecialMeasure, MatchAnalysis.analysis).join(
            MatchAnalysis, and_(MatchAnalysis.item_id == SpecialMeasure.id, MatchAnalysis.kind == MEASURE))
        .where(SpecialMeasure.is_active).order_by(SpecialMeasure.id)).all()
    if not rows:
        return []
    measures = {m.id: m for m, _ in rows}
    index = Index.build([_measure_candidate(m) for m, _ in rows], analyzer=analyses.analyzer(),
                        analyses=[a for _, a in rows])
    found = []
    for result in index.rank(Query(text=query), limit=limit):
        if result.score < MIN_SCORE:
            continue
        measure = measures[int(result.id)]
        # The catalogue's summaries are in English only: a Japanese reader gets the measure's law instead.
        english = str(get_locale() or "ja") == "en"
        detail = measure.summary if english and measure.summary else measure.law
        found.append(Suggestion(measure.id, f"{measure.code} {localized(measure)}", result.score,
                                _explain(result.reasons.to_dict()), detail[:200]))
    return found


def suggested_groups(needs: list[RegulatoryNeed], threshold: float = GROUP_THRESHOLD) -> list[list[RegulatoryNeed]]:
    """Groups of similar needs among `needs` (connected near-duplicate pairs), largest first."""
    if len(needs) < 2:
        return []
    by_id = {str(n.id): n for n in needs}
    stored = dict(db.session.execute(select(MatchAnalysis.item_id, MatchAnalysis.analysis).where(
        MatchAnalysis.kind == FULL, MatchAnalysis.item_id.in_([n.id for n in needs]))).all())
    present = [n for n in needs if n.id in stored]
    pairs = NeedIndex.build([_candidate(n, True) for n in present], analyzer=analyses.analyzer(),
                            analyses=[stored[n.id] for n in present]).all_pairs(threshold)
    return [[by_id[m] for m in sorted(g["members"], key=int)] for g in group_pairs(pairs)]


# -- stored pairs for proposal packages ---------------------------------------------------------
PAIRS_PER_NEED = 20


def _pairs_of(need_id: int) -> dict[tuple[int, int], float] | None:
    """The similar pairs of one need among the open needs (None: the need is gone or closed)."""
    need = db.session.get(RegulatoryNeed, need_id)
    if need is None or need.status not in OPEN_STATUSES:
        return None
    stmt = (select(RegulatoryNeed).where(RegulatoryNeed.status.in_(OPEN_STATUSES), RegulatoryNeed.id != need_id)
            .join(MatchAnalysis, and_(MatchAnalysis.item_id == RegulatoryNeed.id, MatchAnalysis.kind == FULL)))
    query = f"{need.title} {_need_text(need, True)}"
    rows, corpus = _retrieve(stmt, ALL_NEEDS, query, need.tag_list, outside=false())  # open needs: all counted
    if not rows:
        return {}
    found = _ranked(rows, corpus, query, need.tag_list, PAIRS_PER_NEED)
    return {(min(need_id, int(r.id)), max(need_id, int(r.id))): r.score for r in found if r.score >= GROUP_THRESHOLD}


def update_pairs(need_ids: set[int]) -> None:
    """Recompute the stored similar pairs of these needs among the open needs (as the secretariat
    sees them: full texts); called after the change that moved them committed. The ranking runs
    without SQLite's write lock; only the delete and upsert hold it, briefly."""
    with read_only():
        found = {need_id: _pairs_of(need_id) for need_id in sorted(need_ids)}
    with write_transaction():
        for need_id, pairs in found.items():
            db.session.execute(delete(NeedPair).where(or_(NeedPair.need_a_id == need_id, NeedPair.need_b_id == need_id)))
            if pairs:
                # Upsert: a need submitted at the same moment (another worker) may have stored the same pair.
                stmt = insert_on_conflict(db.session.get_bind().dialect.name)(NeedPair)
                stmt = stmt.on_conflict_do_update(index_elements=["need_a_id", "need_b_id"],
                                                  set_={"score": stmt.excluded.score})
                db.session.execute(stmt, [{"need_a_id": a, "need_b_id": b, "score": s}
                                          for (a, b), s in sorted(pairs.items())])


analyses.after_commit(RegulatoryNeed, update_pairs)


def stored_groups(limit: int = 20) -> list[list[RegulatoryNeed]]:
    """Groups of similar open needs from the stored pairs, largest first (the first `limit`)."""
    a, b = aliased(RegulatoryNeed), aliased(RegulatoryNeed)
    pairs = db.session.execute(
        select(NeedPair.need_a_id, NeedPair.need_b_id).join(a, a.id == NeedPair.need_a_id)
        .join(b, b.id == NeedPair.need_b_id).where(a.status.in_(OPEN_STATUSES), b.status.in_(OPEN_STATUSES))).all()
    groups = group_pairs([(str(x), str(y)) for x, y in pairs])[:limit]
    wanted = {int(m) for g in groups for m in g["members"]}
    needs = {n.id: n for n in db.session.scalars(select(RegulatoryNeed).where(RegulatoryNeed.id.in_(wanted)))}
    return [[needs[int(m)] for m in sorted(g["members"], key=int)] for g in groups]
