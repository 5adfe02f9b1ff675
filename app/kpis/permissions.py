"""Who may see and do what with KPIs: the secretariat reports and sets targets; named evaluators score
their year; a member organisation sees only its own activity page; everyone sees the opted-in figures."""
from __future__ import annotations

from sqlalchemy import Select, false, select

from models import Organisation, Role, db
from models.kpis import Evaluator


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_manage_kpis(user) -> bool:
    """Targets, hand-entered figures, weights, evaluators, the public opt-in and the reports: the secretariat."""
    return _authenticated(user) and user.is_staff


def can_score_evaluation(user, year: int) -> bool:
    """The secretariat, or a person named as an evaluator for that year."""
    if not _authenticated(user):
        return False
    if user.is_staff:
        return True
    return db.session.scalar(select(Evaluator.id).where(Evaluator.fiscal_year == year, Evaluator.user_id == user.id)) is not None


def visible_activity_organisations(user) -> Select:
    """Organisations whose activity page `user` may see: all for the secretariat, a member only its own."""
    stmt = select(Organisation)
    if not _authenticated(user):
        return stmt.where(false())
    if user.is_staff:
        return stmt
    if user.role == Role.MEMBER and user.organisation_id is not None:
        return stmt.where(Organisation.id == user.organisation_id)
    return stmt.where(false())


def can_view_organisation_activity(user, organisation: Organisation) -> bool:
    return db.session.scalar(visible_activity_organisations(user).where(Organisation.id == organisation.id)) is not None
