"""The search box of the needs lists and of the trial requests list: the words are looked up in the
stored analyses (the full-text index), in either language, never in text the viewer may not read;
a word with no analysed term (an article number) is still found in the columns."""
from __future__ import annotations

import pytest

from models import Confidentiality, NeedStatus, Role, db

PLAIN = dict(business="", obstacle="", relief="", law_name="", law_article="", evidence="", tags="", public_summary="")


def listed(client, path: str, q: str) -> str:
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_word_of_the_search_is_found_in_either_language(client, login_as, make_need, make_user):
    owner = make_user(Role.MEMBER)
    drone = make_need(owner, **{**PLAIN, "title": "ドローン物流の規制緩和", "confidentiality": Confidentiality.MEMBERS})
    robot = make_need(owner, **{**PLAIN, "title": "除雪ロボットの公道走行", "confidentiality": Confidentiality.MEMBERS})
    login_as(make_user(Role.MEMBER))
    assert drone.title in listed(client, "/needs/", "ドローン") and robot.title not in listed(client, "/needs/", "ドローン")
    assert drone.title in listed(client, "/needs/", "drone")  # an English word finds the Japanese need
    assert drone.title in listed(client, "/needs/", "ドローン 物流")
    assert drone.title not in listed(client, "/needs/", "ドローン 除雪")  # every word, not any


def test_the_list_search_never_reads_details_the_viewer_may_not_read(client, login_as, make_need, make_user):
    owner = make_user(Role.MEMBER)
    make_need(owner, **{**PLAIN, "title": "件名だけ公開", "obstacle": "水素吸蔵合金の保安距離",
                        "confidentiality": Confidentiality.MEMBERS})
    make_need(owner, **{**PLAIN, "title": "極秘の水素案件", "confidentiality": Confidentiality.CONFIDENTIAL})
    login_as(make_user(Role.MEMBER))
    assert "件名だけ公開" not in listed(client, "/needs/", "水素吸蔵合金")  # a word of the hidden obstacle
    assert "極秘の水素案件" not in listed(client, "/needs/", "水素")
    assert "件名だけ公開" in listed(client, "/needs/", "件名")


def test_the_secretariat_searches_the_full_need_and_its_own_drafts_are_found(client, login_as, auth, make_need,
                                                                           make_user, secretariat):
    owner = make_user(Role.MEMBER)
    make_need(owner, **{**PLAIN, "title": "保安距離の見直し", "obstacle": "水素吸蔵合金の保安距離"})
    make_need(owner, **{**PLAIN, "title": "下書きの水素案件"}, status=NeedStatus.DRAFT)
    login_as(secretariat)
    assert "保安距離の見直し" in listed(client, "/needs/manage/", "水素吸蔵合金")
    assert "保安距離の見直し" in listed(client, "/needs/", "水素吸蔵合金")  # every list: the view it reads
    auth.logout()
    login_as(owner)
    assert "下書きの水素案件" in listed(client, "/needs/", "水素")


def test_a_word_without_analysed_terms_is_looked_for_in_the_columns(client, login_as, make_need, make_user):
    owner = make_user(Role.MEMBER)
    make_need(owner, **{**PLAIN, "title": "航空法の許可 132", "law_name": "航空法", "confidentiality": Confidentiality.PUBLIC})
    make_need(owner, **{**PLAIN, "title": "航空法の許可 77", "law_name": "航空法", "confidentiality": Confidentiality.PUBLIC})
    page = listed(client, "/needs/", "航空法 132")
    assert "航空法の許可 132" in page and "航空法の許可 77" not in page


def test_an_edited_need_is_found_by_its_new_words_at_once(client, login_as, make_need, make_user):
    owner = make_user(Role.MEMBER)
    need = make_need(owner, **{**PLAIN, "title": "除雪の実証", "confidentiality": Confidentiality.PUBLIC})
    assert "除雪の実証" not in listed(client, "/needs/", "水素")
    need.public_summary = "水素ステーションの設置"
    db.session.commit()
    assert "除雪の実証" in listed(client, "/needs/", "水素")


@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_trial_requests_are_searched_in_either_language_within_what_the_viewer_may_see(client, login_as, applicant,
                                                                                   make_user, make_request, who):
    shared = make_request(applicant, title="除雪ロボットの自律走行", confidential=False)
    hidden = make_request(applicant, title="秘密の除雪ロボット")
    login_as(make_user(Role.MEMBER if who == "member" else Role.SECRETARIAT))
    page = listed(client, "/trials/requests", "robot")
    assert shared.title in page
    assert (hidden.title in page) is (who == "secretariat")
    assert shared.title not in listed(client, "/trials/requests", "ドローン")
