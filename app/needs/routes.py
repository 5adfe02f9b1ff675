"""The submitter's and visitor's pages: list, search, form with drafts, detail with timeline,
evidence files, similar-needs suggestions (JSON) and the CSV export."""
from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.needs.package_queries import package_progress
from app.permissions import require
from app.trials.obstacle_services import need_prefill_from_trial
from app.web import uploads
from app.web.forms import ActionForm
from app.web.inputs import id_arg, search_words, valid_id
from app.web.loaders import get_or_404, get_visible_or_404
from app.web.pagination import paginate
from app.web.submissions import redirect_once, submit_once
from app.web.uploads import UploadRefused
from app.web.versions import stale_save
from models import Law, NeedAttachment, NeedStatus, RegulatoryNeed, TrialRequest, db

from . import attachment_services, export_services, services, similarity_queries
from .blueprint import bp
from .forms import AttachmentForm, MessageForm, NeedForm
from .labels import STATUS_LABELS
from .permissions import (
    can_add_attachment,
    can_create_need,
    can_edit_need,
    can_see_need_details,
    can_talk_about_need,
    can_view_need,
    can_withdraw_need,
    visible_needs,
)
from .queries import list_count, needs_matching


def filtered_needs(args):
    """The visible needs, searched (?q=) and filtered (?status=), newest first."""
    stmt = visible_needs(current_user)
    if q := search_words(args):
        stmt = stmt.where(needs_matching(q, current_user))
    if (status := args.get("status")) in {s.value for s in NeedStatus}:
        stmt = stmt.where(RegulatoryNeed.status == NeedStatus(status))
    if (group := args.get("group", "")).isdigit() and valid_id(int(group)):
        stmt = stmt.where(RegulatoryNeed.group_id == int(group))
    if args.get("mine") and current_user.is_authenticated and current_user.organisation_id:
        stmt = stmt.where(RegulatoryNeed.organisation_id == current_user.organisation_id)
    return stmt.order_by(RegulatoryNeed.updated_at.desc(), RegulatoryNeed.id.desc())


@bp.route("/")
def index():
    page = paginate(filtered_needs(request.args), total=list_count(request.args, current_user))
    return render_template("needs/index.html", page=page, statuses=STATUS_LABELS,
                           can_create=can_create_need(current_user))


@bp.route("/export.csv")
@login_required
def export_csv():
    needs = list(db.session.scalars(filtered_needs(request.args)))
    return Response(export_services.needs_csv(needs, current_user), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=needs.csv"})


def _laws() -> list[Law]:
    return list(db.session.scalars(select(Law).order_by(Law.code)))


def _save(form: NeedForm, need: RegulatoryNeed | None):
    submit = bool(form.submit.data)
    if (form.validate_on_submit() and (need is None or not stale_save(form, need))
            and (not submit or form.validate_for_submission())):
        message = (_("Your need has been submitted. The secretariat will be in touch.") if submit
                   else _("Draft saved. You can come back to it at any time."))

        def save() -> str:
            saved = services.save_need(current_user, need, form.values(), submit=submit)
            return url_for("needs.detail", need_id=saved.id, saved=1)

        # A new need is created once per form key; an edit saves again each time.
        return redirect_once(submit_once(form.submission_key.data if need is None else None, current_user, save), message)
    return render_template("needs/form.html", form=form, need=need, laws=_laws())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(can_create_need(current_user))
    form = NeedForm(data=_prefill_from_trial(request.args.get("from_trial", type=int)) if request.method == "GET" else None)
    return _save(form, None)


def _prefill_from_trial(trial_request_id: int | None) -> dict[str, str] | None:
    """Values from a completed trial's obstacle (most needs surface in trials); 404 if not allowed."""
    if trial_request_id is None:
        return None
    values = need_prefill_from_trial(current_user, get_or_404(TrialRequest, trial_request_id))
    if not values:
        abort(404)
    return values


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    require(can_edit_need(current_user, need))
    form = NeedForm(obj=need)
    if request.method == "GET":
        form.stage.data = need.stage.value if need.stage else ""
        form.urgency.data, form.confidentiality.data = need.urgency.value, need.confidentiality.value
    return _save(form, need)


@bp.route("/<int:need_id>")
def detail(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    full = can_see_need_details(current_user, need)
    return render_template(
        "needs/detail.html", need=need, full=full, statuses=STATUS_LABELS,
        timeline=services.timeline(need, current_user) if full else [],
        packages=package_progress(need, current_user) if full else [],
        can_edit=can_edit_need(current_user, need), can_talk=can_talk_about_need(current_user, need),
        can_upload=can_add_attachment(current_user, need), can_withdraw=can_withdraw_need(current_user, need),
        message_form=MessageForm(), attachment_form=AttachmentForm(), action_form=ActionForm(),
        max_mb=uploads.megabytes(uploads.max_bytes()))


@bp.route("/<int:need_id>/withdraw", methods=["POST"])
@login_required
def withdraw(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    require(can_withdraw_need(current_user, need))
    services.withdraw_need(current_user, need)
    db.session.commit()
    flash(_("The need has been withdrawn."), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.route("/<int:need_id>/messages", methods=["POST"])
@login_required
def post_message(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    require(can_talk_about_need(current_user, need))
    form = MessageForm()
    back = url_for("needs.detail", need_id=need.id) + "#timeline"
    if not form.validate_on_submit():
        flash(_("The message is empty."), "error")
        return redirect(back)

    def send() -> str:
        services.send_message(current_user, need, form.body.data)
        return back

    return redirect_once(submit_once(form.submission_key.data, current_user, send), _("Message sent."))


@bp.route("/<int:need_id>/attachments", methods=["POST"])
@login_required
def upload(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    require(can_add_attachment(current_user, need))
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(_("Please choose a file."), "error")
        return redirect(url_for("needs.detail", need_id=need.id) + "#evidence")
    back = url_for("needs.detail", need_id=need.id) + "#evidence"

    def add() -> str:
        attachment_services.add_attachment(current_user, need, form.file.data)
        return back

    try:
        outcome = submit_once(form.submission_key.data, current_user, add)
    except UploadRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    return redirect_once(outcome, _("The file has been added."))


@bp.route("/<int:need_id>/attachments/<int:attachment_id>")
def download(need_id: int, attachment_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    attachment = db.session.get(NeedAttachment, attachment_id)
    if attachment is None or attachment.need_id != need.id or not can_see_need_details(current_user, need):
        abort(404)
    return send_file(attachment_services.stored_path(attachment), mimetype=attachment.content_type,
                     as_attachment=True, download_name=attachment.original_name)


@bp.route("/similar.json")
@login_required
def similar():
    """While typing: similar needs the user may see and special measures that may already help."""
    text = " ".join(request.args.get(k, "") for k in ("title", "business", "obstacle", "relief"))[:5000]
    tags, law = request.args.get("tags", "")[:300], request.args.get("law", "")[:200]
    exclude = id_arg("exclude")
    needs = similarity_queries.similar_needs(current_user, text, tags=tags, law=law, exclude_id=exclude)
    measures = similarity_queries.matching_measures(text, law=law)
    return jsonify(
        needs=[{**s.__dict__, "url": url_for("needs.detail", need_id=s.id),
                "status": str(STATUS_LABELS[NeedStatus(s.status)])} for s in needs],
        measures=[{**s.__dict__, "url": url_for("needs.measure_detail", measure_id=s.id)} for s in measures],
    )
