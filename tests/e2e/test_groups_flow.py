"""Browser test: the secretariat creates a group, a member asks to join and is approved, a meeting gets minutes."""
from __future__ import annotations

from .conftest import login, logout, screenshot


def test_create_group_join_meeting_and_minutes(page, phone_page):
    page.goto("/groups/")
    assert page.locator("text=GX・水素部会").first.is_visible()
    screenshot(page, "groups-list-ja-wide")

    login(page, "secretariat@demo.example")
    page.goto("/groups/")
    page.click("[data-testid=new-group]")
    page.fill("#name_ja", "雪氷エネルギー分科会")
    page.fill("#name_en", "Snow & Ice Energy Sub-group")
    page.select_option("#parent_id", label="GX・水素部会")
    page.fill("#theme_tags", "雪冷熱; データセンター")
    page.fill("#summary_ja", "雪や氷の冷熱をデータセンターや農業に生かす実証を検討します。")
    screenshot(page, "groups-new-ja")
    page.click("#submit")
    page.wait_for_selector("text=部会「雪氷エネルギー分科会」を作成しました。")
    group_url = page.url
    screenshot(page, "groups-detail-secretariat-ja")
    logout(page)

    login(page, "member@demo.example")
    page.goto(group_url)
    page.fill("#message", "雪冷熱を使ったドローン格納庫を検討しています。")
    page.click("[data-testid=join]")
    page.wait_for_selector("[data-testid=pending]")
    screenshot(page, "groups-join-pending-ja")
    logout(page)

    login(page, "secretariat@demo.example")
    page.goto(group_url + "/members")
    screenshot(page, "groups-requests-ja")
    page.click("[data-testid^=approve-]")
    page.wait_for_selector("text=が部会に加わりました")
    page.goto(group_url)
    page.click("[data-testid=new-meeting]")
    page.fill("#title", "第1回 雪氷エネルギー分科会")
    page.fill("#starts_at", "2026-12-10T14:00")
    page.fill("#ends_at", "2026-12-10T16:00")
    page.fill("#place", "札幌市中央区 北1条会議室")
    page.fill("#agenda", "1. 雪冷熱の利用事例\n2. 実証候補地")
    page.click("#submit")
    page.wait_for_selector("text=会合を登録し、構成員に案内を送りました。")
    assert "14:00" in page.locator("[data-testid=meeting-time]").inner_text()
    page.fill("#minutes", "## 決定事項\n- 美唄市の雪冷房施設を**視察**する\n\n<script>alert('x')</script>")
    page.click("[data-testid=save-minutes]")
    page.wait_for_selector("[data-testid=minutes] strong")
    assert "<script>" in page.locator("[data-testid=minutes]").inner_text()  # shown as text, not run
    page.set_input_files("#file", files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}])
    page.click("#upload-submit")
    page.wait_for_selector(".flash-error:has-text('この種類のファイルは受け付けていません')")
    page.set_input_files("#file", files=[{"name": "雪冷熱の事例.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%demo\n"}])
    page.click("#upload-submit")
    page.wait_for_selector("#files-section a:has-text('雪冷熱の事例.pdf')")
    with page.expect_download() as download_info:
        page.click("#files-section a:has-text('雪冷熱の事例.pdf')")
    assert download_info.value.suggested_filename == "雪冷熱の事例.pdf"
    screenshot(page, "groups-meeting-minutes-ja")
    meeting_url = page.url
    logout(page)

    login(page, "member@demo.example")
    page.goto(meeting_url)
    page.check("input[name=answer][value=attending]")
    page.click("[data-testid=send-answer]")
    page.wait_for_selector("[data-testid=my-answer]:has-text('出席')")
    screenshot(page, "groups-meeting-member-ja")
    page.goto("/dashboard")
    assert page.locator("text=雪氷エネルギー分科会").first.is_visible()
    screenshot(page, "groups-dashboard-ja")
    page.click("text=会合カレンダーを購読する")
    page.locator("form:has(input[name=group_id]) button").first.click()
    feed_url = page.locator("[data-testid=feed-url]").input_value()
    assert feed_url.endswith(".ics")
    screenshot(page, "groups-calendar-ja")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.goto(meeting_url)
    assert page.locator("h2:has-text('Minutes')").is_visible()
    screenshot(page, "groups-meeting-en")
    page.goto("/groups/")
    screenshot(page, "groups-list-en-wide")
    page.click("[data-testid=lang-ja]")
    logout(page)
    assert page.console_errors == []

    phone_page.goto("/groups/")
    screenshot(phone_page, "groups-list-ja-phone")
    login(phone_page, "member@demo.example")
    phone_page.goto(meeting_url)
    screenshot(phone_page, "groups-meeting-ja-phone")


def test_secretariat_activity_page(page):
    login(page, "secretariat@demo.example")
    page.goto("/groups/activity")
    assert page.locator("td:has-text('GX・水素部会')").is_visible()
    screenshot(page, "groups-activity-ja")
    logout(page)


def test_the_secretariat_finds_an_organisation_by_name_and_adds_it(page):
    """The add form searches the member organisations (no list of every member on the page)."""
    login(page, "secretariat@demo.example")
    page.goto("/groups/")
    page.locator("a:has-text('GX・水素部会')").first.click()
    page.goto(page.url.rstrip("/") + "/members")
    assert page.locator("#organisation_id").count() == 0  # nothing searched: no organisation list
    page.fill("#org_q", "該当のない名前")
    page.locator("[data-testid=find-organisation] button").click()
    page.wait_for_selector("[data-testid=no-organisation-found]")
    page.fill("#org_q", "セミコンダクター")
    page.locator("[data-testid=find-organisation] button").click()
    page.select_option("#organisation_id", label="千歳セミコンダクター製造株式会社（デモ）")
    screenshot(page, "groups-add-member-search-ja")
    page.click("form[action$='/members/add'] [type=submit]")
    page.wait_for_selector("text=千歳セミコンダクター製造株式会社（デモ） が部会に加わりました。")
    # On a phone each member is a card: the table is as wide as the screen (no column cut off).
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("() => { const t = document.querySelector('[data-testid=group-members]');"
                         " return t.scrollWidth <= t.parentElement.clientWidth; }")
    screenshot(page, "groups-members-ja-phone")
