"""Browser test: a startup submits a trial request, the secretariat sees ranked candidates with reasons and
introduces a site, the site owner accepts, and the startup sees the acceptance."""
from __future__ import annotations

import re

from .conftest import login, logout, screenshot

SITE = "北海道大学（北キャンパス"


def _switch(page, lang: str) -> None:
    if page.locator(".nav-toggle").is_visible():
        page.click(".nav-toggle")
    page.click(f"[data-testid=lang-{lang}]")
    page.wait_for_selector(f"[data-testid=lang-{'ja' if lang == 'en' else 'en'}]", state="attached")


def test_request_matcher_introduction_acceptance(page, phone_page):
    # The public catalogue, before asking.
    page.goto("/trials/sites?season=winter")
    assert page.locator(".site-list li").count() > 0
    screenshot(page, "trials-sites-ja-wide")
    phone_page.goto("/trials/sites")
    screenshot(phone_page, "trials-sites-ja-phone")

    # 1. The startup submits a request.
    login(page, "applicant@demo.example")
    page.goto("/trials/requests/new")
    page.fill("#title", "農業ロボットの自律走行と収穫支援の実証")
    page.fill("#verify", "大学キャンパスの圃場で、農業ロボットが自律走行して収穫作業を支援できるか検証したい。")
    page.fill("#technology", "農業ロボット、画像認識AI、RTK-GNSS")
    page.fill("#site_features", "大学の研究圃場、産学連携の研究施設")
    page.fill("#municipality", "札幌市北区")
    page.check("input[name=support][value=site_coordination]")
    page.check("input[name=support][value=partners]")
    screenshot(page, "trials-request-form-ja")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/trials/requests/\d+(\?saved=1)?$"))
    request_url = page.url
    assert page.locator("[data-testid=request-status]").inner_text() == "受付"
    logout(page)

    # 2. The secretariat sees ranked candidates with their reasons.
    login(page, "secretariat@demo.example")
    page.goto(request_url)
    page.click("[data-testid=open-matcher]")
    page.wait_for_selector("[data-testid=match-result]")
    results = page.locator("[data-testid=match-result]")
    names = [results.nth(i).locator(".match-name").inner_text() for i in range(results.count())]
    assert any(SITE in name for name in names[:3]), names
    card = results.filter(has_text=SITE).first
    assert card.locator("meter").count() >= 2
    assert "一致した語" in card.inner_text()
    screenshot(page, "trials-matcher-ja-wide")
    _switch(page, "en")
    assert "Matched terms" in page.content()
    screenshot(page, "trials-matcher-en-wide")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "trials-matcher-en-narrow")
    _switch(page, "ja")
    screenshot(page, "trials-matcher-ja-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    # 3. It introduces the site.
    card = page.locator("[data-testid=match-result]").filter(has_text=SITE).first
    card.locator("input[type=checkbox]").check()
    page.fill("#message", "北キャンパスの研究圃場での農業ロボット実証についてご紹介します。")
    page.click("[data-testid=introduce]")
    page.wait_for_url("**/introductions/")
    assert SITE in page.content()
    logout(page)

    # 4. The site owner (the university) accepts.
    login(page, "university@demo.example")
    page.goto("/introductions/")
    page.locator("table a", has_text=SITE).first.click()
    assert "北キャンパスの研究圃場" in page.locator("[data-testid=introduction-message]").inner_text()
    assert "農業ロボットの自律走行と収穫支援の実証" not in page.content()  # the request stays confidential
    screenshot(page, "introductions-detail-owner-ja")
    page.click("[data-testid=accept]")
    assert page.locator("[data-testid=introduction-status]").inner_text() == "受諾"
    logout(page)

    # 5. The startup sees the acceptance.
    login(page, "applicant@demo.example")
    page.goto(request_url)
    assert "受諾" in page.locator("#introductions").inner_text()
    page.goto("/introductions/")
    screenshot(page, "introductions-list-startup-ja")
    assert page.console_errors == []
    logout(page)
