"""Trial requests: submission, confidentiality, the state machine, withdrawal, messages, result report."""
from __future__ import annotations

import pytest

from app.core.audit import entries_for
from app.core.mail import sent_messages
from app.permissions import Refused
from app.trials.services import TrialRuleError, advance_trial_request, report_trial_result
from models import Notification, Role, TrialRequest, TrialRequestStatus, db

S = TrialRequestStatus


def test_applicant_submits_a_request_that_is_confidential_by_default(client, login_as, applicant, secretariat, post_form):
    login_as(applicant)
    response = post_form("/trials/requests/new", {
        "title": "Autonomous snow plough trial", "verify": "Can a small robot clear pavements in a blizzard?",
        "municipality": "石狩市", "support": ["site_coordination", "permits"], "confidential": "y",
        "period_start": "2026-12-01", "period_end": "2027-02-28",
    })
    assert response.status_code == 302
    trial_request = db.session.scalars(db.select(TrialRequest)).one()
    assert trial_request.confidential and trial_request.status == S.SUBMITTED
    assert trial_request.organisation_id == applicant.organisation_id
    assert trial_request.support == ["site_coordination", "permits"]
    assert [e.action for e in entries_for(trial_request)] == ["trial_request.submitted"]
    assert db.session.scalars(db.select(Notification).where(Notification.recipient_id == secretariat.id)).one()
    assert sent_messages


def test_the_new_request_form_starts_confidential(client, login_as, applicant):
    login_as(applicant)
    html = client.get("/trials/requests/new").get_data(as_text=True)
    assert 'checked id="confidential"' in html


def test_a_period_ending_before_it_starts_is_refused_with_input_kept(client, login_as, applicant, post_form):
    login_as(applicant)
    response = post_form("/trials/requests/new", {"title": "逆の期間", "verify": "検証内容", "period_start": "2026-12-01",
                                                  "period_end": "2026-11-01"})
    assert response.status_code == 200 and "逆の期間" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(TrialRequest)).first() is None


@pytest.mark.parametrize("role, expected", [(None, 302), (Role.SECRETARIAT, 403), (Role.ADMIN, 403)])
def test_who_may_not_submit_requests(client, login_as, role, expected):
    if role:
        login_as(role)
    assert client.get("/trials/requests/new").status_code == expected


def test_a_confidential_request_is_hidden_from_other_organisations(client, login_as, applicant, make_user, make_request):
    trial_request = make_request(applicant, title="秘密の除雪ロボット")
    other = make_user(Role.MEMBER)
    login_as(other)
    assert client.get(f"/trials/requests/{trial_request.id}").status_code == 404
    assert "秘密の除雪ロボット" not in client.get("/trials/requests").get_data(as_text=True)
    assert "秘密の除雪ロボット" not in client.get("/trials/requests?q=除雪").get_data(as_text=True)


def test_a_shared_request_is_visible_to_members_but_not_to_other_applicants(client, login_as, applicant, make_user, make_request):
    trial_request = make_request(applicant, title="公開の実証", confidential=False)
    login_as(make_user(Role.MEMBER))
    assert client.get(f"/trials/requests/{trial_request.id}").status_code == 200
    client.get("/auth/logout")
    from tests.conftest import AuthActions

    AuthActions(client).logout()
    login_as(make_user(Role.APPLICANT))
    assert client.get(f"/trials/requests/{trial_request.id}").status_code == 404


def test_a_member_reading_a_shared_request_does_not_see_its_messages(client, login_as, applicant, make_user, make_request, secretariat):
    from app.trials.services import post_trial_message

    trial_request = make_request(applicant, confidential=False)
    post_trial_message(secretariat, trial_request, "内部の相談メモ")
    db.session.commit()
    login_as(make_user(Role.MEMBER))
    assert "内部の相談メモ" not in client.get(f"/trials/requests/{trial_request.id}").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_login(client, applicant, make_request):
    trial_request = make_request(applicant)
    for path in ("/trials/requests", f"/trials/requests/{trial_request.id}"):
        assert client.get(path).status_code == 302


def test_the_requester_and_the_secretariat_see_the_request(client, login_as, applicant, secretariat, make_request):
    trial_request = make_request(applicant, title="自分の相談")
    login_as(applicant)
    assert "自分の相談" in client.get("/trials/requests").get_data(as_text=True)
    from tests.conftest import AuthActions

    AuthActions(client).logout()
    login_as(secretariat)
    assert "自分の相談" in client.get("/trials/requests").get_data(as_text=True)


@pytest.mark.parametrize("start, target", [
    (S.SUBMITTED, S.SCREENING), (S.SCREENING, S.MATCHING), (S.MATCHING, S.INTRODUCED), (S.INTRODUCED, S.AGREED),
    (S.AGREED, S.RUNNING), (S.SUBMITTED, S.DECLINED), (S.INTRODUCED, S.MATCHING),
])
def test_allowed_transitions(secretariat, applicant, make_request, start, target):
    trial_request = make_request(applicant, status=start)
    advance_trial_request(secretariat, trial_request, target)
    assert trial_request.status == target
    entry = entries_for(trial_request)[-1]
    assert entry.action == "trial_request.status" and entry.details == {"old": start.value, "new": target.value}


