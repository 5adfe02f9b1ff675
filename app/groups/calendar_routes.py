"""Calendar subscription pages and the private iCalendar feed URLs."""
from __future__ import annotations

import logging

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.web.forms import ActionForm
from app.web.loaders import get_or_404, get_visible_or_404
from models import CalendarFeedToken, WorkingGroup, db

from . import calendar_services as feeds
from . import permissions as perms
from .blueprint import bp
from .forms import FeedTokenForm

log = logging.getLogger(__name__)


@bp.route("/calendar")
@login_required
def calendar_settings():
    group_ids = {m.group_id for m in perms.active_memberships_of(current_user)}
    groups = [db.session.get(WorkingGroup, gid) for gid in sorted(group_ids)]
    personal = feeds.active_tokens(current_user)
    by_group = {g.id: feeds.active_tokens(current_user, g) for g in groups}
    return render_template("groups/calendar.html", groups=groups, personal=personal, by_group=by_group,
                           action_form=ActionForm(), new_url=request.args.get("new_url"))


@bp.route("/calendar/tokens", methods=["GET", "POST"])
@login_required
def create_token():
    if request.method == "GET":  # e.g. the language switch returning to this page: the token is shown only once
        return redirect(url_for("groups.calendar_settings"))
    form = FeedTokenForm()
    if not form.validate_on_submit():
        abort(400)
    group = None
    group_id = form.group_id.data
    if group_id:
        group = get_visible_or_404(WorkingGroup, group_id, current_user, perms.can_view_members_only)
    _row, token = feeds.create_feed_token(current_user, group)
    db.session.commit()
    url = current_app.config["BASE_URL"] + url_for("groups.feed", token=token)
    flash(_("Your new calendar address is below. Copy it now: it is shown only once."), "success")
    return render_template("groups/calendar_token.html", url=url, group=group)


@bp.route("/calendar/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    row = get_or_404(CalendarFeedToken, token_id)
    if row.user_id != current_user.id:
        abort(404)
    feeds.revoke_feed_token(current_user, row)
    db.session.commit()
    flash(_("The calendar address was revoked; calendar apps using it stop receiving meetings."), "success")
    return redirect(url_for("groups.calendar_settings"))


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    found = feeds.feed_for_token(token)
    if found is None:
        abort(404)
    name, meetings = found
    body = feeds.build_calendar(name, meetings, current_app.config["BASE_URL"])
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = "inline; filename=meetings.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
