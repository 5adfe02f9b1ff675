"""/kpis: the secretariat reads every indicator and the per-group figures; everyone else only what was
opted in to the public page (404 while nothing is); an organisation's activity for its own members and
the secretariat (404 for others); validation; 401 without a token where one is needed; the same
figures as the pages; statement count independent of the data."""
from __future__ import annotations

import pytest

from app.kpis import services
from models import Role, TokenScope, db

from ..kpis.conftest import EXPECTED, EXPECTED_GROUP_1, YEAR, build_kpi_world
from ..statements import counted_statements


@pytest.fixture
def kpi_world(make_organisation, make_user):
    """The hand-built world of tests/kpis/conftest.py, whose answers were worked out by hand."""
    return build_kpi_world(make_organisation, make_user)


def _publish(secretariat, *keys) -> None:
    services.publish_indicators(secretariat, list(keys))
    db.session.commit()


def test_the_secretariat_reads_every_indicator_with_targets_and_groups(api, kpi_world, secretariat, token_for):
    services.set_target(secretariat, "introductions_made", YEAR, 3)
    db.session.commit()
    body = api.get(f"/kpis?year={YEAR}", token_for(secretariat, TokenScope.READ), lang="en").json
    assert body["year"] == YEAR
    by_key = {i["key"]: i for i in body["indicators"]}
    assert {k: by_key[k]["actual"] for k in EXPECTED} == EXPECTED
    made = by_key["introductions_made"]
    assert (made["target"], made["achievement_ratio"], made["name"]) == (3, 133, "Introductions made")
    assert [p["year"] for p in made["trend"]] == list(range(YEAR - 4, YEAR + 1))
    assert made["trend"][-1] == {"year": YEAR, "actual": 4, "target": 3}
    assert by_key["external_funding"]["manual"] is True and by_key["external_funding"]["actual"] is None
    assert by_key["median_days_to_proposal"]["lower_is_better"] is True
    groups = {g["group_id"]: g["figures"] for g in body["groups"]}
    assert {k: groups[kpi_world["g1"].id][k] for k in EXPECTED_GROUP_1} == EXPECTED_GROUP_1
    assert groups[kpi_world["g2"].id]["needs_received"] == 0


def test_names_follow_accept_language(api, kpi_world, secretariat, token_for):
    secret = token_for(secretariat, TokenScope.READ)
    ja = {i["key"]: i["name"] for i in api.get(f"/kpis?year={YEAR}", secret, lang="ja").json["indicators"]}
    assert ja["introductions_made"] == "引き合わせ件数"


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.APPLICANT])
def test_everyone_else_reads_only_the_published_indicators(api, kpi_world, secretariat, make_user, token_for, role):
    _publish(secretariat, "introductions_made", "members_total")
    secret = token_for(make_user(role, email=f"{role.value}@example.org"), TokenScope.READ) if role else None
    response = api.get(f"/kpis?year={YEAR}", secret)
    assert response.status_code == 200
    body = response.json
    assert {i["key"]: i["actual"] for i in body["indicators"]} == {"introductions_made": 4, "members_total": 2}
    assert body["groups"] is None


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.APPLICANT])
def test_nothing_published_is_404_except_for_the_secretariat(api, kpi_world, secretariat, make_user, token_for, role):
    secret = token_for(make_user(role, email=f"{role.value}@example.org"), TokenScope.READ) if role else None
    response = api.get(f"/kpis?year={YEAR}", secret)
    assert response.status_code == 404 and response.content_type.startswith("application/problem+json")
    assert api.get(f"/kpis?year={YEAR}", token_for(secretariat, TokenScope.READ)).status_code == 200


@pytest.mark.parametrize("year", ["1999", "2101", "abc", "99999999999999999999", "2025.5"])
def test_a_year_outside_the_range_is_a_validation_error(api, secretariat, token_for, year):
    response = api.get(f"/kpis?year={year}", token_for(secretariat, TokenScope.READ))
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "year"


def test_without_a_year_the_current_one(api, secretariat, token_for):
    from app.core.fiscal import current_fiscal_year

    assert api.get("/kpis", token_for(secretariat, TokenScope.READ)).json["year"] == current_fiscal_year()


