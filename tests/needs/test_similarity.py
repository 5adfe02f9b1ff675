"""Similar needs while typing, matching special measures and package suggestions."""
from __future__ import annotations

from app.needs import similarity_queries
from models import Confidentiality, NeedStatus, Role, db


def test_applicant_sees_a_similar_shared_need_with_reasons(client, make_need, make_user, login_as):
    other = make_user(Role.MEMBER)
    need = make_need(other, title="ドローンの目視外飛行の包括申請", confidentiality=Confidentiality.PUBLIC, law_name="航空法")
    login_as(Role.APPLICANT)
    data = client.get("/needs/similar.json", query_string={"title": "UAVで目視外飛行をしたい", "law": "航空法"}).get_json()
    assert data["needs"][0]["id"] == need.id
    assert any("航空法" in reason for reason in data["needs"][0]["reasons"])


def test_spelling_variants_meet(make_need, applicant, secretariat):
    need = make_need(applicant, title="無人航空機による雪上物流")
    found = similarity_queries.similar_needs(secretariat, "ドローン 雪上 物流")
    assert [s.id for s in found] == [need.id]


def test_drafts_are_never_suggested(make_need, applicant, secretariat):
    make_need(applicant, status=NeedStatus.DRAFT)
    assert similarity_queries.similar_needs(secretariat, "ドローンの目視外飛行の許可手続") == []


def test_the_need_being_edited_is_left_out(make_need, applicant, secretariat):
    need = make_need(applicant)
    assert similarity_queries.similar_needs(secretariat, need.title, exclude_id=need.id) == []


def test_unrelated_text_suggests_nothing(make_need, applicant, secretariat):
    make_need(applicant)
    assert similarity_queries.similar_needs(secretariat, "保育所の年齢制限を緩和したい") == []


def test_summary_viewers_are_matched_on_the_summary_only(make_need, make_user, applicant):
    make_need(applicant, title="件名A", public_summary="概要", obstacle="極秘の支障キーワード群",
              confidentiality=Confidentiality.MEMBERS, tags="", law_name="")
    assert similarity_queries.similar_needs(make_user(Role.MEMBER), "極秘の支障キーワード群") == []


def test_matching_special_measures_are_suggested(client, make_measure, login_as):
    measure = make_measure(summary="ドローンの目視外飛行をエリア単位で申請できる")
    login_as(Role.APPLICANT)
    data = client.get("/needs/similar.json", query_string={"title": "ドローン目視外飛行", "law": "航空法"}).get_json()
    assert data["measures"][0]["id"] == measure.id


def test_measure_hints_are_in_the_readers_language(client, make_measure, login_as, applicant):
    """The catalogue's summaries are English: a Japanese reader gets the name and the law in Japanese."""
    make_measure(name_en="Area-wide permits for drone flights beyond visual line of sight", law="航空法の特例",
                 summary="Drone operators apply once for an area instead of per flight.")
    login_as(applicant)
    query = {"title": "ドローン目視外飛行", "law": "航空法"}
    japanese = client.get("/needs/similar.json", query_string=query).get_json()["measures"][0]
    assert japanese["title"] == "M070 ドローン目視外飛行のエリア包括申請" and japanese["summary"] == "航空法の特例"
    applicant.locale = "en"  # the account's language
    db.session.commit()
    english = client.get("/needs/similar.json", query_string=query).get_json()["measures"][0]
    assert english["title"] == "M070 Area-wide permits for drone flights beyond visual line of sight"
    assert english["summary"] == "Drone operators apply once for an area instead of per flight."


def test_similar_needs_are_grouped_for_packages(make_need, applicant):
    a = make_need(applicant, title="ロケット燃焼試験の高圧ガス充填許可", law_name="高圧ガス保安法", tags="ロケット")
    b = make_need(applicant, title="ロケット試験の高圧ガス充填の特例許可", law_name="高圧ガス保安法", tags="ロケット")
    c = make_need(applicant, title="外国籍船による洋上風力の作業", law_name="船舶法", tags="洋上風力",
                  business="", obstacle="", relief="", public_summary="")
    groups = similarity_queries.suggested_groups([a, b, c])
    assert [[n.id for n in g] for g in groups] == [[a.id, b.id]]


def test_an_english_draft_finds_a_japanese_need(make_need, applicant, secretariat):
    need = make_need(applicant, title="ドローンの目視外飛行の包括申請", law_name="航空法")
    found = similarity_queries.similar_needs(secretariat, "drone flights beyond visual line of sight")
    assert [s.id for s in found] == [need.id]