@pytest.mark.parametrize("start, target", [
    (S.SUBMITTED, S.RUNNING), (S.SUBMITTED, S.COMPLETED), (S.RUNNING, S.COMPLETED), (S.COMPLETED, S.RUNNING),
    (S.WITHDRAWN, S.SCREENING), (S.DECLINED, S.MATCHING), (S.SCREENING, S.AGREED),
])
def test_forbidden_transitions(secretariat, applicant, make_request, start, target):
    trial_request = make_request(applicant, status=start)
    with pytest.raises(TrialRuleError):
        advance_trial_request(secretariat, trial_request, target)
    assert trial_request.status == start


def test_a_forbidden_transition_through_the_page_is_refused(client, login_as, secretariat, applicant, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(secretariat)
    response = post_form(f"/trials/requests/{trial_request.id}/status", {"status": "running"},
                         form_page=f"/trials/requests/{trial_request.id}", follow_redirects=True)
    assert "その状態には変更できません" in response.get_data(as_text=True) or response.status_code == 200
    db.session.refresh(trial_request)
    assert trial_request.status == S.SUBMITTED


def test_secretariat_moves_a_request_through_the_page(client, login_as, secretariat, applicant, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(secretariat)
    assert post_form(f"/trials/requests/{trial_request.id}/status", {"status": "screening"},
                     form_page=f"/trials/requests/{trial_request.id}").status_code == 302
    db.session.refresh(trial_request)
    assert trial_request.status == S.SCREENING


def test_the_requester_cannot_move_its_own_request(client, login_as, applicant, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(applicant)
    assert post_form(f"/trials/requests/{trial_request.id}/status", {"status": "screening"},
                     form_page=f"/trials/requests/{trial_request.id}").status_code == 403


def test_another_organisation_gets_404_on_every_request_action(client, login_as, applicant, make_user, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(make_user(Role.MEMBER))
    for action in ("status", "withdraw", "messages", "route"):
        assert post_form(f"/trials/requests/{trial_request.id}/{action}", {"status": "screening", "body": "x"},
                         form_page="/dashboard").status_code == 404
    assert client.get(f"/trials/requests/{trial_request.id}/result").status_code == 404


def test_the_requester_withdraws_its_request(client, login_as, applicant, make_request, post_form):
    trial_request = make_request(applicant, status=S.SCREENING)
    login_as(applicant)
    assert post_form(f"/trials/requests/{trial_request.id}/withdraw", form_page=f"/trials/requests/{trial_request.id}").status_code == 302
    db.session.refresh(trial_request)
    assert trial_request.status == S.WITHDRAWN


def test_a_running_trial_cannot_be_withdrawn(client, login_as, applicant, make_request, post_form):
    trial_request = make_request(applicant, status=S.RUNNING)
    login_as(applicant)
    assert post_form(f"/trials/requests/{trial_request.id}/withdraw", form_page="/dashboard").status_code == 403


def test_a_member_who_may_read_a_shared_request_may_not_withdraw_it(client, login_as, applicant, make_user, make_request, post_form):
    trial_request = make_request(applicant, confidential=False)
    login_as(make_user(Role.MEMBER))
    assert post_form(f"/trials/requests/{trial_request.id}/withdraw", form_page="/dashboard").status_code == 403


def test_requester_and_secretariat_exchange_messages(client, login_as, applicant, secretariat, make_request, post_form):
    trial_request = make_request(applicant)
    login_as(applicant)
    post_form(f"/trials/requests/{trial_request.id}/messages", {"body": "現地を見学できますか？"},
              form_page=f"/trials/requests/{trial_request.id}")
    db.session.refresh(trial_request)
    assert [m.body for m in trial_request.messages] == ["現地を見学できますか？"]
    assert db.session.scalars(db.select(Notification).where(Notification.recipient_id == secretariat.id)).first()


def test_the_result_report_completes_a_running_trial(client, login_as, applicant, make_request, post_form):
    trial_request = make_request(applicant, status=S.RUNNING)
    login_as(applicant)
    response = post_form(f"/trials/requests/{trial_request.id}/result", {
        "verified": "吹雪時の自律走行", "outcome": "視程50mまで走行できた", "obstacles": "道路使用許可の範囲が歩道に及ばない",
    })
    assert response.status_code == 302
    db.session.refresh(trial_request)
    assert trial_request.status == S.COMPLETED
    assert trial_request.result.obstacles == "道路使用許可の範囲が歩道に及ばない"


@pytest.mark.parametrize("status", [S.SUBMITTED, S.AGREED, S.COMPLETED])
def test_a_result_report_needs_a_running_trial(applicant, make_request, status):
    trial_request = make_request(applicant, status=status)
    with pytest.raises(Refused):
        report_trial_result(applicant, trial_request, verified="x", outcome="y")
