"""The matcher from stored analyses: sites and partners read in SQL (the whole set when small), or
with many ranked within the process's index of all partners (retrieved by full text while it is
being rebuilt), ranked as the library alone ranks them, following every change, at a cost that does
not grow with the catalogue."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from app.core import analyses
from app.introductions import candidates as c
from app.introductions import partner_index
from app.introductions.matcher_services import MatchFilters, match_challenge, match_trial_request
from app.startup import before_each_fork
from matching import Index, default_analyzer
from models import (IndustryCategory, MatchAnalysis, OrganisationStatus, RegionalChallenge, Role, SiteAvailability, TrialSite,
                    db)
from tests.statements import counted_statements


@pytest.fixture(params=["whole set", "retrieved", "partner index"])
def path(request, monkeypatch):
    """How the matcher finds its candidates: all of them when few; with many, within the process's
    index of all partners, or retrieved by full text while that index is not current."""
    if request.param != "whole set":
        monkeypatch.setattr(analyses, "ALL_BELOW", 0)
    if request.param == "retrieved":
        monkeypatch.setattr(partner_index, "current", lambda: None)
    return request.param


def shown(trial_request, **filters) -> list[str]:
    """Candidates shown for their text (a small set also shows the others, for place or support)."""
    return [r.id for r in match_trial_request(trial_request, MatchFilters(**filters))
            if r.reasons.components["text"] > 0]


def test_a_site_is_found_after_create_edit_and_not_after_delete(path, startup_request, make_site):
    make_site("札幌の倉庫", features_ja="物流倉庫の実験区画", technologies="logistics")
    assert all(not i.startswith("site:") or "除雪" not in i for i in shown(startup_request))
    site = make_site("石狩吹雪実験場", features_ja="吹雪の試験道路で除雪ロボットが走れる", technologies="snow_removal")
    assert f"site:{site.id}" in shown(startup_request)
    site.name_ja, site.features_ja, site.technologies = "十勝の牧場", "牛舎と牧草地", "agriculture"
    db.session.commit()
    assert f"site:{site.id}" not in shown(startup_request)
    site.features_ja = "吹雪の中で除雪ロボットの自律走行を試せる牧場"
    db.session.commit()
    assert f"site:{site.id}" in shown(startup_request)
    site_id = site.id
    db.session.delete(site)
    db.session.commit()
    assert f"site:{site_id}" not in shown(startup_request)
    assert db.session.scalar(select(MatchAnalysis).where(MatchAnalysis.kind == "site",
                                                         MatchAnalysis.item_id == site_id)) is None


def test_an_organisation_that_stops_being_a_member_is_not_proposed(path, startup_request, make_organisation):
    make_organisation("札幌の倉庫会社", description="物流倉庫の運営")
    partner = make_organisation("雪氷ロボティクス", capabilities="除雪ロボット;自律走行", description="除雪ロボットの開発")
    assert f"org:{partner.id}" in shown(startup_request)
    partner.status = OrganisationStatus.SUSPENDED
    db.session.commit()
    assert f"org:{partner.id}" not in shown(startup_request)


def test_rankings_equal_the_library_alone(path, startup_request, make_site, make_organisation):
    for i, words in enumerate(["吹雪の試験道路 除雪", "除雪ロボットの自律走行試験場", "港湾の物流倉庫", "牧草地と牛舎",
                               "雪氷冷熱の倉庫", "吹雪と視程障害の再現施設"]):
        make_site(f"施設{i}", features_ja=words, latitude=43.0 + i / 10, longitude=141.3 + i / 10)
    for i, words in enumerate(["除雪ロボットの開発", "自律走行のソフトウェア", "物流", "酪農機械"]):
        make_organisation(f"団体{i}", description=words, capabilities=words)
    area = c.request_area(startup_request)
    query = c.request_query(startup_request, area, None)
    years = c.query_years(query)
    pool = ([c.site_candidate(s, years, s.periods) for s in db.session.scalars(select(TrialSite).order_by(TrialSite.id))]
            + [c.organisation_candidate(o) for o in c.partner_organisations(startup_request.organisation_id, False)])
    alone = [(r.id, r.score) for r in Index.build(pool, analyzer=default_analyzer()).rank(query, limit=10)]
    got = match_trial_request(startup_request, MatchFilters())
    if path != "retrieved":
        assert [(r.id, r.score) for r in got] == alone
    else:  # the full-text index retrieves the candidates that share a term with the request
        texts = {r.id for r in Index.build(pool, analyzer=default_analyzer()).rank(query, limit=10)
                 if r.reasons.components["text"] > 0}
        assert [(r.id, r.score) for r in got if r.id in texts] == [(i, s) for i, s in alone if i in texts]
        assert texts


def test_the_matcher_page_costs_the_same_at_5_and_50_sites(path, client, login_as, secretariat, startup_request,
                                                         make_site):
    login_as(secretariat)
    url = f"/introductions/match/request/{startup_request.id}"
    counts = []
    for total in (5, 50):
        while db.session.scalar(select(db.func.count(TrialSite.id))) < total:
            make_site(features_ja="吹雪の試験道路で除雪ロボットが走れる", technologies="snow_removal",
                      periods=[(12, 3)])
        assert client.get(url).status_code == 200
        statements: list[str] = []

        def capture(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_run_is_stored_after_the_ranking_in_its_own_transaction(client, login_as, secretariat, startup_request,
                                                                   owned_site):
    login_as(secretariat)
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper() + " " + statement[:60])

    def commit(conn):
        statements.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", capture)
    event.listen(db.engine, "commit", commit)
    try:
        assert client.get(f"/introductions/match/request/{startup_request.id}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
        event.remove(db.engine, "commit", commit)
    first_insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT") and "match_runs" in s)
    last_retrieval = max(i for i, s in enumerate(statements) if "match_analyses" in s)
    assert last_retrieval < first_insert
    assert "COMMIT" in statements[last_retrieval:first_insert]


@pytest.fixture
def many_partners(monkeypatch):
    """As with more partners than the matcher ranks whole: the process's index of all partners is used."""
    monkeypatch.setattr(analyses, "ALL_BELOW", 0)


