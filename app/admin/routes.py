"""User administration pages."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.auth import services as accounts
from app.permissions import admin_required
from app.web.forms import ActionForm
from app.web.inputs import search_words
from app.web.loaders import get_or_404
from app.web.pagination import paginate
from models import Role, User, db

from .blueprint import bp
from .forms import ROLE_LABELS, ActiveForm, RoleForm


@bp.route("/users")
@admin_required
def users():
    q = search_words(request.args)
    stmt = select(User).order_by(User.id).options(selectinload(User.organisation))
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(User.email.ilike(like), User.name.ilike(like)))
    return render_template(
        "admin/users.html", page=paginate(stmt), q=q, role_labels=ROLE_LABELS, role_form=RoleForm(), action_form=ActionForm()
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id: int):
    user = get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            accounts.set_role(current_user, user, Role(form.role.data))
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The role of %(name)s is now %(role)s.", name=user.name, role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_active(user_id: int):
    user = get_or_404(User, user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    active = form.active.data == "1"
    try:
        accounts.set_account_active(current_user, user, active)
    except accounts.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Account enabled.") if active else _("Account disabled; its sessions have ended."), "success")
    return redirect(url_for("admin.users"))
