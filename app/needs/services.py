"""Business rules of a need's life: save a draft, submit, move along the pipeline, withdraw, assign,
talk, record the national route. Each takes the acting user, checks permission, audits, notifies, flushes."""
from __future__ import annotations

import logging
from typing import Any

from flask_babel import force_locale, gettext

from app.auth.queries import secretariat_users
from app.core.audit import record
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import (
    Confidentiality,
    EventKind,
    NationalRoute,
    NeedEvent,
    NeedStatus,
    RegulatoryNeed,
    SpecialMeasure,
    User,
    WorkingGroup,
    db,
    utcnow,
)

from .labels import STATUS_LABELS
from .permissions import can_create_need, can_edit_need, can_manage_needs, can_talk_about_need, can_withdraw_need

log = logging.getLogger(__name__)

NEED_FIELDS = ("title", "business", "stage", "tags", "law_name", "law_article", "law_unknown", "interpretation",
               "obstacle", "relief", "evidence", "urgency", "confidentiality", "public_summary")


# What a need must say before it goes to the secretariat (a draft needs only a title).
REQUIRED_TO_SUBMIT = ("business", "stage", "obstacle", "relief")


class NeedError(Exception):
    """A rule was broken; the message is shown to the user."""


class IncompleteNeed(NeedError):
    """Submission refused: `problems` maps each field to what is missing."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def submission_problems(values: dict[str, Any]) -> dict[str, str]:
    """Field -> message for everything a need lacks to be submitted; empty when it may be submitted.

    The one statement of the rule: the form shows these next to its fields, the API as its errors,
    and `save_need` refuses a submission that has any.
    """
    problems: dict[str, str] = {}
    for name in REQUIRED_TO_SUBMIT:
        value = values.get(name)
        if not (value.strip() if isinstance(value, str) else value):
            problems[name] = gettext("This field is required to submit.")
    if not (values.get("law_name") or "").strip() and not values.get("law_unknown"):
        problems["law_name"] = gettext("Name the law, or tick \"Not sure which law applies\".")
    shared = values.get("confidentiality") in (Confidentiality.PUBLIC, Confidentiality.MEMBERS, "public", "members")
    if shared and not (values.get("public_summary") or "").strip():
        problems["public_summary"] = gettext("Write the summary others may read, or keep the need confidential.")
    return problems


def _deny() -> None:
    raise Refused()  # not allowed


def save_need(actor: User, need: RegulatoryNeed | None, data: dict[str, Any], *, submit: bool) -> RegulatoryNeed:
    """Create or update the actor's draft; with `submit` it goes to the secretariat (受付)."""
    if need is None:
        if not can_create_need(actor):
            _deny()
        need = RegulatoryNeed(organisation_id=actor.organisation_id, submitter=actor, status=NeedStatus.DRAFT)
        db.session.add(need)
    elif not can_edit_need(actor, need):
        _deny()
    for name in NEED_FIELDS:
        if name in data:
            setattr(need, name, data[name])
    db.session.flush()
    if submit:
        problems = submission_problems({name: getattr(need, name) for name in NEED_FIELDS})
        if problems:
            raise IncompleteNeed(problems)
        need.move_to(NeedStatus.RECEIVED)
        need.submitted_at = utcnow()
        db.session.add(NeedEvent(need=need, kind=EventKind.SUBMITTED, actor=actor, to_status=NeedStatus.RECEIVED))
        record("need.submitted", need, actor=actor)
        for staff in secretariat_users():
            notify(staff, N_("New regulatory need: %(title)s"), link=f"/needs/manage/{need.id}", title=need.title)
    else:
        record("need.draft_saved", need, actor=actor)
    db.session.flush()
    return need


def _change_status(actor: User, need: RegulatoryNeed, target: NeedStatus, note: str = "") -> NeedEvent:
    """Move ``need`` to ``target`` with its timeline event and audit entry (the note, when there is one)."""
    old = need.move_to(target)
    event = NeedEvent(need=need, kind=EventKind.STATUS, actor=actor, from_status=old, to_status=target, body=note)
    db.session.add(event)
    details = {"note": note} if note else {}
    record("need.status", need, actor=actor, from_status=old.value, to_status=target.value, **details)
    return event


