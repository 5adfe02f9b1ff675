"""/trial-sites: public reading; owners and the secretariat add and edit (the services of the site pages)."""
from __future__ import annotations

from sqlalchemy import select

from models import AuditEntry, Role, TokenScope, db

SITE = {"name_ja": "石狩吹雪実験場", "municipality": "石狩市", "kind": "test_road", "latitude": 43.2, "longitude": 141.3,
        "technologies": "除雪;自動運転", "periods": [{"start_month": 12, "end_month": 2, "note": "冬季"}]}


def test_anyone_reads_the_catalogue(api, make_site):
    site = make_site("石狩吹雪実験場", technologies="blizzard")
    listed = api.get("/trial-sites?technology=blizzard").json["items"]
    assert [s["id"] for s in listed] == [site.id]
    assert api.get(f"/trial-sites/{site.id}").json["name_ja"] == "石狩吹雪実験場"


def test_unknown_site_is_404(api):
    assert api.get("/trial-sites/999").status_code == 404


def test_a_member_adds_a_site_its_organisation_owns(api, member, token_for):
    response = api.post("/trial-sites", token_for(member), json=SITE)
    assert response.status_code == 201
    body = response.json
    assert body["owner_organisation_id"] == member.organisation_id
    assert body["periods"] == [{"start_month": 12, "end_month": 2, "note": "冬季"}]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_type == "trial_sites", AuditEntry.object_id == body["id"])) == "trial_site.created"


def test_site_validation_errors_name_the_fields(api, member, token_for):
    response = api.post("/trial-sites", token_for(member), json={"municipality": "石狩市", "latitude": 43.0, "kind": "moon"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"name_ja", "kind"} <= fields


def test_latitude_without_longitude_is_refused(api, member, token_for):
    response = api.post("/trial-sites", token_for(member), json={**SITE, "longitude": None})
    assert response.status_code == 422


def test_the_owner_edits_its_site(api, member, make_site, token_for):
    site = make_site(owner=member.organisation)
    response = api.patch(f"/trial-sites/{site.id}", token_for(member), json={"name_en": "Ishikari test road"})
    assert response.status_code == 200
    assert response.json["name_en"] == "Ishikari test road" and response.json["name_ja"] == site.name_ja


def test_another_organisation_may_not_edit_a_site(api, member, other_member, make_site, token_for):
    site = make_site(owner=other_member.organisation)
    response = api.patch(f"/trial-sites/{site.id}", token_for(member), json={"name_en": "mine now"})
    assert response.status_code == 403  # the catalogue is public: the site is visible, the edit is refused
    db.session.refresh(site)
    assert site.name_en == ""


def test_the_secretariat_edits_any_site(api, make_user, other_member, make_site, token_for):
    site = make_site(owner=other_member.organisation)
    response = api.patch(f"/trial-sites/{site.id}", token_for(make_user(Role.SECRETARIAT)), json={"contact": "事務局"})
    assert response.status_code == 200


def test_an_applicant_may_not_add_sites(api, applicant, token_for):
    assert api.post("/trial-sites", token_for(applicant), json=SITE).status_code == 403


def test_reading_needs_no_write_scope(api, member, make_site, token_for):
    site = make_site()
    assert api.get(f"/trial-sites/{site.id}", token_for(member, TokenScope.READ)).status_code == 200


def test_a_patch_of_nulls_and_repeated_periods_is_not_a_server_error(api, make_user, make_site, token_for):
    """Found by the fuzzer: every field null and twelve identical periods."""
    site = make_site()
    body = {key: None for key in ("name_ja", "name_en", "kind", "municipality", "latitude", "longitude", "features_ja",
                                  "features_en", "technologies", "constraints", "permits", "contact")}
    body["periods"] = [{"start_month": 1, "end_month": 1}] * 12
    response = api.patch(f"/trial-sites/{site.id}", token_for(make_user(Role.SECRETARIAT)), json=body)
    assert response.status_code == 200, response.json
    assert response.json["name_ja"] == site.name_ja  # null leaves a field as it was
    assert response.json["periods"] == [{"start_month": 1, "end_month": 1, "note": ""}] * 12
