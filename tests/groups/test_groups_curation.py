"""The secretariat curates groups; the public sees active groups and their summaries only."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEntry, GroupAxis, GroupStatus, Role, WorkingGroup, db

GROUP_FORM = {
    "name_ja": "洋上風力分科会", "name_en": "Offshore wind", "parent_id": 0, "axis": "industry",
    "theme_tags": "洋上風力、系統", "summary_ja": "石狩湾の洋上風力を議論します。", "summary_en": "", "description": "会員向けの説明",
}


def test_secretariat_creates_a_sub_group(login_as, post_form, secretariat, group):
    login_as(secretariat)
    response = post_form("/groups/new", {**GROUP_FORM, "parent_id": group.id})
    assert response.status_code == 302
    created = db.session.scalar(select(WorkingGroup).where(WorkingGroup.name_ja == "洋上風力分科会"))
    assert created.parent_id == group.id and created.axis == GroupAxis.INDUSTRY and created.tags == ["洋上風力", "系統"]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "group.created")) is not None


def test_missing_summary_shows_an_error_and_keeps_the_input(client, login_as, post_form, secretariat):
    login_as(secretariat)
    response = post_form("/groups/new", {**GROUP_FORM, "summary_ja": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "洋上風力分科会" in page and 'aria-invalid="true"' in page
    assert db.session.scalar(select(WorkingGroup)) is None


def test_secretariat_edits_a_group(login_as, post_form, secretariat, group):
    login_as(secretariat)
    post_form(f"/groups/{group.id}/edit", {**GROUP_FORM, "name_ja": "水素部会", "axis": "living"})
    db.session.refresh(group)
    assert group.name_ja == "水素部会" and group.axis == GroupAxis.LIVING


def test_archived_group_leaves_the_public_list(client, login_as, post_form, secretariat, group, auth):
    login_as(secretariat)
    post_form(f"/groups/{group.id}/status", {"status": "archived"}, form_page=f"/groups/{group.id}")
    db.session.refresh(group)
    assert group.status == GroupStatus.ARCHIVED
    auth.logout()
    assert "水素・GX部会" not in client.get("/groups/").get_data(as_text=True)
    assert client.get(f"/groups/{group.id}").status_code == 404


def test_public_list_shows_active_groups_with_summaries(client, make_group):
    make_group("ウェルビーイングまちづくり部会", axis=GroupAxis.LIVING, summary_ja="規制緩和を活かしたまちづくり")
    page = client.get("/groups/").get_data(as_text=True)
    assert "ウェルビーイングまちづくり部会" in page and "規制緩和を活かしたまちづくり" in page


def test_public_list_filters_by_axis_and_searches(client, make_group):
    make_group("人材部会", axis=GroupAxis.TALENT, theme_tags="リスキリング")
    make_group("ドローン・宇宙部会", axis=GroupAxis.INDUSTRY)
    page = client.get("/groups/?axis=talent").get_data(as_text=True)
    assert "人材部会" in page and "ドローン・宇宙部会" not in page
    page = client.get("/groups/?q=リスキリング").get_data(as_text=True)
    assert "人材部会" in page and "ドローン・宇宙部会" not in page


def test_public_group_page_hides_members_only_content(client, group, make_meeting):
    group.description = "会員だけの説明"
    make_meeting(group, title="第3回 会合", minutes="# 秘密の議事録")
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert group.summary_ja in page
    assert "会員だけの説明" not in page and "第3回 会合" not in page and "秘密の議事録" not in page


def test_group_page_shows_empty_state_for_assigned_items(client, login_as, group, group_member):
    login_as(group_member)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "この部会に割り当てられた案件はまだありません" in page


def test_group_page_lists_items_routed_to_it(app, client, login_as, group, group_member, monkeypatch):
    from app.web.registry import AssignedItem, AssignedSection, registry_of

    item = AssignedItem("規制緩和ニーズ", "水素ステーションの用途制限", "/needs/1", "受付")
    monkeypatch.setattr(registry_of(app), "group_items", [
        lambda g, u, limit: AssignedSection("規制緩和ニーズ", 12, [item], "/needs/?group=1")])
    login_as(group_member)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "水素ステーションの用途制限" in page
    assert 'href="/needs/?group=1" data-testid="assigned-more"' in page  # 12 in all, one shown: a link to the rest


@pytest.mark.parametrize("path", ["/groups/new", "/groups/{id}/edit", "/groups/activity"])
@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_non_staff_cannot_open_secretariat_pages(client, login_as, group, path, role):
    login_as(role)
    assert client.get(path.format(id=group.id)).status_code == 403


@pytest.mark.parametrize("path,data", [
    ("/groups/new", GROUP_FORM), ("/groups/{id}/edit", GROUP_FORM), ("/groups/{id}/status", {"status": "archived"}),
])
def test_member_cannot_change_groups(client, login_as, group, group_member, path, data):
    from tests.conftest import csrf_token

    login_as(group_member)
    token = csrf_token(client, "/dashboard")
    assert client.post(path.format(id=group.id), data={**data, "csrf_token": token}).status_code == 403
    db.session.refresh(group)
    assert group.name_ja == "水素・GX部会" and group.status == GroupStatus.ACTIVE


def test_anonymous_is_sent_to_login_for_secretariat_pages(client):
    response = client.get("/groups/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_sub_groups_are_listed_after_their_parent(client, make_group, group):
    other = make_group("AI・データセンター部会")
    make_group("洋上風力分科会", parent=group)
    page = client.get("/groups/").get_data(as_text=True)
    assert page.index("水素・GX部会") < page.index("洋上風力分科会") < page.index(other.name_ja)
