"""Browser test: an organisation admin invites a colleague, who accepts the link and lands as a member."""
from __future__ import annotations

import re

from app.core.mail import sent_messages

from .conftest import login, screenshot

PASSWORD = "同僚として参加します2026"


def test_org_admin_invites_a_colleague_who_joins(page, phone_page):
    login(page, "member@demo.example")
    page.click("text=団体メンバー")
    page.fill("#email", "new.colleague@example.org")
    page.click("#submit")
    page.wait_for_selector(".flash-success")
    assert "new.colleague@example.org" in page.content()
    screenshot(page, "members-colleagues-ja")

    mail = next(m for m in reversed(sent_messages) if m["To"] == "new.colleague@example.org")
    link = re.search(r"https?://\S+/members/invitations/\S+", mail.get_content()).group(0)
    phone_page.goto(link)
    phone_page.fill("#name", "新井 同僚")
    phone_page.fill("#password", PASSWORD)
    phone_page.fill("#confirm", PASSWORD)
    screenshot(phone_page, "members-accept-invitation-ja-phone")
    phone_page.click("#submit")
    phone_page.wait_for_url("**/dashboard")
    assert "エゾドローン物流株式会社（デモ）" in phone_page.content()

    phone_page.goto(link)  # the link works once
    assert "無効か、期限切れか、使用済み" in phone_page.content()
    assert page.console_errors == []
