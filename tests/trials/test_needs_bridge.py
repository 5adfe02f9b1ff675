"""A trial's regulatory obstacle pre-fills a regulatory need."""
from __future__ import annotations

from app.trials.obstacle_services import need_prefill_from_trial
from app.trials.services import report_trial_result
from models import Role, TrialRequestStatus, db


def _completed(make_request, applicant, obstacles="歩道での自律走行に道路使用許可が下りない"):
    trial_request = make_request(applicant, status=TrialRequestStatus.RUNNING, technology="除雪ロボット")
    report_trial_result(applicant, trial_request, verified="吹雪時の走行", outcome="視程50mまで走行", obstacles=obstacles)
    db.session.commit()
    return trial_request


def test_the_obstacle_prefills_the_need(make_request, applicant):
    values = need_prefill_from_trial(applicant, _completed(make_request, applicant))
    assert values["obstacle"] == "歩道での自律走行に道路使用許可が下りない"
    assert values["stage"] == "trial" and values["title"] == "除雪ロボットの実証" and "除雪ロボット" in values["business"]


def test_the_secretariat_may_open_the_need_too(make_request, applicant, secretariat):
    assert need_prefill_from_trial(secretariat, _completed(make_request, applicant))["obstacle"]


def test_another_organisation_gets_nothing(make_request, applicant, make_user):
    assert need_prefill_from_trial(make_user(Role.MEMBER), _completed(make_request, applicant)) == {}


def test_a_trial_without_obstacles_opens_no_need(make_request, applicant):
    assert need_prefill_from_trial(applicant, _completed(make_request, applicant, obstacles="")) == {}


def test_the_trial_page_links_to_a_prefilled_need_form(client, login_as, make_request, applicant):
    trial_request = _completed(make_request, applicant)
    login_as(applicant)
    assert f"/needs/new?from_trial={trial_request.id}" in client.get(f"/trials/requests/{trial_request.id}").get_data(as_text=True)
    html = client.get(f"/needs/new?from_trial={trial_request.id}").get_data(as_text=True)
    assert "歩道での自律走行に道路使用許可が下りない" in html and 'value="除雪ロボットの実証"' in html


def test_another_organisation_cannot_prefill_from_the_trial(client, login_as, make_request, applicant, make_user):
    trial_request = _completed(make_request, applicant)
    login_as(make_user(Role.APPLICANT))
    assert client.get(f"/needs/new?from_trial={trial_request.id}").status_code == 404
