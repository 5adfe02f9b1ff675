"""Browser test: create an API token on the account page, copy it once, use it, revoke it (Japanese, English, phone)."""
from __future__ import annotations

import pytest

from .conftest import login, screenshot


@pytest.fixture
def clipboard_page(browser, live_server):
    def make(locale: str = "ja-JP", width: int = 1280, height: int = 900):
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height}, locale=locale)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.console_errors = errors  # type: ignore[attr-defined]
        opened.append(context)
        return page

    opened: list = []
    yield make
    for context in opened:
        context.close()


def _open_token_page(page) -> None:
    page.click(".account-menu summary")
    page.click("[data-testid=api-tokens]")
    page.wait_for_url("**/account/tokens")


def _create_copy_use_revoke(page, name: str, texts: dict, shot: str) -> None:
    page.fill("#name", name)
    page.check("input[name=scope][value=write]")
    page.click("[data-testid=create-token]")
    secret = page.locator("[data-testid=token-value]").inner_text().strip()
    assert secret.startswith("tdt_")
    assert texts["once"] in page.content()
    page.click("[data-testid=copy-token]")
    page.wait_for_selector("[data-testid=copy-token][data-copied=true]")
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert page.locator("[data-testid=copy-token]").inner_text() == texts["copied"]
    screenshot(page, f"{shot}-created")

    api = page.context.request
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status == 200 and me.json()["token_name"] == name

    page.goto("/account/tokens")  # shown once: not on the next visit
    assert secret not in page.content()
    row = page.locator("[data-testid=token-row]", has_text=name)
    assert secret[:12] in row.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("[data-testid=revoke-token]").click()
    page.wait_for_selector(".flash-success")
    assert texts["revoked"] in page.locator(".flash-success").inner_text()
    screenshot(page, f"{shot}-revoked")

    refused = api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}", "Accept-Language": texts["lang"]})
    assert refused.status == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["title"] == texts["problem"]


def test_token_create_copy_revoke_in_japanese(clipboard_page):
    page = clipboard_page()
    login(page, "city@demo.example")
    _open_token_page(page)
    assert page.locator("h1").inner_text() == "API トークン"
    _create_copy_use_revoke(page, "庁内システム", {"once": "表示されるのはこの一度だけ", "copied": "コピーしました",
                                             "revoked": "失効させました", "lang": "ja", "problem": "認証が必要です"},
                            "api-tokens-ja")
    assert page.console_errors == []


def test_token_create_copy_revoke_in_english(clipboard_page):
    page = clipboard_page("en-US")
    login(page, "city@demo.example")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    try:
        _open_token_page(page)
        assert page.locator("h1").inner_text() == "API tokens"
        _create_copy_use_revoke(page, "City CRM", {"once": "shown only this once", "copied": "Copied",
                                                   "revoked": "has been revoked", "lang": "en",
                                                   "problem": "Authentication required"}, "api-tokens-en")
    finally:
        page.click("[data-testid=lang-ja]")  # the account remembers its language: leave it Japanese
    assert page.console_errors == []


def test_token_page_on_a_phone(clipboard_page):
    page = clipboard_page(width=360, height=800)
    login(page, "city@demo.example")
    page.goto("/account/tokens")
    page.fill("#name", "スマホから")
    page.click("[data-testid=create-token]")
    value = page.locator("[data-testid=token-value]")
    box = value.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360 + 1  # the long token wraps instead of overflowing
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "api-tokens-ja-phone")
