"""Secretariat pages for proposal packages, and the special-measure catalogue."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.needs.queries import needs_matching
from app.needs.similarity_queries import stored_groups
from app.permissions import staff_required
from app.web.forms import ActionForm, forward_and_back
from app.web.inputs import search_words, valid_id
from app.web.loaders import get_or_404
from app.web.markdown import attachment_disposition
from app.web.pagination import paginate
from app.web.submissions import redirect_once, submit_once
from app.web.versions import stale_save
from models import PackageStatus, ProposalPackage, RegulatoryNeed, SpecialMeasure, db
from models.needs import OPEN_STATUSES, PACKAGE_TRANSITIONS, package_needs

from . import export_services, package_services
from .blueprint import bp
from .forms import MeasureForm, PackageForm, PackageTransitionForm
from .labels import PACKAGE_STATUS_LABELS
from .permissions import visible_needs
from .services import NeedError


PICKER_RESULTS = 20  # needs a search on the package form offers at a time


def _packable():
    """The needs a package may take: open and visible to the secretariat member."""
    return visible_needs(current_user).where(RegulatoryNeed.status.in_(OPEN_STATUSES))


def _chosen_needs(raw_ids: list[str], package: ProposalPackage | None) -> list[RegulatoryNeed]:
    """The needs behind the ids the form sent: packable ones, and those already in the package."""
    ids = {int(i) for i in raw_ids if i.isdigit() and valid_id(int(i))}
    if not ids:
        return []
    found = {n.id: n for n in db.session.scalars(_packable().where(RegulatoryNeed.id.in_(ids)))}
    if package is not None:
        found.update({n.id: n for n in package.needs if n.id in ids})
    return sorted(found.values(), key=lambda n: n.id)


def _found_needs(q: str, chosen: list[RegulatoryNeed]) -> list[RegulatoryNeed]:
    """The first packable needs matching the search, leaving out those already chosen."""
    if not q:
        return []
    newest_first = (RegulatoryNeed.updated_at.desc(), RegulatoryNeed.id.desc())
    # The ids first, from the indexes alone, then their rows: SQLite sorted every open match with its
    # texts (ドローン at 100,000 needs: 118 ms; the ids alone, 6 ms).
    found = (_packable().with_only_columns(RegulatoryNeed.id).where(needs_matching(q, current_user))
             .where(RegulatoryNeed.id.not_in([n.id for n in chosen])).order_by(*newest_first).limit(PICKER_RESULTS))
    return list(db.session.scalars(select(RegulatoryNeed).where(RegulatoryNeed.id.in_(found)).order_by(*newest_first)))


@bp.route("/manage/packages/")
@staff_required
def package_list():
    stmt = select(ProposalPackage).order_by(ProposalPackage.updated_at.desc(), ProposalPackage.id.desc())
    page = paginate(stmt)
    need_counts = dict(db.session.execute(
        select(package_needs.c.package_id, func.count()).where(package_needs.c.package_id.in_([p.id for p in page.items]))
        .group_by(package_needs.c.package_id)).all()) if page.items else {}
    return render_template("needs/manage/packages.html", page=page, need_counts=need_counts, statuses=PACKAGE_STATUS_LABELS,
                           groups=stored_groups())


@bp.route("/manage/packages/new", methods=["GET", "POST"])
@bp.route("/manage/packages/<int:package_id>/edit", methods=["GET", "POST"])
@staff_required
def package_edit(package_id: int | None = None):
    """The package's needs are picked through search (`q`, the form's "Search" button posts back
    without saving, keeping what was typed), never from a list of every open need."""
    package = get_or_404(ProposalPackage, package_id) if package_id else None
    if request.method == "POST":
        requested = request.form.getlist("needs")
    else:
        requested = request.args.getlist("need") or [str(n.id) for n in (package.needs if package else [])]
    chosen = _chosen_needs(requested, package)
    q = search_words(request.values)
    found = _found_needs(q, chosen)
    form = PackageForm(obj=package, needs=[*chosen, *found])
    if request.method == "GET":
        form.needs.data = [str(n.id) for n in chosen]
    searching = "find" in request.form
    if not searching and form.validate_on_submit() and (package is None or not stale_save(form, package)):
        ticked = {int(i) for i in form.needs.data}

        def save() -> str:
            saved = package_services.save_package(current_user, package, form.title.data, form.proposal_text.data or "",
                                                  [n for n in chosen if n.id in ticked])
            return url_for("needs.package_detail", package_id=saved.id)

        try:  # a new package is created once per form key; an edit saves each time
            outcome = submit_once(form.submission_key.data if package is None else None, current_user, save)
        except NeedError as error:
            db.session.rollback()
            form.needs.errors = [str(error)]
        else:
            return redirect_once(outcome, _("Package saved."))
    return render_template("needs/manage/package_form.html", form=form, package=package, q=q, found=found,
                           searched=bool(q))


# Answers, re-requests and hearings alternate without going back; only DRAFT -> ... -> DECIDED is a line.
PACKAGE_RANK = {PackageStatus.DRAFT: 0, PackageStatus.SUBMITTED: 1, PackageStatus.ANSWERED: 2,
                PackageStatus.RE_REQUESTED: 2, PackageStatus.HEARING: 2, PackageStatus.DECIDED: 3}


def _package_transition_form(package: ProposalPackage) -> PackageTransitionForm:
    """The package's next steps, the most likely one preselected (packages never step back)."""
    forward = forward_and_back(package.status, PACKAGE_TRANSITIONS[package.status], PACKAGE_RANK)[0]
    return PackageTransitionForm(allowed=forward, data={"target": forward[0].value} if forward else None)


