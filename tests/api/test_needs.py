"""/needs: the pages' visibility scope, the service's submission rule and the pipeline's transitions."""
from __future__ import annotations

from models import Confidentiality, NeedStatus, Role, TokenScope, db

COMPLETE = {"title": "水素ステーションの併設規制", "business": "水素ステーションにコンビニを併設したい", "stage": "trial",
            "obstacle": "用途制限", "relief": "併設の許可", "law_name": "高圧ガス保安法"}


def test_a_draft_needs_only_a_title(api, member, token_for):
    response = api.post("/needs", token_for(member), json={"title": "下書き"})
    assert response.status_code == 201
    assert response.json["status"] == "draft" and response.json["details"]["urgency"] == "medium"


def test_submitting_an_incomplete_need_names_what_is_missing(api, member, token_for):
    response = api.post("/needs", token_for(member), json={"title": "未完成", "submit": True, "confidentiality": "public"},
                        lang="en")
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json["errors"]}
    assert set(fields) == {"body.business", "body.stage", "body.obstacle", "body.relief", "body.law_name", "body.public_summary"}
    assert fields["body.business"] == "This field is required to submit."
    from sqlalchemy import select

    from models import RegulatoryNeed

    assert db.session.scalar(select(RegulatoryNeed)) is None  # nothing half-saved


def test_the_submission_rule_speaks_japanese_too(api, member, token_for):
    response = api.post("/needs", token_for(member), json={"title": "未完成", "submit": True}, lang="ja")
    assert response.json["errors"][0]["message"] != "This field is required to submit."


def test_a_complete_need_is_submitted_to_the_secretariat(api, member, token_for):
    response = api.post("/needs", token_for(member), json={**COMPLETE, "submit": True})
    assert response.status_code == 201
    assert response.json["status"] == "received" and response.json["submitted_at"]


def test_need_validation(api, member, token_for):
    response = api.post("/needs", token_for(member), json={"title": "x" * 201, "urgency": "extreme"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"title", "urgency"}


def test_summary_for_others_details_for_the_own_organisation(api, member, other_member, make_need, token_for):
    need = make_need(other_member, confidentiality=Confidentiality.MEMBERS)
    seen = api.get(f"/needs/{need.id}", token_for(member, TokenScope.READ)).json
    assert seen["public_summary"] and seen["details"] is None
    own = api.get(f"/needs/{need.id}", token_for(other_member, TokenScope.READ)).json
    assert own["details"]["obstacle"] == need.obstacle


def test_another_organisation_s_confidential_need_is_404(api, member, other_member, make_need, token_for):
    need = make_need(other_member)
    secret = token_for(member)
    assert api.get(f"/needs/{need.id}", secret).status_code == 404
    assert api.post(f"/needs/{need.id}/withdraw", secret).status_code == 404
    assert api.get("/needs?mine=true", secret).json["items"] == []


def test_anonymous_callers_see_public_needs_only(api, member, make_need):
    public = make_need(member, confidentiality=Confidentiality.PUBLIC)
    make_need(member)
    assert [n["id"] for n in api.get("/needs").json["items"]] == [public.id]


def test_the_secretariat_moves_a_need_with_a_note(api, member, make_need, make_user, token_for):
    need = make_need(member)
    secret = token_for(make_user(Role.SECRETARIAT))
    response = api.post(f"/needs/{need.id}/status", secret, json={"status": "regulation_identified", "note": "航空法第132条"})
    assert response.status_code == 200 and response.json["status"] == "regulation_identified"
    assert api.post(f"/needs/{need.id}/status", secret, json={"status": "realised", "note": "x"}).status_code == 409
    assert api.post(f"/needs/{need.id}/status", secret, json={"status": "evidence", "note": " "}).status_code == 422
    db.session.refresh(need)
    assert need.status == NeedStatus.REGULATION_IDENTIFIED


def test_a_submitter_may_not_move_its_own_need(api, member, make_need, token_for):
    need = make_need(member)
    response = api.post(f"/needs/{need.id}/status", token_for(member), json={"status": "evidence", "note": "x"})
    assert response.status_code == 403


def test_the_submitter_withdraws(api, member, make_need, token_for):
    need = make_need(member)
    response = api.post(f"/needs/{need.id}/withdraw", token_for(member))
    assert response.status_code == 200 and response.json["status"] == "withdrawn"


def test_the_search_finds_words_in_either_language_and_never_in_hidden_details(api, member, other_member, make_need,
                                                                             make_user, token_for):
    """`q` is the needs lists' search: words looked up in the stored analyses, the summary view for
    members, the full one for the secretariat."""
    plain = dict(business="", relief="", law_name="", law_article="", evidence="", tags="")
    drone = make_need(other_member, **plain, title="ドローン物流の規制緩和", obstacle="水素吸蔵合金の保安距離",
                      public_summary="山間部への配送", confidentiality=Confidentiality.MEMBERS)
    make_need(other_member, **plain, title="除雪ロボットの公道走行", obstacle="", public_summary="除雪",
              confidentiality=Confidentiality.MEMBERS)
    reader = token_for(member, TokenScope.READ)
    assert [n["id"] for n in api.get("/needs?q=drone", reader).json["items"]] == [drone.id]
    assert [n["id"] for n in api.get("/needs?q=ドローン 配送", reader).json["items"]] == [drone.id]
    assert api.get("/needs?q=水素吸蔵合金", reader).json["items"] == []  # a word of the hidden obstacle
    staff = token_for(make_user(Role.SECRETARIAT), TokenScope.READ)
    assert [n["id"] for n in api.get("/needs?q=水素吸蔵合金", staff).json["items"]] == [drone.id]
