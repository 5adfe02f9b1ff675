"""Secretariat pages: the application queue and decisions, membership status, offices (役員)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.permissions import staff_required
from app.web.forms import ActionForm, choices
from app.web.loaders import get_or_404
from app.web.pagination import paginate
from models import ApplicationStatus, MembershipApplication, Office, OfficeKind, Organisation, OrganisationStatus, db

from . import office_services
from .blueprint import bp
from .forms import OfficeForm, RejectForm, StatusForm
from .services import MembershipError, approve_application, change_membership_status, reject_application


@bp.route("/manage/applications")
@staff_required
def applications():
    stmt = select(MembershipApplication).order_by(
        (MembershipApplication.status != ApplicationStatus.SUBMITTED), MembershipApplication.created_at.desc())
    return render_template("members/manage/applications.html", page=paginate(stmt))


@bp.route("/manage/applications/<int:application_id>")
@staff_required
def application(application_id: int):
    item = get_or_404(MembershipApplication, application_id)
    return render_template("members/manage/application.html", item=item, action_form=ActionForm(), reject_form=RejectForm())


@bp.route("/manage/applications/<int:application_id>/approve", methods=["POST"])
@staff_required
def approve(application_id: int):
    item = get_or_404(MembershipApplication, application_id)
    try:
        approve_application(current_user, item)
    except MembershipError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(organisation)s is now a member.", organisation=item.organisation.name_ja), "success")
    return redirect(url_for("members.application", application_id=item.id))


@bp.route("/manage/applications/<int:application_id>/reject", methods=["POST"])
@staff_required
def reject(application_id: int):
    item = get_or_404(MembershipApplication, application_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            reject_application(current_user, item, form.reason.data)
        except MembershipError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The application has been rejected and the applicant told why."), "success")
            return redirect(url_for("members.applications"))
    else:
        flash(_("Please give a reason for the rejection."), "error")
    return redirect(url_for("members.application", application_id=item.id))


@bp.route("/manage/organisations/<int:organisation_id>/status", methods=["GET", "POST"])
@staff_required
def change_status(organisation_id: int):
    org = get_or_404(Organisation, organisation_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            change_membership_status(current_user, org, OrganisationStatus(form.status.data), form.reason.data)
        except MembershipError as error:
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The membership status has been changed."), "success")
            return redirect(url_for("members.organisation", organisation_id=org.id))
    return render_template("members/manage/status.html", org=org, form=form)


@bp.route("/manage/offices", methods=["GET", "POST"])
@staff_required
def offices():
    form = OfficeForm()
    members = db.session.scalars(select(Organisation).where(Organisation.status == OrganisationStatus.ACTIVE).order_by(Organisation.name_ja))
    form.organisation_id.choices = choices([(0, "—"), *((o.id, o.name_ja) for o in members)])
    if form.validate_on_submit():
        try:
            office_services.add_office(current_user, kind=OfficeKind(form.kind.data), person_name=form.person_name.data,
                       title=form.title.data or "", organisation_id=form.organisation_id.data,
                       term_start=form.term_start.data, term_end=form.term_end.data)
        except MembershipError as error:
            form.term_end.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The office has been recorded."), "success")
            return redirect(url_for("members.offices"))
    listed = db.session.scalars(select(Office).order_by(Office.term_start.desc(), Office.kind)).all()
    return render_template("members/manage/offices.html", form=form, offices=listed, action_form=ActionForm())


@bp.route("/manage/offices/<int:office_id>/delete", methods=["POST"])
@staff_required
def delete_office(office_id: int):
    office_services.delete_office(current_user, get_or_404(Office, office_id))
    db.session.commit()
    flash(_("The office has been deleted."), "success")
    return redirect(url_for("members.offices"))
