"""Browser tests: an applicant submits a need and sees a similar one; the secretariat moves it
through the pipeline into a package; typed text survives an expired session."""
from __future__ import annotations

import re

from .conftest import DEMO_PASSWORD, login, logout, screenshot

APPLICANT = "applicant@demo.example"
SECRETARIAT = "secretariat@demo.example"
PUBLIC_DRONE_NEED = "ドローンの目視外飛行（レベル4）のエリア単位での包括申請"


def _move(page, target: str, note: str) -> None:
    page.select_option("#target", target)
    page.fill("#reason", note)
    page.click("[data-testid=move-need]")
    page.wait_for_selector(f"[data-testid=need-status]")


def _fill_need(page, law: str, business: str, obstacle: str, relief: str, tags: str = "") -> None:
    page.fill("#law_name", law)
    page.fill("#business", business)
    page.select_option("#stage", "trial")
    page.fill("#tags", tags)
    page.fill("#obstacle", obstacle)
    page.fill("#relief", relief)


def _submit_need(page) -> int:
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/needs/\d+\?saved=1"))
    assert page.locator("[data-testid=need-status]").inner_text() == "受付"
    return int(re.search(r"/needs/(\d+)", page.url).group(1))


def test_applicant_submits_a_need_and_secretariat_packages_it(page, phone_page):
    login(page, APPLICANT)
    page.goto("/needs/new")
    page.fill("#title", "ドローンで目視外飛行して山間部に物資を配送したい")
    suggestion = page.locator("#similar-needs .suggestion", has_text=PUBLIC_DRONE_NEED)
    suggestion.wait_for()
    _fill_need(page, law="航空法", business="冬季に山間部の集落へドローンで日用品を届けたい", tags="ドローン, 物流",
               obstacle="目視外飛行の許可を経路ごとに取る必要がある", relief="集落単位での包括的な許可")
    page.wait_for_selector("#similar-needs .suggestion-reasons:has-text('同じ法令')")
    screenshot(page, "needs-form-similar-ja")
    need_id = _submit_need(page)
    logout(page)

    login(page, SECRETARIAT)
    page.goto(f"/needs/manage/{need_id}")
    for target, note in [("regulation_identified", "航空法第132条の86と特定"), ("evidence", "飛行実績の提出を依頼"),
                         ("legal_check", "法令を確認"), ("relief_drafted", "エリア包括申請の案を作成"),
                         ("coordination", "国交省と調整開始")]:
        _move(page, target, note)
    assert page.locator("[data-testid=need-status]").inner_text() == "省庁調整"
    page.fill("#note", "社内メモ：先行事例と合わせて提案する")
    page.click("[data-testid=add-note]")
    screenshot(page, "needs-manage-detail-ja")
    page.goto("/needs/manage/board")
    assert page.locator(".board-column[data-status=coordination]").inner_text().count("ドローン") >= 2
    screenshot(page, "needs-board-ja")

    page.goto(f"/needs/manage/packages/new?need={need_id}&need=3")
    page.fill("#title", "ドローン目視外飛行パッケージ")
    page.fill("#proposal_text", "ドローンの目視外飛行に関するニーズをまとめて提案する。")
    page.click("[data-testid=save-package]")
    page.wait_for_selector("[data-testid=package-status]")
    page.select_option("#target", "submitted")
    page.fill("#note", "提案募集に提出")
    page.fill("#submitted_on", "2026-12-01")
    page.fill("#submitted_to", "内閣府地方創生推進事務局")
    page.click("[data-testid=move-package]")
    page.wait_for_selector("[data-testid=package-status]:has-text('提出')")
    screenshot(page, "needs-package-ja")
    logout(page)

    login(page, APPLICANT)
    page.goto(f"/needs/{need_id}")
    progress = page.locator("[data-testid=package-progress]")
    assert "ドローン目視外飛行パッケージ" in progress.inner_text()
    assert "社内メモ" not in page.content()
    screenshot(page, "needs-detail-ja")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    screenshot(page, "needs-detail-en")
    page.goto("/needs/new")
    page.fill("#title", "Drone BVLOS delivery")
    screenshot(page, "needs-form-en")
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert page.console_errors == []

    phone_page.goto("/auth/login")
    phone_page.fill("#email", APPLICANT)
    phone_page.fill("#password", DEMO_PASSWORD)
    phone_page.click("#submit")
    phone_page.wait_for_url("**/dashboard")
    phone_page.goto(f"/needs/{need_id}")
    screenshot(phone_page, "needs-detail-ja-phone")
    phone_page.goto("/needs/new")
    phone_page.fill("#title", "ドローンの目視外飛行")
    phone_page.locator("#similar-needs .suggestion").first.wait_for()
    screenshot(phone_page, "needs-form-ja-phone")


