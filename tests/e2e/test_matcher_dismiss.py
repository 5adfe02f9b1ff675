"""Browser test: on the matcher page of a trial request the secretariat marks a candidate "not
relevant" (関係なし); it goes folded to the end with an undo button (元に戻す), and undoing brings it
back among the others. The dismissal is stored as a label for `flask matcher learn`."""
from __future__ import annotations

from sqlalchemy import select

from models import MatchDismissal, TrialRequest, db

from .conftest import login, screenshot


def test_dismissing_a_candidate_and_undoing_it(page, live_app):
    with live_app.app_context():
        request_id = db.session.scalars(select(TrialRequest.id).order_by(TrialRequest.id)).first()
    login(page, "secretariat@demo.example")
    page.goto(f"/introductions/match/request/{request_id}")
    first = page.locator("[data-testid=match-result]").first
    name = first.locator(".match-name").inner_text()
    first.locator("[data-testid=dismiss]").click()
    page.wait_for_selector("[data-testid=dismissed-matches]")
    folded = page.locator("[data-testid=dismissed-matches]")
    assert "関係なしとした候補 1件" in folded.locator("summary").inner_text()
    assert folded.get_attribute("open") is None  # folded: closed until opened
    assert name not in [n.inner_text() for n in page.locator(".match-list > [data-testid=match-result] .match-name").all()
                        if not n.evaluate("e => !!e.closest('[data-testid=dismissed-matches]')")]
    with live_app.app_context():
        assert db.session.scalars(select(MatchDismissal).where(MatchDismissal.trial_request_id == request_id)).one()
    folded.locator("summary").click()
    assert folded.locator(".match-name").first.inner_text() == name
    screenshot(page, "matcher-dismissed-ja")
    folded.locator("[data-testid=undismiss]").click()
    page.wait_for_selector("[data-testid=match-result]")
    assert page.locator("[data-testid=dismissed-matches]").count() == 0
    assert name in [n.inner_text() for n in page.locator(".match-name").all()]
    with live_app.app_context():
        db.session.expire_all()
        assert db.session.scalars(select(MatchDismissal)).first() is None
