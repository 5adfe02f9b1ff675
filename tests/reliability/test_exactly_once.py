"""Exactly once: every create form carries a one-time key; the same key posted twice, at once or
one after the other, stores one record, and the repeat is answered with the first result."""
from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.mail import sent_messages
from models import (
    ChallengeProposal, Introduction, MatchRun, Meeting, MeetingAttachment, MembershipApplication, NeedAttachment, NeedEvent,
    ProposalPackage, RegionalChallenge, RegulatoryNeed, Role, TrialRequest, TrialRequestMessage, TrialSite, WorkingGroup, db,
)

from ..needs.test_form import FULL

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
PDF = b"%PDF-1.4 test"


@dataclass
class Case:
    user: Any
    form_page: str
    path: str
    data: Callable[[], dict]  # fresh per POST (file objects are consumed)
    model: Any
    multipart: bool = False


def _need_case(r):
    applicant = r.getfixturevalue("applicant")
    r.getfixturevalue("secretariat")
    return Case(applicant, "/needs/new", "/needs/new", lambda: {**FULL, "submit": "1"}, RegulatoryNeed)


def _trial_request_case(r):
    applicant = r.getfixturevalue("applicant")
    return Case(applicant, "/trials/requests/new", "/trials/requests/new",
                lambda: {"title": "除雪ロボット", "verify": "吹雪で走れるか", "municipality": "石狩市", "confidential": "y"},
                TrialRequest)


def _challenge_case(r):
    city = r.getfixturevalue("government_member")
    return Case(city, "/trials/challenges/new", "/trials/challenges/new",
                lambda: {"title": "交通空白地の移動手段", "description": "バスが廃止された地区", "tags": "mobility"}, RegionalChallenge)


def _proposal_case(r):
    city = r.getfixturevalue("government_member")
    challenge = r.getfixturevalue("make_challenge")(city)
    member = r.getfixturevalue("member")
    page = f"/trials/challenges/{challenge.id}"
    return Case(member, page, page, lambda: {"summary": "小型除雪機の貸出", "body": "冬季に貸し出します"}, ChallengeProposal)


def _application_case(r):
    applicant = r.getfixturevalue("applicant")
    return Case(applicant, "/members/apply", "/members/apply", lambda: {
        "tier": "special", "name_ja": "北海道テスト大学", "sector": "academia", "municipality": "札幌市北区",
        "capabilities": "寒冷地工学", "technologies": "AI", "message": "よろしくお願いします"}, MembershipApplication)


def _need_message_case(r):
    applicant = r.getfixturevalue("applicant")
    need = r.getfixturevalue("make_need")(applicant)
    return Case(applicant, f"/needs/{need.id}", f"/needs/{need.id}/messages", lambda: {"body": "追加の資料があります"}, NeedEvent)


def _staff_message_case(r):
    need = r.getfixturevalue("make_need")(r.getfixturevalue("applicant"))
    staff = r.getfixturevalue("secretariat")
    return Case(staff, f"/needs/manage/{need.id}", f"/needs/manage/{need.id}/message",
                lambda: {"body": "ヒアリングの日程を調整します"}, NeedEvent)


def _need_upload_case(r):
    applicant = r.getfixturevalue("applicant")
    need = r.getfixturevalue("make_need")(applicant)
    return Case(applicant, f"/needs/{need.id}", f"/needs/{need.id}/attachments",
                lambda: {"file": (io.BytesIO(PDF), "計画.pdf")}, NeedAttachment, multipart=True)


def _trial_message_case(r):
    applicant = r.getfixturevalue("applicant")
    trial_request = r.getfixturevalue("make_request")(applicant)
    page = f"/trials/requests/{trial_request.id}"
    return Case(applicant, page, page + "/messages", lambda: {"body": "日程の相談です"}, TrialRequestMessage)


def _package_case(r):
    staff = r.getfixturevalue("secretariat")
    need_id = str(r.getfixturevalue("make_need")(r.getfixturevalue("applicant")).id)
    return Case(staff, "/needs/manage/packages/new", "/needs/manage/packages/new",
                lambda: {"title": "新パッケージ", "proposal_text": "本文", "needs": [need_id]}, ProposalPackage)


