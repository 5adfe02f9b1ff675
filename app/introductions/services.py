"""Introductions: create them from the matcher's suggestions, send them, answer them, agree."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlalchemy import insert

from app.auth.queries import organisation_users, secretariat_users
from app.core import audit
from app.notifications.services import N_, bilingual, notify
from app.permissions import Refused
from app.trials.services import mark_agreed, mark_introduced, mark_running
from models import (
    Introduction,
    IntroductionStatus,
    MatchRun,
    MatchSuggestion,
    Organisation,
    SuggestionAction,
    User,
    db,
    utcnow,
)

from .candidates import SITE, parse_id
from .permissions import (
    can_answer_introduction,
    can_confirm_agreement,
    can_report_trial_started,
    can_run_matcher,
    can_send_introduction,
)

log = logging.getLogger(__name__)


def _plain(reasons: dict) -> dict:
    """Reasons as plain JSON (numpy numbers become Python numbers)."""
    return json.loads(json.dumps(reasons, default=lambda o: o.item() if hasattr(o, "item") else str(o)))


def _link(introduction: Introduction) -> str:
    return f"/introductions/{introduction.id}"


def _subject(run: MatchRun):
    return run.trial_request if run.trial_request_id else run.challenge


def create_introductions(actor: User, run: MatchRun, suggestion_ids: list[int], message: str, *, send: bool) -> list[Introduction]:
    """One introduction per selected suggestion of `run`; `send` introduces them at once."""
    if not can_run_matcher(actor):
        raise Refused()  # only the secretariat makes introductions
    subject = _subject(run)
    created = []
    for suggestion in run.suggestions:
        if suggestion.id not in suggestion_ids or suggestion.action == SuggestionAction.INTRODUCED:
            continue
        target = suggestion.site.owner_organisation_id if suggestion.kind == SITE and suggestion.site else suggestion.organisation_id
        introduction = Introduction(
            trial_request_id=run.trial_request_id, challenge_id=run.challenge_id,
            requester_organisation_id=subject.organisation_id, site_id=suggestion.site_id,
            target_organisation_id=target, message=message, created_by_id=actor.id,
        )
        db.session.add(introduction)
        db.session.flush()
        suggestion.action, suggestion.acted_at, suggestion.introduction_id = SuggestionAction.INTRODUCED, utcnow(), introduction.id
        audit.record("introduction.suggested", introduction, actor=actor, run_id=run.id, suggestion_id=suggestion.id,
                     score=suggestion.score)
        if send:
            send_introduction(actor, introduction)
        created.append(introduction)
    db.session.flush()
    return created


def send_introduction(actor: User, introduction: Introduction) -> None:
    """suggested → introduced: both sides get the message with the context, in-app and by e-mail."""
    if not can_send_introduction(actor, introduction):
        raise Refused()  # may not send this introduction
    introduction.status, introduction.introduced_at = IntroductionStatus.INTRODUCED, utcnow()
    audit.record("introduction.introduced", introduction, actor=actor)
    for user in organisation_users(introduction.requester_organisation_id):
        notify(user, N_("The secretariat has made an introduction for you. Please have a look."), link=_link(introduction))
    targets = organisation_users(introduction.target_organisation_id) if introduction.target_organisation_id else []
    for user in targets:
        notify(user, N_("The secretariat introduces a partner to you. Please accept or decline."), link=_link(introduction))
    if introduction.trial_request is not None:
        mark_introduced(actor, introduction.trial_request)
    db.session.flush()


def answer_introduction(actor: User, introduction: Introduction, accept: bool, note: str = "") -> None:
    """introduced → accepted or declined, by the target side only."""
    if not can_answer_introduction(actor, introduction):
        raise Refused()  # may not answer this introduction
    introduction.status = IntroductionStatus.ACCEPTED if accept else IntroductionStatus.DECLINED
    introduction.responded_at, introduction.responded_by, introduction.response_note = utcnow(), actor, note
    audit.record("introduction.answered", introduction, actor=actor, accepted=accept)
    if accept:
        _tell_both_sides_the_next_step(actor, introduction)
    else:
        for user in organisation_users(introduction.requester_organisation_id):
            notify(user, N_("Your introduction was declined."), link=_link(introduction))
    for user in secretariat_users():
        if user.id != actor.id:
            notify(user, N_("Your introduction was accepted.") if accept else N_("Your introduction was declined."),
                   link=_link(introduction))
    db.session.flush()


@dataclass(frozen=True)
class Contact:
    """Who to talk to on one side of an agreed introduction."""

    organisation: Organisation | None  # None: the secretariat, for a site it keeps
    person: str
    email: str


def _contact(organisation: Organisation | None, person: User | None) -> Contact:
    email = person.email if person is not None else ""
    return Contact(organisation=organisation, person=person.name if person is not None else "",
                   email=email or (organisation.contact_email if organisation is not None else ""))


def introduction_contacts(introduction: Introduction) -> tuple[Contact, Contact]:
    """(requesting side, target side): the person who asked and the person who accepted.

    Callers show them only when `can_see_contacts` allows it (both sides have agreed)."""
    subject = introduction.trial_request or introduction.challenge
    asker = getattr(subject, "submitted_by", None) or getattr(subject, "posted_by", None)
    return (_contact(introduction.requester, asker), _contact(introduction.target, introduction.responded_by))


def _side_name(contact: Contact) -> dict:
    return bilingual(contact.organisation) if contact.organisation is not None else {"msgid": N_("the secretariat")}


def _tell_both_sides_the_next_step(actor: User, introduction: Introduction) -> None:
    """Accepted: each side gets the other's contact person and what to do next."""
    asker, answerer = introduction_contacts(introduction)
    for user in organisation_users(introduction.requester_organisation_id):
        notify(user, N_("%(organisation)s accepted the introduction. Next step: contact %(person)s (%(address)s) to plan "
                        "the trial, then confirm on the introduction page that the trial is agreed."),
               link=_link(introduction), organisation=_side_name(answerer), person=answerer.person, address=answerer.email)
    targets = organisation_users(introduction.target_organisation_id) if introduction.target_organisation_id else []
    for user in targets:
        notify(user, N_("You accepted the introduction. Next step: %(person)s (%(address)s) of %(organisation)s will "
                        "contact you to plan the trial; you may also write to them first."),
               link=_link(introduction), organisation=_side_name(asker), person=asker.person, address=asker.email)


