"""Browser test (issue 18): a status change made by the secretariat in Japanese reaches an English
reader as an English notification (stored as a message id and parameters, rendered per reader)."""
from __future__ import annotations

import re

from .conftest import login, logout, screenshot

APPLICANT = "applicant@demo.example"
SECRETARIAT = "secretariat@demo.example"
TITLE = "英語の通知を確かめるためのニーズ（ドローン配送）"


def test_an_english_reader_sees_an_english_notification_for_a_japanese_secretariats_change(page):
    login(page, APPLICANT)  # login() leaves every demo account in Japanese
    page.goto("/needs/new")
    page.fill("#title", TITLE)
    page.fill("#law_name", "航空法")
    page.fill("#business", "冬季に山間部の集落へドローンで日用品を届けたい")
    page.select_option("#stage", "trial")
    page.fill("#obstacle", "目視外飛行の許可を経路ごとに取る必要がある")
    page.fill("#relief", "集落単位での包括的な許可")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/needs/\d+\?saved=1"))
    need_id = int(re.search(r"/needs/(\d+)", page.url).group(1))
    logout(page)

    login(page, SECRETARIAT)
    assert page.locator("html").get_attribute("lang") == "ja"
    page.goto(f"/needs/manage/{need_id}")
    page.select_option("#target", "regulation_identified")
    page.fill("#reason", "航空法第132条の86と特定しました")
    page.click("[data-testid=move-need]")
    page.wait_for_selector("[data-testid=need-status]:has-text('規制特定')")
    logout(page)

    login(page, APPLICANT)
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    try:
        page.goto("/notifications/")
        item = page.locator(".notification-text", has_text=TITLE).first
        text = item.inner_text()
        assert text == f'Your regulatory need "{TITLE}" is now: Regulation identified'
        assert "規制特定" not in text and "状況" not in text
        screenshot(page, "notification-english-reader-en")
        page.set_viewport_size({"width": 360, "height": 800})
        screenshot(page, "notification-english-reader-en-360")
        card = page.locator(".notification-list li", has_text=TITLE).first.bounding_box()
        assert item.bounding_box()["width"] > card["width"] * 0.8  # on a phone the text takes the card's width
        page.set_viewport_size({"width": 1280, "height": 900})
    finally:
        page.click("[data-testid=lang-ja]")  # the account remembers its language: leave it Japanese
        page.wait_for_selector("[data-testid=lang-en]")
    page.goto("/notifications/")
    assert "規制緩和ニーズ「" + TITLE + "」の状況：規制特定" in page.locator(".notification-text", has_text=TITLE).first.inner_text()
    logout(page)
