"""The membership mix (by sector and category, by municipality) and the governance page (offices with terms)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.members.mix_queries import BAR_WIDTH, membership_mix
from models import IndustryCategory, Office, OfficeKind, OrganisationStatus, Role, Sector, db


def test_the_mix_counts_active_members_by_sector_and_category(make_organisation):
    make_organisation(sector=Sector.INDUSTRY, category=IndustryCategory.STARTUP, municipality="札幌市")
    make_organisation(sector=Sector.INDUSTRY, category=IndustryCategory.STARTUP, municipality="札幌市")
    make_organisation(sector=Sector.ACADEMIA, municipality="室蘭市")
    make_organisation(sector=Sector.FINANCE, status=OrganisationStatus.APPLICANT)
    mix = membership_mix()
    counts = {row.key: row.count for row in mix["by_sector"]}
    assert counts["industry:startup"] == 2 and counts["academia"] == 1 and counts["finance"] == 0
    assert mix["total"] == 3
    assert [(r.label, r.count) for r in mix["by_municipality"]] == [("札幌市", 2), ("室蘭市", 1)]
    assert mix["by_municipality"][0].bar == BAR_WIDTH


def test_wards_count_for_their_city_in_the_mix(make_organisation):
    make_organisation(municipality="札幌市中央区")
    make_organisation(municipality="札幌市北区")
    make_organisation(municipality="石狩市")
    assert [(r.label, r.count) for r in membership_mix()["by_municipality"]] == [("札幌市", 2), ("石狩市", 1)]


def test_the_mix_page_draws_an_svg_chart_without_inline_styles(client, login_as, make_organisation):
    make_organisation(sector=Sector.GOVERNMENT, municipality="苫小牧市")
    login_as(Role.SECRETARIAT)
    text = client.get("/members/manage/mix").get_data(as_text=True)
    assert "<svg" in text and "<rect" in text and "苫小牧市" in text
    assert "style=" not in text


def test_the_governance_page_shows_current_offices_only(client, make_organisation):
    organisation = make_organisation("北央銀行（デモ）")
    today = date.today()
    db.session.add_all([
        Office(kind=OfficeKind.CHAIR, person_name="会長 現任", organisation=organisation, term_start=today - timedelta(days=30)),
        Office(kind=OfficeKind.BOARD, person_name="幹事 前任", term_start=today - timedelta(days=800), term_end=today - timedelta(days=1)),
    ])
    db.session.commit()
    text = client.get("/members/governance").get_data(as_text=True)
    assert "会長 現任" in text and "北央銀行（デモ）" in text and "幹事 前任" not in text


def test_the_secretariat_records_an_office(client, login_as, post_form, make_organisation):
    organisation = make_organisation("大学（デモ）")
    login_as(Role.SECRETARIAT)
    response = post_form("/members/manage/offices", {"kind": "vice_chair", "person_name": "副会長 花子",
                                                     "organisation_id": str(organisation.id), "term_start": "2026-04-01"})
    assert response.status_code == 302
    assert db.session.scalars(select(Office)).one().organisation_id == organisation.id


def test_an_office_cannot_end_before_it_starts(client, login_as, post_form):
    login_as(Role.SECRETARIAT)
    response = post_form("/members/manage/offices", {"kind": "chair", "person_name": "x", "organisation_id": "0",
                                                     "term_start": "2026-04-01", "term_end": "2025-04-01"})
    assert response.status_code == 200 and db.session.scalars(select(Office)).first() is None


def test_the_governance_page_lists_the_chair_first(client):
    today = date.today()
    db.session.add_all([Office(kind=kind, person_name=name, term_start=today) for kind, name in (
        (OfficeKind.BOARD, "幹事 一"), (OfficeKind.VICE_CHAIR, "副会長 二"), (OfficeKind.CHAIR, "会長 三"))])
    db.session.commit()
    text = client.get("/members/governance").get_data(as_text=True)
    assert text.index("会長 三") < text.index("副会長 二") < text.index("幹事 一")
