"""Proposal packages (提案パッケージ): build from several needs, write the proposal, follow its own
state; every need keeps its confidentiality and its submitter is told of the package's progress."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.core.audit import record
from app.notifications.services import N_, notify
from app.permissions import Refused
from models import NeedStatus, PackageEvent, PackageStatus, ProposalPackage, RegulatoryNeed, SpecialMeasure, User, db

from .labels import PACKAGE_STATUS_LABELS
from .permissions import can_manage_needs
from .services import NeedError


def _check(actor: User, needs: list[RegulatoryNeed]) -> None:
    if not can_manage_needs(actor):
        raise Refused()  # not allowed
    if any(n.status == NeedStatus.DRAFT for n in needs):
        raise Refused()  # drafts cannot be packaged


def save_package(actor: User, package: ProposalPackage | None, title: str, proposal_text: str,
                 needs: list[RegulatoryNeed]) -> ProposalPackage:
    _check(actor, needs)
    if not needs:
        raise NeedError(gettext("Choose at least one need for the package."))
    if package is None:
        package = ProposalPackage(created_by_id=actor.id)
        db.session.add(package)
    package.title, package.proposal_text, package.needs = title.strip(), proposal_text, needs
    db.session.flush()
    record("package.saved", package, actor=actor, needs=[n.id for n in needs])
    return package


def advance_package(actor: User, package: ProposalPackage, target: PackageStatus, note: str, *,
                    submitted_on: date | None = None, submitted_to: str = "", answer: str = "") -> PackageEvent:
    """Move the package on; tell each need's submitter the new state (never the note)."""
    _check(actor, package.needs)
    if not note.strip():
        raise NeedError(gettext("Please write a note for this step."))
    if target == PackageStatus.SUBMITTED and (submitted_on is None or not submitted_to.strip()):
        raise NeedError(gettext("Say when and to whom the package was submitted."))
    try:
        old = package.move_to(target)
    except ValueError:
        raise NeedError(gettext("This step is not allowed from the current status.")) from None
    if submitted_on is not None:
        package.submitted_on = submitted_on
    if submitted_to.strip():
        package.submitted_to = submitted_to.strip()
    if answer.strip():
        package.answer = answer.strip()
    event = PackageEvent(package=package, from_status=old, to_status=target, note=note.strip(), actor_id=actor.id)
    db.session.add(event)
    record("package.status", package, actor=actor, from_status=old.value, to_status=target.value)
    for need in package.needs:
        with force_locale(need.submitter.locale or "ja"):
            status = str(PACKAGE_STATUS_LABELS[target])
        notify(need.submitter, N_("The proposal package with your need \"%(title)s\" is now: %(status)s"),
               link=f"/needs/{need.id}", title=need.title, status=status)
    db.session.flush()
    return event


MEASURE_FIELDS = ("code", "name_ja", "name_en", "law", "field_tags", "summary", "is_active")


def save_measure(actor: User, measure, values: dict):
    """Create or edit a catalogue entry; None if the code is taken by another entry."""
    if not can_manage_needs(actor):
        raise Refused()  # not allowed
    clash = db.session.scalar(select(SpecialMeasure).where(SpecialMeasure.code == values["code"].strip()))
    if clash is not None and clash is not measure:
        return None
    if measure is None:
        measure = SpecialMeasure()
        db.session.add(measure)
    for name in MEASURE_FIELDS:
        value = values[name]
        setattr(measure, name, value.strip() if isinstance(value, str) else bool(value))
    db.session.flush()
    record("measure.saved", measure, actor=actor, code=measure.code)
    return measure
