"""Browser test: the secretariat's needs board shows per column the count of all needs and the newest
ten, and a link to the rest (Japanese, English, and a 360 px phone)."""
from __future__ import annotations

import re

from models import NeedStatus, RegulatoryNeed, Role, User, db

from .conftest import login, screenshot

SECRETARIAT = "secretariat@demo.example"


def _fill_legal_check_column(live_app, n: int = 12) -> int:
    with live_app.app_context():
        submitter = db.session.scalar(db.select(User).where(User.role == Role.MEMBER, User.organisation_id.is_not(None)))
        for i in range(n):
            db.session.add(RegulatoryNeed(title=f"法令確認中のニーズ {i:02d}", status=NeedStatus.LEGAL_CHECK, submitter=submitter,
                                          organisation_id=submitter.organisation_id, obstacle="許可", relief="緩和"))
        db.session.commit()
        return db.session.scalar(db.select(db.func.count(RegulatoryNeed.id)).where(
            RegulatoryNeed.status == NeedStatus.LEGAL_CHECK))


def test_the_board_counts_each_column_and_links_to_the_rest(page, browser, live_server, live_app):
    total = _fill_legal_check_column(live_app)
    login(page, SECRETARIAT)
    page.goto("/needs/manage/board")
    column = page.locator('[data-status="legal_check"]')
    assert column.locator("[data-testid=count]").inner_text() == str(total)
    assert column.locator(".board-card").count() == 10
    assert "法令確認中のニーズ 11" in column.inner_text() and "法令確認中のニーズ 00" not in column.inner_text()
    more = column.locator("[data-testid=more]")
    assert f"{total}件" in more.inner_text()
    screenshot(page, "needs-board-ja")
    more.click()
    page.wait_for_url(re.compile(r".*/needs/manage/\?status=legal_check"))
    assert "法令確認中のニーズ 00" in page.content()  # the rest, not on the board, is on the list

    page.goto("/needs/manage/board")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    more = page.locator('[data-status="legal_check"] [data-testid=more]')
    assert more.inner_text() == f"All {total} needs in this column"
    screenshot(page, "needs-board-en")
    page.click("[data-testid=lang-ja]")

    phone = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 780}, locale="ja-JP", is_mobile=True)
    try:
        small = phone.new_page()
        login(small, SECRETARIAT)
        small.goto("/needs/manage/board")
        assert small.locator('[data-status="legal_check"] [data-testid=more]').is_visible()
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the board is {width}px wide on a 360px screen"
        screenshot(small, "needs-board-phone")
    finally:
        phone.close()
