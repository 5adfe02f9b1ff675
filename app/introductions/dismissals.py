"""Candidates the secretariat marked "not relevant" (関係なし) for a trial request: folded on the
matcher page, and negative labels for learning the matcher's weights (app/introductions/learning.py)."""
from __future__ import annotations

from sqlalchemy import delete, select

from app.core import audit
from app.core.database import insert_on_conflict
from app.permissions import Refused
from models import MatchDismissal, TrialRequest, User, db, utcnow

from .candidates import ORGANISATION, SITE
from .permissions import can_run_matcher

KINDS = (SITE, ORGANISATION)


def dismiss_candidate(actor: User, trial_request: TrialRequest, kind: str, candidate_id: int) -> bool:
    """Mark a candidate not relevant for the request; whether the mark is new (a second click, or two
    people clicking at once, leaves the first mark: an upsert, so neither gets a unique violation)."""
    if not can_run_matcher(actor):
        raise Refused()
    if kind not in KINDS:
        raise ValueError(kind)
    stmt = (insert_on_conflict(db.session.get_bind().dialect.name)(MatchDismissal)
            .values(trial_request_id=trial_request.id, candidate_kind=kind, candidate_id=candidate_id,
                    user_id=actor.id, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["trial_request_id", "candidate_kind", "candidate_id"])
            .returning(MatchDismissal.id))  # no row back: it was there (rowcount is -1 on PostgreSQL)
    added = db.session.execute(stmt).scalar_one_or_none() is not None
    if added:
        audit.record("matcher.dismissed", trial_request, actor=actor, kind=kind, candidate_id=candidate_id)
    return added


def undo_dismissal(actor: User, trial_request: TrialRequest, kind: str, candidate_id: int) -> bool:
    """Take the "not relevant" mark back (the label goes with it); whether there was one."""
    if not can_run_matcher(actor):
        raise Refused()
    removed = db.session.execute(delete(MatchDismissal).where(
        MatchDismissal.trial_request_id == trial_request.id, MatchDismissal.candidate_kind == kind,
        MatchDismissal.candidate_id == candidate_id)).rowcount
    if removed:
        audit.record("matcher.dismissal_undone", trial_request, actor=actor, kind=kind, candidate_id=candidate_id)
    return bool(removed)


def dismissed_candidates(trial_request_id: int) -> set[tuple[str, int]]:
    """The (kind, id) of every candidate dismissed for the request, in one query."""
    return {tuple(row) for row in db.session.execute(select(MatchDismissal.candidate_kind, MatchDismissal.candidate_id)
                                  .where(MatchDismissal.trial_request_id == trial_request_id)).all()}
