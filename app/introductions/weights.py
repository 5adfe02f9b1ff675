"""The component weights the matcher ranks trial requests with: the library's defaults, or the
weights `flask matcher learn --apply` stored (the newest `MatcherWeights` row; one without weights
means the defaults again). Read in one place, at most once per request."""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from app.core import audit
from matching import Weights
from matching.learning import component_weights, weights_from
from models import MatcherWeights, db


def current_row() -> MatcherWeights | None:
    return db.session.scalars(select(MatcherWeights).order_by(MatcherWeights.id.desc()).limit(1)).first()


def stored_weights() -> Weights:
    """The weights in force (cached on `g` for the rest of a web request: one query per page)."""
    if has_request_context() and "matcher_weights" in g:
        return g.matcher_weights
    row = current_row()
    weights = weights_from(row.weights) if row is not None and row.weights else Weights()
    if has_request_context():
        g.matcher_weights = weights
    return weights


def store_weights(weights: Weights | None, label_count: int, applied_by: str) -> MatcherWeights:
    """Put these weights in force (None: back to the library's defaults); flushes, never commits."""
    row = MatcherWeights(weights=component_weights(weights) if weights is not None else None,
                         label_count=label_count, applied_by=applied_by[:200])
    db.session.add(row)
    db.session.flush()
    audit.record("matcher.weights_reset" if weights is None else "matcher.weights_applied", row,
                 weights=row.weights, labels=label_count, applied_by=row.applied_by)
    if has_request_context():
        g.pop("matcher_weights", None)
    return row
