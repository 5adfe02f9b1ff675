"""The needs list's count for a one-word search comes from the corpus's term counts plus the viewer's
own needs outside their corpus (app.needs.queries.count_matching): it must equal the count of the
list itself for every kind of viewer, whatever the needs' status and confidentiality."""
from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from app.needs.permissions import visible_needs
from app.needs.queries import count_matching, needs_matching
from models import Confidentiality, NeedStatus, RegulatoryNeed, Role, db

PLAIN = dict(business="", relief="", law_name="", law_article="", evidence="", tags="", public_summary="")
WORDS = ["ドローン", "drone", "水素", "除雪"]


def listed_count(q: str, viewer) -> int:
    return db.session.scalar(select(func.count()).select_from(visible_needs(viewer).where(needs_matching(q, viewer)).subquery()))


@pytest.fixture
def needs(make_need, make_user, make_organisation):
    """Needs of three organisations in every status and confidentiality; the secretariat's own
    organisation has a draft. Returns the viewers."""
    member, applicant = make_user(Role.MEMBER), make_user(Role.APPLICANT)
    secretariat = make_user(Role.SECRETARIAT, organisation=make_organisation("事務局（テスト）"))
    other = make_user(Role.MEMBER)
    for owner in (member, applicant, other, secretariat):
        for status in (NeedStatus.DRAFT, NeedStatus.RECEIVED, NeedStatus.WITHDRAWN):
            for level in Confidentiality:
                for title, obstacle in (("ドローン物流の実証", "目視外飛行の許可"), ("水素ステーションの設置", "保安距離"),
                                        ("除雪ロボットの公道走行", "ドローンによる除雪の監視")):
                    make_need(owner, **{**PLAIN, "title": f"{title} {status.value} {level.value}", "obstacle": obstacle},
                              status=status, confidentiality=level)
    return {"public": AnonymousUserMixin(), "applicant": applicant, "member": member, "secretariat": secretariat}


@pytest.mark.parametrize("who", ["public", "applicant", "member", "secretariat"])
def test_the_count_of_a_one_word_search_is_the_count_of_the_list(who, needs):
    viewer = needs[who]
    for q in WORDS:
        counted = count_matching(q, viewer)
        assert counted is not None, q
        assert counted == listed_count(q, viewer) > 0, (who, q)


@pytest.mark.parametrize("who", ["public", "applicant", "member", "secretariat"])
def test_the_count_of_a_list_without_drafts_is_the_count_of_that_list(who, needs):
    """The secretariat's manage list leaves drafts out (its own organisation's too)."""
    viewer = needs[who]
    for q in WORDS:
        submitted = visible_needs(viewer).where(RegulatoryNeed.status != NeedStatus.DRAFT, needs_matching(q, viewer))
        listed = db.session.scalar(select(func.count()).select_from(submitted.subquery()))
        assert count_matching(q, viewer, submitted_only=True) == listed > 0, (who, q)
        assert listed < count_matching(q, viewer) or who == "public", (who, q)  # drafts were counted before


def test_the_manage_list_is_paginated_by_that_count(client, login_as, needs, app, monkeypatch):
    monkeypatch.setitem(app.config, "ITEMS_PER_PAGE", 5)
    staff = login_as(needs["secretariat"])
    submitted = visible_needs(staff).where(RegulatoryNeed.status != NeedStatus.DRAFT, needs_matching("ドローン", staff))
    pages = -(-db.session.scalar(select(func.count()).select_from(submitted.subquery())) // 5)
    assert pages > 1
    last = client.get("/needs/manage/", query_string={"q": "ドローン", "page": pages}).get_data(as_text=True)
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert 'rel="next"' in client.get("/needs/manage/", query_string={"q": "ドローン", "page": pages - 1}).get_data(as_text=True)


def test_searches_of_several_terms_or_of_columns_are_counted_by_the_list(needs):
    member = needs["member"]
    assert count_matching("ドローン 除雪", member) is None  # two terms: their intersection is not counted ahead
    assert count_matching("132", member) is None  # a number: looked for in the columns
    assert count_matching("", member) is None


def test_the_page_is_paginated_by_that_count(client, login_as, needs, app, monkeypatch):
    monkeypatch.setitem(app.config, "ITEMS_PER_PAGE", 5)
    member = login_as(needs["member"])
    pages = -(-listed_count("ドローン", member) // 5)
    assert pages > 1
    last = client.get("/needs/", query_string={"q": "ドローン", "page": pages}).get_data(as_text=True)
    assert 'rel="prev"' in last and 'rel="next"' not in last  # the last page is the list's last
    assert 'rel="next"' in client.get("/needs/", query_string={"q": "ドローン", "page": pages - 1}).get_data(as_text=True)


def listed_ids(q: str, viewer) -> list[int]:
    from models import RegulatoryNeed
    stmt = (visible_needs(viewer).where(needs_matching(q, viewer))
            .order_by(RegulatoryNeed.updated_at.desc(), RegulatoryNeed.id.desc()))
    return [n.id for n in db.session.scalars(stmt)]


@pytest.mark.parametrize("who", ["public", "applicant", "member", "secretariat"])
def test_a_common_word_tested_need_by_need_finds_the_list_of_its_holders(who, needs, monkeypatch):
    """A word held by many of the corpus's needs is tested row by row (EXISTS), newest first; a rarer
    one lists its holders (IN). Both must give the same needs in the same order."""
    from app.needs import queries
    viewer = needs[who]
    for q in WORDS:
        assert queries._is_common(q, viewer), q  # in this small corpus every word is common
        row_by_row = listed_ids(q, viewer)
        monkeypatch.setattr(queries, "COMMON_SHARE", 0)  # nothing is common: the holders are listed
        assert not queries._is_common(q, viewer)
        assert listed_ids(q, viewer) == row_by_row != [], (who, q)
        monkeypatch.undo()
