"""The special-measure catalogue, the national route and routing to a working group."""
from __future__ import annotations

import pytest

from app.web.registry import registry
from models import Confidentiality, NationalRoute, Role, SpecialMeasure, WorkingGroup, db


def test_secretariat_adds_a_special_measure(client, secretariat, login_as, post_form):
    login_as(secretariat)
    response = post_form("/needs/manage/measures/new", {"code": "M900", "name_ja": "新しい特例", "is_active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(SpecialMeasure).where(SpecialMeasure.code == "M900")).name_ja == "新しい特例"


def test_a_measure_code_is_unique(client, secretariat, make_measure, login_as, post_form):
    make_measure(code="M901")
    login_as(secretariat)
    page = post_form("/needs/manage/measures/new", {"code": "M901", "name_ja": "重複"}).get_data(as_text=True)
    assert "aria-invalid" in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_other_roles_cannot_edit_the_catalogue(client, make_measure, login_as, role):
    measure = make_measure()
    login_as(role)
    assert client.get(f"/needs/manage/measures/{measure.id}/edit").status_code == 403


def test_the_catalogue_is_public(client, make_measure):
    make_measure(name_ja="公開メニュー")
    assert "公開メニュー" in client.get("/needs/measures/").get_data(as_text=True)


def test_secretariat_records_the_route_group_and_measures(client, make_need, make_measure, applicant, secretariat,
                                                          login_as, post_form):
    need = make_need(applicant)
    measure = make_measure()
    group = WorkingGroup(name_ja="産業軸部会")
    db.session.add(group)
    db.session.commit()
    login_as(secretariat)
    post_form(f"/needs/manage/{need.id}/route", {"route": "sandbox", "route_reason": "実証で効果を示すため",
                                                  "group": str(group.id), "measures": [str(measure.id)]},
              form_page=f"/needs/manage/{need.id}")
    db.session.refresh(need)
    assert need.national_route == NationalRoute.SANDBOX and need.route_reason == "実証で効果を示すため"
    assert need.group == group and need.measures == [measure]


def test_group_page_lists_only_the_routed_needs_a_user_may_see(make_need, applicant, make_user, secretariat):
    group = WorkingGroup(name_ja="産業軸部会")
    db.session.add(group)
    confidential = make_need(applicant, title="非公開ニーズ", group=group)
    shared = make_need(applicant, title="共有ニーズ", confidentiality=Confidentiality.MEMBERS, group=group)
    db.session.commit()
    titles = lambda user: {i.title for section in registry().items_assigned_to(group, user) for i in section.items}  # noqa: E731
    assert titles(secretariat) == {confidential.title, shared.title}
    assert titles(make_user(Role.MEMBER)) == {shared.title}
    [section] = registry().items_assigned_to(group, make_user(Role.MEMBER))
    assert section.total == 1


def test_reference_data_loads_laws_and_measures(runner):
    result = runner.invoke(args=["needs", "load-reference"])
    assert "106 laws, 72 special measures" in result.output
    assert db.session.scalar(db.select(SpecialMeasure).where(SpecialMeasure.code == "M070")) is not None
