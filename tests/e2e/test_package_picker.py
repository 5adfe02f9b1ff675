"""Browser test: the secretariat builds a proposal package by searching for needs (no list of every open need)."""
from __future__ import annotations

from sqlalchemy import select

from models import RegulatoryNeed, db
from models.needs import OPEN_STATUSES

from .conftest import login, screenshot


def _two_open_needs(live_app) -> list[tuple[int, str]]:
    with live_app.app_context():
        needs = db.session.scalars(select(RegulatoryNeed).where(RegulatoryNeed.status.in_(OPEN_STATUSES))
                                   .order_by(RegulatoryNeed.id).limit(2)).all()
        return [(n.id, n.title) for n in needs]


def test_a_package_is_built_by_searching_for_its_needs(page, live_app):
    (first_id, first_title), (second_id, second_title) = _two_open_needs(live_app)
    login(page, "secretariat@demo.example")
    page.goto("/needs/manage/packages/new")
    assert page.locator("[data-testid=no-needs-chosen]").is_visible()
    assert page.locator("input[name=needs]").count() == 0
    page.fill("#title", "検索で作るパッケージ")
    page.fill("#proposal_text", "## 概要\n二つのニーズをまとめる。")

    page.fill("#q", first_title)  # words: the search looks them up in the needs' stored analyses
    page.press("#q", "Enter")  # Enter in the search box searches; it does not save
    page.wait_for_selector(f"input[name=needs][value='{first_id}']")
    assert page.locator("#title").input_value() == "検索で作るパッケージ"  # what was typed is kept
    page.check(f"input[name=needs][value='{first_id}']")
    screenshot(page, "package-picker-ja")

    page.fill("#q", second_title)
    page.click("[data-testid=find-needs]")
    page.wait_for_selector(f"input[name=needs][value='{second_id}']")
    assert page.locator(f"input[name=needs][value='{first_id}']").is_checked()  # the first stays ticked
    page.check(f"input[name=needs][value='{second_id}']")

    page.fill("#q", "存在しないはずの検索語")
    page.click("[data-testid=find-needs]")
    page.wait_for_selector("[data-testid=no-needs-found]")
    assert page.locator(f"input[name=needs][value='{second_id}']").is_checked()

    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "package-picker-ja-360")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("[data-testid=save-package]")
    page.wait_for_url("**/needs/manage/packages/*")
    body = page.content()
    assert "検索で作るパッケージ" in body and first_title in body and second_title in body

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    page.goto("/needs/manage/packages/new")
    assert page.locator("[data-testid=need-picker]").inner_text().startswith("Find open needs to add")
    screenshot(page, "package-picker-en")
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
