"""Dues per fiscal year: invoicing by tier, fee exemption, payment, the unpaid list and the CSV export."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.members.dues_services import invoice_year, record_due, totals
from app.members.services import MembershipError
from app.permissions import Refused
from models import Due, DueStatus, MembershipTier, OrganisationStatus, Role, db


@pytest.fixture
def tiered(make_organisation):
    return {
        tier: make_organisation(f"{tier.value}（デモ）", tier=tier) for tier in MembershipTier
    }


def test_invoicing_creates_one_due_per_member_with_the_tier_amount(secretariat, tiered, make_organisation):
    make_organisation("申請中（デモ）", status=OrganisationStatus.APPLICANT, tier=MembershipTier.REGULAR)
    created = invoice_year(secretariat, 2026)
    amounts = {d.organisation.name_ja: (d.amount, d.status) for d in created}
    assert amounts == {
        "regular（デモ）": (100_000, DueStatus.INVOICED),
        "supporting（デモ）": (30_000, DueStatus.INVOICED),
        "special（デモ）": (0, DueStatus.WAIVED),
    }


def test_the_fees_come_from_the_configuration(app, monkeypatch, secretariat, tiered):
    monkeypatch.setitem(app.config, "MEMBERSHIP_DUES", {"regular": 120_000, "supporting": 50_000, "special": 0})
    amounts = {d.organisation.name_ja: d.amount for d in invoice_year(secretariat, 2027)}
    assert amounts["regular（デモ）"] == 120_000 and amounts["supporting（デモ）"] == 50_000


def test_invoicing_twice_creates_nothing_new(secretariat, tiered):
    invoice_year(secretariat, 2026)
    assert invoice_year(secretariat, 2026) == []


def test_recording_a_payment_needs_a_date(secretariat, tiered):
    due = invoice_year(secretariat, 2026)[0]
    with pytest.raises(MembershipError):
        record_due(secretariat, due, status=DueStatus.PAID, paid_on=None)
    record_due(secretariat, due, status=DueStatus.PAID, paid_on=date(2026, 5, 1))
    assert due.paid_on == date(2026, 5, 1)


def test_totals_count_unpaid_and_paid(secretariat, tiered):
    dues = {d.tier: d for d in invoice_year(secretariat, 2026)}
    record_due(secretariat, dues[MembershipTier.REGULAR], status=DueStatus.PAID, paid_on=date(2026, 6, 1))
    assert totals(2026) == {"invoiced": 30_000, "paid": 100_000, "unpaid_count": 1, "paid_count": 1, "waived_count": 1}


def test_members_cannot_manage_dues(member):
    with pytest.raises(Refused):
        invoice_year(member, 2026)


def test_the_unpaid_list_shows_only_unpaid_dues(client, login_as, secretariat, tiered):
    dues = {d.tier: d for d in invoice_year(secretariat, 2026)}
    record_due(secretariat, dues[MembershipTier.REGULAR], status=DueStatus.PAID, paid_on=date(2026, 6, 1))
    db.session.commit()
    login_as(secretariat)
    text = client.get("/members/manage/dues?year=2026&unpaid=1").get_data(as_text=True)
    assert "supporting（デモ）" in text and "regular（デモ）" not in text


def test_invoice_and_record_through_the_pages(client, login_as, post_form, secretariat, tiered):
    login_as(secretariat)
    post_form("/members/manage/dues/invoice?year=2026", form_page="/members/manage/dues?year=2026")
    due = db.session.scalars(select(Due).where(Due.tier == MembershipTier.SUPPORTING)).one()
    response = post_form(f"/members/manage/dues/{due.id}", {"status": "paid", "paid_on": "2026-07-01", "note": "振込"})
    assert response.status_code == 302
    assert due.status == DueStatus.PAID and due.paid_on == date(2026, 7, 1)


def test_the_dues_csv_has_a_bom_and_every_due(client, login_as, secretariat, tiered):
    invoice_year(secretariat, 2026)
    db.session.commit()
    login_as(secretariat)
    body = client.get("/members/manage/dues.csv?year=2026").get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").count("\r\n") == 4


def test_a_member_cannot_record_a_due(client, login_as, secretariat, tiered):
    due = invoice_year(secretariat, 2026)[0]
    db.session.commit()
    login_as(Role.MEMBER)
    assert client.get(f"/members/manage/dues/{due.id}").status_code == 403
