"""Matches (secretariat) and introductions (each side reads its own; the target answers; the requester agrees)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.introductions.services import create_introductions, record_run
from matching import Reasons, Result
from models import IntroductionStatus, MatchRun, Role, TokenScope, TrialRequestStatus, db


@pytest.fixture
def secretariat_token(make_user, token_for):
    return token_for(make_user(Role.SECRETARIAT, email="sec@example.org"), TokenScope.READ)


@pytest.fixture
def site_owner(make_user):
    return make_user(Role.MEMBER, email="owner@example.org", is_org_admin=True)


@pytest.fixture
def snow_site(make_site, site_owner):
    return make_site("石狩吹雪実験場", owner=site_owner.organisation, technologies="吹雪;除雪;ロボット",
                     features_ja="冬季の吹雪を再現できる試験道路。除雪ロボットの走行試験に使える。")


@pytest.fixture
def introduction(make_user, applicant, make_request, snow_site):
    secretariat = make_user(Role.SECRETARIAT, email="sec2@example.org")
    trial_request = make_request(applicant, status=TrialRequestStatus.SCREENING)
    run = record_run(secretariat, trial_request=trial_request, filters={},
                     results=[Result(f"site:{snow_site.id}", "site", 80.0, Reasons(components={"text": 0.8}))])
    [created] = create_introductions(secretariat, run, [run.suggestions[0].id], "冬の試験道路をご紹介します。", send=True)
    db.session.commit()
    return created


def test_the_secretariat_matches_a_request_and_the_run_is_stored(api, applicant, make_request, snow_site, secretariat_token):
    trial_request = make_request(applicant, title="除雪ロボットの吹雪試験", verify="吹雪の中で除雪ロボットを走らせたい")
    response = api.get(f"/trial-requests/{trial_request.id}/matches?kind=site&top=5", secretariat_token)
    assert response.status_code == 200
    body = response.json
    assert body["trial_request_id"] == trial_request.id
    assert body["suggestions"][0]["site_id"] == snow_site.id and body["suggestions"][0]["reasons"]
    assert db.session.scalar(select(MatchRun.id)) == body["id"]


def test_the_secretariat_matches_a_challenge(api, government_member, make_challenge, site_owner, secretariat_token):
    challenge = make_challenge(government_member)
    response = api.get(f"/challenges/{challenge.id}/matches", secretariat_token)
    assert response.status_code == 200 and response.json["challenge_id"] == challenge.id


def test_matches_are_for_the_secretariat_only(api, applicant, make_request, token_for):
    trial_request = make_request(applicant)
    assert api.get(f"/trial-requests/{trial_request.id}/matches", token_for(applicant)).status_code == 403


def test_match_filters_are_validated(api, applicant, make_request, secretariat_token):
    trial_request = make_request(applicant)
    response = api.get(f"/trial-requests/{trial_request.id}/matches?top=0&kind=planet", secretariat_token)
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"top", "kind"}


def test_matching_an_unknown_request_is_404(api, secretariat_token):
    assert api.get("/trial-requests/4242/matches", secretariat_token).status_code == 404


def test_both_sides_read_their_introduction(api, introduction, applicant, site_owner, token_for):
    for user in (applicant, site_owner):
        secret = token_for(user, TokenScope.READ)
        assert [i["id"] for i in api.get("/introductions", secret).json["items"]] == [introduction.id]
        assert api.get(f"/introductions/{introduction.id}", secret).json["status"] == "introduced"


def test_a_third_organisation_gets_404(api, introduction, other_member, token_for):
    secret = token_for(other_member)
    assert api.get(f"/introductions/{introduction.id}", secret).status_code == 404
    assert api.get("/introductions", secret).json["items"] == []
    assert api.post(f"/introductions/{introduction.id}/answer", secret, json={"accept": True}).status_code == 404


def test_the_target_accepts_and_the_requester_agrees(api, introduction, applicant, site_owner, token_for):
    response = api.post(f"/introductions/{introduction.id}/answer", token_for(site_owner), json={"accept": True, "note": "ぜひ"})
    assert response.status_code == 200 and response.json["status"] == "accepted"
    agreed = api.post(f"/introductions/{introduction.id}/agree", token_for(applicant))
    assert agreed.status_code == 200 and agreed.json["status"] == "agreed"
    db.session.refresh(introduction)
    assert introduction.trial_request.status == TrialRequestStatus.AGREED


def test_the_target_declines(api, introduction, site_owner, token_for):
    response = api.post(f"/introductions/{introduction.id}/answer", token_for(site_owner), json={"accept": False})
    assert response.json["status"] == "declined"
    assert introduction.status == IntroductionStatus.DECLINED


def test_the_requesting_side_may_not_answer(api, introduction, applicant, token_for):
    assert api.post(f"/introductions/{introduction.id}/answer", token_for(applicant), json={"accept": True}).status_code == 403


def test_an_answer_needs_accept(api, introduction, site_owner, token_for):
    response = api.post(f"/introductions/{introduction.id}/answer", token_for(site_owner), json={"note": "x"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "accept"
