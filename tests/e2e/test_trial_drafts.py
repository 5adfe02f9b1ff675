"""Browser test: a trial request typed, kept in the browser, saved as a draft, given a file, resumed,
edited and submitted; in Japanese and English, on a desk and a phone."""
from __future__ import annotations

import re

from .conftest import login, logout, screenshot

APPLICANT = "applicant@demo.example"


def test_a_trial_request_saved_as_draft_resumed_edited_with_a_file(page):
    login(page, APPLICANT)
    page.goto("/trials/requests/new")
    page.fill("#title", "融雪ドローンによる屋根雪下ろしの実証")
    page.fill("#technology", "大型ドローン、温風ヒーター")
    page.check("input[name=support][value=permits]")
    # Leaving the page keeps what was typed in this browser until it is saved.
    page.goto("/dashboard")
    page.goto("/trials/requests/new")
    page.wait_for_selector("[data-testid=draft-restored]")
    assert page.locator("#title").input_value() == "融雪ドローンによる屋根雪下ろしの実証"
    assert page.locator("input[name=support][value=permits]").is_checked()
    screenshot(page, "trial-draft-form-ja")
    page.click("[data-testid=save-draft]")
    page.wait_for_url(re.compile(r".*/trials/requests/\d+\?saved=1$"))
    request_id = int(re.search(r"/requests/(\d+)", page.url).group(1))
    assert page.locator("[data-testid=request-status]").inner_text() == "下書き"
    assert page.locator("[data-testid=draft-notice]").is_visible()

    page.set_input_files("#file", files=[{"name": "実証計画書.pdf", "mimeType": "application/pdf",
                                          "buffer": b"%PDF-1.4 snow drone plan"}])
    page.click("[data-testid=upload-file]")
    page.wait_for_selector("[data-testid=request-files] >> text=実証計画書.pdf")
    screenshot(page, "trial-draft-detail-ja")
    logout(page)

    # Resumed later: the browser copy was dropped once the server had it.
    login(page, APPLICANT)
    page.goto("/trials/requests")
    page.click(f"a[href='/trials/requests/{request_id}']")
    page.click("[data-testid=edit-request]")
    assert page.locator("[data-testid=draft-restored]").count() == 0
    assert page.locator("#technology").input_value() == "大型ドローン、温風ヒーター"
    page.fill("#verify", "積雪2mの屋根で、ドローンの温風で安全に雪を落とせるか検証したい。")
    page.click("[data-testid=submit-request]")
    page.wait_for_url(re.compile(rf".*/trials/requests/{request_id}\?saved=1$"))
    assert page.locator("[data-testid=request-status]").inner_text() == "受付"
    assert "実証計画書.pdf" in page.locator("[data-testid=request-files]").inner_text()

    # Still editable until screening starts, in English too.
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.click("[data-testid=edit-request]")
    page.fill("#duration", "3 weeks")
    screenshot(page, "trial-edit-form-en")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "trial-edit-form-en-360")
    page.click("[data-testid=submit-request]")
    page.wait_for_url(re.compile(rf".*/trials/requests/{request_id}\?saved=1$"))
    assert "3 weeks" in page.content()
    screenshot(page, "trial-request-en-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
    assert page.console_errors == []
