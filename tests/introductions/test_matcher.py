"""The secretariat's matcher page: ranked candidates with reasons, stored suggestions, introductions."""
from __future__ import annotations

import pytest

from models import (
    Introduction,
    IntroductionStatus,
    MatchRun,
    MatchSuggestion,
    Role,
    SuggestionAction,
    TrialRequestStatus,
    db,
)


@pytest.fixture
def partner(make_organisation):
    return make_organisation("雪氷ロボティクス", capabilities="除雪ロボット;自律走行;LiDAR", description="除雪ロボットの開発",
                             municipality="札幌市", latitude=43.06, longitude=141.35)


@pytest.mark.parametrize("role, expected", [(None, 302), (Role.MEMBER, 403), (Role.APPLICANT, 403)])
def test_only_the_secretariat_opens_the_matcher(client, login_as, startup_request, role, expected):
    if role:
        login_as(role)
    assert client.get(f"/introductions/match/request/{startup_request.id}").status_code == expected


def test_the_requester_cannot_open_the_matcher_for_its_own_request(client, login_as, applicant, startup_request):
    login_as(applicant)
    assert client.get(f"/introductions/match/request/{startup_request.id}").status_code == 403


def test_the_matcher_ranks_the_fitting_site_with_reasons_and_bars(client, login_as, secretariat, startup_request, owned_site,
                                                                   make_site, partner):
    make_site("大樹町の宇宙港", municipality="大樹町", latitude=42.5, longitude=143.44, technologies="rocket",
              features_ja="ロケットの射場")
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{startup_request.id}").get_data(as_text=True)
    assert html.index("石狩吹雪実験場") < html.index("大樹町の宇宙港") if "大樹町の宇宙港" in html else "石狩吹雪実験場" in html
    assert "<meter" in html and "雪氷ロボティクス" in html


def test_every_suggestion_shown_is_stored(client, login_as, secretariat, startup_request, owned_site, partner):
    login_as(secretariat)
    client.get(f"/introductions/match/request/{startup_request.id}?kind=site")
    run = db.session.scalars(db.select(MatchRun)).one()
    assert run.filters["kind"] == "site" and run.shown_by_id == secretariat.id
    assert [s.site_id for s in run.suggestions] == [owned_site.id]
    assert run.suggestions[0].action == SuggestionAction.SHOWN and run.suggestions[0].reasons["components"]


def test_the_kind_filter_limits_candidates(client, login_as, secretariat, startup_request, owned_site, partner):
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{startup_request.id}?kind=organisation").get_data(as_text=True)
    assert "雪氷ロボティクス" in html and "石狩吹雪実験場" not in html


def test_the_requesting_organisation_is_not_proposed_as_its_own_partner(client, login_as, secretariat, applicant,
                                                                       startup_request, partner):
    applicant.organisation.capabilities = "除雪ロボット"
    db.session.commit()
    login_as(secretariat)
    client.get(f"/introductions/match/request/{startup_request.id}")
    ids = [s.organisation_id for s in db.session.scalars(db.select(MatchSuggestion))]
    assert applicant.organisation_id not in ids


def test_introducing_selected_candidates(client, login_as, secretariat, startup_request, owned_site, partner, post_form):
    login_as(secretariat)
    page = f"/introductions/match/request/{startup_request.id}"
    client.get(page)
    run = db.session.scalars(db.select(MatchRun)).one()
    chosen = [s for s in run.suggestions if s.site_id == owned_site.id]
    response = post_form(f"/introductions/runs/{run.id}/introduce",
                         {"suggestions": [chosen[0].id], "message": "ご紹介します", "send": "Introduce"}, form_page="/dashboard")
    assert response.status_code == 302
    introduction = db.session.scalars(db.select(Introduction)).one()
    assert introduction.status == IntroductionStatus.INTRODUCED
    assert introduction.target_organisation_id == owned_site.owner_organisation_id
    db.session.refresh(chosen[0])
    assert chosen[0].action == SuggestionAction.INTRODUCED
    others = [s for s in run.suggestions if s.id != chosen[0].id]
    assert all(s.action == SuggestionAction.SHOWN for s in others)


def test_introducing_without_a_selection_changes_nothing(client, login_as, secretariat, startup_request, owned_site, post_form):
    login_as(secretariat)
    client.get(f"/introductions/match/request/{startup_request.id}")
    run = db.session.scalars(db.select(MatchRun)).one()
    response = post_form(f"/introductions/runs/{run.id}/introduce", {"message": "x", "send": "Introduce"}, form_page="/dashboard")
    assert response.status_code == 302 and db.session.scalars(db.select(Introduction)).first() is None


def test_members_may_not_introduce(client, login_as, secretariat, startup_request, owned_site, make_user, post_form):
    from app.introductions.services import record_run
    from matching import Result

    run = record_run(secretariat, trial_request=startup_request, filters={},
                     results=[Result(f"site:{owned_site.id}", "site", 50.0)])
    db.session.commit()
    login_as(make_user(Role.MEMBER))
    response = post_form(f"/introductions/runs/{run.id}/introduce", {"suggestions": [run.suggestions[0].id], "message": "x"},
                         form_page="/dashboard")
    assert response.status_code == 403


def test_the_challenge_matcher_proposes_organisations(client, login_as, secretariat, government_member, make_challenge, partner):
    challenge = make_challenge(government_member, tags="除雪;ロボット")
    login_as(secretariat)
    html = client.get(f"/introductions/match/challenge/{challenge.id}").get_data(as_text=True)
    assert "雪氷ロボティクス" in html


@pytest.mark.parametrize("role, expected", [(None, 302), (Role.MEMBER, 403), (Role.APPLICANT, 403)])
def test_only_the_secretariat_opens_the_challenge_matcher(client, login_as, government_member, make_challenge, role, expected):
    challenge = make_challenge(government_member)
    if role:
        login_as(role)
    assert client.get(f"/introductions/match/challenge/{challenge.id}").status_code == expected


def test_the_posting_municipality_cannot_open_the_matcher_for_its_challenge(client, login_as, government_member, make_challenge):
    challenge = make_challenge(government_member)
    login_as(government_member)
    assert client.get(f"/introductions/match/challenge/{challenge.id}").status_code == 403


def test_the_support_wanted_counts_and_is_explained(client, login_as, secretariat, make_request, applicant,
                                                    make_organisation):
    from models import Sector

    bank = make_organisation("北央ドローン投資銀行", sector=Sector.FINANCE, description="ドローン事業への融資と出資",
                             municipality="札幌市", latitude=43.06, longitude=141.35)
    maker = make_organisation("北央ドローン工業", sector=Sector.INDUSTRY, description="ドローン事業への融資と出資",
                              municipality="札幌市", latitude=43.06, longitude=141.35)
    funded = make_request(applicant, title="ドローン配送の実証", status=TrialRequestStatus.SCREENING,
                          verify="ドローン事業への融資と出資を受けたい", support=["funding"])
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{funded.id}?kind=organisation").get_data(as_text=True)
    assert html.index(bank.name_ja) < html.index(maker.name_ja)  # same text, the bank gives the funding wanted
    assert "希望する支援のうち提供できるもの" in html and "外部資金獲得" in html
