"""State changes of the KPI domain: targets, hand-entered figures, evaluation weights, evaluators,
scores and the public opt-in. Each takes the actor, re-checks permission, audits, flushes, never commits."""
from __future__ import annotations

import logging
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import delete, select

from app.core import audit
from app.permissions import Refused, require
from models import User, db, utcnow
from models.kpis import EvaluationScore, EvaluationWeights, Evaluator, KpiManualValue, KpiTarget, PublicIndicator

from .labels import BY_KEY, MANUAL
from .permissions import can_manage_kpis, can_score_evaluation

log = logging.getLogger(__name__)

FIRST_YEAR, LAST_YEAR = 2000, 2100  # fiscal years the forms accept


class KpiError(Exception):
    """A rule of the KPI domain was broken; the message is translated and shown to the user."""


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise KpiError(gettext("Choose a fiscal year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))


def _check_indicator(key: str) -> None:
    if key not in BY_KEY:
        raise Refused(hidden=True)


def set_target(actor: User, indicator: str, year: int, value: Decimal | float | None) -> KpiTarget | None:
    """Set (or, with None, remove) the target of one indicator for one fiscal year."""
    require(can_manage_kpis(actor))
    _check_indicator(indicator)
    _check_year(year)
    row = db.session.scalar(select(KpiTarget).where(KpiTarget.indicator == indicator, KpiTarget.fiscal_year == year))
    old = row.value if row else None
    if value is None:
        if row is not None:
            db.session.delete(row)
    else:
        if row is None:
            row = KpiTarget(indicator=indicator, fiscal_year=year, value=float(value))
            db.session.add(row)
        row.value, row.set_by_id, row.set_at = float(value), actor.id, utcnow()
    audit.record("kpi.target_set", row if value is not None else None, actor=actor, indicator=indicator, year=year,
                 old=old, new=None if value is None else float(value))
    db.session.flush()
    return row if value is not None else None


def enter_manual_value(actor: User, indicator: str, year: int, value: Decimal | float, note: str) -> KpiManualValue:
    """A figure the data cannot give, with a note; who and when are kept on the row and in the audit trail."""
    require(can_manage_kpis(actor))
    if indicator not in {i.key for i in MANUAL}:
        raise Refused(hidden=True)
    _check_year(year)
    row = db.session.scalar(select(KpiManualValue).where(KpiManualValue.indicator == indicator,
                                                         KpiManualValue.fiscal_year == year))
    old = row.value if row else None
    if row is None:
        row = KpiManualValue(indicator=indicator, fiscal_year=year, value=0.0)
        db.session.add(row)
    row.value, row.note, row.entered_by_id, row.entered_at = float(value), note.strip(), actor.id, utcnow()
    db.session.flush()
    audit.record("kpi.manual_value", row, actor=actor, indicator=indicator, year=year, old=old, new=float(value))
    return row


def set_weights(actor: User, year: int, weights: tuple[int, int, int]) -> EvaluationWeights:
    require(can_manage_kpis(actor))
    _check_year(year)
    if any(w < 0 for w in weights) or not any(weights):
        raise KpiError(gettext("At least one weight must be above zero."))
    row = db.session.get(EvaluationWeights, year)
    if row is None:
        row = EvaluationWeights(fiscal_year=year)
        db.session.add(row)
    row.weight_i, row.weight_ii, row.weight_iii = weights
    row.set_by_id, row.set_at = actor.id, utcnow()
    audit.record("kpi.weights_set", None, actor=actor, year=year, weights=list(weights))
    db.session.flush()
    return row


def name_evaluator(actor: User, year: int, email: str) -> Evaluator:
    require(can_manage_kpis(actor))
    _check_year(year)
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active_account:
        raise KpiError(gettext("No active account has this e-mail address."))
    existing = db.session.scalar(select(Evaluator).where(Evaluator.fiscal_year == year, Evaluator.user_id == user.id))
    if existing is not None:
        return existing
    evaluator = Evaluator(fiscal_year=year, user_id=user.id, named_by_id=actor.id)
    db.session.add(evaluator)
    db.session.flush()
    audit.record("kpi.evaluator_named", evaluator, actor=actor, year=year, user_id=user.id)
    return evaluator


def remove_evaluator(actor: User, evaluator: Evaluator) -> None:
    require(can_manage_kpis(actor))
    audit.record("kpi.evaluator_removed", evaluator, actor=actor, year=evaluator.fiscal_year, user_id=evaluator.user_id)
    db.session.delete(evaluator)
    db.session.flush()


def score_evaluation(actor: User, year: int, scores: tuple[int, int, int], comments: tuple[str, str, str]) -> EvaluationScore:
    """The actor's own scores for the year (one sheet per evaluator, replaced when scored again)."""
    require(can_score_evaluation(actor, year))
    _check_year(year)
    if any(not 0 <= s <= 100 for s in scores):
        raise KpiError(gettext("Scores run from 0 to 100."))
    row = db.session.scalar(select(EvaluationScore).where(EvaluationScore.fiscal_year == year,
                                                          EvaluationScore.evaluator_id == actor.id))
    if row is None:
        row = EvaluationScore(fiscal_year=year, evaluator_id=actor.id)
        db.session.add(row)
    row.score_i, row.score_ii, row.score_iii = scores
    row.comment_i, row.comment_ii, row.comment_iii = (c.strip() for c in comments)
    row.updated_at = utcnow()
    db.session.flush()
    audit.record("kpi.evaluation_scored", row, actor=actor, year=year, scores=list(scores))
    return row


def publish_indicators(actor: User, keys: list[str]) -> set[str]:
    """Exactly these indicators appear on the public page from now on (none: the page is off)."""
    require(can_manage_kpis(actor))
    chosen = {k for k in keys if k in BY_KEY}
    current = set(db.session.scalars(select(PublicIndicator.indicator)))
    if chosen - current or current - chosen:
        db.session.execute(delete(PublicIndicator).where(PublicIndicator.indicator.not_in(chosen)))
        for key in sorted(chosen - current):
            db.session.add(PublicIndicator(indicator=key, published_by_id=actor.id))
        audit.record("kpi.public_set", None, actor=actor, added=sorted(chosen - current), removed=sorted(current - chosen))
    db.session.flush()
    return chosen
