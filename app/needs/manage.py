"""Secretariat pages for needs: the board, the filterable list and the curation page of one need."""
from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import selectinload

from app.auth.queries import staff_users
from app.permissions import staff_required
from app.web.forms import ActionForm, forward_and_back
from app.web.inputs import search_words, valid_id
from app.web.loaders import get_visible_or_404
from app.web.pagination import paginate
from app.web.submissions import redirect_once, submit_once
from models import (
    Confidentiality,
    NationalRoute,
    NeedStatus,
    RegulatoryNeed,
    SpecialMeasure,
    User,
    WorkingGroup,
    db,
)
from models.needs import NEED_TRANSITIONS, OPEN_STATUSES

from . import services
from .blueprint import bp
from .forms import AssignForm, InternalNoteForm, MessageForm, RouteForm, TransitionForm
from .labels import CONFIDENTIALITY_LABELS, STATUS_LABELS
from .permissions import can_view_need, visible_needs
from .queries import list_count, needs_matching
from .similarity_queries import matching_measures, similar_needs

BOARD_CARDS = 10  # cards per column; the column's link lists the rest


NEWEST_FIRST = (RegulatoryNeed.updated_at.desc(), RegulatoryNeed.id.desc())  # the order of every needs list


@dataclass
class BoardColumn:
    status: NeedStatus
    label: str
    count: int
    needs: list[RegulatoryNeed]
    url: str


def managed_needs(args):
    """Submitted needs, filtered by ?status=, ?assignee=, ?confidentiality= and ?q=."""
    stmt = visible_needs(current_user).where(RegulatoryNeed.status != NeedStatus.DRAFT)
    if (status := args.get("status")) in {s.value for s in NeedStatus}:
        stmt = stmt.where(RegulatoryNeed.status == NeedStatus(status))
    if (level := args.get("confidentiality")) in {c.value for c in Confidentiality}:
        stmt = stmt.where(RegulatoryNeed.confidentiality == Confidentiality(level))
    assignee = args.get("assignee", "")
    if assignee == "none":
        stmt = stmt.where(RegulatoryNeed.assignee_id.is_(None))
    elif assignee.isdigit() and valid_id(int(assignee)):
        stmt = stmt.where(RegulatoryNeed.assignee_id == int(assignee))
    if (group := args.get("group", "")).isdigit() and valid_id(int(group)):
        stmt = stmt.where(RegulatoryNeed.group_id == int(group))
    if q := search_words(args):
        stmt = stmt.where(needs_matching(q, current_user))
    return stmt.order_by(*NEWEST_FIRST)


@bp.route("/manage/")
@staff_required
def manage_list():
    stmt = managed_needs(request.args).options(selectinload(RegulatoryNeed.organisation),
                                               selectinload(RegulatoryNeed.assignee))
    page = paginate(stmt, total=list_count(request.args, current_user, submitted_only=True))
    return render_template("needs/manage/list.html", page=page,
                           statuses=STATUS_LABELS, levels=CONFIDENTIALITY_LABELS, staff=staff_users())


@bp.route("/manage/board")
@staff_required
def board():
    """One column per open status: how many needs it holds (an aggregate) and the newest few of them."""
    open_needs = managed_needs(request.args).where(RegulatoryNeed.status.in_(OPEN_STATUSES)).order_by(None)
    # count(*), not count(id): PostgreSQL counts from the status index alone (6 ms, not 52 at 100,000 needs).
    counts = dict(db.session.execute(
        open_needs.with_only_columns(RegulatoryNeed.status, func.count()).group_by(RegulatoryNeed.status)).all())
    # Each column's newest cards through the (status, updated_at) index, one limited arm per column in
    # one statement, where one window over every open need sorted them all.
    arms = [open_needs.where(RegulatoryNeed.status == status).with_only_columns(RegulatoryNeed.id)
            .order_by(*NEWEST_FIRST).limit(BOARD_CARDS).subquery() for status in OPEN_STATUSES]
    card_ids = union_all(*(select(arm.c.id) for arm in arms)).subquery()
    newest = db.session.scalars(select(RegulatoryNeed).where(RegulatoryNeed.id.in_(select(card_ids.c.id)))
                                .order_by(*NEWEST_FIRST)
                                .options(selectinload(RegulatoryNeed.organisation), selectinload(RegulatoryNeed.assignee)))
    cards: dict[NeedStatus, list[RegulatoryNeed]] = {status: [] for status in OPEN_STATUSES}
    for need in newest:
        cards[need.status].append(need)
    filters = {k: v for k, v in request.args.items() if k in ("q", "assignee", "confidentiality", "group")}
    columns = [BoardColumn(status, STATUS_LABELS[status], counts.get(status, 0), cards[status],
                           url_for("needs.manage_list", status=status.value, **filters)) for status in OPEN_STATUSES]
    return render_template("needs/manage/board.html", columns=columns)


