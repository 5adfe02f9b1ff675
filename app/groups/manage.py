"""Secretariat pages: create, edit and archive groups; activity figures per fiscal year."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.fiscal import current_fiscal_year
from app.groups.activity_queries import activity_totals, group_activity
from app.permissions import staff_required
from app.web.loaders import get_or_404
from models import GroupAxis, GroupStatus, WorkingGroup, db

from . import services
from .blueprint import bp
from .forms import AXIS_LABELS, GroupForm, GroupStatusForm

log = logging.getLogger(__name__)


def _parents(exclude: WorkingGroup | None = None) -> list[WorkingGroup]:
    stmt = select(WorkingGroup).where(WorkingGroup.parent_id.is_(None)).order_by(WorkingGroup.id)
    return [g for g in db.session.scalars(stmt) if g is not exclude]


def _data(form: GroupForm) -> services.GroupData:
    return services.GroupData(
        name_ja=form.name_ja.data, name_en=form.name_en.data or "", axis=GroupAxis(form.axis.data),
        theme_tags=form.theme_tags.data or "", summary_ja=form.summary_ja.data, summary_en=form.summary_en.data or "",
        description=form.description.data or "", parent_id=form.parent_id.data or None,
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new_group():
    form = GroupForm(parents=_parents())
    if form.validate_on_submit():
        group = services.create_group(current_user, _data(form))
        db.session.commit()
        flash(_("The group %(name)s was created.", name=group.name_ja), "success")
        return redirect(url_for("groups.detail", group_id=group.id))
    return render_template("groups/manage/form.html", form=form, group=None)


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_group(group_id: int):
    group = get_or_404(WorkingGroup, group_id)
    form = GroupForm(obj=group, parents=_parents(exclude=group))
    if request.method == "GET":
        form.parent_id.data = group.parent_id or 0
        form.axis.data = group.axis.value
        form.theme_tags.data = "; ".join(group.tags)
    if form.validate_on_submit():
        services.update_group(current_user, group, _data(form))
        db.session.commit()
        flash(_("The group was saved."), "success")
        return redirect(url_for("groups.detail", group_id=group.id))
    return render_template("groups/manage/form.html", form=form, group=group)


@bp.route("/<int:group_id>/status", methods=["POST"])
@staff_required
def set_status(group_id: int):
    group = get_or_404(WorkingGroup, group_id)
    form = GroupStatusForm()
    if not form.validate_on_submit():
        abort(400)
    archive = form.status.data == GroupStatus.ARCHIVED.value
    services.set_group_status(current_user, group, GroupStatus.ARCHIVED if archive else GroupStatus.ACTIVE)
    db.session.commit()
    flash(_("The group was archived.") if archive else _("The group is active again."), "success")
    return redirect(url_for("groups.detail", group_id=group.id))


@bp.route("/activity")
@staff_required
def activity():
    current = current_fiscal_year()
    year = request.args.get("year", type=int) or current
    rows = group_activity(year)
    return render_template("groups/manage/activity.html", rows=rows, totals=activity_totals(rows), year=year,
                           years=list(range(current - 4, current + 1)), axis_labels=AXIS_LABELS)