def test_a_member_reads_its_own_organisations_activity(api, kpi_world, token_for):
    user, org = kpi_world["user"], kpi_world["org1"]
    response = api.get(f"/kpis/organisations/{org.id}?year={YEAR}", token_for(user, TokenScope.READ))
    assert response.status_code == 200
    assert response.json == {"organisation_id": org.id, "year": YEAR, "trial_requests": 3, "needs": 5,
                             "introductions_requested": 4, "introductions_received": 0, "introductions_agreed": 1,
                             "meetings_attended": 2, "attendances": 3}


def test_another_organisations_activity_is_404(api, kpi_world, other_member, make_user, token_for):
    org = kpi_world["org1"]
    assert api.get(f"/kpis/organisations/{org.id}", token_for(other_member, TokenScope.READ)).status_code == 404
    applicant = make_user(Role.APPLICANT, email="applicant-kpi@example.org")
    assert api.get(f"/kpis/organisations/{applicant.organisation_id}", token_for(applicant)).status_code == 404
    assert api.get("/kpis/organisations/999999", token_for(other_member)).status_code == 404


def test_the_secretariat_reads_any_organisations_activity(api, kpi_world, secretariat, token_for):
    org = kpi_world["org2"]
    body = api.get(f"/kpis/organisations/{org.id}?year={YEAR}", token_for(secretariat, TokenScope.READ)).json
    assert body["introductions_received"] == 4 and body["trial_requests"] == 0


def test_activity_needs_a_token(api, kpi_world):
    response = api.get(f"/kpis/organisations/{kpi_world['org1'].id}")
    assert response.status_code == 401 and "Bearer" in response.headers["WWW-Authenticate"]


def test_the_session_cookie_opens_nothing(client, login_as, secretariat):
    login_as(secretariat)
    assert client.get(f"/api/v1/kpis?year={YEAR}").status_code == 404  # anonymous to the API: nothing published
    assert client.get(f"/api/v1/kpis/organisations/{secretariat.organisation_id or 1}").status_code == 401


def test_a_revoked_token_is_refused(api, secretariat, token_for):
    from app.api.token_services import revoke_token
    from models import ApiToken

    secret = token_for(secretariat, TokenScope.READ)
    assert api.get("/kpis", secret).status_code == 200
    revoke_token(secretariat, db.session.scalar(db.select(ApiToken)))
    db.session.commit()
    assert api.get("/kpis", secret).status_code == 401


def test_the_api_shows_the_pages_figures(api, client, login_as, kpi_world, secretariat, token_for):
    login_as(secretariat)
    csv = client.get(f"/kpis/manage/report/{YEAR}.csv").get_data(as_text=True)
    body = api.get(f"/kpis?year={YEAR}", token_for(secretariat, TokenScope.READ), lang="ja").json
    for indicator in body["indicators"]:
        if indicator["actual"] is not None:
            assert indicator["name"] in csv


def test_statements_do_not_grow_with_the_data(api, kpi_world, secretariat, token_for):
    from datetime import timedelta

    from models import Introduction, RegulatoryNeed, TrialRequest

    from ..kpis.conftest import MID, NEXT

    secret = token_for(secretariat, TokenScope.READ)
    api.get(f"/kpis?year={YEAR}", secret)

    def counted() -> int:
        with counted_statements() as statements:
            assert api.get(f"/kpis?year={YEAR + 1}", secret).status_code == 200
        return len([s for s in statements if "api_rate_windows" not in s and not s.startswith("UPDATE api_tokens")])

    small = counted()
    org, user = kpi_world["org1"], kpi_world["user"]
    for n in range(25):
        for moment in (MID, NEXT + timedelta(days=2)):
            db.session.add(RegulatoryNeed(title=f"n{n}", organisation_id=org.id, submitter_id=user.id, submitted_at=moment))
            t = TrialRequest(organisation_id=org.id, title=f"t{n}", created_at=moment, group_id=kpi_world["g1"].id)
            db.session.add(t)
            db.session.flush()
            db.session.add(Introduction(trial_request_id=t.id, requester_organisation_id=org.id, introduced_at=moment))
    db.session.commit()
    api.get(f"/kpis?year={YEAR + 1}", secret)  # restores the closed year whose rows changed
    assert counted() == small
