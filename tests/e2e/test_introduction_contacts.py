"""Browser test: the two sides of an introduction see each other's contact person only once the
introduced side has accepted; a third party never; then the requester confirms and reports the start."""
from __future__ import annotations

from models import Introduction, IntroductionStatus, db

from .conftest import login, logout, screenshot

REQUESTER = "member@demo.example"  # the drone startup of the demo introduction
SECRETARIAT = "secretariat@demo.example"  # answers for the SkyHub site it keeps
THIRD_PARTY = "applicant@demo.example"


def test_contacts_only_after_both_sides_agree(page, live_app):
    with live_app.app_context():
        introduction_id = db.session.query(Introduction).filter_by(status=IntroductionStatus.INTRODUCED).first().id
    url = f"/introductions/{introduction_id}"

    login(page, REQUESTER)
    page.goto(url)
    assert page.locator("[data-testid=contacts]").count() == 0
    assert SECRETARIAT not in page.content()
    logout(page)

    login(page, THIRD_PARTY)
    assert page.goto(url).status == 404
    page.console_errors.clear()  # the 404 itself is logged by the browser
    logout(page)

    login(page, SECRETARIAT)
    page.goto(url)
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=contacts]")
    assert REQUESTER in page.locator("[data-testid=contacts]").inner_text()
    logout(page)

    login(page, REQUESTER)
    page.goto(url)
    contacts = page.locator("[data-testid=contacts]").inner_text()
    assert SECRETARIAT in contacts and "次のステップ" in contacts
    page.goto("/notifications/")
    assert "次のステップ" in page.locator(".notification-list").inner_text()
    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=agree-trial]")
    page.wait_for_selector("[data-testid=introduction-status]:has-text('実施合意')")
    screenshot(page, "introduction-contacts-ja")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    assert "Next step" in page.locator("[data-testid=next-step]").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=trial-started]")
    page.wait_for_selector("[data-testid=introduction-status]:has-text('Trial started')")
    screenshot(page, "introduction-contacts-en")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "introduction-contacts-en-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert page.console_errors == []
