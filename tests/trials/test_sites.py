"""The trial-site catalogue: public list with filters, and who may add or edit sites."""
from __future__ import annotations

import pytest

from models import Role, SiteKind, TrialSite, db


def test_anonymous_visitors_see_the_site_list_and_a_site(client, make_site):
    site = make_site("石狩吹雪実験場", technologies="blizzard;winter_road")
    assert "石狩吹雪実験場" in client.get("/trials/sites").get_data(as_text=True)
    assert "blizzard" in client.get(f"/trials/sites/{site.id}").get_data(as_text=True)


@pytest.mark.parametrize("query, shown, hidden", [
    ("kind=farm", "岩見沢農場", "石狩試験道路"),
    ("municipality=岩見沢", "岩見沢農場", "石狩試験道路"),
    ("technology=blizzard", "石狩試験道路", "岩見沢農場"),
    ("season=winter", "石狩試験道路", "岩見沢農場"),
    ("season=summer", "岩見沢農場", "石狩試験道路"),
    ("q=ロボットトラクター", "岩見沢農場", "石狩試験道路"),
    ("q=robot tractor", "岩見沢農場", "石狩試験道路"),  # either language: the stored analysis
])
def test_site_list_filters(client, make_site, query, shown, hidden):
    make_site("石狩試験道路", kind=SiteKind.TEST_ROAD, technologies="blizzard;winter_road", periods=[(12, 3)])
    make_site("岩見沢農場", kind=SiteKind.FARM, municipality="岩見沢市", technologies="robot_tractor",
              features_ja="ロボットトラクターの実証", periods=[(4, 10)])
    html = client.get(f"/trials/sites?{query}").get_data(as_text=True)
    assert shown in html and hidden not in html


def test_a_site_without_periods_is_available_in_every_season(client, make_site):
    make_site("通年施設")
    assert "通年施設" in client.get("/trials/sites?season=winter").get_data(as_text=True)


def test_site_list_is_paginated(app, client, make_site):
    for i in range(app.config["ITEMS_PER_PAGE"] + 2):
        make_site(f"サイト{i:03d}", code=f"T{i:03d}")
    first = client.get("/trials/sites").get_data(as_text=True)
    second = client.get("/trials/sites?page=2").get_data(as_text=True)
    assert "サイト000" in first and "サイト000" not in second and 'rel="next"' in first


def test_unknown_filter_values_are_ignored(client, make_site):
    make_site("どこかの施設")
    assert "どこかの施設" in client.get("/trials/sites?kind=nonsense&season=monsoon").get_data(as_text=True)


def test_member_adds_a_site_its_organisation_owns(client, login_as, member, post_form):
    login_as(member)
    response = post_form("/trials/sites/new", {
        "name_ja": "会員の雪原", "kind": "snowfield", "municipality": "当別町", "technologies": "snow;drone",
        "periods-0-start_month": "12", "periods-0-end_month": "3", "periods-1-start_month": "0", "periods-1-end_month": "0",
        "periods-2-start_month": "0", "periods-2-end_month": "0",
    })
    assert response.status_code == 302
    site = db.session.scalars(db.select(TrialSite)).one()
    assert site.owner_organisation_id == member.organisation_id
    assert [(p.start_month, p.end_month) for p in site.periods] == [(12, 3)]


def test_bad_site_input_keeps_what_was_typed(client, login_as, member, post_form):
    login_as(member)
    response = post_form("/trials/sites/new", {"name_ja": "書きかけの施設", "kind": "farm", "municipality": "",
                                               "latitude": "43.1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "書きかけの施設" in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("applicant", 403)])
def test_site_creation_is_denied(client, login_as, applicant, who, expected):
    if who == "applicant":
        login_as(applicant)
    assert client.get("/trials/sites/new").status_code == expected


def test_member_cannot_edit_another_organisations_site(client, login_as, member, make_organisation, make_site):
    site = make_site("他団体の施設", owner=make_organisation())
    login_as(member)
    assert client.get(f"/trials/sites/{site.id}/edit").status_code == 403


def test_member_cannot_edit_a_site_the_secretariat_keeps(client, login_as, member, make_site):
    site = make_site("事務局管理の施設")
    login_as(member)
    assert client.get(f"/trials/sites/{site.id}/edit").status_code == 403


def test_secretariat_edits_any_site(client, login_as, secretariat, make_organisation, make_site, post_form):
    site = make_site("古い名前", owner=make_organisation())
    login_as(secretariat)
    response = post_form(f"/trials/sites/{site.id}/edit", {"name_ja": "新しい名前", "kind": "farm", "municipality": "江別市"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(site)
    assert site.name_ja == "新しい名前" and site.kind == SiteKind.FARM and site.periods == []


def test_owner_edits_its_own_site(client, login_as, member, make_site, post_form):
    site = make_site("自社の施設", owner=member.organisation)
    login_as(member)
    assert post_form(f"/trials/sites/{site.id}/edit", {"name_ja": "自社の施設2", "kind": "farm",
                                                       "municipality": "江別市"}).status_code == 302


def test_member_role_check_uses_role_not_just_organisation(make_user, make_site):
    from app.trials.permissions import can_edit_site

    applicant = make_user(Role.APPLICANT)
    site = make_site("申請者の施設", owner=applicant.organisation)
    assert not can_edit_site(applicant, site)
