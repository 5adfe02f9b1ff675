"""The member directory: search, filters, pagination and the visible scope."""
from __future__ import annotations

import re

from app.members.directory_queries import municipalities, popular_tags
from models import OrganisationStatus, Role, Sector


def test_search_finds_an_organisation_by_a_capability_tag_in_half_width_kana(client, login_as, make_organisation):
    make_organisation("エゾドローン（デモ）", capability_tags={"technologies": ["ドローン", "目視外飛行"]})
    make_organisation("水素工業（デモ）", capability_tags={"technologies": ["水素"]})
    login_as(Role.MEMBER)
    text = client.get("/members/?q=ﾄﾞﾛｰﾝ").get_data(as_text=True)
    assert "エゾドローン（デモ）" in text and "水素工業（デモ）" not in text


def test_search_never_shows_organisations_outside_the_visible_scope(client, login_as, make_organisation):
    make_organisation("申請中ドローン（デモ）", status=OrganisationStatus.APPLICANT, capabilities="ドローン")
    make_organisation("会員ドローン（デモ）", capabilities="ドローン")
    login_as(Role.MEMBER)
    text = client.get("/members/?q=ドローン").get_data(as_text=True)
    assert "会員ドローン（デモ）" in text and "申請中ドローン（デモ）" not in text


def test_the_secretariat_can_list_applicants_with_the_status_filter(client, login_as, make_organisation):
    make_organisation("申請中（デモ）", status=OrganisationStatus.APPLICANT)
    login_as(Role.SECRETARIAT)
    assert "申請中（デモ）" in client.get("/members/?status=applicant").get_data(as_text=True)


def test_sector_and_municipality_filters_narrow_the_list(client, login_as, make_organisation):
    make_organisation("札幌銀行（デモ）", sector=Sector.FINANCE, municipality="札幌市中央区")
    make_organisation("岩見沢農協（デモ）", sector=Sector.INDUSTRY, municipality="岩見沢市")
    login_as(Role.MEMBER)
    text = client.get("/members/?sector=finance").get_data(as_text=True)
    assert "札幌銀行（デモ）" in text and "岩見沢農協（デモ）" not in text
    text = client.get("/members/?municipality=岩見沢市").get_data(as_text=True)
    assert "岩見沢農協（デモ）" in text and "札幌銀行（デモ）" not in text


def test_tag_filter_shows_only_tagged_organisations(client, login_as, make_organisation):
    make_organisation("タグあり（デモ）", capability_tags={"facilities": ["風洞"]})
    make_organisation("タグなし（デモ）")
    login_as(Role.MEMBER)
    text = client.get("/members/?tag=風洞").get_data(as_text=True)
    assert "タグあり（デモ）" in text and "タグなし（デモ）" not in text


def test_the_directory_is_paginated(client, login_as, make_organisation, app):
    for number in range(app.config["ITEMS_PER_PAGE"] + 3):
        make_organisation(f"団体{number:03d}（デモ）")
    login_as(Role.SECRETARIAT)
    first = client.get("/members/").get_data(as_text=True)
    second = client.get("/members/?page=2").get_data(as_text=True)
    assert "団体000（デモ）" in first and "団体000（デモ）" not in second
    assert 'rel="next"' in first


def test_search_results_are_paginated_in_rank_order(client, login_as, make_organisation, app):
    """The ranking is read once; each page shows its slice of it, best first, and says how many in all."""
    per_page = app.config["ITEMS_PER_PAGE"]
    make_organisation("ドローン（デモ）", capabilities="ドローン")  # the word in the name ranks first
    for number in range(per_page + 2):
        make_organisation(f"団体{number:03d}（デモ）", capabilities=f"ドローン 点検 {number}")
    login_as(Role.MEMBER)
    first = client.get("/members/?q=ドローン").get_data(as_text=True)
    second = client.get("/members/?q=ドローン&page=2").get_data(as_text=True)
    shown = [re.findall(r"団体\d{3}（デモ）", page) for page in (first, second)]
    assert first.index("ドローン（デモ）") < first.index(shown[0][0])
    assert len(set(shown[0])) == per_page - 1 and len(set(shown[1])) == 3
    assert not set(shown[0]) & set(shown[1])
    assert f"{per_page + 3} 団体" in first and 'rel="next"' in first and 'rel="prev"' in second
    beyond = client.get("/members/?q=ドローン&page=99").get_data(as_text=True)  # the last page
    assert set(re.findall(r"団体\d{3}（デモ）", beyond)) == set(shown[1])


def test_popular_tags_lead_into_browsing_and_give_way_to_what_matched_in_search_results(client, login_as,
                                                                                      make_organisation):
    make_organisation("風洞研究所（デモ）", capability_tags={"facilities": ["風洞"]})
    login_as(Role.MEMBER)
    assert "よく使われるタグ" in client.get("/members/").get_data(as_text=True)
    results = client.get("/members/?q=風洞").get_data(as_text=True)
    assert "風洞研究所（デモ）" in results and "よく使われるタグ" not in results


def test_an_empty_search_says_so(client, login_as):
    login_as(Role.MEMBER)
    assert "該当する団体がありません" in client.get("/members/?q=存在しない言葉").get_data(as_text=True)


def test_search_results_say_what_matched(client, login_as, make_organisation):
    make_organisation("北斗建設（デモ）", municipality="苫小牧市")
    login_as(Role.MEMBER)
    assert "一致した項目" in client.get("/members/?q=苫小牧").get_data(as_text=True)


def test_an_org_admin_edits_the_profile_and_tags(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {
        "name_ja": "新名称（デモ）", "sector": "industry", "category": "startup", "technologies": "AI、画像認識; AI",
        "website": "https://example.org"})
    assert response.status_code == 302
    assert organisation.name_ja == "新名称（デモ）"
    assert organisation.tags_of("technologies") == ["AI", "画像認識"]


def test_a_bad_profile_keeps_the_input_and_explains(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {"name_ja": "", "sector": "industry", "capabilities": "残る文章"})
    assert response.status_code == 200
    assert "残る文章" in response.get_data(as_text=True)


def test_a_javascript_website_is_refused(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {"name_ja": "x", "sector": "industry",
                                                              "website": "javascript://example.org/%0aalert(1)"})
    assert response.status_code == 200 and organisation.website == ""


def test_an_imported_non_http_website_is_not_rendered_as_a_link(client, login_as, make_organisation):
    organisation = make_organisation(website="javascript:alert(1)")
    login_as(Role.MEMBER)
    assert 'href="javascript' not in client.get(f"/members/{organisation.id}").get_data(as_text=True)


def test_popular_tags_are_counted_in_sql_over_active_visible_organisations(member, make_organisation):
    make_organisation("風力（デモ）", capability_tags={"technologies": ["水素", "風力"], "data": ["気象"]}, municipality="石狩市")
    make_organisation("水素（デモ）", capability_tags={"facilities": ["水素"]}, municipality="苫小牧市")
    make_organisation("申請中（デモ）", status=OrganisationStatus.APPLICANT, capability_tags={"technologies": ["未公開の技術"]})
    make_organisation("空（デモ）", capability_tags={})
    assert popular_tags(member) == ["水素", "気象", "風力"]  # the most used first, then by name
    assert popular_tags(member, limit=1) == ["水素"]
    assert {"石狩市", "苫小牧市"} <= set(municipalities(member))
