"""Browser test: on the secretariat's matcher page the weak candidates (little text relevance) are
folded after the real matches, closed, with a count and each one's reason, in Japanese and English."""
from __future__ import annotations

from sqlalchemy import select

from models import TrialRequest, db

from .conftest import login, screenshot


def _switch(page, lang: str) -> None:
    page.click(f"[data-testid=lang-{lang}]")
    page.wait_for_selector(f"[data-testid=lang-{'ja' if lang == 'en' else 'en'}]", state="attached")


def test_weak_matches_are_folded_with_their_reasons(page, live_app):
    with live_app.app_context():
        request_ids = list(db.session.scalars(select(TrialRequest.id).order_by(TrialRequest.id)))
    login(page, "secretariat@demo.example")
    for request_id in request_ids:  # the first demo request whose partner list has weak matches
        page.goto(f"/introductions/match/request/{request_id}?kind=organisation&radius_km=100")
        if page.locator("[data-testid=weak-matches]").count():
            break
    folded = page.locator("[data-testid=weak-matches]")
    assert folded.count() == 1, "no demo request has weak partner matches"
    assert folded.get_attribute("open") is None
    assert not folded.locator("[data-testid=weak-reason]").first.is_visible()
    assert "弱い候補" in folded.locator("summary").inner_text()
    assert "setting" not in page.locator(".bars").first.inner_text()  # every component bar is labelled
    screenshot(page, "matcher-weak-folded-ja")
    folded.locator("summary").click()
    assert folded.locator("[data-testid=weak-reason]").first.is_visible()
    assert "内容の関連が小さく" in folded.locator("[data-testid=weak-reason]").first.inner_text()
    screenshot(page, "matcher-weak-open-ja")
    _switch(page, "en")
    folded = page.locator("[data-testid=weak-matches]")
    assert "weak match" in folded.locator("summary").inner_text()
    folded.locator("summary").click()
    assert "little text relevance" in folded.locator("[data-testid=weak-reason]").first.inner_text()
    screenshot(page, "matcher-weak-open-en")
    _switch(page, "ja")
