"""Browser tests: state forms preselect the next step forward; going back is apart and asks first."""
from __future__ import annotations

from models import NeedStatus, RegulatoryNeed, TrialRequest, TrialRequestStatus, User, db

from .conftest import login, screenshot

SECRETARIAT = "secretariat@demo.example"


def _need(live_app, status: NeedStatus) -> int:
    with live_app.app_context():
        applicant = db.session.query(User).filter_by(email="applicant@demo.example").one()
        need = RegulatoryNeed(title="状態フォーム確認用のニーズ", status=status, submitter=applicant,
                              organisation_id=applicant.organisation_id, business="b", obstacle="o", relief="r")
        db.session.add(need)
        db.session.commit()
        return need.id


def _status(live_app, model, object_id):
    with live_app.app_context():
        return db.session.get(model, object_id).status


def test_need_form_preselects_the_next_step_and_asks_before_going_back(page, live_app):
    need_id = _need(live_app, NeedStatus.EVIDENCE)
    login(page, SECRETARIAT)
    page.goto(f"/needs/manage/{need_id}")
    assert page.locator("#target").input_value() == "legal_check"
    assert "regulation_identified" not in page.locator("#target").inner_html()
    page.click(".step-back summary")
    page.select_option("#back-target", "regulation_identified")
    page.fill("#back-reason", "条文の特定をやり直す")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.click("[data-testid=move-need-back]")
    assert dialogs and "前の段階" in dialogs[0]
    assert _status(live_app, RegulatoryNeed, need_id) == NeedStatus.EVIDENCE
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=move-need-back]")
    page.wait_for_selector("[data-testid=need-status]:has-text('規制特定')")
    assert _status(live_app, RegulatoryNeed, need_id) == NeedStatus.REGULATION_IDENTIFIED
    assert page.locator("#target").input_value() == "evidence"
    screenshot(page, "state-form-need-ja")
    page.set_viewport_size({"width": 360, "height": 800})
    page.click(".step-back summary")
    screenshot(page, "state-form-need-ja-360")


def test_trial_request_form_preselects_the_next_step_and_asks_before_going_back(page, live_app):
    with live_app.app_context():
        applicant = db.session.query(User).filter_by(email="applicant@demo.example").one()
        trial_request = TrialRequest(organisation_id=applicant.organisation_id, submitted_by=applicant,
                                     title="状態フォーム確認用の相談", verify="v", status=TrialRequestStatus.INTRODUCED)
        db.session.add(trial_request)
        db.session.commit()
        request_id = trial_request.id
    login(page, SECRETARIAT)
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.goto(f"/trials/requests/{request_id}")
    assert page.locator("#status").input_value() == "agreed"
    page.click(".step-back summary")
    page.select_option("#back-status", "matching")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.click("[data-testid=request-back]")
    assert dialogs and "earlier stage" in dialogs[0]
    assert _status(live_app, TrialRequest, request_id) == TrialRequestStatus.INTRODUCED
    screenshot(page, "state-form-request-en")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "state-form-request-en-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
