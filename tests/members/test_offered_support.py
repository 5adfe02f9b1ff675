"""Organisations state the support they give field trials; the matcher uses it instead of the sector's usual support."""
from __future__ import annotations

import re

from app.introductions.candidates import SUPPORT_BY_SECTOR, organisation_candidate
from models import Role, Sector


def test_an_org_admin_states_the_support_it_offers_and_the_profile_shows_it(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {
        "name_ja": "支援団体（デモ）", "sector": "industry", "support": ["funding", "monitors"]})
    assert response.status_code == 302
    assert organisation.offered_support == ["monitors", "funding"]  # kept in the order of the kinds
    page = client.get(f"/members/{organisation.id}").get_data(as_text=True)
    assert "実証実験への支援" in page and "モニター募集" in page and "外部資金獲得" in page


def test_the_edit_form_shows_the_stated_support_ticked(client, login_as, org_with_people):
    organisation, admin, _ = org_with_people()
    organisation.offered_support = ["permits"]
    login_as(admin)
    page = client.get(f"/members/{organisation.id}/edit").get_data(as_text=True)
    ticked = re.findall(r'<input checked[^>]*name="support"[^>]*value="(\w+)"', page)
    assert ticked == ["permits"]


def test_an_unknown_kind_of_support_is_refused_and_nothing_is_saved(client, login_as, post_form, org_with_people):
    organisation, admin, _ = org_with_people()
    login_as(admin)
    response = post_form(f"/members/{organisation.id}/edit", {
        "name_ja": "変えない（デモ）", "sector": "industry", "support": ["funding", "bribes"]})
    assert response.status_code == 200
    assert organisation.offered_support == [] and organisation.name_ja != "変えない（デモ）"


def test_another_organisations_member_cannot_state_its_support(client, login_as, post_form, org_with_people):
    organisation, _, _ = org_with_people()
    login_as(Role.MEMBER)
    response = post_form(f"/members/{organisation.id}/edit", {"name_ja": "x", "sector": "industry",
                                                              "support": ["funding"]},
                         form_page=f"/members/{organisation.id}")
    assert response.status_code in (403, 404) and organisation.offered_support == []


def test_the_matcher_uses_the_stated_support_and_the_sector_rule_otherwise(make_organisation):
    bank = make_organisation("北の銀行（デモ）", sector=Sector.FINANCE)
    assert organisation_candidate(bank).support == list(SUPPORT_BY_SECTOR[Sector.FINANCE])
    bank.offered_support = ["monitors", "pr"]
    assert organisation_candidate(bank).support == ["monitors", "pr"]