def test_the_partner_index_is_kept_until_a_site_or_its_availability_changes(many_partners, startup_request, make_site):
    year = dt.date.today().year
    startup_request.period_start, startup_request.period_end = dt.date(year, 1, 10), dt.date(year, 2, 20)
    db.session.commit()
    site = make_site("石狩吹雪実験場", features_ja="吹雪の試験道路で除雪ロボットが走れる", technologies="snow_removal",
                     periods=[(12, 3)])
    assert f"site:{site.id}" in shown(startup_request)  # the index is built with the site
    with counted_statements() as seen:
        assert f"site:{site.id}" in shown(startup_request)
    assert seen and not any("match_analyses" in s for s in seen)  # ranked in the kept index, nothing retrieved
    # Only the availability rows change (the site row does not): summer only, not for January and February.
    period = db.session.scalar(select(SiteAvailability).where(SiteAvailability.site_id == site.id))
    period.start_month, period.end_month = 6, 8
    db.session.commit()
    assert f"site:{site.id}" not in shown(startup_request)
    db.session.add(SiteAvailability(site_id=site.id, start_month=11, end_month=2))
    db.session.commit()
    assert f"site:{site.id}" in shown(startup_request)
    db.session.delete(db.session.scalar(select(SiteAvailability).where(SiteAvailability.start_month == 11)))
    db.session.commit()
    assert f"site:{site.id}" not in shown(startup_request)


def test_a_period_beyond_the_index_years_is_matched_by_retrieval(many_partners, startup_request, make_site):
    later = dt.date.today().year + partner_index.YEARS_AHEAD + 3
    startup_request.period_start, startup_request.period_end = dt.date(later, 1, 10), dt.date(later, 2, 20)
    db.session.commit()
    winter = make_site("石狩吹雪実験場", features_ja="吹雪の試験道路で除雪ロボットが走れる", periods=[(12, 3)])
    summer = make_site("夏の除雪ロボット試験場", features_ja="除雪ロボットの自律走行を夏に試せる", periods=[(6, 8)])
    with counted_statements() as seen:
        found = shown(startup_request)
    assert f"site:{winter.id}" in found and f"site:{summer.id}" not in found
    assert any("match_analyses" in s for s in seen)


def test_the_secretariat_s_organisation_is_not_proposed_from_the_kept_index(many_partners, startup_request,
                                                                           make_organisation, make_user):
    partner = make_organisation("雪氷ロボティクス", capabilities="除雪ロボット;自律走行", description="除雪ロボットの開発")
    assert f"org:{partner.id}" in shown(startup_request)
    make_user(Role.SECRETARIAT, organisation=partner)  # the organisation itself does not change
    assert f"org:{partner.id}" not in shown(startup_request)


def test_a_startup_still_applying_is_a_partner_of_challenges_only(many_partners, make_organisation, make_request,
                                                                  make_user):
    startup = make_organisation("除雪ロボのスタートアップ", status=OrganisationStatus.APPLICANT,
                                category=IndustryCategory.STARTUP, description="除雪ロボットの自律走行を開発")
    asking = make_user(Role.MEMBER)
    trial_request = make_request(asking, title="除雪ロボットの実証", municipality="石狩市")
    challenge = RegionalChallenge(organisation_id=asking.organisation_id, title="除雪ロボットで通学路の除雪",
                                  description="除雪ロボットの自律走行で朝の通学路を除雪したい", municipality="石狩市")
    db.session.add(challenge)
    db.session.commit()
    assert f"org:{startup.id}" not in shown(trial_request)
    assert f"org:{startup.id}" in [r.id for r in match_challenge(challenge, MatchFilters())]


def test_gunicorn_s_master_brings_its_partner_index_up_to_date_before_each_fork(many_partners, app, make_site):
    def fork():  # as in gunicorn's master, no transaction is open
        db.session.close()
        before_each_fork(app)

    first = make_site("石狩吹雪実験場", features_ja="吹雪の試験道路で除雪ロボットが走れる").id
    fork()
    kept = partner_index._kept
    assert kept is not None and f"site:{first}" in kept.index.position
    fork()
    assert partner_index._kept is kept  # nothing changed: kept as it is
    second = make_site("夏の除雪ロボット試験場", features_ja="除雪ロボットの自律走行を夏に試せる").id
    fork()
    assert f"site:{second}" in partner_index._kept.index.position