def _secretariat_and_target(introduction: Introduction) -> list[User]:
    """Who hears of an agreed introduction's next steps: the secretariat and the target side."""
    recipients = secretariat_users()
    if introduction.target_organisation_id:
        recipients += organisation_users(introduction.target_organisation_id)
    return recipients


def report_trial_started(actor: User, introduction: Introduction) -> None:
    """trial agreed → trial started, reported by the requesting side; the trial request runs."""
    if not can_report_trial_started(actor, introduction):
        raise Refused()  # may not report on this introduction
    introduction.status = IntroductionStatus.TRIAL_STARTED
    audit.record("introduction.trial_started", introduction, actor=actor)
    if introduction.trial_request is not None:
        mark_running(actor, introduction.trial_request)
    for user in _secretariat_and_target(introduction):
        if user.id != actor.id:
            notify(user, N_("The trial agreed through an introduction has started."), link=_link(introduction))
    db.session.flush()


def confirm_agreement(actor: User, introduction: Introduction) -> None:
    """accepted → trial agreed; the trial request follows."""
    if not can_confirm_agreement(actor, introduction):
        raise Refused()  # may not confirm this agreement
    introduction.status = IntroductionStatus.AGREED
    audit.record("introduction.agreed", introduction, actor=actor)
    if introduction.trial_request is not None:
        mark_agreed(actor, introduction.trial_request)
    for user in _secretariat_and_target(introduction):
        if user.id != actor.id:
            notify(user, N_("A trial has been agreed through an introduction."), link=_link(introduction))
    db.session.flush()


def record_run(actor: User, *, trial_request=None, challenge=None, filters: dict, results) -> MatchRun:
    """Store what the matcher showed: every suggestion with its score and reasons (one INSERT for
    all of them)."""
    run = MatchRun(trial_request=trial_request, challenge=challenge, shown_by_id=actor.id, filters=filters)
    db.session.add(run)
    db.session.flush()
    rows = []
    for rank, result in enumerate(results, start=1):
        kind, number = parse_id(result.id)
        rows.append({"run_id": run.id, "rank": rank, "kind": kind, "site_id": number if kind == SITE else None,
                     "organisation_id": None if kind == SITE else number, "score": float(result.score),
                     "reasons": _plain(result.reasons.to_dict()), "action": SuggestionAction.SHOWN})
    if rows:
        db.session.execute(insert(MatchSuggestion), rows)
    db.session.expire(run, ["suggestions"])
    return run
