"""Trial-request pages: list, submit, detail with messages, status changes, withdrawal, result report."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import entries_for
from app.core.text_search import text_matches
from app.members.labels import SUPPORT_LABELS_BY_VALUE
from app.permissions import is_staff, require
from app.trials.obstacle_services import can_open_need_from_trial
from app.web.forms import ActionForm, choices
from app.web.loaders import get_visible_or_404
from app.web.pagination import paginate
from app.web.registry import registry
from models import TRIAL_TRANSITIONS, TrialRequest, TrialRequestStatus, WorkingGroup, db

from .blueprint import bp
from .forms import AdvanceForm, MessageForm, ResultForm, RouteForm, TrialRequestForm
from .labels import ACTION_LABELS, STATUS_LABELS
from .permissions import (
    can_advance_trial_request,
    can_read_trial_messages,
    can_report_trial_result,
    can_submit_trial_request,
    can_view_trial_request,
    can_withdraw_trial_request,
    visible_trial_requests,
)
from .services import (
    TrialRuleError,
    advance_trial_request,
    post_trial_message,
    report_trial_result,
    route_trial_request,
    submit_trial_request,
    withdraw_trial_request,
)


def _load(request_id: int) -> TrialRequest:
    return get_visible_or_404(TrialRequest, request_id, current_user, can_view_trial_request)


@bp.route("/requests")
@login_required
def requests():
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    stmt = visible_trial_requests(current_user)
    if q:
        stmt = stmt.where(text_matches(q, TrialRequest.title, TrialRequest.verify, TrialRequest.technology))
    if (group := request.args.get("group", "")).isdigit():
        stmt = stmt.where(TrialRequest.group_id == int(group))
    if status in {s.value for s in TrialRequestStatus}:
        stmt = stmt.where(TrialRequest.status == TrialRequestStatus(status))
    page = paginate(stmt.order_by(TrialRequest.created_at.desc(), TrialRequest.id.desc())
                    .options(selectinload(TrialRequest.organisation)))
    return render_template("trials/requests.html", page=page, q=q, status=status, status_labels=STATUS_LABELS,
                           may_submit=can_submit_trial_request(current_user))


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    require(can_submit_trial_request(current_user))
    form = TrialRequestForm()
    if form.validate_on_submit():
        trial_request = submit_trial_request(current_user, **form.values())
        db.session.commit()
        flash(_("Your field-trial request has been submitted. The secretariat will contact you."), "success")
        return redirect(url_for("trials.request_detail", request_id=trial_request.id))
    return render_template("trials/request_form.html", form=form)


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    trial_request = _load(request_id)
    advance_form = AdvanceForm()
    advance_form.status.choices = choices((s.value, STATUS_LABELS[s]) for s in TRIAL_TRANSITIONS[trial_request.status])
    route_form = RouteForm(group_id=trial_request.group_id or 0)
    groups = db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.name_ja)) if is_staff(current_user) else []
    route_form.group_id.choices = choices([(0, "—")] + [(g.id, g.name_ja) for g in groups])
    return render_template(
        "trials/request.html", trial_request=trial_request, status_labels=STATUS_LABELS, action_labels=ACTION_LABELS,
        status_values={k.value: v for k, v in STATUS_LABELS.items()},
        support_labels=SUPPORT_LABELS_BY_VALUE,
        **registry().context_for("trial_request", current_user, trial_request),
        message_form=MessageForm(), advance_form=advance_form, route_form=route_form, action_form=ActionForm(),
        may_advance=can_advance_trial_request(current_user, trial_request),
        may_read_messages=can_read_trial_messages(current_user, trial_request),
        may_withdraw=can_withdraw_trial_request(current_user, trial_request),
        may_report=can_report_trial_result(current_user, trial_request),
        may_open_need=can_open_need_from_trial(current_user, trial_request),
        history=entries_for(trial_request) if can_read_trial_messages(current_user, trial_request) else [],
    )


@bp.route("/requests/<int:request_id>/status", methods=["POST"])
@login_required
def advance_request(request_id: int):
    trial_request = _load(request_id)
    require(can_advance_trial_request(current_user, trial_request))
    form = AdvanceForm()
    form.status.choices = choices((s.value, s.value) for s in TrialRequestStatus)
    if not form.validate_on_submit():
        abort(400)
    try:
        advance_trial_request(current_user, trial_request, TrialRequestStatus(form.status.data))
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
    if form.validate_on_submit():
        post_trial_message(current_user, trial_request, form.body.data.strip())
        db.session.commit()
        flash(_("Your message has been sent."), "success")
    else:
        flash(_("Write a message first."), "error")
    return redirect(url_for("trials.request_detail", request_id=request_id) + "#messages")


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
