"""Hooks into shared pages: needs routed to a working group, the dashboard panel, and the
`flask needs load-reference` command that loads the laws and the special-measure catalogue."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.needs.reference_queries import load_reference_data
from app.web.registry import AssignedItem, AssignedSection, Panel
from models import NeedStatus, RegulatoryNeed, db

from .blueprint import bp
from .labels import STATUS_LABELS
from .permissions import can_create_need, visible_needs


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def needs_routed_to_group(group, user, limit: int) -> AssignedSection:
    stmt = visible_needs(user).where(RegulatoryNeed.group_id == group.id)
    newest = db.session.scalars(stmt.order_by(RegulatoryNeed.updated_at.desc(), RegulatoryNeed.id.desc()).limit(limit))
    items = [AssignedItem(_("Regulatory need"), n.title, url_for("needs.detail", need_id=n.id), str(STATUS_LABELS[n.status]))
             for n in newest]
    rest = url_for("needs.manage_list", group=group.id) if user.is_staff else url_for("needs.index", group=group.id)
    return AssignedSection(_("Regulatory needs"), _count(stmt), items, rest)


def needs_panel(user) -> Panel | None:
    if user.is_staff:
        received = _count(visible_needs(user).where(RegulatoryNeed.status == NeedStatus.RECEIVED))
        return Panel(_("Regulatory needs"), [(_("Needs board"), url_for("needs.board")),
                                             (_("Proposal packages"), url_for("needs.package_list"))],
                     count=received, order=30)
    if can_create_need(user):
        own = visible_needs(user).where(RegulatoryNeed.organisation_id == user.organisation_id)
        count = db.session.scalar(select(func.count()).select_from(own.subquery())) or 0
        drafts_first = case((RegulatoryNeed.status == NeedStatus.DRAFT, 0), else_=1)
        latest = db.session.scalars(own.order_by(drafts_first, RegulatoryNeed.id.desc()).limit(5))
        links = [(n.title, url_for("needs.detail", need_id=n.id), str(STATUS_LABELS[n.status])) for n in latest]
        links += [(_("Submit a regulatory need"), url_for("needs.new")), (_("Our needs"), url_for("needs.index", mine=1))]
        return Panel(_("Regulatory needs"), links, count=count, order=30)
    return None


@bp.cli.command("load-reference")
def load_reference_command() -> None:
    """Load (or update) the laws on file and the special-measure catalogue."""
    laws, measures = load_reference_data()
    db.session.commit()
    print(f"{laws} laws, {measures} special measures loaded.")