def _site_case(r):
    member = r.getfixturevalue("member")
    periods = {f"periods-{i}-{end}_month": "0" for i in (1, 2) for end in ("start", "end")}
    return Case(member, "/trials/sites/new", "/trials/sites/new", lambda: {
        "name_ja": "会員の雪原", "kind": "snowfield", "municipality": "当別町", "technologies": "snow",
        "periods-0-start_month": "12", "periods-0-end_month": "3", **periods}, TrialSite)


def _group_case(r):
    staff = r.getfixturevalue("secretariat")
    return Case(staff, "/groups/new", "/groups/new", lambda: {
        "name_ja": "新しい部会", "parent_id": "0", "axis": "industry", "summary_ja": "概要"}, WorkingGroup)


def _meeting_case(r):
    staff = r.getfixturevalue("secretariat")
    group = r.getfixturevalue("make_group")()
    page = f"/groups/{group.id}/meetings/new"
    return Case(staff, page, page, lambda: {"title": "第2回", "starts_at": "2026-12-10T14:00",
                                            "ends_at": "2026-12-10T16:00", "place": "会議室"}, Meeting)


def _meeting_upload_case(r):
    staff = r.getfixturevalue("secretariat")
    group = r.getfixturevalue("make_group")()
    meeting = r.getfixturevalue("make_meeting")(group)
    page = f"/groups/{group.id}/meetings/{meeting.id}"
    return Case(staff, page, page + "/attachments", lambda: {"file": (io.BytesIO(PDF), "議事次第.pdf")},
                MeetingAttachment, multipart=True)


def _introduction_case(r):
    staff = r.getfixturevalue("secretariat")
    applicant = r.getfixturevalue("applicant")
    trial_request = r.getfixturevalue("make_request")(applicant, confidential=False)
    owner = r.getfixturevalue("member")
    r.getfixturevalue("make_site")("石狩の試験道路", owner=owner.organisation)
    client = r.getfixturevalue("client")
    r.getfixturevalue("login_as")(staff)
    page = f"/introductions/match/request/{trial_request.id}"
    client.get(page)
    run = db.session.scalars(select(MatchRun)).one()
    ids = [str(s.id) for s in run.suggestions][:1]
    assert ids, "the matcher found no candidate to introduce"
    r.getfixturevalue("auth").logout()
    return Case(staff, page, f"/introductions/runs/{run.id}/introduce",
                lambda: {"suggestions": ids, "message": "ご紹介します", "send": "Introduce"}, Introduction)


CASES = {
    "need": _need_case, "trial_request": _trial_request_case, "challenge": _challenge_case, "proposal": _proposal_case,
    "membership_application": _application_case, "need_message": _need_message_case,
    "staff_message": _staff_message_case, "need_upload": _need_upload_case, "trial_message": _trial_message_case,
    "package": _package_case, "site": _site_case, "group": _group_case, "meeting": _meeting_case,
    "meeting_upload": _meeting_upload_case, "introduction": _introduction_case,
}


def _count(model) -> int:
    count = db.session.scalar(select(func.count()).select_from(model))
    db.session.commit()  # end the read (SQLite takes the write lock at BEGIN)
    return count


def _prepare(request, name: str):
    case = CASES[name](request)
    client = request.getfixturevalue("client")
    request.getfixturevalue("login_as")(case.user)
    page = client.get(case.form_page).get_data(as_text=True)
    csrf, key = CSRF_RE.search(page), KEY_RE.search(page)
    assert csrf and key, f"{case.form_page} has no one-time key"
    before = _count(case.model)
    return case, client, csrf.group(1), key.group(1), before


def _post(app, cookie_source: FlaskClient, case: Case, csrf: str, key: str, client: FlaskClient | None = None):
    """POST the case's form from a client of its own (one per thread) sharing the login's cookies."""
    client = client or FlaskClient(app, app.response_class, use_cookies=True)
    for name in ("session", "remember_token"):
        cookie = cookie_source.get_cookie(name)
        if cookie is not None:
            client.set_cookie(name, cookie.value)
    data = {"csrf_token": csrf, "submission_key": key, **case.data()}
    kwargs = {"content_type": "multipart/form-data"} if case.multipart else {}
    return client.post(case.path, data=data, **kwargs)


