"""The KPI pages: who may see what, setting targets through the form, the public opt-in, hostile input,
and the dashboard's statement count not growing with the data."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.core import analyses
from app.kpis import services
from models import Role, db
from models.kpis import KpiTarget

from .conftest import YEAR


@contextmanager
def counted_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


STAFF_PAGES = [f"/kpis/manage/?year={YEAR}", f"/kpis/manage/targets/{YEAR}", f"/kpis/manage/figures/{YEAR}",
               f"/kpis/manage/evaluation/{YEAR}", "/kpis/manage/public", f"/kpis/manage/report/{YEAR}.csv"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_for_the_secretariat(client, login_as, secretariat, path):
    login_as(secretariat)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_members_and_applicants(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_member_sees_its_own_organisation_page(client, login_as, member):
    login_as(member)
    response = client.get("/kpis/organisation")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and member.organisation.name_ja in page.get_data(as_text=True)


def test_a_member_may_not_see_another_organisations_page(client, login_as, member, make_organisation):
    other = make_organisation("他社")
    login_as(member)
    assert client.get(f"/kpis/organisations/{other.id}").status_code == 404


def test_an_applicant_has_no_activity_page(client, login_as, applicant):
    login_as(applicant)
    assert client.get(f"/kpis/organisations/{applicant.organisation_id}").status_code == 404


def test_anonymous_visitors_have_no_activity_page(client, member):
    response = client.get(f"/kpis/organisations/{member.organisation_id}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_secretariat_sees_any_organisation_page(client, login_as, secretariat, member):
    login_as(secretariat)
    assert client.get(f"/kpis/organisations/{member.organisation_id}").status_code == 200


def test_public_page_is_off_until_something_is_opted_in(client):
    assert client.get("/kpis/").status_code == 404


def test_public_page_shows_only_what_was_opted_in(kpi_world, client, secretariat):
    services.publish_indicators(secretariat, ["introductions_made", "members_total"])
    services.set_target(secretariat, "introductions_made", YEAR, 3)
    db.session.commit()
    html = client.get(f"/kpis/?year={YEAR}").get_data(as_text=True)
    assert 'data-indicator="introductions_made"' in html and 'data-indicator="members_total"' in html
    assert "引き合わせ件数" in html and "133%" in html
    assert html.count("data-indicator=") == 2
    assert "規制緩和ニーズの受付件数" not in html and "実証実験の開始件数" not in html


def test_opt_in_through_the_form(client, login_as, secretariat, post_form):
    login_as(secretariat)
    response = post_form("/kpis/manage/public", {"indicators": ["trials_started", "not-an-indicator"]})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # an unknown choice is refused by the form; the known one alone is saved
        post_form("/kpis/manage/public", {"indicators": ["trials_started"]})
    from models.kpis import PublicIndicator

    assert set(db.session.scalars(db.select(PublicIndicator.indicator))) == {"trials_started"}


def test_setting_a_target_through_the_form_shows_the_ratio(kpi_world, client, login_as, secretariat, post_form):
    login_as(secretariat)
    response = post_form(f"/kpis/manage/targets/{YEAR}/introductions_made", {"introductions_made-value": "3"},
                         form_page=f"/kpis/manage/targets/{YEAR}")
    assert response.status_code == 302
    target = db.session.scalar(db.select(KpiTarget))
    assert (target.indicator, target.fiscal_year, target.value, target.set_by_id) == ("introductions_made", YEAR, 3.0,
                                                                                     secretariat.id)
    page = client.get(f"/kpis/manage/targets/{YEAR}").get_data(as_text=True)
    assert "133%" in page
    # An empty value removes the target.
    post_form(f"/kpis/manage/targets/{YEAR}/introductions_made", {"introductions_made-value": ""},
              form_page=f"/kpis/manage/targets/{YEAR}")
    assert db.session.scalar(db.select(KpiTarget)) is None


def test_target_post_without_csrf_is_refused(client, login_as, secretariat):
    login_as(secretariat)
    response = client.post(f"/kpis/manage/targets/{YEAR}/introductions_made", data={"introductions_made-value": "3"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(KpiTarget)) is None


@pytest.mark.parametrize("value", ["1e300", "-5", "abc", "9" * 400])
def test_hostile_targets_get_a_message_not_a_500(client, login_as, secretariat, post_form, value):
    login_as(secretariat)
    response = post_form(f"/kpis/manage/targets/{YEAR}/introductions_made", {"introductions_made-value": value},
                         form_page=f"/kpis/manage/targets/{YEAR}", follow_redirects=True)
    assert response.status_code == 200
    assert "1,000,000,000,000" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(KpiTarget)) is None


def test_nul_bytes_are_refused_before_the_view(client, login_as, secretariat, post_form):
    """The app-wide control-character guard answers 400 before any KPI view runs."""
    login_as(secretariat)
    response = post_form(f"/kpis/manage/targets/{YEAR}/introductions_made", {"introductions_made-value": "3\x00"},
                         form_page=f"/kpis/manage/targets/{YEAR}")
    assert response.status_code == 400
    assert db.session.scalar(db.select(KpiTarget)) is None


@pytest.mark.parametrize("note", ["\x00", "x" * 100_000])
def test_hostile_notes_get_a_message_not_a_500(client, login_as, secretariat, post_form, note):
    login_as(secretariat)
    response = post_form(f"/kpis/manage/figures/{YEAR}/jobs_created", {"jobs_created-value": "5", "jobs_created-note": note},
                         form_page=f"/kpis/manage/figures/{YEAR}")
    assert response.status_code == 400


def test_unknown_indicator_is_404(client, login_as, secretariat, post_form):
    login_as(secretariat)
    response = post_form(f"/kpis/manage/targets/{YEAR}/nope", {"nope-value": "1"}, form_page=f"/kpis/manage/targets/{YEAR}")
    assert response.status_code == 404


def test_manual_figure_keeps_note_who_and_when(client, login_as, secretariat, post_form):
    login_as(secretariat)
    response = post_form(f"/kpis/manage/figures/{YEAR}/external_funding",
                         {"external_funding-value": "25000000", "external_funding-note": "NEDO 採択"})
    assert response.status_code == 302
    page = client.get(f"/kpis/manage/?year={YEAR}").get_data(as_text=True)
    assert "25,000,000" in page
    figures = client.get(f"/kpis/manage/figures/{YEAR}").get_data(as_text=True)
    assert "NEDO 採択" in figures and secretariat.name in figures


def test_a_named_evaluator_scores_through_the_form(client, login_as, secretariat, make_user, post_form):
    evaluator = make_user(Role.MEMBER, email="judge@example.org")
    services.name_evaluator(secretariat, YEAR, "judge@example.org")
    db.session.commit()
    login_as(evaluator)
    response = post_form(f"/kpis/evaluation/{YEAR}/score", {"score_i": "60", "score_ii": "80", "score_iii": "90",
                                                            "comment_i": "良い", "comment_ii": "", "comment_iii": ""})
    assert response.status_code == 302
    assert client.get(f"/kpis/evaluation/{YEAR - 1}/score").status_code == 403


def _grow(kpi_world, times: int):
    """More rows of every kind the dashboard counts, in the same year."""
    from models import Introduction, RegulatoryNeed, TrialRequest

    from .conftest import MID

    org, user = kpi_world["org1"], kpi_world["user"]
    for n in range(times):
        db.session.add(RegulatoryNeed(title=f"n{n}", organisation_id=org.id, submitter_id=user.id,
                                      submitted_at=MID, group_id=kpi_world["g1"].id))
        t = TrialRequest(organisation_id=org.id, title=f"t{n}", created_at=MID, group_id=kpi_world["g2"].id)
        db.session.add(t)
        db.session.flush()
        db.session.add(Introduction(trial_request_id=t.id, requester_organisation_id=org.id, introduced_at=MID))
    db.session.commit()


def test_dashboard_statement_count_does_not_grow_with_the_data(kpi_world, client, login_as, secretariat):
    login_as(secretariat)
    client.get(f"/kpis/manage/?year={YEAR}")
    with counted_statements() as small:
        assert client.get(f"/kpis/manage/?year={YEAR}").status_code == 200
    _grow(kpi_world, 40)
    analyses.run_pending()  # the need-pair work of rows made outside a request (a request that made them runs it)
    client.get(f"/kpis/manage/?year={YEAR}")  # the same warm-up as before (the commit expired the session)
    with counted_statements() as large:
        assert client.get(f"/kpis/manage/?year={YEAR}").status_code == 200
    assert len(large) == len(small), (len(small), len(large))
    assert len(small) < 60


def test_dashboard_panel_links_a_named_evaluator_to_the_sheet(client, login_as, secretariat, make_user):
    evaluator = make_user(Role.MEMBER, email="panel-judge@example.org")
    services.name_evaluator(secretariat, YEAR, "panel-judge@example.org")
    db.session.commit()
    login_as(evaluator)
    html = client.get("/dashboard").get_data(as_text=True)
    assert f"/kpis/evaluation/{YEAR}/score" in html and "/kpis/organisation" in html


def test_dashboard_panel_for_an_applicant_has_no_kpi_links(client, login_as):
    login_as(Role.APPLICANT)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "/kpis/" not in html
