"""Browser test: the secretariat adds a synonym group for the matcher."""
from __future__ import annotations

from .conftest import login, screenshot


def test_secretariat_adds_synonyms(page, phone_page):
    login(page, "secretariat@demo.example")
    page.goto("/introductions/synonyms")
    page.fill("#text", "除雪 = snow clearing\nひとつだけ")
    page.click("#submit")
    assert page.locator(".form-errors").is_visible()
    assert page.input_value("#text") == "除雪 = snow clearing\nひとつだけ"  # nothing typed is lost
    page.fill("#text", "除雪 = snow clearing = 排雪")
    page.click("#submit")
    page.wait_for_selector(".flash-success")
    assert page.input_value("#text") == "除雪 = snow clearing = 排雪"
    screenshot(page, "introductions-synonyms-ja")

    login(phone_page, "secretariat@demo.example")
    phone_page.goto("/introductions/synonyms")
    screenshot(phone_page, "introductions-synonyms-ja-phone")

    page.fill("#text", "")  # leave the shared demo catalogue as it was for the other browser tests
    page.click("#submit")
    page.wait_for_selector(".flash-success")
