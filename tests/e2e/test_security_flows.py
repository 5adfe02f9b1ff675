"""Browser tests of the security pages: a sector change waits for the secretariat's approval, the audit
log (filters and CSV), and the privacy page (download one's data, delete the account)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from models import Organisation, User, db

from .conftest import login, logout, screenshot

PHONE = {"width": 360, "height": 740}


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="ja-JP", is_mobile=True)
    context.set_default_timeout(10_000)
    return context


def _organisation_of(live_app, email: str) -> int:
    with live_app.app_context():
        return db.session.scalar(select(User.organisation_id).where(User.email == email))


def _script_errors(page) -> list[str]:
    """Console errors, leaving out the refusals (403) and the refused form (400) this test asks for."""
    expected = ("status of 403", "status of 400")
    return [e for e in page.console_errors if not any(x in e for x in expected)]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_sector_change_waits_for_the_secretariat(page, browser, live_server, live_app):
    org_id = _organisation_of(live_app, "member2@demo.example")
    login(page, "member2@demo.example")
    assert page.goto("/trials/challenges/new").status == 403

    page.goto(f"/members/{org_id}")
    page.click("[data-testid=change-requests-link]")
    page.wait_for_url(f"**/members/{org_id}/changes")
    page.select_option("#kind", "sector")
    page.select_option("#sector", "government")
    page.fill("#reason", "札幌市の第三セクターになりました。")
    page.click("#submit")
    page.wait_for_selector(".flash-success")
    assert page.locator("[data-testid=change-status]").first.inner_text() == "事務局の承認待ち"
    screenshot(page, "security-change-request-ja")
    assert page.goto("/trials/challenges/new").status == 403  # still closed
    logout(page)

    login(page, "secretariat@demo.example")
    page.goto("/members/manage/changes")
    screenshot(page, "security-change-queue-ja")
    page.click("[data-testid=change-queue] a >> nth=0")
    assert "行政" in page.locator("[data-testid=requested-value]").inner_text() or "官" in page.locator("[data-testid=requested-value]").inner_text()
    page.fill("#note", "登記を確認しました。")
    page.click("[data-testid=approve-change]")
    page.wait_for_selector(".flash-success")
    logout(page)

    login(page, "member2@demo.example")
    assert page.goto("/trials/challenges/new").status == 200  # open now
    page.goto(f"/members/{org_id}/changes")
    assert page.locator("[data-testid=change-status]").first.inner_text() == "承認"
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    assert "Sector, tier and status" in page.content()
    screenshot(page, "security-change-request-en")
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert _script_errors(page) == []

    phone = _phone(browser, live_server).new_page()
    login(phone, "member2@demo.example")
    phone.goto(f"/members/{org_id}/changes")
    screenshot(phone, "security-change-request-ja-360")
    assert phone.locator("#submit").is_visible()
    phone.context.close()
    logout(page)

    # Put the demo organisation back as it was (the secretariat edits the sector directly).
    login(page, "secretariat@demo.example")
    page.goto(f"/members/{org_id}/edit")
    page.select_option("#sector", "industry")
    page.select_option("#category", "local_large")
    page.click("#submit")
    page.wait_for_selector(".flash-success")
    with live_app.app_context():
        assert db.session.get(Organisation, org_id).sector.value == "industry"
    logout(page)


def test_the_audit_log_filters_and_exports(page, browser, live_server):
    login(page, "secretariat@demo.example")
    page.goto("/admin/audit")
    assert page.locator("h1").inner_text() == "監査ログ"
    page.select_option("#action", "login")
    page.click("[data-testid=audit-filters] button[type=submit]")
    page.wait_for_url("**/admin/audit?*action=login*")
    actions = page.locator("[data-testid=audit-entries] tbody tr td:nth-child(3)").all_inner_texts()
    assert actions and set(actions) == {"login"}
    screenshot(page, "security-audit-log-ja")
    with page.expect_download() as download_info:
        page.click("[data-testid=audit-csv]")
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"secretariat@demo.example" in data
    rows = data.decode("utf-8-sig").splitlines()
    assert all(",login," in row for row in rows[1:])

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.goto("/admin/audit?action=login")
    assert page.locator("h1").inner_text() == "Audit log"
    screenshot(page, "security-audit-log-en")
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert _script_errors(page) == []
    logout(page)

    login(page, "member@demo.example")
    assert page.goto("/admin/audit").status == 403
    logout(page)

    phone = _phone(browser, live_server).new_page()
    login(phone, "admin@demo.example")
    phone.goto("/admin/audit")
    screenshot(phone, "security-audit-log-ja-360")
    assert phone.locator("[data-testid=audit-filters] button[type=submit]").is_visible()
    phone.context.close()


def test_a_person_downloads_their_data_and_deletes_the_account(page, browser, live_server, live_app):
    password = "わたしの長いパスフレーズ2026"
    page.goto("/auth/register")
    page.fill("#email", "privacy.person@example.org")
    page.fill("#name", "個人 情報子")
    page.fill("#organisation_name", "プライバシー検証株式会社（デモ）")
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.click("#submit")
    page.wait_for_url("**/dashboard")

    page.click(".account-menu summary")
    page.click("[data-testid=privacy-link]")
    page.wait_for_url("**/privacy/")
    screenshot(page, "security-privacy-ja")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-data]")
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == "privacy.person@example.org" and data["account"]["name"] == "個人 情報子"
    assert data["organisation"]["name_ja"] == "プライバシー検証株式会社（デモ）"

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    assert page.locator("h1").inner_text() == "Your personal data"
    screenshot(page, "security-privacy-en")

    page.fill("#password", "not the password at all")
    page.check("#confirm")
    page.click("[data-testid=delete-account]")
    assert "The password is not correct." in page.content()
    page.fill("#password", password)
    page.check("#confirm")
    page.click("[data-testid=delete-account]")
    page.wait_for_selector(".flash-success")
    assert "Your account has been deleted." in page.content()
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert _script_errors(page) == []

    page.goto("/auth/login")
    page.fill("#email", "privacy.person@example.org")
    page.fill("#password", password)
    page.click("#submit")
    assert "メールアドレスまたはパスワードが正しくありません" in page.content()
    with live_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "privacy.person@example.org")) is None

    phone = _phone(browser, live_server).new_page()
    login(phone, "applicant@demo.example", DEMO_PASSWORD)
    phone.goto("/privacy/")
    screenshot(phone, "security-privacy-ja-360")
    assert phone.locator("[data-testid=delete-account]").is_visible()
    assert _no_horizontal_scroll(phone)
    phone.context.close()
