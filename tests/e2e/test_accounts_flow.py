"""Browser test: register, log in, switch language, log out."""
from __future__ import annotations

from .conftest import login, logout, screenshot


def test_register_login_switch_language_logout(page, phone_page):
    page.goto("/")
    assert "道央シンク＆ドゥタンク" in page.title()
    screenshot(page, "home-ja-wide")

    page.click("text=新規登録")
    page.fill("#email", "new.startup@example.org")
    page.fill("#name", "新井 創")
    page.fill("#organisation_name", "株式会社ゆきみらい")
    page.fill("#password", "雪の札幌で実証実験をはじめよう")
    page.fill("#confirm", "雪の札幌で実証実験をはじめよう")
    screenshot(page, "register-ja")
    page.click("#submit")
    page.wait_for_url("**/dashboard")
    assert "新井 創" in page.content()

    logout(page)
    login(page, "new.startup@example.org", "雪の札幌で実証実験をはじめよう")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    assert "Dashboard" in page.content()
    screenshot(page, "dashboard-en")
    page.goto("/")
    assert page.locator("h1").inner_text() == "Think & Do Tank of Central Hokkaido"  # remembered across pages
    screenshot(page, "home-en-wide")

    logout(page)
    assert page.locator("text=Log in").first.is_visible() or page.locator("text=ログイン").first.is_visible()
    assert page.console_errors == []

    phone_page.goto("/")
    screenshot(phone_page, "home-ja-phone")
    phone_page.click(".nav-toggle")
    assert phone_page.locator("#site-nav").is_visible()
