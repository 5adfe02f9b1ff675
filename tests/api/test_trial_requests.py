"""/trial-requests: create and read own; the secretariat reads all and moves them along the same transitions."""
from __future__ import annotations

from models import Role, TokenScope, TrialRequestStatus, db

REQUEST = {"title": "除雪ロボットの実証", "verify": "吹雪の中で自律走行できるか", "municipality": "石狩市",
           "support": ["site_coordination", "permits"], "period_start": "2026-12-01", "period_end": "2027-02-28"}


def test_an_applicant_submits_a_request(api, applicant, token_for):
    response = api.post("/trial-requests", token_for(applicant), json=REQUEST)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "submitted" and body["organisation_id"] == applicant.organisation_id
    assert body["confidential"] is True and body["support"] == ["site_coordination", "permits"]
    assert body["period_end"] == "2027-02-28"
    assert body["created_at"].endswith("Z")


def test_request_validation(api, applicant, token_for):
    response = api.post("/trial-requests", token_for(applicant),
                        json={**REQUEST, "verify": "", "period_end": "2026-01-01", "support": ["space"]})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert "verify" in fields and any(f.startswith("support") for f in fields)


def test_period_end_before_start_is_refused(api, applicant, token_for):
    response = api.post("/trial-requests", token_for(applicant), json={**REQUEST, "period_end": "2026-01-01"})
    assert response.status_code == 422


def test_unknown_fields_are_refused(api, applicant, token_for):
    response = api.post("/trial-requests", token_for(applicant), json={**REQUEST, "status": "agreed"})
    assert response.status_code == 422


def test_the_secretariat_may_not_submit_requests(api, make_user, token_for):
    assert api.post("/trial-requests", token_for(make_user(Role.SECRETARIAT)), json=REQUEST).status_code == 403


def test_own_requests_are_listed_and_read(api, applicant, make_request, token_for):
    trial_request = make_request(applicant)
    secret = token_for(applicant, TokenScope.READ)
    assert [r["id"] for r in api.get("/trial-requests", secret).json["items"]] == [trial_request.id]
    assert api.get(f"/trial-requests/{trial_request.id}", secret).json["title"] == trial_request.title


def test_another_organisation_s_confidential_request_is_404(api, applicant, member, make_request, token_for):
    trial_request = make_request(applicant)
    secret = token_for(member)
    assert api.get(f"/trial-requests/{trial_request.id}", secret).status_code == 404
    assert api.get("/trial-requests", secret).json["items"] == []
    assert api.post(f"/trial-requests/{trial_request.id}/withdraw", secret).status_code == 404
    assert api.post(f"/trial-requests/{trial_request.id}/status", secret, json={"status": "screening"}).status_code == 404


def test_the_secretariat_reads_all_and_filters_by_status(api, applicant, member, make_request, make_user, token_for):
    make_request(applicant)
    make_request(member, status=TrialRequestStatus.SCREENING)
    secret = token_for(make_user(Role.SECRETARIAT), TokenScope.READ)
    assert len(api.get("/trial-requests", secret).json["items"]) == 2
    assert [r["status"] for r in api.get("/trial-requests?status=screening", secret).json["items"]] == ["screening"]
    assert api.get("/trial-requests?status=nope", secret).status_code == 422


def test_the_secretariat_moves_a_request_along_the_transitions(api, applicant, make_request, make_user, token_for):
    trial_request = make_request(applicant)
    secret = token_for(make_user(Role.SECRETARIAT))
    response = api.post(f"/trial-requests/{trial_request.id}/status", secret, json={"status": "screening"})
    assert response.status_code == 200 and response.json["status"] == "screening"
    skipped = api.post(f"/trial-requests/{trial_request.id}/status", secret, json={"status": "running"})
    assert skipped.status_code == 409
    assert skipped.headers["Content-Type"] == "application/problem+json"
    db.session.refresh(trial_request)
    assert trial_request.status == TrialRequestStatus.SCREENING


