"""Conventions: RFC 9457 problems in Japanese or English, pagination with next links, ISO 8601 times,
hostile input answered 422 (never 500), and the OpenAPI 3.1 document that describes all of it."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from app.api.operations import OPERATIONS
from models import Role, TokenScope


def test_problem_documents_follow_accept_language(api):
    english = api.get("/me", lang="en")
    japanese = api.get("/me", lang="ja,en;q=0.5")
    default = api.get("/me")
    assert english.headers["Content-Type"] == "application/problem+json"
    assert english.json["title"] == "Authentication required"
    assert japanese.json["title"] != english.json["title"] and japanese.json["detail"] != english.json["detail"]
    assert default.json["title"] == japanese.json["title"]  # Japanese by default
    assert english.json["status"] == 401 and english.json["instance"] == "/api/v1/me"


def test_an_unknown_address_is_a_problem_404(api):
    response = api.get("/no-such-thing", lang="en")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["title"] == "Not found"


@pytest.mark.parametrize("path", ["/trial-sites/2147483648", "/needs/99999999999999999999", "/organisations/0"])
def test_ids_out_of_range_are_404(api, path):
    assert api.get(path).status_code == 404


def test_pagination_gives_next_links_until_the_last_page(api, make_site):
    for number in range(5):
        make_site(f"フィールド{number}", code=f"S{number:03}")
    first = api.get("/trial-sites?per_page=2&kind=test_road").json
    assert len(first["items"]) == 2
    assert first["next"].startswith("http://localhost/api/v1/trial-sites?")
    assert "kind=test_road" in first["next"] and "page=2" in first["next"]
    second = api.get(first["next"].removeprefix("http://localhost/api/v1")).json
    third = api.get(second["next"].removeprefix("http://localhost/api/v1")).json
    assert len(third["items"]) == 1 and third["next"] is None
    assert len({s["id"] for s in first["items"] + second["items"] + third["items"]}) == 5


def test_per_page_is_bounded(api):
    assert api.get("/trial-sites?per_page=1000").status_code == 422
    assert api.get("/trial-sites?page=0").status_code == 422


def test_times_carry_a_time_zone(api, member, token_for):
    body = api.post("/needs", token_for(member), json={"title": "時刻"}).json
    assert body["created_at"].endswith("Z") and "T" in body["created_at"]


@pytest.mark.parametrize("payload", [
    {"title": "NUL\x00バイト"},
    {"title": "長い" * 60_000},
    {"title": "ok", "business": "x" * 100_000},
    {"title": 12345678901234567890},
    {"title": "ok", "stage": {"$gt": ""}},
])
def test_hostile_bodies_are_422(api, member, token_for, payload):
    response = api.post("/needs", token_for(member), json=payload)
    assert response.status_code == 422
    assert response.json["errors"]


def test_nul_in_a_filter_is_422(api):
    assert api.get("/needs?q=a%00b").status_code == 422


def test_huge_numbers_in_filters_are_422(api, make_user, token_for):
    secret = token_for(make_user(Role.SECRETARIAT), TokenScope.READ)
    assert api.get("/trial-sites?page=99999999999999999999").status_code == 422
    assert api.get("/trial-requests/1/matches?radius_km=1e309", secret).status_code in (404, 422)


@pytest.mark.parametrize("data,content_type", [("{not json", "application/json"), ("[1, 2]", "application/json"),
                                               ("title=x", "application/x-www-form-urlencoded")])
def test_a_body_that_is_not_a_json_object_is_422(api, member, token_for, data, content_type):
    response = api.call("POST", "/needs", token_for(member), data=data, headers={"Content-Type": content_type})
    assert response.status_code == 422


def test_the_openapi_document_validates_and_lists_every_operation(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["openapi"] == "3.1.0"
    declared = {(op.method.lower(), op.path) for op in OPERATIONS}
    documented = {(method, path) for path, methods in document["paths"].items() for method in methods}
    assert declared == documented
    create = document["paths"]["/needs"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/NeedIn"
    assert document["components"]["schemas"]["NeedIn"]["properties"]["title"]["maxLength"] == 200
    assert "429" in create["responses"] and "Retry-After" in create["responses"]["429"]["headers"]


def test_the_reference_page_is_rendered_by_the_app(client):
    japanese = client.get("/api/reference").get_data(as_text=True)
    assert "リクエスト本文" in japanese
    client.set_cookie("lang", "en")
    page = client.get("/api/reference")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "POST /needs" in text and 'id="schema-NeedIn"' in text and "Request body" in text
    assert 'src="http' not in text and 'href="http' not in text  # nothing from another server