def advance_need(actor: User, need: RegulatoryNeed, target: NeedStatus, note: str) -> NeedEvent:
    """Move a need along the pipeline (only the table's transitions), with a note for the submitter."""
    if not can_manage_needs(actor) or need.status == NeedStatus.DRAFT:
        _deny()
    if not note.strip():
        raise NeedError(gettext("Please write a note for this step."))
    if not need.can_move_to(target):
        raise NeedError(gettext("This step is not allowed from the current status."))
    event = _change_status(actor, need, target, note.strip())
    with force_locale(need.submitter.locale or "ja"):
        status = str(STATUS_LABELS[target])
    notify(need.submitter, N_("Your regulatory need \"%(title)s\" is now: %(status)s"), link=f"/needs/{need.id}",
           title=need.title, status=status)
    db.session.flush()
    return event


def withdraw_need(actor: User, need: RegulatoryNeed) -> NeedEvent:
    """The submitting organisation withdraws its need (取下げ); whoever works on it is told."""
    if not can_withdraw_need(actor, need):
        _deny()
    event = _change_status(actor, need, NeedStatus.WITHDRAWN)
    for staff in [need.assignee] if need.assignee else secretariat_users():
        notify(staff, N_("The submitter withdrew the regulatory need \"%(title)s\""), link=f"/needs/manage/{need.id}",
               title=need.title)
    db.session.flush()
    return event


def assign_need(actor: User, need: RegulatoryNeed, assignee: User | None) -> None:
    if not can_manage_needs(actor) or (assignee is not None and not assignee.is_staff):
        _deny()
    need.assignee = assignee
    db.session.add(NeedEvent(need=need, kind=EventKind.ASSIGNED, actor=actor, body=assignee.name if assignee else ""))
    record("need.assigned", need, actor=actor, assignee_id=assignee.id if assignee else None)
    if assignee is not None and assignee.id != actor.id:
        notify(assignee, N_("You have been assigned the regulatory need \"%(title)s\""),
               link=f"/needs/manage/{need.id}", title=need.title)
    db.session.flush()


def add_internal_note(actor: User, need: RegulatoryNeed, body: str) -> NeedEvent:
    """A secretariat-internal note: never shown to the submitter, never e-mailed."""
    if not can_manage_needs(actor):
        _deny()
    if not body.strip():
        raise NeedError(gettext("The note is empty."))
    event = NeedEvent(need=need, kind=EventKind.INTERNAL_NOTE, actor=actor, body=body.strip())
    db.session.add(event)
    record("need.internal_note", need, actor=actor)
    db.session.flush()
    return event


def send_message(actor: User, need: RegulatoryNeed, body: str) -> NeedEvent:
    """A message on the timeline: from the secretariat to the submitter (e-mailed), or back."""
    if not can_talk_about_need(actor, need):
        _deny()
    if not body.strip():
        raise NeedError(gettext("The message is empty."))
    event = NeedEvent(need=need, kind=EventKind.MESSAGE, actor=actor, body=body.strip())
    db.session.add(event)
    record("need.message", need, actor=actor)
    if actor.is_staff:
        notify(need.submitter, N_("Message from the secretariat about \"%(title)s\": %(body)s"),
               link=f"/needs/{need.id}", title=need.title, body=body.strip())
    else:
        for staff in [need.assignee] if need.assignee else secretariat_users():
            notify(staff, N_("New message from the submitter of \"%(title)s\""),
                   link=f"/needs/manage/{need.id}", title=need.title)
    db.session.flush()
    return event


def record_route(actor: User, need: RegulatoryNeed, route: NationalRoute | None, reason: str,
                 group: WorkingGroup | None, measures: list[SpecialMeasure]) -> None:
    """The national route that fits (with why), the working group and the linked special measures."""
    if not can_manage_needs(actor):
        _deny()
    need.national_route, need.route_reason, need.group = route, reason.strip(), group
    need.measures = measures
    record("need.route", need, actor=actor, route=route.value if route else None,
           group_id=group.id if group else None, measures=[m.code for m in measures])
    db.session.flush()


def timeline(need: RegulatoryNeed, viewer: User) -> list[NeedEvent]:
    """The events the viewer may read: internal notes only for the secretariat."""
    return [e for e in need.events if viewer.is_staff or not e.is_internal]