def test_a_requester_may_not_move_its_own_request(api, applicant, make_request, token_for):
    trial_request = make_request(applicant)
    response = api.post(f"/trial-requests/{trial_request.id}/status", token_for(applicant), json={"status": "screening"})
    assert response.status_code == 403


def test_status_body_is_validated(api, applicant, make_request, make_user, token_for):
    trial_request = make_request(applicant)
    response = api.post(f"/trial-requests/{trial_request.id}/status", token_for(make_user(Role.SECRETARIAT)),
                        json={"status": "flying"})
    assert response.status_code == 422


def test_the_requester_withdraws(api, applicant, make_request, token_for):
    trial_request = make_request(applicant)
    response = api.post(f"/trial-requests/{trial_request.id}/withdraw", token_for(applicant))
    assert response.status_code == 200 and response.json["status"] == "withdrawn"
    assert api.post(f"/trial-requests/{trial_request.id}/withdraw", token_for(applicant)).status_code == 403


def test_a_repeated_create_with_the_same_idempotency_key_makes_one_request(api, applicant, token_for):
    from sqlalchemy import func, select

    from models import TrialRequest

    secret = token_for(applicant)
    first = api.post("/trial-requests", secret, json=REQUEST, headers={"Idempotency-Key": "crm-4711"})
    again = api.post("/trial-requests", secret, json=REQUEST, headers={"Idempotency-Key": "crm-4711"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert first.headers["Location"] == f"/api/v1/trial-requests/{first.json['id']}"
    assert db.session.scalar(select(func.count()).select_from(TrialRequest)) == 1
    other = api.post("/trial-requests", secret, json=REQUEST, headers={"Idempotency-Key": "crm-4712"})
    assert other.status_code == 201 and other.json["id"] != first.json["id"]


def test_an_idempotency_key_reused_for_another_body_is_refused(api, applicant, token_for):
    secret = token_for(applicant)
    api.post("/trial-requests", secret, json=REQUEST, headers={"Idempotency-Key": "crm-1"})
    response = api.post("/trial-requests", secret, json={**REQUEST, "title": "別の相談"}, headers={"Idempotency-Key": "crm-1"})
    assert response.status_code == 422


def test_idempotency_keys_are_per_user(api, applicant, make_user, token_for):
    first = api.post("/trial-requests", token_for(applicant), json=REQUEST, headers={"Idempotency-Key": "shared-key"})
    stranger = make_user(Role.APPLICANT)
    second = api.post("/trial-requests", token_for(stranger), json=REQUEST, headers={"Idempotency-Key": "shared-key"})
    assert second.status_code == 201 and second.json["organisation_id"] == stranger.organisation_id
    assert second.json["id"] != first.json["id"]


def test_a_refused_create_does_not_use_up_its_key(api, applicant, token_for):
    secret = token_for(applicant)
    assert api.post("/trial-requests", secret, json={**REQUEST, "verify": ""}, headers={"Idempotency-Key": "k1"}).status_code == 422
    assert api.post("/trial-requests", secret, json=REQUEST, headers={"Idempotency-Key": "k1"}).status_code == 201


def test_a_malformed_idempotency_key_is_422(api, applicant, token_for):
    response = api.post("/trial-requests", token_for(applicant), json=REQUEST, headers={"Idempotency-Key": "ä" * 3})
    assert response.status_code == 422


def test_the_search_finds_words_in_either_language_within_what_the_caller_may_see(api, applicant, member,
                                                                                make_request, token_for):
    shared = make_request(applicant, title="除雪ロボットの自律走行", confidential=False)
    make_request(applicant, title="秘密の除雪ロボット")
    make_request(applicant, title="ドローンの目視外飛行", verify="山間部への配送", confidential=False)
    secret = token_for(member, TokenScope.READ)
    assert [r["id"] for r in api.get("/trial-requests?q=robot", secret).json["items"]] == [shared.id]
    assert len(api.get("/trial-requests?q=除雪", token_for(applicant, TokenScope.READ)).json["items"]) == 2
