"""One way to refuse: every service raises `Refused` when the actor may not act, and the app answers it with
403 (404 when the object must stay hidden), never 500, on pages and on /api/ paths alike."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from werkzeug.datastructures import FileStorage

from app.auth import services as accounts
from app.core.fiscal import TOKYO
from app.groups import attachment_services as group_files
from app.groups import calendar_services, meeting_services
from app.groups import services as groups
from app.introductions import services as introductions
from app.members import colleague_services, dues_services, import_services, office_services
from app.members import services as members
from app.needs import attachment_services as need_files
from app.needs import package_services
from app.needs import services as needs
from app.notifications import services as notifications
from app.permissions import Refused
from app.trials import challenge_services, site_services
from app.trials import services as trials
from models import (
    GroupAxis,
    GroupStatus,
    Introduction,
    IntroductionStatus,
    Meeting,
    NeedStatus,
    OfficeKind,
    RegulatoryNeed,
    Role,
    TrialRequest,
    TrialRequestStatus,
    TrialSite,
    WorkingGroup,
    db,
)


def _upload() -> FileStorage:
    return FileStorage(io.BytesIO(b"%PDF-1.4 evidence"), filename="証拠.pdf", content_type="application/pdf")


@pytest.fixture
def world(make_user):
    member = make_user(Role.MEMBER)
    stranger = make_user(Role.MEMBER)
    need = RegulatoryNeed(organisation_id=member.organisation_id, submitter=member, title="ドローン目視外飛行",
                          status=NeedStatus.RECEIVED)
    request = TrialRequest(organisation_id=member.organisation_id, submitted_by=member, title="除雪ロボット",
                           status=TrialRequestStatus.SUBMITTED, verify="検証")
    group = WorkingGroup(name_ja="水素部会", axis=GroupAxis.INDUSTRY)
    meeting = Meeting(group=group, title="第1回", starts_at=datetime(2026, 6, 10, 14, tzinfo=TOKYO),
                      ends_at=datetime(2026, 6, 10, 16, tzinfo=TOKYO))
    site = TrialSite(name_ja="試験場", owner=member.organisation)
    introduction = Introduction(requester_organisation_id=member.organisation_id,
                                target_organisation_id=stranger.organisation_id, status=IntroductionStatus.SUGGESTED)
    db.session.add_all([need, request, group, meeting, site, introduction])
    db.session.flush()
    notice = notifications.notify(member, "New regional challenge: %(title)s", title="x", email=False)
    token, _secret = calendar_services.create_feed_token(member)
    db.session.commit()
    return dict(member=member, stranger=stranger, need=need, request=request, group=group, meeting=meeting,
                site=site, introduction=introduction, notice=notice, token=token)


# (service, call with an actor who may not act): one or more per service module.
CASES = {
    "auth.set_role": lambda w: accounts.set_role(w["stranger"], w["member"], Role.ADMIN),
    "needs.advance_need": lambda w: needs.advance_need(w["member"], w["need"], NeedStatus.REGULATION_IDENTIFIED, ""),
    "needs.withdraw_need (another organisation)": lambda w: needs.withdraw_need(w["stranger"], w["need"]),
    "needs.save_package": lambda w: package_services.save_package(w["member"], None, "束", "", [w["need"]]),
    "needs.add_attachment": lambda w: need_files.add_attachment(w["stranger"], w["need"], _upload()),
    "members.update_profile": lambda w: members.update_profile(w["stranger"], w["member"].organisation,
                                                               members.profile_of(w["member"].organisation)),
    "members.invoice_year": lambda w: dues_services.invoice_year(w["member"], 2026),
    "members.invite_colleague": lambda w: colleague_services.invite_colleague(w["stranger"], w["member"].organisation,
                                                                              "x@example.org"),
    "members.run_import": lambda w: import_services.run_import(w["member"], b"name_ja\n"),
    "members.add_office": lambda w: office_services.add_office(w["member"], kind=OfficeKind.CHAIR, person_name="山田",
                                                               organisation_id=None, term_start=datetime(2026, 4, 1).date(),
                                                               term_end=None),
    "groups.set_group_status": lambda w: groups.set_group_status(w["member"], w["group"], GroupStatus.ARCHIVED),
    "groups.save_minutes": lambda w: meeting_services.save_minutes(w["member"], w["meeting"], "議事録"),
    "groups.add_attachment": lambda w: group_files.add_attachment(w["member"], w["meeting"], _upload()),
    "groups.revoke_feed_token": lambda w: calendar_services.revoke_feed_token(w["stranger"], w["token"]),
    "trials.advance_trial_request": lambda w: trials.advance_trial_request(w["member"], w["request"],
                                                                           TrialRequestStatus.SCREENING),
    "trials.update_site": lambda w: site_services.update_site(w["stranger"], w["site"], {}),
    "trials.post_challenge": lambda w: challenge_services.post_challenge(w["member"], {"title": "課題"}),
    "introductions.send_introduction": lambda w: introductions.send_introduction(w["member"], w["introduction"]),
    "notifications.mark_read": lambda w: notifications.mark_read(w["stranger"], w["notice"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_service_refuses_with_the_one_exception_and_the_app_answers_403(app, world, case):
    with app.test_request_context("/some/page"):
        with pytest.raises(Refused) as refused:
            CASES[case](world)
        response = app.make_response(app.handle_user_exception(refused.value))
    assert response.status_code == refused.value.status
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("hidden,status", [(False, 403), (True, 404)])
@pytest.mark.parametrize("path", ["/needs/1", "/api/v1/needs/1"])
def test_a_refusal_is_a_403_or_hidden_404_page_in_both_forms(app, hidden, status, path):
    with app.test_request_context(path):
        response = app.make_response(app.handle_user_exception(Refused("理由の説明", hidden=hidden)))
    assert response.status_code == status
    if path.startswith("/api/"):  # the API's own RFC 9457 problem document
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["detail"] == "理由の説明" and response.get_json()["status"] == status
    else:
        assert "理由の説明" in response.get_data(as_text=True)


def test_a_refused_page_request_through_the_client_is_403_not_500(client, login_as, world):
    login_as(world["stranger"])
    from tests.conftest import csrf_token

    token = csrf_token(client, "/dashboard")
    response = client.post(f"/notifications/{world['notice'].id}/read", data={"csrf_token": token})
    assert response.status_code in (403, 404)
