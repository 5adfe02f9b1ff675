"""Trial-request pages: list, submit, detail with messages, status changes, withdrawal, result report."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import entries_for
from app.members.labels import SUPPORT_LABELS_BY_VALUE
from app.permissions import is_staff, require
from app.trials.obstacle_services import can_open_need_from_trial
from app.web import uploads
from app.web.forms import ActionForm, choices, forward_and_back
from app.web.inputs import id_arg, search_words
from app.web.loaders import get_visible_or_404
from app.web.pagination import paginate
from app.web.registry import registry
from app.web.submissions import redirect_once, submit_once
from app.web.uploads import UploadRefused
from models import TRIAL_TRANSITIONS, TrialRequest, TrialRequestAttachment, TrialRequestStatus, WorkingGroup, db

from .blueprint import bp
from .forms import AdvanceForm, MessageForm, ResultForm, RouteForm, TrialAttachmentForm, TrialRequestForm
from .labels import ACTION_LABELS, STATUS_LABELS
from .permissions import (
    can_add_trial_attachment,
    can_advance_trial_request,
    can_edit_trial_request,
    can_read_trial_messages,
    can_report_trial_result,
    can_see_trial_attachments,
    can_submit_trial_request,
    can_view_trial_request,
    can_withdraw_trial_request,
    visible_trial_requests,
)
from .queries import requests_matching
from .services import (
    TrialRuleError,
    add_trial_attachment,
    advance_trial_request,
    attachment_path,
    post_trial_message,
    report_trial_result,
    route_trial_request,
    save_trial_draft,
    submit_trial_draft,
    submit_trial_request,
    update_trial_request,
    withdraw_trial_request,
)


def _load(request_id: int) -> TrialRequest:
    return get_visible_or_404(TrialRequest, request_id, current_user, can_view_trial_request)


@bp.route("/requests")
@login_required
def requests():
    q = search_words(request.args, limit=100)
    status = request.args.get("status", "")
    stmt = visible_trial_requests(current_user)
    if q:
        stmt = stmt.where(requests_matching(q))
    if (group := id_arg("group")) is not None:
        stmt = stmt.where(TrialRequest.group_id == group)
    if status in {s.value for s in TrialRequestStatus}:
        stmt = stmt.where(TrialRequest.status == TrialRequestStatus(status))
    page = paginate(stmt.order_by(TrialRequest.created_at.desc(), TrialRequest.id.desc())
                    .options(selectinload(TrialRequest.organisation)))
    return render_template("trials/requests.html", page=page, q=q, status=status, status_labels=STATUS_LABELS,
                           may_submit=can_submit_trial_request(current_user))


def _save(form: TrialRequestForm, trial_request: TrialRequest | None):
    """Save a draft, submit (a new request or a draft), or save changes to a sent request."""
    submit = not form.save_draft.data  # only the draft button keeps a request back
    if form.validate_on_submit() and (not submit or form.validate_for_submission()):
        values = form.values()
        sent_now = submit and (trial_request is None or trial_request.status == TrialRequestStatus.DRAFT)
        if trial_request is None:
            create = submit_trial_request if submit else save_trial_draft

            def create_once() -> str:
                made = create(current_user, **values)
                return url_for("trials.request_detail", request_id=made.id, saved=1)

            message = (_("Your field-trial request has been submitted. The secretariat will contact you.") if submit
                       else _("Draft saved. You can come back to it at any time."))
            return redirect_once(submit_once(form.submission_key.data, current_user, create_once), message)
        update_trial_request(current_user, trial_request, **values)
        if sent_now:
            submit_trial_draft(current_user, trial_request)
        db.session.commit()
        if trial_request.status == TrialRequestStatus.DRAFT:
            flash(_("Draft saved. You can come back to it at any time."), "success")
        elif sent_now:
            flash(_("Your field-trial request has been submitted. The secretariat will contact you."), "success")
        else:
            flash(_("Your changes have been saved."), "success")
        return redirect(url_for("trials.request_detail", request_id=trial_request.id, saved=1))
    return render_template("trials/request_form.html", form=form, trial_request=trial_request)


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    require(can_submit_trial_request(current_user))
    return _save(TrialRequestForm(), None)


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int):
    trial_request = _load(request_id)
    require(can_edit_trial_request(current_user, trial_request))
    return _save(TrialRequestForm(obj=trial_request), trial_request)


@bp.route("/requests/<int:request_id>/attachments", methods=["POST"])
@login_required
def upload_attachment(request_id: int):
    trial_request = _load(request_id)
    require(can_add_trial_attachment(current_user, trial_request))
    form = TrialAttachmentForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to attach."), "error")
        return redirect(url_for("trials.request_detail", request_id=request_id) + "#attachments")
    try:
        add_trial_attachment(current_user, trial_request, form.file.data)
    except UploadRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("The file has been attached."), "success")
    return redirect(url_for("trials.request_detail", request_id=request_id) + "#attachments")


@bp.route("/requests/<int:request_id>/attachments/<int:attachment_id>")
@login_required
def download_attachment(request_id: int, attachment_id: int):
    trial_request = _load(request_id)
    attachment = db.session.get(TrialRequestAttachment, attachment_id)
    if attachment is None or attachment.trial_request_id != trial_request.id \
            or not can_see_trial_attachments(current_user, trial_request):
        abort(404)
    return send_file(attachment_path(attachment), mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.original_name)


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    trial_request = _load(request_id)
    forward, back = forward_and_back(trial_request.status, TRIAL_TRANSITIONS[trial_request.status])
    advance_form = AdvanceForm(data={"status": forward[0].value} if forward else None)
    advance_form.status.choices = choices((s.value, STATUS_LABELS[s]) for s in forward)
    back_form = AdvanceForm(prefix="back")
    back_form.status.choices = choices((s.value, STATUS_LABELS[s]) for s in back)
    route_form = RouteForm(group_id=trial_request.group_id or 0)
    groups = db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.name_ja)) if is_staff(current_user) else []
    route_form.group_id.choices = choices([(0, "—")] + [(g.id, g.name_ja) for g in groups])
    return render_template(
        "trials/request.html", trial_request=trial_request, status_labels=STATUS_LABELS, action_labels=ACTION_LABELS,
        status_values={k.value: v for k, v in STATUS_LABELS.items()},
        support_labels=SUPPORT_LABELS_BY_VALUE,
        **registry().context_for("trial_request", current_user, trial_request),
        message_form=MessageForm(), advance_form=advance_form, back_form=back_form, route_form=route_form,
        action_form=ActionForm(),
        may_advance=can_advance_trial_request(current_user, trial_request),
        may_read_messages=can_read_trial_messages(current_user, trial_request),
        may_withdraw=can_withdraw_trial_request(current_user, trial_request),
        may_report=can_report_trial_result(current_user, trial_request),
        may_open_need=can_open_need_from_trial(current_user, trial_request),
        may_edit=can_edit_trial_request(current_user, trial_request),
        may_attach=can_add_trial_attachment(current_user, trial_request),
        may_see_files=can_see_trial_attachments(current_user, trial_request),
        attachment_form=TrialAttachmentForm(), max_mb=uploads.megabytes(uploads.max_bytes()),
        history=entries_for(trial_request) if can_read_trial_messages(current_user, trial_request) else [],
    )


@bp.route("/requests/<int:request_id>/status", methods=["POST"])
@login_required
def advance_request(request_id: int):
    trial_request = _load(request_id)
    require(can_advance_trial_request(current_user, trial_request))
    forward, back = forward_and_back(trial_request.status, TRIAL_TRANSITIONS[trial_request.status])
    going_back = request.args.get("back") == "1"  # the separate, confirmed form for going back
    form = AdvanceForm(prefix="back" if going_back else "")
    form.status.choices = choices((s.value, s.value) for s in TrialRequestStatus)
    if not form.validate_on_submit():
        abort(400)
    try:
        target = TrialRequestStatus(form.status.data)
        if target not in (back if going_back else forward):
            raise TrialRuleError(f"{target.value} is not a step {'back' if going_back else 'forward'}")
        advance_trial_request(current_user, trial_request, target)
    except TrialRuleError:
        flash(_("That status change is not allowed from the current status."), "error")
        return redirect(url_for("trials.request_detail", request_id=request_id))
    db.session.commit()
    flash(_("The status has been changed."), "success")
    return redirect(url_for("trials.request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>/route", methods=["POST"])
@login_required
def route_request(request_id: int):
    trial_request = _load(request_id)
    require(can_advance_trial_request(current_user, trial_request))
    form = RouteForm()
    form.group_id.choices = choices([(0, "—")] + [(g.id, g.name_ja) for g in db.session.scalars(select(WorkingGroup))])
    if not form.validate_on_submit():
        abort(400)
    route_trial_request(current_user, trial_request, db.session.get(WorkingGroup, form.group_id.data) if form.group_id.data else None)
    db.session.commit()
    flash(_("The request has been routed."), "success")
    return redirect(url_for("trials.request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@login_required
def withdraw_request(request_id: int):
    trial_request = _load(request_id)
    require(can_withdraw_trial_request(current_user, trial_request))
    withdraw_trial_request(current_user, trial_request)
    db.session.commit()
    flash(_("The request has been withdrawn."), "success")
    return redirect(url_for("trials.request_detail", request_id=request_id))


@bp.route("/requests/<int:request_id>/messages", methods=["POST"])
@login_required
def post_message(request_id: int):
    trial_request = _load(request_id)
    require(can_read_trial_messages(current_user, trial_request))
    form = MessageForm()
    back = url_for("trials.request_detail", request_id=request_id) + "#messages"
    if not form.validate_on_submit():
        flash(_("Write a message first."), "error")
        return redirect(back)

    def post() -> str:
        post_trial_message(current_user, trial_request, form.body.data.strip())
        return back

    return redirect_once(submit_once(form.submission_key.data, current_user, post), _("Your message has been sent."))


@bp.route("/requests/<int:request_id>/result", methods=["GET", "POST"])
@login_required
def report_result(request_id: int):
    trial_request = _load(request_id)
    require(can_report_trial_result(current_user, trial_request))
    form = ResultForm()
    if form.validate_on_submit():
        report_trial_result(current_user, trial_request, verified=form.verified.data.strip(), outcome=form.outcome.data.strip(),
                            data_shared=(form.data_shared.data or "").strip(), obstacles=(form.obstacles.data or "").strip())
        db.session.commit()
        flash(_("The trial is completed and its result report saved."), "success")
        return redirect(url_for("trials.request_detail", request_id=request_id))
    return render_template("trials/result_form.html", form=form, trial_request=trial_request)
