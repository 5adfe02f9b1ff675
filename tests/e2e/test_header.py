"""Browser test: the header keeps the secretariat's long menu tidy on wide screens and behind the
menu button on a phone."""
from __future__ import annotations

from .conftest import login, screenshot

SECRETARIAT = "secretariat@demo.example"


def _tops(page, selector: str) -> set[int]:
    return {round(box["y"]) for box in (page.locator(selector).nth(i).bounding_box()
                                       for i in range(page.locator(selector).count()))}


def test_wide_header_has_the_account_beside_the_brand_and_the_links_in_one_row(page, phone_page):
    login(page, SECRETARIAT)
    for language in ("ja", "en"):
        if language == "en":
            page.click("[data-testid=lang-en]")
            page.wait_for_selector("[data-testid=lang-ja]", state="attached")
        brand = page.locator(".brand").bounding_box()
        account = page.locator(".nav-account").bounding_box()
        assert abs((brand["y"] + brand["height"] / 2) - (account["y"] + account["height"] / 2)) < 8
        assert len(_tops(page, "#site-nav > ul > li")) == 1, language  # one row of links at 1280 px
        assert page.locator("#site-nav").bounding_box()["y"] > brand["y"] + brand["height"] - 1
        screenshot(page, f"header-secretariat-{language}-wide")
    page.click(".nav-manage summary")
    assert page.locator(".nav-manage details ul").is_visible()
    page.click(".account-menu summary")
    assert page.locator("[data-testid=logout]").is_visible()
    page.click("[data-testid=lang-ja]")  # the demo account keeps Japanese for the other tests
    page.wait_for_selector("[data-testid=lang-en]", state="attached")

    login(phone_page, SECRETARIAT)
    assert not phone_page.locator("#site-nav").is_visible() and not phone_page.locator(".nav-account").is_visible()
    phone_page.click(".nav-toggle")
    assert phone_page.locator(".nav-toggle").get_attribute("aria-expanded") == "true"
    assert phone_page.locator("#site-nav").is_visible() and phone_page.locator("[data-testid=lang-en]").is_visible()
    screenshot(phone_page, "header-secretariat-ja-phone-open")
    assert page.console_errors == []