@bp.route("/manage/<int:need_id>")
@staff_required
def manage_detail(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    measures = list(db.session.scalars(select(SpecialMeasure).order_by(SpecialMeasure.code)))
    groups = list(db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.name_ja)))
    route_form = RouteForm(groups=groups, measures=measures, data={
        "route": need.national_route.value if need.national_route else "", "route_reason": need.route_reason,
        "group": str(need.group_id or ""), "measures": [str(m.id) for m in need.measures]})
    text = " ".join((need.title, need.business, need.obstacle, need.relief))
    return render_template(
        "needs/manage/detail.html", need=need, statuses=STATUS_LABELS, timeline=services.timeline(need, current_user),
        **_transition_forms(need),
        assign_form=AssignForm(staff=staff_users(), data={"assignee": str(need.assignee_id or "")}),
        note_form=InternalNoteForm(), message_form=MessageForm(), route_form=route_form, action_form=ActionForm(),
        similar=similar_needs(current_user, text, tags=need.tags, law=need.law_name, exclude_id=need.id),
        suggested_measures=matching_measures(text, law=need.law_name))


def _transition_forms(need: RegulatoryNeed) -> dict:
    """The forward form (next step preselected) and, apart, the form that goes back a stage."""
    forward, back = forward_and_back(need.status, NEED_TRANSITIONS[need.status])
    return {"transition_form": TransitionForm(allowed=forward, data={"target": forward[0].value} if forward else None),
            "back_form": TransitionForm(allowed=back, prefix="back")}


def _back(need: RegulatoryNeed, anchor: str = ""):
    return redirect(url_for("needs.manage_detail", need_id=need.id) + anchor)


@bp.route("/manage/<int:need_id>/transition", methods=["POST"])
@staff_required
def transition(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    forward, back = forward_and_back(need.status, NEED_TRANSITIONS[need.status])
    going_back = request.args.get("back") == "1"  # the separate, confirmed form for going back
    form = TransitionForm(allowed=back if going_back else forward, prefix="back" if going_back else "")
    if not form.validate_on_submit():
        flash(_("Choose the next step and write a note for it."), "error")
        return _back(need, "#pipeline")
    try:
        services.advance_need(current_user, need, NeedStatus(form.target.data), form.reason.data)
    except services.NeedError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(need, "#pipeline")
    db.session.commit()
    flash(_("Status changed to %(status)s.", status=STATUS_LABELS[need.status]), "success")
    return _back(need)


@bp.route("/manage/<int:need_id>/assign", methods=["POST"])
@staff_required
def assign(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    form = AssignForm(staff=staff_users())
    if form.validate_on_submit():
        assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
        services.assign_need(current_user, need, assignee)
        db.session.commit()
        flash(_("Assignment saved."), "success")
    return _back(need)


@bp.route("/manage/<int:need_id>/note", methods=["POST"])
@staff_required
def internal_note(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    form = InternalNoteForm()
    if not form.validate_on_submit():
        flash(_("The note is empty."), "error")
        return _back(need, "#timeline")

    def add() -> str:
        services.add_internal_note(current_user, need, form.note.data)
        return url_for("needs.manage_detail", need_id=need.id) + "#timeline"

    return redirect_once(submit_once(form.submission_key.data, current_user, add), _("Internal note saved."))


@bp.route("/manage/<int:need_id>/message", methods=["POST"])
@staff_required
def staff_message(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    form = MessageForm()
    if not form.validate_on_submit():
        flash(_("The message is empty."), "error")
        return _back(need, "#timeline")

    def send() -> str:
        services.send_message(current_user, need, form.body.data)
        return url_for("needs.manage_detail", need_id=need.id) + "#timeline"

    return redirect_once(submit_once(form.submission_key.data, current_user, send), _("Message sent to the submitter."))


@bp.route("/manage/<int:need_id>/route", methods=["POST"])
@staff_required
def route(need_id: int):
    need = get_visible_or_404(RegulatoryNeed, need_id, current_user, can_view_need)
    measures = list(db.session.scalars(select(SpecialMeasure).order_by(SpecialMeasure.code)))
    groups = list(db.session.scalars(select(WorkingGroup)))
    form = RouteForm(groups=groups, measures=measures)
    if form.validate_on_submit():
        chosen = {int(i) for i in form.measures.data}
        services.record_route(
            current_user, need, NationalRoute(form.route.data) if form.route.data else None, form.route_reason.data or "",
            db.session.get(WorkingGroup, int(form.group.data)) if form.group.data else None,
            [m for m in measures if m.id in chosen])
        db.session.commit()
        flash(_("National route saved."), "success")
    else:
        flash(_("Please check the route form."), "error")
    return _back(need, "#route")
