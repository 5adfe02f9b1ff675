"""Browser test: the applicant's dashboard shows its trial requests and needs with their status."""
from __future__ import annotations

from .conftest import login, screenshot


def test_the_applicant_dashboard_lists_trial_requests_and_needs(page):
    login(page, "applicant@demo.example")
    panels = page.locator(".cards").inner_text()
    assert "自団体の実証実験の相談" in panels and "規制緩和ニーズ" in panels
    screenshot(page, "dashboard-applicant-ja")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "dashboard-applicant-ja-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    assert "Our field-trial requests" in page.locator(".cards").inner_text()
    screenshot(page, "dashboard-applicant-en")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "dashboard-applicant-en-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
