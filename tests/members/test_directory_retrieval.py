"""The directory's search at size: its meaning comes from the organisations' stored analyses,
retrieved for the query, or ranked within the process's index of all partners, which holds every
active organisation (both forced here with ALL_BELOW = 0, as for a directory of more than
analyses.ALL_BELOW organisations), and a search analyses its own words only."""
from __future__ import annotations

import pytest

from app.core import analyses
from app.introductions import partner_index
from app.members import search_queries
from matching import Index
from models import OrganisationStatus, Role
from tests.statements import statement_count


@pytest.fixture(params=["whole scope", "retrieved", "partner index"])
def path(request, monkeypatch):
    if request.param != "whole scope":
        monkeypatch.setattr(analyses, "ALL_BELOW", 0)
    if request.param == "retrieved":
        monkeypatch.setattr(partner_index, "current", lambda: None)
    return request.param


def test_an_english_word_finds_a_japanese_profile(path, client, login_as, make_organisation):
    make_organisation("道央電力（デモ）", capabilities="水素の製造と貯蔵", description="燃料電池の実証")
    make_organisation("北央銀行（デモ）", capabilities="投資 融資")
    login_as(Role.MEMBER)
    text = client.get("/members/?q=hydrogen").get_data(as_text=True)
    assert "道央電力（デモ）" in text and "北央銀行（デモ）" not in text


def test_retrieval_keeps_the_visible_scope(path, client, login_as, make_organisation):
    make_organisation("申請中水素（デモ）", status=OrganisationStatus.APPLICANT, capabilities="水素の製造")
    make_organisation("退会水素（デモ）", status=OrganisationStatus.WITHDRAWN, capabilities="水素の製造")
    make_organisation("会員水素（デモ）", capabilities="水素の製造")
    login_as(Role.MEMBER)
    text = client.get("/members/?q=hydrogen").get_data(as_text=True)
    assert "会員水素（デモ）" in text
    assert "申請中水素（デモ）" not in text and "退会水素（デモ）" not in text


def test_a_search_analyses_only_its_own_words(path, client, login_as, make_organisation, monkeypatch):
    for i in range(3):
        make_organisation(f"水素{i}（デモ）", capabilities="水素の製造と貯蔵")
    login_as(Role.MEMBER)

    def refuse(*args, **kwargs):
        raise AssertionError("a stored profile was analysed during the search")

    monkeypatch.setattr(analyses.analyzer(), "analyze_candidate", refuse)
    monkeypatch.setattr(analyses.analyzer(), "analyze_tag", refuse)
    text = client.get("/members/?q=hydrogen").get_data(as_text=True)
    assert all(f"水素{i}（デモ）" in text for i in range(3))


def test_an_edited_profile_is_found_by_its_new_words_at_once(path, client, login_as, make_organisation):
    from models import db

    organisation = make_organisation("改名前（デモ）", capabilities="融資")
    login_as(Role.MEMBER)
    assert "改名前（デモ）" not in client.get("/members/?q=hydrogen").get_data(as_text=True)
    organisation.capabilities = "水素の製造"
    db.session.commit()
    assert "改名前（デモ）" in client.get("/members/?q=hydrogen").get_data(as_text=True)


def test_an_edited_profile_is_no_longer_found_by_its_old_words(path, client, login_as, make_organisation):
    """The search keeps organisations' normalised fields between requests (by id and version): an
    edit is read again at the next search, the old words no longer find it (literally or fuzzily)."""
    from models import db

    organisation = make_organisation("旧名称ゆきみらい（デモ）", capabilities="融資 infrastructure")
    other = make_organisation("別団体（デモ）", capabilities="農業")
    login_as(Role.MEMBER)
    assert "旧名称ゆきみらい（デモ）" in client.get("/members/?q=infrastructre").get_data(as_text=True)  # a typo
    organisation.name_ja, organisation.capabilities = "新名称（デモ）", "水素の製造"
    other.capabilities = "融資"
    db.session.commit()
    for old in ("infrastructre", "ゆきみらい"):
        assert "新名称（デモ）" not in client.get(f"/members/?q={old}").get_data(as_text=True)
    text = client.get("/members/?q=融資").get_data(as_text=True)
    assert "別団体（デモ）" in text and "新名称（デモ）" not in text


def test_with_many_partners_the_search_ranks_within_their_index(path, client, login_as, make_organisation, monkeypatch):
    """No index is built for a search when the process's index of all partners is current; the other
    paths build one of the organisations in scope (all, or those retrieved)."""
    make_organisation("道央電力（デモ）", capabilities="水素の製造と貯蔵", description="燃料電池の実証")
    login_as(Role.MEMBER)
    client.get("/members/?q=hydrogen")  # the index of all partners built, when it is used
    built, build = [], Index.build
    monkeypatch.setattr(search_queries.Index, "build", staticmethod(lambda *a, **k: built.append(1) or build(*a, **k)))
    assert "道央電力（デモ）" in client.get("/members/?q=hydrogen").get_data(as_text=True)
    assert built == ([] if path == "partner index" else [1])


def test_the_index_of_partners_is_not_used_for_other_statuses(path, client, login_as, make_organisation):
    """Applicants and withdrawn organisations are not all in the index of partners: a search among
    them (the secretariat's status filter) retrieves as before."""
    make_organisation("申請中水素（デモ）", status=OrganisationStatus.APPLICANT, capabilities="水素の製造")
    make_organisation("会員水素（デモ）", capabilities="水素の製造")
    login_as(Role.SECRETARIAT)
    text = client.get("/members/?q=hydrogen&status=applicant").get_data(as_text=True)
    assert "申請中水素（デモ）" in text and "会員水素（デモ）" not in text


def test_a_hostile_search_gets_an_answer_not_an_error(path, client, login_as, make_organisation):
    """On every path: NUL bytes are refused with a message; 100 KB of words are searched by their first
    characters; a huge page number or a number as the search gives a page."""
    make_organisation("道央電力（デモ）", capabilities="水素の製造と貯蔵")
    login_as(Role.MEMBER)
    refused = client.get("/members/", query_string={"q": "水素\x00製造"})
    assert refused.status_code == 400 and "制御文字（NUL など）" in refused.get_data(as_text=True)
    long = client.get("/members/", query_string={"q": "水素 " * 20_000, "page": "9" * 40})
    assert long.status_code == 200 and "道央電力（デモ）" in client.get(
        "/members/", query_string={"q": "水素 " * 20_000}).get_data(as_text=True)
    number = client.get("/members/", query_string={"q": "9" * 400})
    assert number.status_code == 200 and "道央電力（デモ）" not in number.get_data(as_text=True)


def test_a_search_sends_as_many_statements_with_5_as_with_50_organisations(path, client, login_as, make_organisation):
    """On every path the search reads what it shows: no statement per organisation, retrieved or ranked."""
    login_as(Role.MEMBER)
    counts, made = [], 0
    for total in (5, 50):
        for _ in range(total - made):
            make_organisation(f"水素{made}（デモ）", capabilities="水素の製造と貯蔵")
            made += 1
        counts.append(statement_count(client, "/members/?q=水素"))
    assert counts[0] == counts[1], counts
