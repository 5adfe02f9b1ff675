"""Browser test: every page of the app, for every role, in Japanese and English, at 1,280 px and 360 px:
0 serious or critical axe-core violations, and nothing wider than the phone's screen.

axe-core comes from npm (tests/e2e/package.json, installed by `make e2e`) and is injected into each page
by the test; it is never served to users. The pages are the GET routes of the URL map, filled with the
ids of the demo data; each page is checked by the first role (most privileged first) that may open it,
and the dashboard and home page by every role.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.fiscal import current_fiscal_year
from models import (
    ChangeRequest,
    Due,
    Introduction,
    Meeting,
    MembershipApplication,
    Organisation,
    ProposalPackage,
    RegionalChallenge,
    RegulatoryNeed,
    SpecialMeasure,
    TrialRequest,
    TrialSite,
    db,
)

from .conftest import login, logout, screenshot

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ROLES = ("admin@demo.example", "secretariat@demo.example", "member@demo.example", "applicant@demo.example", None)
EVERY_ROLE = {"/", "/dashboard"}
NOT_PAGES = (".json", ".ics", ".csv", ".pdf", ".docx", "/logout", "/healthz", "/api/", "/static/")
MODELS = {"need_id": RegulatoryNeed, "request_id": TrialRequest, "site_id": TrialSite, "package_id": ProposalPackage,
          "introduction_id": Introduction, "measure_id": SpecialMeasure, "challenge_id": RegionalChallenge,
          "organisation_id": Organisation, "application_id": MembershipApplication, "change_id": ChangeRequest,
          "due_id": Due}
SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _pages(app) -> list[str]:
    """Every GET page of the URL map whose arguments the demo data can fill."""
    with app.app_context():
        values = {name: db.session.scalar(select(model.id).order_by(model.id).limit(1)) for name, model in MODELS.items()}
        meeting = db.session.scalars(select(Meeting).order_by(Meeting.id).limit(1)).first()
        values.update(meeting_id=meeting.id, group_id=meeting.group_id, year=current_fiscal_year())
        paths = set()
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or any(part in rule.rule for part in NOT_PAGES):
                continue
            if not all(values.get(name) for name in rule.arguments):
                continue  # tokens, attachments, export formats: not pages
            paths.add(rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1])
    return sorted(paths)


def _check(page, path: str, label: str, problems: list[str]) -> bool:
    response = page.goto(path)
    if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
        return False
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(SERIOUS):
        problems.append(f"{label} {path} 1280px: {violation['impact']} {violation['id']} {violation['nodes']}")
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 361:
        problems.append(f"{label} {path} 360px: the page is {width}px wide")
        screenshot(page, "too-wide-" + label.replace(" ", "-").replace("@", "_") + path.replace("/", "_"))
    for violation in page.evaluate(SERIOUS):
        problems.append(f"{label} {path} 360px: {violation['impact']} {violation['id']} {violation['nodes']}")
    page.set_viewport_size({"width": 1280, "height": 900})
    return True


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_has_no_serious_accessibility_violation_and_fits_a_phone(browser, live_server, live_app, language):
    assert AXE.exists(), "axe-core is missing: `make e2e` installs it (npm ci in tests/e2e)"
    # The app's Content-Security-Policy allows no inline script: the test's own context lets axe in.
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="ja-JP",
                                  bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    paths = _pages(live_app)
    checked: set[str] = set()
    problems: list[str] = []
    for email in ROLES:
        label = f"{email or 'anonymous'} {language}"
        if email:
            login(page, email)
        else:
            page.goto("/")
        if language == "en":
            page.click("[data-testid=lang-en]")
            page.wait_for_selector("[data-testid=lang-ja]")
        for path in paths:
            if path in checked and path not in EVERY_ROLE:
                continue
            if _check(page, path, label, problems):
                checked.add(path)
        if language == "en":
            page.goto("/")
            page.click("[data-testid=lang-ja]")  # accounts remember their language: leave them Japanese
            page.wait_for_selector("[data-testid=lang-en]")
        if email:
            logout(page)
    context.close()
    print(json.dumps({"language": language, "pages": len(checked), "of": len(paths)}))
    assert len(checked) > 60, sorted(set(paths) - checked)  # the walk reached the pages, not only refusals
    assert problems == [], "\n".join(problems)
