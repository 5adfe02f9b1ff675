"""The matcher from stored analyses: sites and partners retrieved in SQL (the whole set when small,
the full-text index when large), ranked as the library alone ranks them, following every change,
at a cost that does not grow with the catalogue."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from app.core import analyses
from app.introductions import candidates as c
from app.introductions.matcher_services import MatchFilters, match_trial_request
from matching import Index, default_analyzer
from models import MatchAnalysis, OrganisationStatus, TrialSite, db


@pytest.fixture(params=["whole set", "retrieved"])
def path(request, monkeypatch):
    if request.param == "retrieved":
        monkeypatch.setattr(analyses, "ALL_BELOW", 0)
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
    if path == "whole set":
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
