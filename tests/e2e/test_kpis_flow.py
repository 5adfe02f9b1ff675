"""Browser test: the secretariat sets a target and sees the achievement ratio (進捗度), in Japanese and
English and on a 360 px phone; a member opens its own activity page."""
from __future__ import annotations

import re

from app.core.fiscal import current_fiscal_year

from .conftest import login, screenshot

KEY = "trial_requests_received"


def _ratio(actual: str, target: int) -> str:
    value = int(actual.replace(",", ""))
    return f"{int(value * 100 / target + 0.5)}%"


def test_secretariat_sets_a_target_and_sees_the_ratio(page, browser, live_server):
    year = current_fiscal_year()
    login(page, "secretariat@demo.example")
    page.goto("/kpis/manage/")
    assert page.locator("h1").inner_text().startswith("KPI・年度報告")
    page.click("text=目標を設定")
    row = page.locator(f"#target-{KEY}")
    actual = row.locator("[data-testid=actual]").inner_text()
    row.locator("input[type=number]").fill("4")
    row.locator(f"[data-testid=save-{KEY}]").click()
    page.wait_for_selector(".flash-success")
    expected = _ratio(actual, 4)
    assert page.locator(f"#target-{KEY} [data-testid=ratio]").inner_text() == expected
    screenshot(page, "kpis-targets-ja")

    page.goto(f"/kpis/manage/?year={year}")
    line = page.locator(f"#indicator-{KEY}")
    assert line.locator("[data-testid=target]").inner_text() == "4"
    assert line.locator("[data-testid=ratio]").inner_text() == expected
    assert page.locator("svg.trend-chart").count() >= 20 and page.locator("svg.bar-chart").count() == 3
    screenshot(page, "kpis-dashboard-ja")

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("text=Indicators against targets")
    line = page.locator(f"#indicator-{KEY}")
    assert "Trial requests received" in line.inner_text()
    assert line.locator("[data-testid=ratio]").inner_text() == expected
    screenshot(page, "kpis-dashboard-en")
    page.click("[data-testid=lang-ja]")

    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 780}, locale="ja-JP",
                                  is_mobile=True)
    phone = context.new_page()
    try:
        login(phone, "secretariat@demo.example")
        phone.goto(f"/kpis/manage/targets/{year}")
        phone.locator(f"#target-{KEY}").scroll_into_view_if_needed()
        assert phone.locator(f"#target-{KEY} [data-testid=ratio]").inner_text() == expected
        screenshot(phone, "kpis-targets-ja-360")
        phone.goto(f"/kpis/manage/?year={year}")
        # The page itself never scrolls sideways; wide tables scroll inside their own box.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(phone, "kpis-dashboard-ja-360")
    finally:
        context.close()

    # Leave the shared demo data as it was: remove the target again.
    page.goto(f"/kpis/manage/targets/{year}")
    page.locator(f"#target-{KEY} input[type=number]").fill("")
    page.locator(f"[data-testid=save-{KEY}]").click()
    page.wait_for_selector(".flash-success")
    assert page.locator(f"#target-{KEY} [data-testid=ratio]").inner_text() == "—"


def test_member_sees_its_own_activity_page(page):
    login(page, "member@demo.example")
    page.goto("/kpis/organisation")
    assert re.search(r"の活動実績", page.locator("h1").inner_text())
    assert page.locator("[data-testid=organisation-activity] tbody tr").count() == 7
    screenshot(page, "kpis-organisation-ja")
