"""Browser test: an applicant applies for membership, the secretariat approves, the applicant logs in as a member."""
from __future__ import annotations

from .conftest import login, logout, screenshot

PASSWORD = "雪の札幌で実証実験をはじめよう"


def test_application_approval_then_member_login(page, phone_page):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/auth/register")
    page.fill("#email", "yuki.robotics@example.org")
    page.fill("#name", "雪野 ロボ")
    page.fill("#organisation_name", "ゆきロボティクス株式会社（デモ）")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/dashboard")

    page.click("text=入会を申し込む")
    page.wait_for_url("**/members/apply")
    page.select_option("#tier", "regular")
    page.select_option("#category", "startup")
    page.fill("#municipality", "札幌市東区")
    page.fill("#capabilities", "除雪ロボットと積雪センサーの開発")
    page.fill("#technologies", "除雪ロボット、積雪センサー")
    screenshot(page, "members-apply-ja")
    page.click("#submit")
    page.wait_for_selector("[data-testid=application-pending]")
    logout(page)

    login(page, "secretariat@demo.example")
    page.goto("/members/manage/applications")
    screenshot(page, "members-applications-ja")
    page.click("text=ゆきロボティクス株式会社（デモ）")
    screenshot(page, "members-application-ja")
    page.click("[data-testid=approve]")
    page.wait_for_selector(".flash-success")
    assert "会員として承認しました" in page.content()
    logout(page)

    login(page, "yuki.robotics@example.org", PASSWORD)
    page.goto("/notifications/")
    assert "会員になりました" in page.content()
    page.goto("/members/")
    assert page.locator("h1").inner_text() == "会員名簿"
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.goto("/members/apply")
    assert "Your organisation is a member." in page.content()
    screenshot(page, "members-membership-en")
    assert page.console_errors == []

    phone_page.goto("/members/public")
    assert "ゆきロボティクス株式会社（デモ）" in phone_page.content()
    screenshot(phone_page, "members-public-ja-phone")
