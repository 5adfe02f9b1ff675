"""Colleague pages: the organisation's people, invitations, removal, handing over the admin role."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.members.colleague_services import (
    accept_invitation as accept,
)
from app.members.colleague_services import (
    hand_over_admin,
    invite_colleague,
    pending_invitations,
    remove_colleague,
    revoke_invitation,
    usable_invitation,
)
from app.permissions import require
from app.web.forms import ActionForm
from app.web.loaders import get_or_404, get_visible_or_404
from models import Invitation, Organisation, User, db

from .blueprint import bp
from .forms import AcceptInvitationForm, InviteForm
from .permissions import can_manage_colleagues, can_view_colleagues, can_view_organisation, visible_colleagues
from .services import MembershipError


def _organisation_for_colleagues(organisation_id: int) -> Organisation:
    org = get_visible_or_404(Organisation, organisation_id, current_user, can_view_organisation)
    require(can_view_colleagues(current_user, org))
    return org


@bp.route("/<int:organisation_id>/colleagues", methods=["GET", "POST"])
@login_required
def colleagues(organisation_id: int):
    org = _organisation_for_colleagues(organisation_id)
    form = InviteForm()
    if form.validate_on_submit():
        require(can_manage_colleagues(current_user, org))
        try:
            invite_colleague(current_user, org, form.email.data)
        except MembershipError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("members.colleagues", organisation_id=org.id))
    people = list(db.session.scalars(visible_colleagues(current_user, org)))
    return render_template("members/colleagues.html", org=org, people=people, form=form, action_form=ActionForm(),
                           invitations=pending_invitations(org), can_manage=can_manage_colleagues(current_user, org))


def _colleague_action(organisation_id: int, user_id: int, service, done_message: str):
    org = _organisation_for_colleagues(organisation_id)
    require(can_manage_colleagues(current_user, org))
    colleague = get_or_404(User, user_id)
    if colleague.organisation_id != org.id:
        abort(404)
    try:
        service(current_user, org, colleague)
    except MembershipError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("members.colleagues", organisation_id=org.id))


@bp.route("/<int:organisation_id>/colleagues/<int:user_id>/remove", methods=["POST"])
@login_required
def remove(organisation_id: int, user_id: int):
    return _colleague_action(organisation_id, user_id, remove_colleague, _("The colleague has been removed."))


@bp.route("/<int:organisation_id>/colleagues/<int:user_id>/admin", methods=["POST"])
@login_required
def hand_over(organisation_id: int, user_id: int):
    return _colleague_action(organisation_id, user_id, hand_over_admin, _("The administrator role has been handed over."))


@bp.route("/<int:organisation_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke(organisation_id: int, invitation_id: int):
    org = _organisation_for_colleagues(organisation_id)
    require(can_manage_colleagues(current_user, org))
    invitation = get_or_404(Invitation, invitation_id)
    if invitation.organisation_id != org.id:
        abort(404)
    revoke_invitation(current_user, invitation)
    db.session.commit()
    flash(_("The invitation has been withdrawn."), "success")
    return redirect(url_for("members.colleagues", organisation_id=org.id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = usable_invitation(token)
    if invitation is None or current_user.is_authenticated:
        flash(_("This invitation link is invalid, expired or already used.") if invitation is None
              else _("Please log out before accepting an invitation."), "error")
        return redirect(url_for("main.home"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        locale = request.cookies.get("lang") if request.cookies.get("lang") in ("ja", "en") else "ja"
        try:
            user = accept(token, name=form.name.data, password=form.password.data, locale=locale)
        except MembershipError as error:
            flash(str(error), "error")
            return redirect(url_for("main.home"))
        db.session.commit()
        login_user(user)
        flash(_("Welcome! Your account has been created."), "success")
        return redirect(url_for("main.dashboard"))
    return render_template("members/accept_invitation.html", invitation=invitation, form=form)
