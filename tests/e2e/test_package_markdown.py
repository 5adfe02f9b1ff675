"""Browser test: a proposal package's Markdown is rendered on its page (Japanese and English, desk and phone)."""
from __future__ import annotations

from models import ProposalPackage, db

from .conftest import login, screenshot


def test_the_package_page_renders_markdown(page, live_app):
    with live_app.app_context():
        package = db.session.query(ProposalPackage).first()
        package.proposal_text = "## 提案の概要\n\n**ロケット**の燃焼試験と打上げに関わる規制を一括で提案する。\n\n- 高圧ガス保安法\n- 火薬類取締法"
        db.session.commit()
        package_id = package.id
    login(page, "secretariat@demo.example")
    page.goto(f"/needs/manage/packages/{package_id}")
    text = page.locator("[data-testid=proposal-text]")
    assert text.locator("h2").inner_text() == "提案の概要" and text.locator("strong").inner_text() == "ロケット"
    assert "##" not in text.inner_text() and "**" not in text.inner_text()
    screenshot(page, "package-markdown-ja")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "package-markdown-ja-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("[data-testid=lang-ja]")
    screenshot(page, "package-markdown-en")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "package-markdown-en-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-testid=lang-ja]")
    page.wait_for_selector("[data-testid=lang-en]")
