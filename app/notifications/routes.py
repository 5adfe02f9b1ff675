"""Notification pages."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.web.forms import ActionForm
from app.web.loaders import get_or_404
from app.web.pagination import paginate
from app.web.redirects import is_safe_path
from models import Notification, db

from . import services
from .blueprint import bp


@bp.route("/")
@login_required
def index():
    page = paginate(services.notifications_for(current_user))
    return render_template("notifications/index.html", page=page, render=services.render_message, form=ActionForm())


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    notification = get_or_404(Notification, notification_id)
    if notification.recipient_id != current_user.id:
        abort(404)
    services.mark_read(current_user, notification)
    db.session.commit()
    if is_safe_path(notification.link):
        return redirect(notification.link)
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))
