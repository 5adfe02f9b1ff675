"""Secretariat pages: the queue of sector, tier and status change requests, and the decision."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.permissions import staff_required
from app.web.loaders import get_or_404
from app.web.pagination import paginate
from models import ChangeRequest, db

from .blueprint import bp
from .change_services import approve_change, current_value, reject_change, request_queue
from .forms import DecideChangeForm
from .services import MembershipError


@bp.route("/manage/changes")
@staff_required
def change_queue():
    return render_template("members/manage/changes.html", page=paginate(request_queue()))


@bp.route("/manage/changes/<int:change_id>", methods=["GET", "POST"])
@staff_required
def change_request(change_id: int):
    change = get_or_404(ChangeRequest, change_id)
    form = DecideChangeForm()
    if form.validate_on_submit():
        try:
            if form.reject.data:
                reject_change(current_user, change, form.note.data or "")
            else:
                approve_change(current_user, change, form.note.data or "")
        except MembershipError as error:
            form.note.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The request has been decided and the organisation told."), "success")
            return redirect(url_for("members.change_queue"))
    return render_template("members/manage/change.html", change=change, form=form,
                           current=current_value(change.organisation, change.kind))
