"""Browser tests (issue 18): character counters with a refusal that keeps the text, the searchable
special-measure picker, and the similar-needs panel right after the title on a phone."""
from __future__ import annotations

import re

from .conftest import login, logout, screenshot

APPLICANT = "applicant@demo.example"
SECRETARIAT = "secretariat@demo.example"


def test_counter_updates_warns_and_the_server_refuses_over_long_text_keeping_it(page):
    login(page, APPLICANT)
    page.goto("/needs/new")
    counter = page.locator("#obstacle-count")
    assert counter.inner_text() == "0 / 5,000"
    assert counter.get_attribute("aria-live") == "polite"
    assert page.locator("#obstacle").get_attribute("maxlength") is None  # no silent browser cut
    page.fill("#obstacle", "あ" * 123)
    assert counter.inner_text() == "123 / 5,000"
    page.fill("#obstacle", "あ" * 4_600)
    assert "char-count-near" in counter.get_attribute("class")
    long_text = "長" * 5_001 + "x" * 94_999
    page.fill("#obstacle", long_text)
    assert counter.inner_text() == "100,000 / 5,000" and "char-count-over" in counter.get_attribute("class")
    page.fill("#title", "長すぎる本文のテスト")
    page.fill("#law_name", "航空法")
    page.click("#submit")
    page.wait_for_selector("#obstacle-error")
    assert "5000" in page.locator("#obstacle-error").inner_text()
    assert page.locator("#obstacle").input_value() == long_text  # everything typed is kept
    assert "char-count-over" in page.locator("#obstacle-count").get_attribute("class")
    page.fill("#obstacle", "")  # leave no draft of 100 KB behind in this browser
    screenshot(page, "needs-form-counter-over-ja")
    logout(page)


def _first_managed_need(page) -> str:
    page.goto("/needs/manage/board")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next(h for h in hrefs if re.fullmatch(r"/needs/manage/\d+", h))


def test_the_measure_picker_filters_and_lists_the_chosen_in_both_languages(page):
    login(page, SECRETARIAT)
    page.goto(_first_managed_need(page))
    total = page.locator("#measures option").count()
    assert total >= 72
    page.get_by_label("特例措置を絞り込む").fill("ドローン")
    visible = page.locator("#measures option:not([hidden])")
    assert 0 < visible.count() < total
    assert all("ドローン" in t for t in visible.all_inner_texts())
    assert re.match(rf"{visible.count()} / {total} ", page.locator("#measures-filter-status").inner_text())
    first = visible.first.inner_text()
    page.locator("#measures-filter").press("Enter")  # Enter goes to the list, never submits the form
    assert page.evaluate("document.activeElement.id") == "measures"
    page.select_option("#measures", label=first)
    assert first in page.locator(".picker-chosen").inner_text()
    screenshot(page, "needs-measure-picker-ja")
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.get_by_label("Filter the special measures").fill("zzzz-no-such-measure")
    assert page.locator("#measures option:not([hidden])").count() == 0
    assert page.locator(".picker-chosen").inner_text().startswith("Chosen:")
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "needs-measure-picker-en-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-ja]")  # the account remembers its language: leave it Japanese
    page.wait_for_selector("[data-testid=lang-en]")
    logout(page)


def test_similar_needs_panel_follows_the_title_on_a_phone(page):
    login(page, APPLICANT)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/needs/new")
    title_box = page.locator("#title").bounding_box()
    panel_box = page.locator("#similar-panel").bounding_box()
    assert 0 < panel_box["y"] - (title_box["y"] + title_box["height"]) < 200
    page.fill("#title", "ドローンで目視外飛行して山間部に物資を配送したい")
    page.locator("#similar-needs .suggestion").first.wait_for()
    screenshot(page, "needs-form-similar-360-ja")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".need-form-layout > #similar-panel").wait_for()  # moved back beside the form (no eval: CSP)
    panel_box = page.locator("#similar-panel").bounding_box()
    assert panel_box["x"] > page.locator("#title").bounding_box()["x"] + 300  # beside the form again
    page.fill("#title", "")
    logout(page)