@bp.route("/manage/packages/<int:package_id>")
@staff_required
def package_detail(package_id: int):
    package = get_or_404(ProposalPackage, package_id)
    return render_template("needs/manage/package.html", package=package, statuses=PACKAGE_STATUS_LABELS,
                           form=_package_transition_form(package),
                           action_form=ActionForm())


@bp.route("/manage/packages/<int:package_id>/transition", methods=["POST"])
@staff_required
def package_transition(package_id: int):
    package = get_or_404(ProposalPackage, package_id)
    form = PackageTransitionForm(allowed=PACKAGE_TRANSITIONS[package.status])
    if form.validate_on_submit():
        try:
            package_services.advance_package(current_user, package, PackageStatus(form.target.data), form.note.data,
                                     submitted_on=form.submitted_on.data, submitted_to=form.submitted_to.data or "",
                                     answer=form.answer.data or "")
        except NeedError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Package status changed."), "success")
    else:
        flash(_("Choose the next step and write a note for it."), "error")
    return redirect(url_for("needs.package_detail", package_id=package.id))


@bp.route("/manage/packages/<int:package_id>/export.<fmt>")
@staff_required
def package_export(package_id: int, fmt: str):
    package = get_or_404(ProposalPackage, package_id)
    with force_locale("ja"):
        if fmt == "docx":
            return Response(export_services.package_docx(package), headers={
                "Content-Disposition": attachment_disposition(package.title, "docx", f"package-{package.id}")},
                mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if fmt == "pdf":
            return Response(export_services.package_pdf(package), mimetype="application/pdf",
                            headers={"Content-Disposition": f"attachment; filename=package-{package.id}.pdf"})
        if fmt == "csv":
            return Response(export_services.package_csv(package), mimetype="text/csv; charset=utf-8",
                            headers={"Content-Disposition": attachment_disposition(package.title, "csv",
                                                                                   f"package-{package.id}")})
    return Response(status=404)


@bp.route("/measures/")
def measures():
    """The special-measure catalogue (規制改革メニュー): public, searchable."""
    stmt = select(SpecialMeasure).where(SpecialMeasure.is_active).order_by(SpecialMeasure.code)
    if q := search_words(request.args):
        like = f"%{q}%"
        stmt = stmt.where(or_(SpecialMeasure.name_ja.ilike(like), SpecialMeasure.name_en.ilike(like),
                              SpecialMeasure.law.ilike(like), SpecialMeasure.summary.ilike(like)))
    return render_template("needs/measures.html", page=paginate(stmt))


@bp.route("/measures/<int:measure_id>")
def measure_detail(measure_id: int):
    return render_template("needs/measure.html", measure=get_or_404(SpecialMeasure, measure_id))


@bp.route("/manage/measures/new", methods=["GET", "POST"])
@bp.route("/manage/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@staff_required
def measure_edit(measure_id: int | None = None):
    measure = get_or_404(SpecialMeasure, measure_id) if measure_id else None
    form = MeasureForm(obj=measure)
    if form.validate_on_submit():
        measure = package_services.save_measure(current_user, measure, {n: getattr(form, n).data for n in package_services.MEASURE_FIELDS})
        if measure is None:
            form.code.errors = [_("This code is already in use.")]
        else:
            db.session.commit()
            flash(_("Special measure saved."), "success")
            return redirect(url_for("needs.measure_detail", measure_id=measure.id))
    return render_template("needs/manage/measure_form.html", form=form, measure=measure)