@pytest.mark.parametrize("name", CASES)
def test_two_concurrent_posts_with_one_key_store_one_record(app, request, name):
    case, client, csrf, key, before = _prepare(request, name)
    db.session.commit()
    start = threading.Barrier(2)
    responses: list = []
    errors: list = []

    def send():
        try:
            start.wait()
            with app.app_context():
                responses.append(_post(app, client, case, csrf, key))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(r.status_code for r in responses) == [302, 302], [r.get_data(as_text=True)[:300] for r in responses]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]  # both see the first result
    assert _count(case.model) == before + 1


@pytest.mark.parametrize("name", ["need", "trial_request", "membership_application", "need_message"])
def test_a_repeated_post_creates_nothing_and_shows_the_first_result(app, request, name):
    case, client, csrf, key, before = _prepare(request, name)
    browser = FlaskClient(app, app.response_class, use_cookies=True)
    first = _post(app, client, case, csrf, key, browser)
    mails = len(sent_messages)
    again = _post(app, client, case, csrf, key, browser)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(case.model) == before + 1
    assert len(sent_messages) == mails  # no second notification either
    shown = browser.get(again.headers["Location"]).get_data(as_text=True)
    assert "nothing was added twice" in shown or "二重には登録していません" in shown


def test_a_new_key_creates_again(app, request):
    case, client, csrf, key, before = _prepare(request, "need_message")
    _post(app, client, case, csrf, key)
    _post(app, client, case, csrf, key[:-4] + "ABCD")
    assert _count(case.model) == before + 2


def test_a_key_is_each_users_own_and_never_shows_another_users_result(app, request, make_user):
    case, client, csrf, key, before = _prepare(request, "need_message")
    first = _post(app, client, case, csrf, key)
    other = make_user(Role.APPLICANT, organisation=case.user.organisation)
    request.getfixturevalue("auth").logout()
    request.getfixturevalue("login_as")(other)
    page = client.get(case.form_page).get_data(as_text=True)
    response = _post(app, client, case, CSRF_RE.search(page).group(1), key)
    # the copied key is the other user's first use of it: their own message, not a replay of the first
    assert response.status_code == 302
    assert _count(case.model) == before + 2
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nothing was added twice" not in shown and "二重には登録していません" not in shown
    assert first.status_code == 302


def test_an_api_key_and_a_form_key_are_one_mechanism(app, request):
    """The API's Idempotency-Key and a form's key live in one table: a form key sent again through the
    API (same user) is answered with the form's result instead of a second object."""
    from app.api.token_services import create_token
    from models import SubmissionKey, TokenScope

    case, client, csrf, key, before = _prepare(request, "trial_request")
    form = _post(app, client, case, csrf, key)
    assert form.status_code == 302
    row = db.session.get(SubmissionKey, (case.user.id, key))
    assert row is not None and row.request_digest is None and row.result_url == form.headers["Location"]
    _token, secret = create_token(case.user, "crm", TokenScope.WRITE)
    db.session.commit()
    response = app.test_client().post("/api/v1/trial-requests", json={"title": "除雪ロボット", "verify": "吹雪で走れるか"},
                                      headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": key})
    assert _count(case.model) == before + 1
    assert response.status_code == 422  # the key was used for a different request (the form's)


def test_a_malformed_key_is_a_form_error_not_a_500(app, request):
    case, client, csrf, key, before = _prepare(request, "need")
    response = _post(app, client, case, csrf, "<script>alert(1)</script>")
    assert response.status_code == 200
    assert _count(case.model) == before


def test_one_open_membership_application_per_organisation_is_a_database_rule(applicant):
    db.session.add(MembershipApplication(organisation_id=applicant.organisation_id, tier="special"))
    db.session.commit()
    db.session.add(MembershipApplication(organisation_id=applicant.organisation_id, tier="special"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
