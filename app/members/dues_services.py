"""Dues (会費) per fiscal year (年度): invoicing by tier, recording payment or waiver, the unpaid list."""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from flask_babel import gettext
from sqlalchemy import Select, select

from app.core import audit
from app.permissions import Refused
from models import Due, DueStatus, MembershipTier, Organisation, OrganisationStatus, User, db

from .permissions import can_manage_membership
from .services import MembershipError

log = logging.getLogger(__name__)

# Special members (government, universities) are fee-exempt by rule; the fees are in MEMBERSHIP_DUES.
FEE_EXEMPT_TIERS = (MembershipTier.SPECIAL,)


def amount_for(tier: MembershipTier) -> int:
    """The yearly fee of ``tier`` in yen (``MEMBERSHIP_DUES``)."""
    return int(current_app.config["MEMBERSHIP_DUES"][tier.value])


def invoice_year(actor: User, fiscal_year: int) -> list[Due]:
    """Create the year's dues for every active member that has none yet; fee-exempt tiers are waived."""
    if not can_manage_membership(actor):
        raise Refused(gettext("Only the secretariat manages dues."))
    existing = set(db.session.scalars(select(Due.organisation_id).where(Due.fiscal_year == fiscal_year)))
    members = db.session.scalars(select(Organisation).where(
        Organisation.status == OrganisationStatus.ACTIVE, Organisation.tier.is_not(None)))
    created = []
    for organisation in members:
        if organisation.id in existing:
            continue
        exempt = organisation.tier in FEE_EXEMPT_TIERS
        due = Due(organisation=organisation, fiscal_year=fiscal_year, tier=organisation.tier,
                  amount=0 if exempt else amount_for(organisation.tier),
                  status=DueStatus.WAIVED if exempt else DueStatus.INVOICED,
                  note=gettext("Fee-exempt tier") if exempt else "")
        db.session.add(due)
        created.append(due)
    db.session.flush()
    audit.record("dues.invoiced", None, actor=actor, fiscal_year=fiscal_year, count=len(created))
    return created


def record_due(actor: User, due: Due, *, status: DueStatus, paid_on: date | None, note: str = "") -> Due:
    """Mark a due paid (with the date), waived, or back to invoiced."""
    if not can_manage_membership(actor):
        raise Refused(gettext("Only the secretariat manages dues."))
    if status == DueStatus.PAID and paid_on is None:
        raise MembershipError(gettext("Please give the date of payment."))
    due.status = status
    due.paid_on = paid_on if status == DueStatus.PAID else None
    due.note = note.strip()
    audit.record("due.recorded", due, actor=actor, status=status.value, paid_on=due.paid_on.isoformat() if due.paid_on else None)
    db.session.flush()
    return due


def dues_of_year(fiscal_year: int, unpaid_only: bool = False) -> Select:
    stmt = select(Due).join(Due.organisation).where(Due.fiscal_year == fiscal_year)
    if unpaid_only:
        stmt = stmt.where(Due.status == DueStatus.INVOICED)
    return stmt.order_by(Organisation.name_ja, Due.id)


def totals(fiscal_year: int) -> dict[str, int]:
    result = {status.value: 0 for status in DueStatus}
    counts = {status.value: 0 for status in DueStatus}
    for due in db.session.scalars(dues_of_year(fiscal_year)):
        result[due.status.value] += due.amount
        counts[due.status.value] += 1
    return {"invoiced": result["invoiced"], "paid": result["paid"], "unpaid_count": counts["invoiced"],
            "paid_count": counts["paid"], "waived_count": counts["waived"]}
