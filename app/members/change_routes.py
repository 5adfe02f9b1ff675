"""An organisation's own page of change requests (sector, tier, status): ask, and follow the decision."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.permissions import require
from app.web.loaders import get_visible_or_404
from models import ChangeKind, Organisation, db

from .blueprint import bp
from .change_services import request_change, requests_of
from .forms import ChangeRequestForm
from .permissions import can_request_change, can_view_change_requests, can_view_organisation
from .services import MembershipError


@bp.route("/<int:organisation_id>/changes", methods=["GET", "POST"])
@login_required
def change_requests(organisation_id: int):
    org = get_visible_or_404(Organisation, organisation_id, current_user, can_view_organisation)
    require(can_view_change_requests(current_user, org))
    if request.method == "POST":
        require(can_request_change(current_user, org))
    form = ChangeRequestForm()
    if request.method == "GET":
        form.sector.data = org.sector.value
        form.category.data = org.category.value if org.category else ""
        form.tier.data = org.tier.value if org.tier else None
        form.status.data = org.status.value
    if form.validate_on_submit():
        try:
            request_change(current_user, org, ChangeKind(form.kind.data), form.requested_value(),
                           category=form.category.data or "", reason=form.reason.data)
        except MembershipError as error:
            form.kind.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Your request has been sent to the secretariat. Nothing changes until it is approved."), "success")
            return redirect(url_for("members.change_requests", organisation_id=org.id))
    return render_template("members/change_requests.html", org=org, form=form, requests=requests_of(org),
                           may_request=can_request_change(current_user, org))