def test_typed_need_survives_an_expired_session(page):
    login(page, APPLICANT)
    page.goto("/needs/new")
    page.fill("#title", "水素ステーションの保安距離の緩和")
    page.fill("#obstacle", "敷地が狭く保安距離を確保できない")
    page.context.clear_cookies()  # the session expires while the form is open
    page.goto("/needs/new")
    page.wait_for_url("**/auth/login**")
    page.fill("#email", APPLICANT)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/needs/new")
    page.wait_for_selector("[data-testid=draft-restored]")
    assert page.input_value("#title") == "水素ステーションの保安距離の緩和"
    assert page.input_value("#obstacle") == "敷地が狭く保安距離を確保できない"
    page.click("#save_draft")
    page.wait_for_url(re.compile(r".*/needs/\d+\?saved=1"))
    page.goto("/needs/new")
    assert page.input_value("#title") == ""  # saved on the server, so the browser copy is gone


def test_logging_out_clears_unsaved_copies(page):
    login(page, APPLICANT)
    page.goto("/needs/new")
    page.fill("#title", "共用端末に残してはいけない下書き")
    page.fill("#obstacle", "社外秘の障壁")
    logout(page)
    assert page.evaluate("Object.keys(window.localStorage).filter(k => k.startsWith('draft:'))") == []
    login(page, APPLICANT)
    page.goto("/needs/new")
    assert page.input_value("#title") == ""


def test_the_submitter_withdraws_a_need_after_confirming(page, phone_page):
    login(page, APPLICANT)
    page.goto("/needs/new")
    page.fill("#title", "取り下げる予定のニーズ（ブラウザテスト）")
    _fill_need(page, law="道路交通法", business="冬季の除雪ロボットの公道走行を試したい",
               obstacle="公道走行の許可が得られない", relief="実証区間での特例")
    _submit_need(page)
    status = page.locator("[data-testid=need-status]")

    page.once("dialog", lambda dialog: dialog.dismiss())  # changing one's mind keeps the need
    page.click("[data-testid=withdraw-need]")
    assert status.inner_text() == "受付"

    screenshot(page, "needs-detail-withdraw-ja")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=withdraw-need]")
    page.wait_for_selector("text=ニーズを取り下げました。")
    assert status.inner_text() == "取り下げ"
    assert page.locator("[data-testid=withdraw-need]").count() == 0
    assert page.locator("[data-testid=need-closed]").is_visible()  # the conversation is closed
    assert page.locator("form.message-form").count() == 0
    screenshot(page, "needs-withdrawn-ja")
    assert page.console_errors == []

    login(phone_page, APPLICANT)
    phone_page.goto("/needs/new")
    phone_page.fill("#title", "取り下げる予定のニーズ（スマートフォン）")
    _fill_need(phone_page, law="道路交通法", business="除雪ロボットの公道走行", obstacle="許可が得られない",
               relief="実証区間での特例")
    _submit_need(phone_page)
    phone_page.click(".nav-toggle")
    phone_page.click("[data-testid=lang-en]")
    phone_page.wait_for_selector("[data-testid=lang-ja]", state="attached")
    assert phone_page.locator("[data-testid=withdraw-need]").inner_text() == "Withdraw the need"
    screenshot(phone_page, "needs-detail-withdraw-en-phone")
    phone_page.once("dialog", lambda dialog: dialog.accept())
    phone_page.click("[data-testid=withdraw-need]")
    phone_page.wait_for_selector("text=The need has been withdrawn.")
    screenshot(phone_page, "needs-withdrawn-en-phone")
    phone_page.click(".nav-toggle")
    phone_page.click("[data-testid=lang-ja]")
    phone_page.wait_for_selector("[data-testid=lang-en]", state="attached")
