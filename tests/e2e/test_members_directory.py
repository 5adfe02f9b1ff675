"""Browser test: a member searches the directory (Japanese-aware fuzzy search), opens a profile; the secretariat's mix page."""
from __future__ import annotations

from .conftest import login, screenshot


def test_directory_search_finds_members_by_capability(page, phone_page):
    login(page, "member2@demo.example")
    page.click("#site-nav >> text=会員名簿")
    page.wait_for_url("**/members/")
    page.fill("#q", "ﾄﾞﾛｰﾝ")  # half-width kana, as some keyboards type it
    page.click("[data-testid=directory-search]")
    results = page.locator("[data-testid=directory-results]")
    assert "エゾドローン物流株式会社（デモ）" in results.inner_text()
    assert "北央銀行（デモ）" not in results.inner_text()
    screenshot(page, "members-directory-search-ja")

    page.select_option("#sector", "academia")
    page.fill("#q", "")
    page.click("[data-testid=directory-search]")
    assert "北海道中央大学（デモ）" in results.inner_text()
    assert "申請" not in results.inner_text()  # applicants never appear to members

    page.click("text=北海道中央大学（デモ）")
    assert "sangaku@univ.example" in page.content()  # members see contact details
    assert "university@demo.example" not in page.content()  # but not another organisation's people's e-mail
    screenshot(page, "members-profile-ja")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.goto("/members/?q=hydrogen")  # English query, Japanese tags: the matching library's glosses
    assert "Doou Power Network Co. (demo)" in page.locator("[data-testid=directory-results]").inner_text()
    screenshot(page, "members-directory-en")
    assert page.console_errors == []

    login(phone_page, "member@demo.example")
    phone_page.goto("/members/?q=水素")
    assert "道央電力ネットワーク株式会社（デモ）" in phone_page.content()
    screenshot(phone_page, "members-directory-ja-phone")


def test_secretariat_sees_the_membership_mix_and_dues(page, phone_page):
    login(page, "secretariat@demo.example")
    page.goto("/members/manage/mix")
    assert page.locator("svg.bar-chart").count() == 2
    screenshot(page, "members-mix-ja")
    page.goto("/members/manage/dues?unpaid=1")
    screenshot(page, "members-dues-ja")
    page.goto("/members/governance")
    assert "会長" in page.content()
    screenshot(page, "members-governance-ja")
    assert page.console_errors == []
    login(phone_page, "secretariat@demo.example")
    phone_page.goto("/members/manage/mix")
    screenshot(phone_page, "members-mix-ja-phone")


def test_an_org_admin_states_the_support_it_gives_field_trials(page, phone_page):
    login(page, "member@demo.example")
    page.goto("/members/?q=エゾドローン")
    page.click("text=エゾドローン物流株式会社（デモ）")
    page.click("text=プロフィールを編集")
    page.check("label:has-text('モニター募集')")
    page.check("label:has-text('許認可相談')")
    screenshot(page, "members-profile-support-form-ja")
    page.click("input[type=submit][value='保存']")
    page.wait_for_selector("text=プロフィールを保存しました。")
    support = page.locator("[data-testid=offered-support]").inner_text()
    assert "モニター募集" in support and "許認可相談" in support and "外部資金獲得" not in support
    screenshot(page, "members-profile-support-ja")
    profile_url = page.url
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    support = page.locator("[data-testid=offered-support]").inner_text()
    assert "Monitor recruitment" in support and "Permit consultation" in support
    screenshot(page, "members-profile-support-en")
    page.click("text=Edit profile")
    assert page.is_checked("input[name=support][value=monitors]")
    screenshot(page, "members-profile-support-form-en")
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert page.console_errors == []

    login(phone_page, "member@demo.example")
    phone_page.goto(profile_url.replace(page.url.split("/members")[0], "") + "/edit")
    phone_page.wait_for_selector("label:has-text('モニター募集')")
    screenshot(phone_page, "members-profile-support-form-ja-phone")


def test_an_org_admin_sets_its_service_area_checked_against_the_gazetteer(page, phone_page):
    login(page, "member@demo.example")
    page.goto("/members/?q=エゾドローン")
    page.click("text=エゾドローン物流株式会社（デモ）")
    page.click("text=プロフィールを編集")
    edit_url = page.url
    page.select_option("#service_scope", "municipalities")
    page.fill("#service_area", "富良野市、アトランティス")
    page.click("input[type=submit][value='保存']")
    error = page.locator("#service_area-error")
    error.wait_for()
    assert "アトランティス" in error.inner_text()
    assert page.input_value("#service_area") == "富良野市、アトランティス"  # nothing typed is lost
    screenshot(page, "members-service-area-error-ja")
    page.fill("#service_area", "富良野市、上川, Tokachi")
    page.click("input[type=submit][value='保存']")
    page.wait_for_selector("text=プロフィールを保存しました。")
    assert page.locator("[data-testid=service-area]").inner_text() == "対応地域（サービスエリア）: 挙げた地域のみ: 富良野市、上川、Tokachi"
    screenshot(page, "members-service-area-ja")
    try:
        login(phone_page, "member@demo.example")
        phone_page.goto(edit_url.replace(page.url.split("/members")[0], ""))
        phone_page.locator("[data-testid=service-area]").scroll_into_view_if_needed()
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(phone_page, "members-service-area-form-ja-phone")
    finally:  # the other browser tests match against the demo as loaded: leave the area unstated
        page.goto(edit_url)
        page.select_option("#service_scope", "")
        page.click("input[type=submit][value='保存']")
        page.wait_for_selector("text=プロフィールを保存しました。")
    assert page.locator("[data-testid=service-area]").count() == 0
    assert page.console_errors == []
