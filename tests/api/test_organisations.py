"""GET /organisations: public fields for everyone; profile and contacts as the profile page shows them."""
from __future__ import annotations

from models import OrganisationStatus, Role, TokenScope


def test_anonymous_callers_see_active_members_public_fields_only(api, make_organisation):
    make_organisation("北海道水素", contact_email="info@h2.example", description="水素", municipality="札幌市")
    make_organisation("申請中スタートアップ", status=OrganisationStatus.APPLICANT)
    response = api.get("/organisations")
    assert response.status_code == 200
    [org] = response.json["items"]
    assert org["name_ja"] == "北海道水素" and org["municipality"] == "札幌市"
    assert org["profile"] is None and org["contacts"] is None
    assert "info@h2.example" not in response.get_data(as_text=True)


def test_members_see_profile_and_contacts(api, member, make_organisation, token_for):
    other = make_organisation("北海道水素", contact_email="info@h2.example", description="水素の製造")
    body = api.get(f"/organisations/{other.id}", token_for(member, TokenScope.READ)).json
    assert body["profile"]["description"] == "水素の製造"
    assert body["contacts"]["contact_email"] == "info@h2.example"


def test_an_applicant_sees_its_own_organisation_in_full_but_others_publicly(api, applicant, make_organisation, token_for):
    other = make_organisation("北海道水素", contact_email="info@h2.example")
    secret = token_for(applicant, TokenScope.READ)
    own = api.get(f"/organisations/{applicant.organisation_id}", secret).json
    assert own["profile"]["status"] == "applicant"
    public = api.get(f"/organisations/{other.id}", secret).json
    assert public["profile"] is None and public["contacts"] is None


def test_another_applicant_organisation_is_404(api, member, make_user, token_for):
    stranger = make_user(Role.APPLICANT)
    response = api.get(f"/organisations/{stranger.organisation_id}", token_for(member, TokenScope.READ))
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_the_secretariat_lists_every_organisation(api, member, make_user, token_for):
    make_user(Role.APPLICANT)
    secret = token_for(make_user(Role.SECRETARIAT), TokenScope.READ)
    assert len(api.get("/organisations?per_page=100", secret).json["items"]) >= 2


def test_filters_by_sector_and_name(api, make_organisation):
    from models import Sector

    make_organisation("札幌市", sector=Sector.GOVERNMENT)
    make_organisation("北海道大学", sector=Sector.ACADEMIA)
    assert [o["name_ja"] for o in api.get("/organisations?sector=academia").json["items"]] == ["北海道大学"]
    assert [o["name_ja"] for o in api.get("/organisations?q=札幌").json["items"]] == ["札幌市"]


def test_an_unknown_sector_is_a_validation_error(api):
    response = api.get("/organisations?sector=space")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "sector"
