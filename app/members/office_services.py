"""Offices (役員): recording who holds the chair, vice-chairs and board seats, and removing an entry."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext

from app.core import audit
from app.permissions import is_staff, require
from models import Office, OfficeKind, User, db

from .services import MembershipError


def add_office(actor: User, *, kind: OfficeKind, person_name: str, title: str = "", organisation_id: int | None,
               term_start: date, term_end: date | None) -> Office:
    require(is_staff(actor))
    if term_end is not None and term_end < term_start:
        raise MembershipError(gettext("The term cannot end before it starts."))
    office = Office(kind=kind, person_name=person_name.strip(), title=title, organisation_id=organisation_id or None,
                    term_start=term_start, term_end=term_end)
    db.session.add(office)
    db.session.flush()
    audit.record("office.added", office, actor=actor, kind=office.kind.value, person=office.person_name)
    return office


def delete_office(actor: User, office: Office) -> None:
    require(is_staff(actor))
    audit.record("office.deleted", office, actor=actor, kind=office.kind.value, person=office.person_name)
    db.session.delete(office)
    db.session.flush()
