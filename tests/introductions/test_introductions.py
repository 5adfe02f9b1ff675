"""Introductions: each side sees its own, only the target side answers, the requester confirms the trial."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from app.introductions.services import answer_introduction, confirm_agreement
from app.permissions import Refused
from models import IntroductionStatus, Notification, Role, SuggestionAction, TrialRequestStatus, db
from tests.conftest import AuthActions


def test_sending_an_introduction_notifies_both_sides_and_moves_the_request(introduction, applicant, site_owner):
    assert introduction.status == IntroductionStatus.INTRODUCED
    for user in (applicant, site_owner):
        assert db.session.scalars(db.select(Notification).where(Notification.recipient_id == user.id)).first()
    assert introduction.trial_request.status == TrialRequestStatus.INTRODUCED


def test_the_suggestion_records_the_secretariats_action(introduction):
    from models import MatchSuggestion

    suggestion = db.session.scalars(db.select(MatchSuggestion)).one()
    assert suggestion.action == SuggestionAction.INTRODUCED and suggestion.introduction_id == introduction.id


def test_the_site_owner_accepts(client, login_as, site_owner, introduction, post_form):
    login_as(site_owner)
    response = post_form(f"/introductions/{introduction.id}/answer", {"accept": "Accept"},
                         form_page=f"/introductions/{introduction.id}")
    assert response.status_code == 302
    db.session.refresh(introduction)
    assert introduction.status == IntroductionStatus.ACCEPTED and introduction.responded_by_id == site_owner.id


def test_the_site_owner_declines(client, login_as, site_owner, introduction, post_form):
    login_as(site_owner)
    post_form(f"/introductions/{introduction.id}/answer", {"decline": "Decline", "note": "冬季は予約済みです"},
              form_page=f"/introductions/{introduction.id}")
    db.session.refresh(introduction)
    assert introduction.status == IntroductionStatus.DECLINED and introduction.response_note == "冬季は予約済みです"


def test_the_requesting_side_may_not_answer_for_the_site(client, login_as, applicant, introduction, post_form):
    login_as(applicant)
    response = post_form(f"/introductions/{introduction.id}/answer", {"accept": "Accept"},
                         form_page=f"/introductions/{introduction.id}")
    assert response.status_code == 403
    db.session.refresh(introduction)
    assert introduction.status == IntroductionStatus.INTRODUCED


def test_a_third_organisation_gets_404(client, login_as, make_user, introduction, post_form):
    login_as(make_user(Role.MEMBER))
    assert client.get(f"/introductions/{introduction.id}").status_code == 404
    assert post_form(f"/introductions/{introduction.id}/answer", {"accept": "Accept"}, form_page="/dashboard").status_code == 404


def test_the_secretariat_may_not_answer_for_a_member_owned_site(secretariat, introduction):
    with pytest.raises(Refused):
        answer_introduction(secretariat, introduction, accept=True)


@pytest.mark.parametrize("path", ["/introductions/{id}", "/introductions/"])
def test_anonymous_is_sent_to_login(client, introduction, path):
    path = path.format(id=introduction.id)
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/login"
    assert parse_qs(location.query)["next"] == [path]
    assert introduction.trial_request.title not in response.get_data(as_text=True)


def test_an_answered_introduction_cannot_be_answered_again(site_owner, introduction):
    answer_introduction(site_owner, introduction, accept=False)
    with pytest.raises(Refused):
        answer_introduction(site_owner, introduction, accept=True)


def test_the_requester_confirms_the_trial_after_acceptance(client, login_as, applicant, site_owner, introduction, post_form):
    answer_introduction(site_owner, introduction, accept=True)
    db.session.commit()
    login_as(applicant)
    assert post_form(f"/introductions/{introduction.id}/agree", form_page=f"/introductions/{introduction.id}").status_code == 302
    db.session.refresh(introduction)
    assert introduction.status == IntroductionStatus.AGREED
    assert introduction.trial_request.status == TrialRequestStatus.AGREED


def test_the_site_owner_cannot_confirm_the_trial(site_owner, introduction):
    answer_introduction(site_owner, introduction, accept=True)
    with pytest.raises(Refused):
        confirm_agreement(site_owner, introduction)


def test_each_side_sees_its_introduction_in_its_list(client, login_as, applicant, site_owner, make_user, introduction):
    login_as(site_owner)
    assert "石狩吹雪実験場" in client.get("/introductions/").get_data(as_text=True)
    AuthActions(client).logout()
    login_as(applicant)
    assert "石狩吹雪実験場" in client.get("/introductions/").get_data(as_text=True)
    AuthActions(client).logout()
    login_as(make_user(Role.MEMBER))
    assert "石狩吹雪実験場" not in client.get("/introductions/").get_data(as_text=True)


def test_the_site_owner_does_not_see_the_confidential_request(client, login_as, site_owner, introduction):
    login_as(site_owner)
    html = client.get(f"/introductions/{introduction.id}").get_data(as_text=True)
    assert "冬の試験道路をご紹介します。" in html
    assert "極秘" not in html
    assert f"/trials/requests/{introduction.trial_request_id}" not in html
    assert client.get(f"/trials/requests/{introduction.trial_request_id}").status_code == 404


def test_a_suggested_introduction_is_hidden_from_both_sides_until_sent(client, login_as, site_owner, secretariat,
                                                                       startup_request, owned_site):
    from app.introductions.services import create_introductions, record_run
    from matching import Result

    run = record_run(secretariat, trial_request=startup_request, filters={},
                     results=[Result(f"site:{owned_site.id}", "site", 50.0)])
    [draft] = create_introductions(secretariat, run, [run.suggestions[0].id], "下書き", send=False)
    db.session.commit()
    login_as(site_owner)
    assert client.get(f"/introductions/{draft.id}").status_code == 404


def test_the_secretariat_answers_for_a_site_it_keeps(secretariat, member, startup_request, make_site):
    from app.introductions.services import create_introductions, record_run
    from matching import Result

    site = make_site("事務局管理の雪原")
    run = record_run(secretariat, trial_request=startup_request, filters={}, results=[Result(f"site:{site.id}", "site", 60.0)])
    [intro] = create_introductions(secretariat, run, [run.suggestions[0].id], "ご紹介", send=True)
    with pytest.raises(Refused):
        answer_introduction(member, intro, accept=True)
    answer_introduction(secretariat, intro, accept=True)
    assert intro.status == IntroductionStatus.ACCEPTED
