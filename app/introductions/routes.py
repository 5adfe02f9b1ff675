"""Introductions for both sides: the list, the detail, accepting or declining, confirming the trial."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.introductions.queries import introduction_title
from app.permissions import require
from app.trials.labels import SITE_KIND_LABELS
from app.trials.permissions import can_view_trial_request
from app.web.forms import ActionForm
from app.web.loaders import get_visible_or_404
from app.web.pagination import paginate
from models import Introduction, IntroductionStatus, db

from .blueprint import bp
from .forms import AnswerForm
from .labels import INTRODUCTION_STATUS_LABELS
from .permissions import (
    can_answer_introduction,
    can_confirm_agreement,
    can_report_trial_started,
    can_see_contacts,
    can_send_introduction,
    can_view_introduction,
    is_requester_side,
    visible_introductions,
)
from .services import (
    answer_introduction,
    confirm_agreement,
    introduction_contacts,
    report_trial_started,
    send_introduction,
)


def _load(introduction_id: int) -> Introduction:
    return get_visible_or_404(Introduction, introduction_id, current_user, can_view_introduction)


@bp.route("/")
@login_required
def index():
    status = request.args.get("status", "")
    stmt = visible_introductions(current_user)
    if status in {s.value for s in IntroductionStatus}:
        stmt = stmt.where(Introduction.status == IntroductionStatus(status))
    page = paginate(stmt.order_by(Introduction.created_at.desc(), Introduction.id.desc()).options(
        selectinload(Introduction.requester), selectinload(Introduction.target), selectinload(Introduction.site)))
    return render_template("introductions/index.html", page=page, status=status, status_labels=INTRODUCTION_STATUS_LABELS,
                           intro_title=introduction_title)


@bp.route("/<int:introduction_id>")
@login_required
def detail(introduction_id: int):
    introduction = _load(introduction_id)
    trial_request = introduction.trial_request
    return render_template(
        "introductions/detail.html", introduction=introduction, status_labels=INTRODUCTION_STATUS_LABELS,
        kind_labels=SITE_KIND_LABELS, title=introduction_title(introduction), answer_form=AnswerForm(),
        action_form=ActionForm(), requester_side=is_requester_side(current_user, introduction),
        may_see_request=trial_request is not None and can_view_trial_request(current_user, trial_request),
        may_answer=can_answer_introduction(current_user, introduction),
        may_send=can_send_introduction(current_user, introduction),
        may_agree=can_confirm_agreement(current_user, introduction),
        may_report_start=can_report_trial_started(current_user, introduction),
        contacts=introduction_contacts(introduction) if can_see_contacts(current_user, introduction) else None,
    )


@bp.route("/<int:introduction_id>/answer", methods=["POST"])
@login_required
def answer(introduction_id: int):
    introduction = _load(introduction_id)
    require(can_answer_introduction(current_user, introduction))
    form = AnswerForm()
    if not form.validate_on_submit() or not (form.accept.data or form.decline.data):
        abort(400)
    answer_introduction(current_user, introduction, accept=bool(form.accept.data), note=(form.note.data or "").strip())
    db.session.commit()
    flash(_("Thank you. Your answer has been sent."), "success")
    return redirect(url_for("introductions.detail", introduction_id=introduction_id))


@bp.route("/<int:introduction_id>/send", methods=["POST"])
@login_required
def send(introduction_id: int):
    introduction = _load(introduction_id)
    require(can_send_introduction(current_user, introduction))
    send_introduction(current_user, introduction)
    db.session.commit()
    flash(_("The introduction has been sent to both sides."), "success")
    return redirect(url_for("introductions.detail", introduction_id=introduction_id))


@bp.route("/<int:introduction_id>/agree", methods=["POST"])
@login_required
def agree(introduction_id: int):
    introduction = _load(introduction_id)
    require(can_confirm_agreement(current_user, introduction))
    confirm_agreement(current_user, introduction)
    db.session.commit()
    flash(_("The trial is agreed."), "success")
    return redirect(url_for("introductions.detail", introduction_id=introduction_id))


@bp.route("/<int:introduction_id>/started", methods=["POST"])
@login_required
def trial_started(introduction_id: int):
    introduction = _load(introduction_id)
    require(can_report_trial_started(current_user, introduction))
    report_trial_started(current_user, introduction)
    db.session.commit()
    flash(_("Thank you. The trial is recorded as started."), "success")
    return redirect(url_for("introductions.detail", introduction_id=introduction_id))
