"""Member pages: the directory, an organisation's profile, editing it, applying, and the public pages."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.members.directory_queries import DirectoryQuery, directory, municipalities, popular_tags
from app.permissions import require
from app.web.inputs import search_words
from app.web.loaders import get_visible_or_404
from app.web.pagination import paginate, paginate_ranked
from app.web.submissions import Outcome, redirect_once, submit_once
from app.web.versions import stale_save
from models import MembershipTier, Office, OfficeKind, Organisation, OrganisationStatus, Sector, db

from .blueprint import bp
from .change_services import save_profile
from .forms import ApplicationForm, ProfileForm
from .labels import template_labels
from .permissions import (
    can_apply_for_membership,
    can_browse_directory,
    can_edit_organisation,
    can_manage_colleagues,
    can_see_contacts,
    can_view_change_requests,
    can_view_colleagues,
    can_view_organisation,
    public_organisations,
    visible_colleagues,
)
from .services import MembershipError, last_rejection, open_application, status_history, submit_application


@bp.context_processor
def _labels():
    return template_labels()


def _enum_arg(enum_cls, name: str):
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/")
@login_required
def directory_page():
    require(can_browse_directory(current_user))
    query = DirectoryQuery(q=search_words(request.args), sector=_enum_arg(Sector, "sector"),
                           municipality=request.args.get("municipality", ""), tag=request.args.get("tag", ""))
    if current_user.is_staff and "status" in request.args:
        query.status = _enum_arg(OrganisationStatus, "status")
    stmt, hits = directory(current_user, query)
    page = paginate(stmt) if hits is None else paginate_ranked(stmt, list(hits), Organisation.id)
    # The popular tags are a way in for browsing; search results show what matched instead.
    tags = popular_tags(current_user) if not (query.q or query.tag) else []
    return render_template("members/directory.html", page=page, hits=hits or {}, query=query,
                           municipalities=municipalities(current_user), tags=tags)


@bp.route("/<int:organisation_id>")
@login_required
def organisation(organisation_id: int):
    org = get_visible_or_404(Organisation, organisation_id, current_user, can_view_organisation)
    colleagues = list(db.session.scalars(visible_colleagues(current_user, org)))
    return render_template(
        "members/organisation.html", org=org, colleagues=colleagues, show_contacts=can_see_contacts(current_user, org),
        show_emails=can_view_colleagues(current_user, org), can_edit=can_edit_organisation(current_user, org),
        can_manage=can_manage_colleagues(current_user, org), history=status_history(org) if current_user.is_staff else [],
        can_see_changes=can_view_change_requests(current_user, org),
    )


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    org = get_visible_or_404(Organisation, organisation_id, current_user, can_view_organisation)
    require(can_edit_organisation(current_user, org))
    form = ProfileForm()
    if request.method == "GET":
        form.fill_from(org)
        form.version.data = org.version
    if form.validate_on_submit() and not stale_save(form, org, stored=ProfileForm.stored_values(org)):
        asked = save_profile(current_user, org, form.profile())
        db.session.commit()
        flash(_("The profile has been saved."), "success")
        if asked is not None:
            flash(_("The new sector has been sent to the secretariat for approval; until then the current one stays."), "info")
            return redirect(url_for("members.change_requests", organisation_id=org.id))
        return redirect(url_for("members.organisation", organisation_id=org.id))
    return render_template("members/edit.html", org=org, form=form)


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply():
    org = current_user.organisation
    if org is None:
        abort(404)
    pending = open_application(org)
    if org.is_member or pending is not None or not can_apply_for_membership(current_user, org):
        if request.method == "POST":  # sent again (or twice at once): the status page is the first one's result
            return redirect_once(Outcome(url_for("members.apply"), created=False), "")
        return render_template("members/apply_status.html", org=org, pending=pending)
    form = ApplicationForm()
    if request.method == "GET":
        form.fill_from(org)
    if form.validate_on_submit():
        def send() -> str:
            submit_application(current_user, org, tier=MembershipTier(form.tier.data), profile=form.profile(),
                               message=form.message.data or "")
            return url_for("members.apply")

        try:
            outcome = submit_once(form.submission_key.data, current_user, send)
        except MembershipError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            return redirect_once(outcome, _("Thank you. Your application has been sent to the secretariat."))
    return render_template("members/apply.html", org=org, form=form, rejected=last_rejection(org))


@bp.route("/public")
def public_list():
    stmt = public_organisations().order_by(Organisation.sector, Organisation.name_ja)
    return render_template("members/public.html", page=paginate(stmt, per_page=100))


@bp.route("/governance")
def governance():
    today = date.today()
    rank = {kind: position for position, kind in enumerate(OfficeKind)}  # 会長, 副会長, 幹事
    current = [o for o in db.session.scalars(select(Office).order_by(Office.term_start, Office.id)) if o.is_current(today)]
    offices = sorted(current, key=lambda office: rank[office.kind])
    return render_template("members/governance.html", offices=offices)
