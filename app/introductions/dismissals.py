"""Candidates the secretariat marked "not relevant" (関係なし) for a trial request: folded on the
matcher page, and negative labels for learning the matcher's weights (app/introductions/learning.py)."""
from __future__ import annotations

from sqlalchemy import delete, select

from app.core import audit
from app.permissions import Refused
from models import MatchDismissal, TrialRequest, User, db

from .candidates import ORGANISATION, SITE
from .permissions import can_run_matcher

KINDS = (SITE, ORGANISATION)


def dismiss_candidate(actor: User, trial_request: TrialRequest, kind: str, candidate_id: int) -> MatchDismissal:
    """Mark a candidate not relevant for the request (again: the mark it has); flushes."""
    if not can_run_matcher(actor):
        raise Refused()
    if kind not in KINDS:
        raise ValueError(kind)
    existing = db.session.scalars(select(MatchDismissal).where(
        MatchDismissal.trial_request_id == trial_request.id, MatchDismissal.candidate_kind == kind,
        MatchDismissal.candidate_id == candidate_id)).first()
    if existing is not None:
        return existing
    dismissal = MatchDismissal(trial_request_id=trial_request.id, candidate_kind=kind, candidate_id=candidate_id,
                               user_id=actor.id)
    db.session.add(dismissal)
    db.session.flush()
    audit.record("matcher.dismissed", trial_request, actor=actor, kind=kind, candidate_id=candidate_id)
    return dismissal


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
