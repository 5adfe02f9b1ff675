"""Organisations state where they work (issue 19, service areas): the profile form checks the places
against the gazetteer, and the matcher receives the area as the candidate's fields."""
from __future__ import annotations

import html

from app.introductions.candidates import organisation_candidate
from models import Role

BASE = {"name_ja": "富良野ドローン（デモ）", "sector": "industry"}


def test_an_org_admin_lists_the_places_it_works_in_and_the_matcher_gets_them(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {
        **BASE, "service_scope": "municipalities", "service_area": "富良野市、中富良野町, Kamikawa"})
    assert response.status_code == 302
    assert organisation.service_scope == "municipalities"
    assert organisation.service_area == "富良野市;中富良野町;Kamikawa"
    assert organisation_candidate(organisation).service_area == ["富良野市", "中富良野町", "Kamikawa"]
    page = client.get(f"/members/{organisation.id}").get_data(as_text=True)
    assert "挙げた地域のみ: 富良野市、中富良野町、Kamikawa" in html.unescape(page)
    edit_page = html.unescape(client.get(f"/members/{organisation.id}/edit").get_data(as_text=True))
    assert 'value="富良野市、中富良野町、Kamikawa"' in edit_page


def test_an_unknown_place_is_refused_with_everything_typed_kept(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {
        **BASE, "service_scope": "municipalities", "service_area": "富良野市、アトランティス"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "北海道内の地名として見つかりません：アトランティス" in page
    assert 'value="富良野市、アトランティス"' in page and 'value="富良野ドローン（デモ）"' in page
    assert organisation.service_scope == "" and organisation.name_ja != BASE["name_ja"]


def test_a_list_scope_needs_places(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "municipalities", "service_area": ""})
    assert response.status_code == 200 and "対応する市町村・振興局・地域を入れてください。" in response.get_data(as_text=True)


def test_a_radius_needs_a_distance_and_the_office_point(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    no_point = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "radius", "service_radius_km": "40"})
    assert no_point.status_code == 200 and "上の緯度・経度を入れてください" in no_point.get_data(as_text=True)
    no_distance = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "radius", "latitude": "43.34",
                                                                 "longitude": "142.38"})
    assert no_distance.status_code == 200 and "距離をkmで入れてください。" in no_distance.get_data(as_text=True)
    assert organisation.service_scope == ""
    saved = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "radius", "service_radius_km": "40",
                                                           "latitude": "43.34", "longitude": "142.38",
                                                           "service_area": "富良野市"})
    assert saved.status_code == 302
    assert (organisation.service_scope, organisation.service_radius_km, organisation.service_area) == ("radius", 40, "")
    assert organisation_candidate(organisation).service_radius_km == 40.0


def test_a_scope_without_a_list_drops_the_stale_places(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    organisation.service_scope, organisation.service_area = "municipalities", "富良野市"
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "hokkaido", "service_area": "富良野市"})
    assert response.status_code == 302
    assert (organisation.service_scope, organisation.service_area) == ("hokkaido", "")
    assert organisation_candidate(organisation).service_scope == "hokkaido"


def test_another_organisations_member_cannot_set_its_area(client, login_as, post_form, org_with_people):
    organisation, _, _ = org_with_people()
    login_as(Role.MEMBER)
    response = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "nationwide"},
                         form_page=f"/members/{organisation.id}")
    assert response.status_code in (403, 404) and organisation.service_scope == ""


def test_the_secretariat_sets_an_organisations_area(client, login_as, post_form, org_with_people):
    organisation, _, _ = org_with_people()
    login_as(Role.SECRETARIAT)
    response = post_form(f"/members/{organisation.id}/edit", {**BASE, "service_scope": "municipalities",
                                                              "service_area": "十勝"})
    assert response.status_code == 302 and organisation.service_area == "十勝"
